package topology_test

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/altosdn/altosdn/topology"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func node(name string) topology.Node {
	k := topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: name}
	return topology.Node{ID: k.ID(), Key: k, Name: name}
}

func link(from, to string, igp float64, src topology.Source) topology.Link {
	k := topology.LinkKey{Local: node(from).ID, Remote: node(to).ID}
	return topology.Link{ID: k.ID(), Key: k, Metrics: topology.Metrics{}.With(topology.MetricIGP, igp, src)}
}

func prefix(n, p string) topology.Prefix {
	return topology.Prefix{Node: node(n).ID, Prefix: netip.MustParsePrefix(p)}
}

func newStore() *topology.Store {
	return topology.NewStore(topology.DefaultConfig(), nil)
}

func igpOf(t *testing.T, g *topology.Graph, from, to string) (float64, topology.Source, bool) {
	t.Helper()
	l := link(from, to, 0, "")
	i, ok := g.LinkIndex(l.ID)
	if !ok {
		return 0, "", false
	}
	v := g.Link(i).Metrics[topology.MetricIGP]
	return v.V, v.Source, v.Set
}

func TestStoreApply(t *testing.T) {
	s := newStore()
	s.Apply(topology.Update{Source: "static", Op: topology.OpReplace,
		Nodes:    []topology.Node{node("a"), node("b")},
		Links:    []topology.Link{link("a", "b", 10, "static"), link("b", "c", 5, "static")},
		Prefixes: []topology.Prefix{prefix("a", "10.0.0.0/24"), prefix("c", "10.0.2.0/24")},
	})
	s.Flush()
	g := s.Snapshot()
	if g.NumNodes() != 2 || g.NumLinks() != 1 || g.Dangling() != 1 || len(g.Prefixes()) != 1 {
		t.Fatalf("got %d nodes, %d links, %d dangling, %d prefixes; want 2, 1, 1, 1",
			g.NumNodes(), g.NumLinks(), g.Dangling(), len(g.Prefixes()))
	}

	// The missing node arrives from another source: the dangling link and
	// the prefix join the graph.
	s.Apply(topology.Update{Source: "bgpls", Op: topology.OpUpsert, Nodes: []topology.Node{node("c")}})
	s.Flush()
	g = s.Snapshot()
	if g.NumNodes() != 3 || g.NumLinks() != 2 || g.Dangling() != 0 || len(g.Prefixes()) != 2 {
		t.Fatalf("after node c: %d nodes, %d links, %d dangling, %d prefixes; want 3, 2, 0, 2",
			g.NumNodes(), g.NumLinks(), g.Dangling(), len(g.Prefixes()))
	}

	// A higher-priority source gives the same link another metric: it wins.
	s.Apply(topology.Update{Source: "bgpls", Op: topology.OpUpsert, Links: []topology.Link{link("a", "b", 20, "bgpls")}})
	s.Flush()
	if v, src, _ := igpOf(t, s.Snapshot(), "a", "b"); v != 20 || src != "bgpls" {
		t.Errorf("a->b igp = %v from %s; want 20 from bgpls", v, src)
	}

	// Withdrawing it from bgpls uncovers the static value again.
	s.Apply(topology.Update{Source: "bgpls", Op: topology.OpWithdraw, Links: []topology.Link{{ID: link("a", "b", 0, "").ID}}})
	s.Flush()
	if v, src, _ := igpOf(t, s.Snapshot(), "a", "b"); v != 10 || src != "static" {
		t.Errorf("after withdraw a->b igp = %v from %s; want 10 from static", v, src)
	}

	// Replace from static drops what static no longer lists, but not bgpls's node c.
	s.Apply(topology.Update{Source: "static", Op: topology.OpReplace, Nodes: []topology.Node{node("a")}})
	s.Flush()
	g = s.Snapshot()
	if g.NumNodes() != 2 || g.NumLinks() != 0 {
		t.Errorf("after replace: %d nodes, %d links; want 2 (a from static, c from bgpls), 0", g.NumNodes(), g.NumLinks())
	}
}

func TestStoreOverlay(t *testing.T) {
	s := newStore()
	ab := link("a", "b", 10, "static")
	s.Apply(topology.Update{Source: "static", Op: topology.OpReplace, Nodes: []topology.Node{node("a"), node("b")}, Links: []topology.Link{ab}})
	s.Apply(topology.Update{Source: "gnmi", Op: topology.OpUpsert, Overlays: []topology.LinkOverlay{
		{Link: ab.ID, Metrics: topology.Metrics{}.With(topology.MetricUtilizedBandwidth, 4e9, "gnmi"), Status: topology.StatusDown},
		{Link: "no-such-link", Metrics: topology.Metrics{}.With(topology.MetricUtilizedBandwidth, 1, "gnmi")},
	}})
	s.Flush()
	g := s.Snapshot()
	if g.NumLinks() != 1 {
		t.Fatalf("an overlay must not create links: got %d links", g.NumLinks())
	}
	l := g.Link(0)
	if v, ok := l.Metrics.Get(topology.MetricUtilizedBandwidth); !ok || v != 4e9 {
		t.Errorf("utilized bandwidth = %v, %v; want 4e9, true", v, ok)
	}
	if v, ok := l.Metrics.Get(topology.MetricIGP); !ok || v != 10 {
		t.Errorf("igp = %v, %v; want 10 kept under the overlay", v, ok)
	}
	if !l.Down {
		t.Error("overlay status down did not mark the link down")
	}
	if _, ok := l.Metrics.Get(topology.MetricDelay); ok {
		t.Error("delay reads as set though no source gave it")
	}
}

func TestStoreRejectsInvalidUpdates(t *testing.T) {
	neg := link("a", "b", -1, "static")
	tests := []struct {
		name string
		u    topology.Update
		want string
	}{
		{"no source", topology.Update{Nodes: []topology.Node{node("a")}}, "without source"},
		{"negative metric", topology.Update{Source: "s", Links: []topology.Link{neg}}, "negative"},
		{"duplicate node", topology.Update{Source: "s", Nodes: []topology.Node{node("a"), node("a")}}, "duplicate"},
		{"self loop", topology.Update{Source: "s", Links: []topology.Link{link("a", "a", 1, "s")}}, "loops back"},
		{"host bits", topology.Update{Source: "s", Prefixes: []topology.Prefix{{Node: "x", Prefix: netip.MustParsePrefix("10.0.0.1/24")}}}, "host bits"},
		{"loss over 100", topology.Update{Source: "s", Links: []topology.Link{{ID: "l", Key: topology.LinkKey{Local: "a", Remote: "b"},
			Metrics: topology.Metrics{}.With(topology.MetricLoss, 101, "s")}}}, "loss"},
		{"utilization over 100", topology.Update{Source: "s", Overlays: []topology.LinkOverlay{{Link: "l",
			Metrics: topology.Metrics{}.With(topology.MetricUtilization, 130, "s")}}}, "utilization is above 100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore()
			good := topology.Update{Source: "s", Op: topology.OpReplace, Nodes: []topology.Node{node("a"), node("b")}}
			s.Apply(good)
			s.Flush()
			before := s.Snapshot()
			if s.Apply(tc.u) {
				t.Fatal("invalid update reported a change")
			}
			st := s.Stats()
			if st.Rejected != 1 || !strings.Contains(st.LastError, tc.want) {
				t.Errorf("stats = %+v; want 1 rejection mentioning %q", st, tc.want)
			}
			if s.Snapshot() != before {
				t.Error("snapshot changed after a rejected update")
			}
		})
	}
}

func TestStoreRunCoalescesAndSignals(t *testing.T) {
	s := newStore()
	in := make(chan topology.Update, 200)
	for i := range 100 {
		in <- topology.Update{Source: "s", Op: topology.OpUpsert, Nodes: []topology.Node{node(string(rune('a'+i%26)) + string(rune('a'+i/26)))}}
	}
	g0, changed := s.Watch()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, in) }()
	select {
	case <-changed:
	case <-time.After(10 * time.Second):
		t.Fatal("no snapshot published")
	}
	// All 100 queued updates were applied before the one publication.
	if g := s.Snapshot(); g.NumNodes() != 100 || g.Generation() <= g0.Generation() {
		t.Errorf("snapshot has %d nodes at generation %d; want 100 nodes after generation %d", g.NumNodes(), g.Generation(), g0.Generation())
	}
	if st := s.Stats(); st.Published != 1 || st.Applied != 100 {
		t.Errorf("stats = %+v; want 100 applied in 1 publication", st)
	}
	// An update that changes nothing publishes nothing.
	in <- topology.Update{Source: "s", Op: topology.OpUpsert, Nodes: []topology.Node{node("aa")}}
	in <- topology.Update{Source: "s", Op: topology.OpUpsert, Nodes: []topology.Node{node("new")}}
	_, changed = s.Watch()
	<-changed
	if st := s.Stats(); st.Unchanged != 1 || st.Published != 2 {
		t.Errorf("stats = %+v; want 1 unchanged and 2 publications", st)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run returned %v on cancel; want nil", err)
	}
}

func TestGraphIsDeterministic(t *testing.T) {
	build := func(order []int) *topology.Graph {
		s := newStore()
		names := []string{"c", "a", "b"}
		for _, i := range order {
			s.Apply(topology.Update{Source: "s", Nodes: []topology.Node{node(names[i])}, Prefixes: []topology.Prefix{prefix(names[i], "10.0."+string(rune('0'+i))+".0/24")}})
		}
		s.Flush()
		return s.Snapshot()
	}
	g1, g2 := build([]int{0, 1, 2}), build([]int{2, 1, 0})
	for i := range g1.NumNodes() {
		if g1.Node(i).ID != g2.Node(i).ID {
			t.Fatalf("node %d: %s vs %s; order depends on arrival", i, g1.Node(i).ID, g2.Node(i).ID)
		}
	}
	if g1.Prefixes()[0] != g2.Prefixes()[0] {
		t.Error("prefix order depends on arrival")
	}
}

func TestIdentifiers(t *testing.T) {
	k := topology.NodeKey{Protocol: topology.ProtocolISISL2, Instance: 0, AS: 65000, Area: "49.0001", RouterID: "0000.0000.0001"}
	if got, want := k.ID(), topology.NodeID("isis-l2/0/65000/49.0001/0000.0000.0001"); got != want {
		t.Errorf("NodeKey.ID() = %q; want %q", got, want)
	}
	lk := topology.LinkKey{Local: "a", Remote: "b", LocalAddr: netip.MustParseAddr("192.0.2.1"), RemoteAddr: netip.MustParseAddr("192.0.2.2")}
	if got, want := lk.ID(), topology.LinkID("a->b|192.0.2.1-192.0.2.2"); got != want {
		t.Errorf("LinkKey.ID() = %q; want %q", got, want)
	}
	var m topology.Metrics
	if _, ok := m.Get(topology.MetricDelay); ok {
		t.Error("zero Metrics has delay set")
	}
	m = m.With(topology.MetricDelay, 0, "s")
	if v, ok := m.Get(topology.MetricDelay); !ok || v != 0 {
		t.Error("a delay of 0 set explicitly reads as unset")
	}
}

func TestOverlayUpDoesNotResurrect(t *testing.T) {
	s := newStore()
	ab := link("a", "b", 10, "static")
	ab.Down = true // a topology source says the link is out of service
	s.Apply(topology.Update{Source: "static", Op: topology.OpReplace, Nodes: []topology.Node{node("a"), node("b")}, Links: []topology.Link{ab}})
	s.Apply(topology.Update{Source: "gnmi", Overlays: []topology.LinkOverlay{{Link: ab.ID, Status: topology.StatusUp}}})
	s.Flush()
	if !s.Snapshot().Link(0).Down {
		t.Error("telemetry reporting up put a link marked down back in service")
	}
}
