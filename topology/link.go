package topology

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// LinkKey is the identity of a directed link: its end nodes and whatever
// tells parallel links between them apart (interface addresses, link-local
// identifiers, multi-topology ID).
type LinkKey struct {
	Local, Remote         NodeID
	LocalAddr, RemoteAddr netip.Addr // zero when unknown
	LocalIfID, RemoteIfID uint32     // link-local/remote identifiers; 0 when unknown
	MTID                  uint16
}

// ID returns the canonical identifier of the key.
func (k LinkKey) ID() LinkID {
	var b strings.Builder
	b.WriteString(string(k.Local))
	b.WriteString("->")
	b.WriteString(string(k.Remote))
	if k.LocalAddr.IsValid() || k.RemoteAddr.IsValid() {
		b.WriteByte('|')
		b.WriteString(addrText(k.LocalAddr))
		b.WriteByte('-')
		b.WriteString(addrText(k.RemoteAddr))
	}
	if k.LocalIfID != 0 || k.RemoteIfID != 0 {
		b.WriteString("|if")
		b.WriteString(strconv.FormatUint(uint64(k.LocalIfID), 10))
		b.WriteByte('-')
		b.WriteString(strconv.FormatUint(uint64(k.RemoteIfID), 10))
	}
	if k.MTID != 0 {
		b.WriteString("|mt")
		b.WriteString(strconv.FormatUint(uint64(k.MTID), 10))
	}
	return LinkID(b.String())
}

func addrText(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

// LinkID identifies a directed link; see [LinkKey.ID].
type LinkID string

// Link is a directed adjacency from Key.Local to Key.Remote.
type Link struct {
	ID  LinkID
	Key LinkKey
	// Metrics are the link's current values: those of the topology sources
	// with the measurements of overlays (telemetry) on top.
	Metrics Metrics
	// Nominal are the values of the topology sources alone (configured or
	// advertised), before any overlay. The store fills it; an update's
	// value is ignored.
	Nominal Metrics
	// Down marks a link that exists but must not carry traffic, for example
	// because telemetry reports its interface down.
	Down bool
	// AdminGroup is the link's administrative group (colour) bit mask as
	// advertised by the IGP (RFC 5305 §3.1); 0 when none. It is kept for
	// consumers that filter links by colour; routing ignores it.
	AdminGroup uint32
}

// Local returns the node the link leaves.
func (l *Link) Local() NodeID { return l.Key.Local }

// Remote returns the node the link enters.
func (l *Link) Remote() NodeID { return l.Key.Remote }

func (l *Link) validate() error {
	if l.ID == "" {
		return fmt.Errorf("link: empty id")
	}
	if l.Key.Local == "" || l.Key.Remote == "" {
		return fmt.Errorf("link %s: missing end node", l.ID)
	}
	if l.Key.Local == l.Key.Remote {
		return fmt.Errorf("link %s: loops back to its own node", l.ID)
	}
	if err := l.Metrics.validate(); err != nil {
		return fmt.Errorf("link %s: %w", l.ID, err)
	}
	return nil
}

// LinkStatus is an overlay's view of a link's operational state.
type LinkStatus uint8

// Link statuses. StatusUnknown leaves the link's state as the topology
// sources gave it.
const (
	StatusUnknown LinkStatus = iota
	StatusUp
	StatusDown
)

// LinkOverlay annotates an existing link with metrics measured elsewhere
// (telemetry). An overlay never creates a link: it applies only while some
// source provides the link itself.
type LinkOverlay struct {
	Link    LinkID
	Metrics Metrics
	Status  LinkStatus
}

func (o *LinkOverlay) validate() error {
	if o.Link == "" {
		return fmt.Errorf("overlay: empty link id")
	}
	if err := o.Metrics.validate(); err != nil {
		return fmt.Errorf("overlay on %s: %w", o.Link, err)
	}
	return nil
}
