package bgpls_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/bgpls/speaker"
)

// A route reflector that goes away and comes back within the stale hold
// leaves the graph alone; what it no longer advertises goes once it has
// sent its table again.
func TestStaleHoldFlapInside(t *testing.T) {
	cfg := config(t)
	cfg.StaleHold = time.Minute
	spAddr := loopback(t)
	peerFor(&cfg, spAddr, 65001)
	h := start(t, cfg)
	topo := square()
	sp := h.speakWith(t, spAddr, 65001, topo, withGR)
	waitFor(t, 20*time.Second, "the square", h.graphHas(4, 8, 4))
	tr := h.track(t)

	ctx := t.Context()
	if err := sp.Disable(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the session to drop", func() error {
		if st := h.peerStatus(spAddr.String()); st.Up {
			return fmt.Errorf("still up: %+v", st)
		}
		return nil
	})
	// While it is down, r4's loopback goes; the table it sends when it
	// comes back lacks it.
	if err := sp.Withdraw(speaker.Topology{Prefixes: topo.Prefixes[3:]}); err != nil {
		t.Fatal(err)
	}
	if err := sp.Enable(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "the stale prefix to go", h.graphHas(4, 8, 3))

	if got, want := tr.min(), [3]int{4, 8, 3}; got != want {
		t.Errorf("smallest graph during the flap %v; want %v (nothing else withdrawn)", got, want)
	}
	st := h.peerStatus(spAddr.String())
	if st.Counters["session_resets"] != 1 || st.Counters["stale_withdrawn"] != 1 || st.Counters["nlri_stale"] != 0 || !st.Up {
		t.Errorf("status %+v; want up again, 1 reset, 1 stale route withdrawn, none left", st)
	}
}

// Beyond the stale hold, a lost peer's routes are withdrawn.
func TestStaleHoldFlapBeyond(t *testing.T) {
	cfg := config(t)
	cfg.StaleHold = time.Second
	spAddr := loopback(t)
	peerFor(&cfg, spAddr, 65001)
	h := start(t, cfg)
	sp := h.speakWith(t, spAddr, 65001, square(), withGR)
	waitFor(t, 20*time.Second, "the square", h.graphHas(4, 8, 4))

	closed := time.Now()
	sp.Close()
	waitFor(t, 15*time.Second, "the graph to empty", h.graphHas(0, 0, 0))
	if d := time.Since(closed); d < cfg.StaleHold-100*time.Millisecond {
		t.Errorf("routes withdrawn after %s; want no sooner than the %s stale hold", d, cfg.StaleHold)
	}
	st := h.peerStatus(spAddr.String())
	if st.Up || st.Counters["stale_withdrawn"] != 16 || !strings.Contains(st.LastError, "cease") {
		t.Errorf("status %+v; want down, 16 routes withdrawn, a cease as last error", st)
	}
	if !h.c.Ready() {
		t.Error("readiness dropped after a session loss; it reflects initial convergence only")
	}
}

// With no stale hold, routes go with the session.
func TestStaleHoldZero(t *testing.T) {
	cfg := config(t)
	cfg.StaleHold = 0
	spAddr := loopback(t)
	peerFor(&cfg, spAddr, 65001)
	h := start(t, cfg)
	sp := h.speakWith(t, spAddr, 65001, speaker.Topology{Nodes: square().Nodes}, withGR)
	waitFor(t, 20*time.Second, "nodes", h.graphHas(4, 0, 0))
	sp.Close()
	waitFor(t, 10*time.Second, "the graph to empty", h.graphHas(0, 0, 0))
}
