package bgpls

import (
	"strconv"
	"time"

	"github.com/altosdn/altosdn/collectors"
)

// family is an address family the collector negotiates.
type family uint8

const (
	famLS family = 1 << iota
	famIPv4
	famIPv6
)

func (f family) String() string {
	switch f {
	case famLS:
		return "bgp-ls"
	case famIPv4:
		return "ipv4-unicast"
	case famIPv6:
		return "ipv6-unicast"
	}
	return "family(" + strconv.Itoa(int(f)) + ")"
}

// Status counter names.
const (
	counterReceived    = "nlri_received"    // advertisements and withdrawals
	counterWithdrawn   = "nlri_withdrawn"   // withdrawals among them
	counterCurrent     = "nlri_current"     // routes held now, stale included
	counterStale       = "nlri_stale"       // routes held from a lost session
	counterDecodeErr   = "decode_errors"    // NLRIs or attributes that did not decode
	counterUnsupported = "nlri_unsupported" // NLRI types the collector ignores
	counterResets      = "session_resets"   // established sessions lost
	counterSwept       = "stale_withdrawn"  // stale routes withdrawn
)

// peer is the run loop's view of one configured peer. Fields below the
// mutex line in Collector are read by Status under Collector.mu; the run
// loop writes them under it.
type peer struct {
	cfg  PeerConfig
	idx  int
	name string

	state      string
	up         bool
	since      time.Time
	lastUpdate time.Time
	lastError  string
	counters   map[string]uint64

	upAt       time.Time
	lastNew    time.Time // last NLRI new to this session: the initial table is still arriving
	families   family    // negotiated
	eor        family    // End-of-RIB received this session
	synced     bool      // initial table complete this session
	staleUntil time.Time // when stale routes are withdrawn; zero if none are waiting
	flaps      int       // consecutive short-lived sessions
	backoff    time.Time // when a peer held down for backoff is enabled again
	lastWarn   time.Time // rate limit for decode warnings
}

func (p *peer) status() collectors.ItemStatus {
	s := collectors.ItemStatus{
		Name:       p.name,
		State:      p.state,
		Up:         p.up,
		Since:      p.since,
		LastUpdate: p.lastUpdate,
		LastError:  p.lastError,
		Counters:   make(map[string]uint64, len(p.counters)),
	}
	for k, v := range p.counters {
		s.Counters[k] = v
	}
	return s
}

// backoffDelay returns how long to hold a peer down after its n-th
// consecutive short-lived session: nothing after the first, then min,
// doubling up to max.
func backoffDelay(n int, lo, hi time.Duration) time.Duration {
	if n < 2 {
		return 0
	}
	d := lo
	for i := 2; i < n && d < hi; i++ {
		d *= 2
	}
	return min(d, hi)
}
