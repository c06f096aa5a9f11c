package bgpls_test

import (
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/bgpls/speaker"
	"github.com/altosdn/altosdn/collectors/static"
	"github.com/altosdn/altosdn/topology"
)

// The path a `make run` emulator would take: the static demo network,
// described by speaker.FromTopology, originated over BGP-LS, arrives
// whole, with its metrics.
func TestEmulateDemoNetwork(t *testing.T) {
	demo, err := static.Demo()
	if err != nil {
		t.Fatal(err)
	}
	topo, err := speaker.FromTopology(65001, demo.Nodes, demo.Links, demo.Prefixes)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config(t)
	addr := loopback(t)
	peerFor(&cfg, addr, 65001)
	h := start(t, cfg)
	h.speakWith(t, addr, 65001, topo, withGR)
	waitFor(t, 20*time.Second, "the demo network", h.graphHas(len(demo.Nodes), len(demo.Links), len(demo.Prefixes)))

	// Same metrics on the same links, matched by position.
	g := h.store.Snapshot()
	names := map[topology.NodeID]string{}
	for _, n := range g.Nodes() {
		names[n.ID] = n.Name
	}
	type end struct{ a, b string }
	got := map[end]topology.Metrics{}
	for _, l := range g.Links() {
		got[end{names[l.Key.Local], names[l.Key.Remote]}] = l.Metrics
	}
	demoNames := map[topology.NodeID]string{}
	for _, n := range demo.Nodes {
		demoNames[n.ID] = n.Name
	}
	for _, l := range demo.Links {
		m, ok := got[end{demoNames[l.Key.Local], demoNames[l.Key.Remote]}]
		if !ok {
			t.Errorf("link %s missing", l.ID)
			continue
		}
		for _, k := range []topology.Metric{topology.MetricIGP, topology.MetricDelay, topology.MetricMaxBandwidth} {
			want, wset := l.Metrics.Get(k)
			v, set := m.Get(k)
			if wset != set || (set && v != want) {
				t.Errorf("link %s: %s = %v (set %v); want %v (set %v)", l.ID, k, v, set, want, wset)
			}
		}
	}
}
