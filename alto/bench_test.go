package alto

import (
	"testing"

	"github.com/altosdn/altosdn/topology"
	"github.com/altosdn/altosdn/topology/topologytest"
)

func syntheticGraph(tb testing.TB, n, degree int, seed uint64) *topology.Graph {
	tb.Helper()
	g, err := topologytest.Random(n, degree, seed)
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// BenchmarkBuild measures a full recompute: SPF from every attachment node,
// the network map, the cost maps and their JSON encoding. Run it with
// -cpu 1 for the single-core figure.
func BenchmarkBuild(b *testing.B) {
	g := syntheticGraph(b, 2000, 4, 1)
	routingOnly := DefaultConfig()
	routingOnly.CostTypes = []CostType{{Metric: MetricRoutingCost, Mode: ModeNumerical}}
	for _, bc := range []struct {
		name string
		cfg  Config
	}{{"2000pids/routingcost", routingOnly}, {"2000pids/default-4-maps", DefaultConfig()}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var body int
			for b.Loop() {
				m, err := Build(g, bc.cfg)
				if err != nil {
					b.Fatal(err)
				}
				body = len(m.CostMaps[0].Response.Body)
			}
			b.ReportMetric(float64(body)/1e6, "MB-costmap")
		})
	}
}

func BenchmarkToOrdinal(b *testing.B) {
	g := syntheticGraph(b, 2000, 4, 1)
	cfg := DefaultConfig()
	cfg.CostTypes = cfg.CostTypes[:1]
	m, _ := Build(g, cfg)
	costs := m.CostMaps[0].costs
	b.ReportAllocs()
	for b.Loop() {
		toOrdinal(costs)
	}
}
