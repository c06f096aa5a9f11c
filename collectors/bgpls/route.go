package bgpls

import (
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/altosdn/altosdn/topology"
)

// kind says what a route describes.
type kind uint8

const (
	kindNode    kind = iota + 1 // BGP-LS Node NLRI
	kindLink                    // BGP-LS Link NLRI
	kindPrefix                  // BGP-LS IPv4 or IPv6 Prefix NLRI
	kindUnicast                 // IPv4 or IPv6 unicast route
)

func (k kind) String() string {
	switch k {
	case kindNode:
		return "node"
	case kindLink:
		return "link"
	case kindPrefix:
		return "prefix"
	case kindUnicast:
		return "unicast"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// nodeDesc is a BGP-LS node descriptor (RFC 9552 §5.2.1.4, RFC 9086 for
// BGP). It is comparable and free of GoBGP types.
type nodeDesc struct {
	AS          uint32
	BGPLSID     uint32
	Area        uint32 // OSPF area; deliberately not part of node identity
	IGPRouterID string // raw bytes, as a string so the struct stays comparable
	BGPRouterID netip.Addr
	Confed      uint32 // BGP confederation member AS
}

// pseudo reports whether the descriptor names a LAN pseudonode: an IS-IS
// LAN ID (7 bytes) or an OSPF designated router's interface (8 bytes).
func (d nodeDesc) pseudo() bool { return len(d.IGPRouterID) == 7 || len(d.IGPRouterID) == 8 }

// routerIDText renders the identifying router-ID as the topology model
// shows it: dotted quad for OSPF, ISO system ID for IS-IS (with the
// pseudonode byte after a dot, as IS-IS LAN IDs are written), "rid:ifaddr"
// for an OSPF pseudonode, and the BGP router-ID for BGP (EPE) nodes.
func (d nodeDesc) routerIDText() string {
	b := []byte(d.IGPRouterID)
	switch len(b) {
	case 0:
		if !d.BGPRouterID.IsValid() {
			return ""
		}
		if d.Confed != 0 {
			return d.BGPRouterID.String() + ":" + strconv.FormatUint(uint64(d.Confed), 10)
		}
		return d.BGPRouterID.String()
	case 4:
		return netip.AddrFrom4([4]byte(b)).String()
	case 6:
		return fmt.Sprintf("%02x%02x.%02x%02x.%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5])
	case 7:
		return fmt.Sprintf("%02x%02x.%02x%02x.%02x%02x.%02x", b[0], b[1], b[2], b[3], b[4], b[5], b[6])
	case 8:
		return netip.AddrFrom4([4]byte(b[:4])).String() + ":" + netip.AddrFrom4([4]byte(b[4:])).String()
	}
	return hex.EncodeToString(b)
}

// route is one NLRI with the attributes the collector uses. Routes are
// built once by the converter and never modified afterwards, so they can
// be shared between the per-peer tables and the derivation. What only
// links or only nodes have sits behind pointers: a large table is mostly
// prefixes, which need neither.
type route struct {
	Kind          kind
	Protocol      topology.Protocol
	OSPFRouteType uint8 // prefix
	Identifier    uint64
	Local         nodeDesc     // node, link local end, prefix originator
	Prefix        netip.Prefix // prefix and unicast
	NextHop       netip.Addr   // unicast only
	MTIDs         []uint16     // link or prefix multi-topology IDs

	*linkInfo // Link NLRIs only
	*nodeInfo // Node NLRIs only
}

// linkInfo is what a Link NLRI adds: its remote end, link descriptors and
// the metrics GoBGP decoded.
type linkInfo struct {
	Remote nodeDesc
	// The interface and neighbour addresses are the IPv4 pair when
	// present, else the IPv6 pair.
	LocalAddr, RemoteAddr netip.Addr
	LocalID, RemoteID     uint32
	Metrics               topology.Metrics
	AdminGroup            uint32
}

// nodeInfo is what a Node NLRI's attribute adds.
type nodeInfo struct {
	Name       string
	RouterIDv4 netip.Addr   // TLV 1028 (the last one, as GoBGP keeps)
	RouterIDv6 netip.Addr   // TLV 1029
	Addresses  []netip.Addr // every 1028/1029, for next-hop matching
}
