package bgpls

import (
	"testing"

	"github.com/altosdn/altosdn/topology"
)

func TestRIBStaleAndBest(t *testing.T) {
	b := newRIB(2)
	up := func(p int) { b.sessions[p].up, b.sessions[p].gen = true, b.sessions[p].gen+1 }
	down := func(p int) { b.sessions[p].up = false }
	r0, r1 := &route{nodeInfo: &nodeInfo{Name: "from 0"}}, &route{nodeInfo: &nodeInfo{Name: "from 1"}}
	up(0)
	up(1)
	b.update(0, "k", r0)
	b.update(1, "k", r1)
	best := func() string { return b.best(b.merged["k"]).e.r.Name }

	if got := best(); got != "from 0" {
		t.Errorf("both fresh: best from %q; want the first peer", got)
	}
	down(0)
	if got := best(); got != "from 1" {
		t.Errorf("peer 0 down: best from %q; want the fresh copy", got)
	}
	if n := b.staleCount(0); n != 1 {
		t.Errorf("staleCount(0) = %d; want 1", n)
	}
	up(0) // back, but not re-advertised yet: still stale
	if got := best(); got != "from 1" {
		t.Errorf("peer 0 back without routes: best from %q; want peer 1", got)
	}
	b.update(0, "k", r0) // re-advertised: fresh again
	if got := best(); got != "from 0" {
		t.Errorf("peer 0 re-advertised: best from %q; want peer 0", got)
	}
	b.update(0, "gone", &route{})
	b.setExtras(0, "gone", extras{PrefixMetric: topology.Known(1, topology.SourceBGPLS)})
	down(0)
	if n := b.sweep(0); n != 2 {
		t.Errorf("sweep removed %d; want 2", n)
	}
	if _, ok := b.merged["gone"]; ok {
		t.Error("swept route still merged")
	}
	if _, ok := b.extras[0]["gone"]; ok {
		t.Error("extras of a swept route kept")
	}
	if got := best(); got != "from 1" {
		t.Errorf("after sweep: best from %q; want peer 1", got)
	}
	if !b.withdraw(1, "k") || len(b.merged) != 0 {
		t.Errorf("withdraw left %v", b.merged)
	}
	if b.withdraw(1, "k") {
		t.Error("second withdraw reported a route")
	}
}
