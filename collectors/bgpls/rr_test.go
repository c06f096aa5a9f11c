package bgpls_test

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/bgpls/speaker"
	"github.com/altosdn/altosdn/topology"
)

// Two route reflectors with the same content give one graph; a route
// goes only when no peer carries it any more.
func TestTwoRouteReflectors(t *testing.T) {
	cfg := config(t)
	cfg.StaleHold = 500 * time.Millisecond
	rr1, rr2 := loopback(t), loopback(t)
	peerFor(&cfg, rr1, 65000) // iBGP, as route reflectors usually are
	peerFor(&cfg, rr2, 65000)
	h := start(t, cfg)
	topo := square()
	sp1 := h.speakWith(t, rr1, 65000, topo, withGR)
	// GoBGP v4.8 writes package variables when a server starts and reads
	// them while it handles UPDATEs: start RR2 only once the collector has
	// taken RR1's table and is idle, or the race detector rightly objects.
	waitFor(t, 20*time.Second, "RR1's table", h.graphHas(4, 8, 4))
	waitFor(t, 10*time.Second, "RR1's routes counted", func() error {
		if n := h.peerStatus(rr1.String()).Counters["nlri_current"]; n != 16 {
			return fmt.Errorf("%s holds %d routes", rr1, n)
		}
		return nil
	})
	sp2 := h.speakWith(t, rr2, 65000, topo, withGR)
	waitFor(t, 20*time.Second, "one square from two reflectors", h.graphHas(4, 8, 4))
	waitFor(t, 10*time.Second, "both reflectors' tables", func() error {
		for _, a := range []netip.Addr{rr1, rr2} {
			if n := h.peerStatus(a.String()).Counters["nlri_current"]; n != 16 {
				return fmt.Errorf("%s holds %d routes", a, n)
			}
		}
		return nil
	})
	tr := h.track(t)

	// RR2 loses a link RR1 still has: nothing changes. The extra prefix
	// RR2 sends afterwards shows when RR2's withdrawal has been handled.
	extra := speaker.Prefix{Protocol: l2, Node: isis("0000.0000.0001"), Prefix: netip.MustParsePrefix("203.0.113.0/24")}
	if err := sp2.Withdraw(speaker.Topology{Links: topo.Links[:1]}); err != nil {
		t.Fatal(err)
	}
	if err := sp2.Advertise(speaker.Topology{Prefixes: []speaker.Prefix{extra}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "RR2's extra prefix", h.graphHas(4, 8, 5))

	// RR1 goes for longer than the stale hold: only the link that RR2
	// no longer has goes with it.
	sp1.Close()
	waitFor(t, 15*time.Second, "RR1's stale routes to go", func() error {
		if n := h.peerStatus(rr1.String()).Counters["stale_withdrawn"]; n != 16 {
			return fmt.Errorf("%d of RR1's routes withdrawn", n)
		}
		return nil
	})
	waitFor(t, 10*time.Second, "RR2's view", h.graphHas(4, 7, 5))
	if got := tr.min(); got != [3]int{4, 7, 4} {
		t.Errorf("smallest graph %v; want [4 7 4]: nothing but the lost link may ever go", got)
	}
	r1, r2 := nodeID(l2, 65001, "0000.0000.0001"), nodeID(l2, 65001, "0000.0000.0002")
	if _, ok := h.link(r1, r2); ok {
		t.Error("the link no reflector carries is still there")
	}
	if !h.peerStatus(rr2.String()).Up {
		t.Error("RR2 should be up")
	}
	_ = topology.SourceBGPLS
}
