package alto

import (
	"math"
	"strings"
	"testing"

	"github.com/altosdn/altosdn/topology"
	"github.com/altosdn/altosdn/topology/spf"
	"github.com/altosdn/altosdn/topology/topologytest"
)

// set gives the arc from→to a metric value.
func (n *testNet) set(from, to string, m topology.Metric, v float64) *testNet {
	for i := range n.links {
		l := &n.links[i]
		if l.Key.Local == nodeID(from) && l.Key.Remote == nodeID(to) {
			l.Metrics = l.Metrics.With(m, v, "test")
			return n
		}
	}
	panic("no arc " + from + "->" + to)
}

// perfNet: a reaches d over two equal-cost IGP paths, a-b-d and a-c-e-d,
// whose links carry different delays (asymmetric), losses and bandwidths.
func perfNet() *testNet {
	n := ecmpNet()
	type arc struct {
		from, to               string
		delay, loss, availBits float64
	}
	for _, a := range []arc{
		{"a", "b", 100, 1, 10e9}, {"b", "d", 100, 1, 8e9},
		{"a", "c", 50, 0.5, 5e9}, {"c", "e", 50, 0.5, 20e9}, {"e", "d", 50, 0.5, 20e9},
		{"b", "a", 300, 0, 10e9}, {"d", "b", 300, 0, 10e9},
		{"c", "a", 10, 0, 10e9}, {"e", "c", 10, 0, 10e9}, {"d", "e", 10, 0, 10e9},
	} {
		n.set(a.from, a.to, topology.MetricDelay, a.delay).
			set(a.from, a.to, topology.MetricLoss, a.loss).
			set(a.from, a.to, topology.MetricAvailableBandwidth, a.availBits).
			set(a.from, a.to, topology.MetricMaxBandwidth, 40e9)
	}
	return n
}

func perfConfig(types ...CostType) Config {
	cfg := DefaultConfig()
	cfg.CostTypes = append([]CostType{{Metric: MetricRoutingCost, Mode: ModeNumerical}}, types...)
	return cfg
}

func cost(t *testing.T, m *Maps, metric, src, dst string) (float64, bool) {
	t.Helper()
	for _, c := range m.CostMaps {
		if c.Type.Metric == metric && c.Type.Mode == ModeNumerical {
			i, _ := m.NetworkMap.PIDIndex(src)
			j, _ := m.NetworkMap.PIDIndex(dst)
			return c.Cost(i, j)
		}
	}
	t.Fatalf("no %s cost map", metric)
	return 0, false
}

func TestPerformanceMetrics(t *testing.T) {
	var types []CostType
	for _, metric := range []string{MetricDelayOW, MetricDelayRT, MetricLossRate, MetricBWAvailable, MetricBWResidualMax, MetricTput, MetricHopCount} {
		types = append(types, CostType{Metric: metric, Mode: ModeNumerical})
	}
	m := mustBuild(t, perfNet().graph(t), perfConfig(types...))
	lossAB := 100 * (1 - 0.99*0.99) // a-b-d is the lossier of the equal-cost paths
	tests := []struct {
		metric, src, dst string
		want             float64
		ok               bool
	}{
		// a->d: worst of a-b-d (200 µs) and a-c-e-d (150 µs).
		{MetricDelayOW, "a", "d", 200, true},
		// d->a: worst of d-b-a (600 µs) and d-e-c-a (30 µs).
		{MetricDelayOW, "d", "a", 600, true},
		{MetricDelayOW, "a", "a", 0, true},
		// The forward and the reverse path, which differ.
		{MetricDelayRT, "a", "d", 800, true},
		{MetricDelayRT, "d", "a", 800, true},
		{MetricLossRate, "a", "d", lossAB, true},
		{MetricLossRate, "d", "a", 0, true},
		// Bottleneck in bytes/s: 5 Gbit/s on a-c is the worst path's.
		{MetricBWAvailable, "a", "d", 5e9 / 8, true},
		{MetricBWResidualMax, "a", "d", 40e9 / 8, true},
		// No path has no bottleneck: no self pair for bandwidths.
		{MetricBWAvailable, "a", "a", 0, false},
		{MetricTput, "a", "a", 0, false},
		{MetricTput, "a", "d", math.Round(math.Min(5e9/8, 1460*1.22/(800e-6*math.Sqrt(lossAB/100)))), true},
		{MetricDelayOW, "a", "island", 0, false},
	}
	for _, tc := range tests {
		got, ok := cost(t, m, tc.metric, tc.src, tc.dst)
		if ok != tc.ok || (ok && math.Abs(got-tc.want) > 1e-9*math.Max(1, tc.want)) {
			t.Errorf("%s %s->%s = %v, %v; want %v, %v", tc.metric, tc.src, tc.dst, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMissingMetricOnOneECMPPath(t *testing.T) {
	n := perfNet()
	// e->d loses its delay: one of the two equal-cost paths a->d is unknown,
	// so a->d has no delay rather than the other path's (or 0).
	for i := range n.links {
		if n.links[i].Key.Local == nodeID("e") && n.links[i].Key.Remote == nodeID("d") {
			n.links[i].Metrics[topology.MetricDelay] = topology.Value{}
		}
	}
	m := mustBuild(t, n.graph(t), perfConfig(CostType{Metric: MetricDelayOW, Mode: ModeNumerical}, CostType{Metric: MetricDelayRT, Mode: ModeNumerical}))
	if v, ok := cost(t, m, MetricDelayOW, "a", "d"); ok {
		t.Errorf("a->d delay = %v; want none", v)
	}
	if v, ok := cost(t, m, MetricDelayOW, "d", "a"); !ok || v != 600 {
		t.Errorf("d->a delay = %v, %v; want 600 (its paths are complete)", v, ok)
	}
	if v, ok := cost(t, m, MetricDelayRT, "d", "a"); ok {
		t.Errorf("d->a round trip = %v; want none (the return path lacks a delay)", v)
	}
}

func TestNominalIgnoresMeasurements(t *testing.T) {
	n := perfNet()
	s := topology.NewStore(topology.DefaultConfig(), nil)
	s.Apply(topology.Update{Source: "static", Op: topology.OpReplace, Nodes: n.nodes, Links: n.links, Prefixes: n.prefixes})
	// Telemetry measures a-c busier: 1 Gbit/s available.
	var ac topology.LinkID
	for _, l := range n.links {
		if l.Key.Local == nodeID("a") && l.Key.Remote == nodeID("c") {
			ac = l.ID
		}
	}
	s.Apply(topology.Update{Source: "gnmi", Overlays: []topology.LinkOverlay{{Link: ac,
		Metrics: topology.Metrics{}.With(topology.MetricAvailableBandwidth, 1e9, "gnmi")}}})
	s.Flush()
	est := mustBuild(t, s.Snapshot(), perfConfig(CostType{Metric: MetricBWAvailable, Mode: ModeNumerical}))
	nom := mustBuild(t, s.Snapshot(), perfConfig(CostType{Metric: MetricBWAvailable, Mode: ModeNumerical, Source: SourceNominal}))
	if v, _ := cost(t, est, MetricBWAvailable, "a", "d"); v != 1e9/8 {
		t.Errorf("estimation a->d = %v; want the measured 1 Gbit/s in bytes/s", v)
	}
	if v, _ := cost(t, nom, MetricBWAvailable, "a", "d"); v != 5e9/8 {
		t.Errorf("nominal a->d = %v; want the configured 5 Gbit/s in bytes/s", v)
	}
	if got := nom.CostMaps[1].Type.Context.Source; got != SourceNominal {
		t.Errorf("nominal map advertises cost-source %q", got)
	}
}

func TestTputModel(t *testing.T) {
	if v := tput(1e6, 10000, 0); v != 1e6 {
		t.Errorf("lossless tput = %v; want the bottleneck", v)
	}
	// 10 ms RTT, 1% loss: 1460*1.22/(0.01*0.1) = 1.7812 MB/s.
	if v := tput(1e9, 10000, 1); v != 1781200 {
		t.Errorf("tput = %v; want 1781200", v)
	}
	for _, args := range [][3]float64{{math.NaN(), 1, 1}, {1, math.NaN(), 1}, {1, 1, math.NaN()}, {1, 0, 1}} {
		if v := tput(args[0], args[1], args[2]); !math.IsNaN(v) {
			t.Errorf("tput%v = %v; want no estimate", args, v)
		}
	}
}

func TestCostTypeValidation(t *testing.T) {
	for _, tc := range []struct {
		ct   CostType
		want string
	}{
		{CostType{Metric: "shoesize", Mode: ModeNumerical}, "unsupported cost metric"},
		{CostType{Metric: MetricDelayOW, Mode: "array"}, "unsupported cost mode"},
		{CostType{Metric: MetricRoutingCost, Mode: ModeNumerical, Source: SourceNominal}, "no nominal form"},
		{CostType{Metric: MetricDelayOW, Mode: ModeNumerical, Source: "sla"}, "unknown cost source"},
	} {
		if err := tc.ct.validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v; want %q", tc.ct, err, tc.want)
		}
	}
}

// A delay change on one link changes exactly the pairs whose IGP paths
// cross it.
func TestLinkChangeTouchesOnlyItsPaths(t *testing.T) {
	g0, err := topologytest.Random(60, 3, 11)
	if err != nil {
		t.Fatal(err)
	}
	withDelay := func(bump int) *topology.Graph {
		links := append([]topology.Link(nil), g0.Links()...)
		for i := range links {
			d := float64(10 + i%7)
			if i == bump {
				d += 1e6
			}
			links[i].Metrics = links[i].Metrics.With(topology.MetricDelay, d, "test")
		}
		g, err := topology.NewGraph(g0.Nodes(), links, g0.Prefixes())
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	cfg := perfConfig(CostType{Metric: MetricDelayOW, Mode: ModeNumerical})
	for _, bump := range []int{0, 17, 42} {
		before := mustBuild(t, withDelay(-1), cfg)
		g := withDelay(bump)
		after := mustBuild(t, g, cfg)
		solver := spf.NewSolver(g, spf.MetricWeight(topology.MetricIGP))
		nm := after.NetworkMap
		crossing := 0
		for i, p := range nm.PIDs {
			if len(p.Nodes) == 0 {
				continue
			}
			tree := solver.Run(int(p.Nodes[0]))
			onDAG := dagLinks(tree, g)
			for j, q := range nm.PIDs {
				if len(q.Nodes) == 0 || i == j {
					continue
				}
				b, _ := before.CostMaps[1].Cost(i, j)
				a, _ := after.CostMaps[1].Cost(i, j)
				crosses := onDAG(int(q.Nodes[0]), bump)
				if (a != b) != crosses {
					t.Fatalf("link %d: %s->%s changed %v but crosses %v", bump, p.Name, q.Name, a != b, crosses)
				}
				if crosses {
					crossing++
				}
			}
		}
		if crossing == 0 {
			t.Errorf("link %d is on no path; pick another", bump)
		}
	}
}

// dagLinks reports whether link l lies on some shortest path to node v.
func dagLinks(t *spf.Tree, g *topology.Graph) func(v, l int) bool {
	return func(v, l int) bool {
		seen := map[int]bool{}
		var walk func(int) bool
		walk = func(u int) bool {
			if seen[u] {
				return false
			}
			seen[u] = true
			for _, in := range t.PredLinks(u) {
				if int(in) == l {
					return true
				}
				from, _ := g.LinkEnds(int(in))
				if walk(from) {
					return true
				}
			}
			return false
		}
		return walk(v)
	}
}

// Crossing a LAN is one hop, though it takes two links in the graph: into
// the pseudonode and out of it.
func TestHopCountAcrossLAN(t *testing.T) {
	n := new(testNet).node("a", "10.0.1.0/24").node("b", "10.0.2.0/24").node("lan").node("c", "10.0.3.0/24")
	n.nodes[2].Pseudo = true
	n.link("a", "lan", 5).link("lan", "b", 0).link("b", "c", 5)
	m := mustBuild(t, n.graph(t), perfConfig(CostType{Metric: MetricHopCount, Mode: ModeNumerical}))
	for _, tc := range []struct {
		src, dst string
		want     float64
	}{{"a", "b", 1}, {"b", "a", 1}, {"a", "c", 2}, {"c", "a", 2}} {
		if got, ok := cost(t, m, MetricHopCount, tc.src, tc.dst); !ok || got != tc.want {
			t.Errorf("%s->%s hopcount = %v, %v; want %v", tc.src, tc.dst, got, ok, tc.want)
		}
	}
}
