package updates

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/topology"
	"github.com/altosdn/altosdn/topology/topologytest"
)

// testConfig is the default ALTO configuration cut to the cost types the
// update tests exercise, so they stay fast.
func testConfig() alto.Config {
	cfg := alto.DefaultConfig()
	var cts []alto.CostType
	for _, ct := range cfg.CostTypes {
		if ct.Metric == alto.MetricRoutingCost || ct.Metric == alto.MetricHopCount {
			cts = append(cts, ct)
		}
	}
	cfg.CostTypes = cts
	cfg.RecomputeMinInterval = 0
	return cfg
}

func randomGraph(t testing.TB, n, degree int, seed uint64) *topology.Graph {
	t.Helper()
	g, err := topologytest.Random(n, degree, seed)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func build(t testing.TB, g *topology.Graph, cfg alto.Config) *alto.Maps {
	t.Helper()
	m, err := alto.Build(g, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// mutate returns g with one random change of the kinds a network sees:
// mostly a link metric, sometimes a link going away, a prefix appearing
// (the network map changes, its PIDs do not) or a new router (the PIDs
// change). It says what it did.
func mutate(t testing.TB, g *topology.Graph, r *rand.Rand) (*topology.Graph, string) {
	t.Helper()
	nodes := slices.Clone(g.Nodes())
	links := slices.Clone(g.Links())
	prefixes := slices.Clone(g.Prefixes())
	var what string
	switch p := r.IntN(100); {
	case p < 65 && len(links) > 0:
		i := r.IntN(len(links))
		w := float64(1 + r.IntN(100))
		links[i].Metrics = links[i].Metrics.With(topology.MetricIGP, w, "test")
		what = fmt.Sprintf("metric %s = %v", links[i].ID, w)
	case p < 75 && len(links) > 2:
		i := r.IntN(len(links))
		what = "remove " + string(links[i].ID)
		links = slices.Delete(links, i, i+1)
	case p < 88:
		n := nodes[r.IntN(len(nodes))]
		pfx := netip.PrefixFrom(netip.AddrFrom4([4]byte{172, byte(r.IntN(256)), byte(r.IntN(256)), 0}), 24)
		if slices.ContainsFunc(prefixes, func(x topology.Prefix) bool { return x.Prefix == pfx }) {
			return g, "nothing"
		}
		prefixes = append(prefixes, topology.Prefix{Node: n.ID, Prefix: pfx})
		what = "prefix " + pfx.String() + " on " + n.Name
	default:
		k := topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: fmt.Sprintf("new%06d", r.IntN(1e6))}
		if slices.ContainsFunc(nodes, func(x topology.Node) bool { return x.ID == k.ID() }) {
			return g, "nothing"
		}
		peer := nodes[r.IntN(len(nodes))]
		nodes = append(nodes, topology.Node{ID: k.ID(), Key: k, Name: string(k.RouterID)})
		for _, d := range [][2]topology.NodeID{{k.ID(), peer.ID}, {peer.ID, k.ID()}} {
			lk := topology.LinkKey{Local: d[0], Remote: d[1], LocalIfID: 9999}
			links = append(links, topology.Link{ID: lk.ID(), Key: lk, Metrics: topology.Metrics{}.With(topology.MetricIGP, 7, "test")})
		}
		prefixes = append(prefixes, topology.Prefix{Node: k.ID(),
			Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{192, 168, byte(r.IntN(256)), 0}), 24)})
		what = "router " + string(k.RouterID)
	}
	ng, err := topology.NewGraph(nodes, links, prefixes)
	if err != nil {
		t.Fatal(err)
	}
	return ng, what
}

// fakeSource is a Source whose maps a test sets.
type fakeSource struct{ m *alto.Maps }

func (f *fakeSource) Current() *alto.Maps { return f.m }

// newTestHub returns a hub that is marked running without a Run loop: the
// test drives it with advance.
func newTestHub(t testing.TB, cfg Config, altoCfg alto.Config) *Hub {
	t.Helper()
	h, err := NewHub(cfg, altoCfg, &fakeSource{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.running.Store(true)
	return h
}

// drain collects what a stream has pending without blocking.
func drain(t testing.TB, s *Stream) []Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	var all []Event
	for {
		evs, err := s.Next(ctx)
		if err != nil {
			return all
		}
		all = append(all, evs...)
	}
}

func mustOpen(t testing.TB, h *Hub, body string) *Stream {
	t.Helper()
	s, err := h.Open(alto.UpdateStreamID, []byte(body), netip.MustParseAddr("10.0.0.9"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

func canonical(t testing.TB, b []byte) []byte {
	t.Helper()
	c, err := Canonical(b)
	if err != nil {
		t.Fatalf("canonical: %v\n%s", err, b)
	}
	return c
}
