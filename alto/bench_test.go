package alto

import (
	"fmt"
	"net/netip"
	"strings"
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
	}{{"2000pids/routingcost", routingOnly}, {"2000pids/default-maps", DefaultConfig()}} {
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

// queryBench builds the 2,000-PID maps and the default resources once.
func queryBench(b *testing.B) (*Maps, map[string]Resource) {
	b.Helper()
	cfg := DefaultConfig()
	m, err := Build(syntheticGraph(b, 2000, 4, 1), cfg)
	if err != nil {
		b.Fatal(err)
	}
	rs := map[string]Resource{}
	for _, r := range cfg.Resources() {
		rs[r.ID] = r
	}
	return m, rs
}

// BenchmarkFilteredCostMap10x10 asks for 10×10 PIDs of a 2,000-PID map.
func BenchmarkFilteredCostMap10x10(b *testing.B) {
	m, rs := queryBench(b)
	var srcs, dsts []string
	for i := range 10 {
		srcs = append(srcs, fmt.Sprintf(`"router-%04d"`, i*97))
		dsts = append(dsts, fmt.Sprintf(`"router-%04d"`, i*89+5))
	}
	body := []byte(`{"cost-type":{"cost-metric":"routingcost","cost-mode":"numerical"},"pids":{"srcs":[` +
		strings.Join(srcs, ",") + `],"dsts":[` + strings.Join(dsts, ",") + `]}}`)
	limits := DefaultConfig().Limits
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.FilteredCostMap(rs[FilteredCostMapID], body, limits); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEndpointCost1000x1000 asks for the costs between 1,000 source
// and 1,000 destination endpoints spread over the 2,000 PIDs.
func BenchmarkEndpointCost1000x1000(b *testing.B) {
	m, rs := queryBench(b)
	var srcs, dsts []string
	for i := range 1000 {
		srcs = append(srcs, fmt.Sprintf(`"ipv4:10.%d.%d.%d"`, (2*i)>>8, (2*i)&255, 1+i%250))
		dsts = append(dsts, fmt.Sprintf(`"ipv4:10.%d.%d.%d"`, (2*i+1)>>8, (2*i+1)&255, 1+i%250))
	}
	body := []byte(`{"cost-type":{"cost-metric":"routingcost","cost-mode":"numerical"},"endpoints":{"srcs":[` +
		strings.Join(srcs, ",") + `],"dsts":[` + strings.Join(dsts, ",") + `]}}`)
	limits := DefaultConfig().Limits
	b.ReportAllocs()
	var size int
	for b.Loop() {
		out, err := m.EndpointCost(rs[EndpointCostID], body, netip.Addr{}, limits)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size)/1e6, "MB-response")
}

// withPerfMetrics gives every link of g a delay, a loss and bandwidths.
func withPerfMetrics(tb testing.TB, g *topology.Graph) *topology.Graph {
	tb.Helper()
	links := append([]topology.Link(nil), g.Links()...)
	for i := range links {
		m := links[i].Metrics
		m = m.With(topology.MetricDelay, float64(100+i%900), "bench")
		m = m.With(topology.MetricLoss, float64(i%5)/100, "bench")
		m = m.With(topology.MetricMaxBandwidth, 100e9, "bench")
		m = m.With(topology.MetricAvailableBandwidth, float64(1+i%40)*1e9, "bench")
		links[i].Metrics = m
	}
	out, err := topology.NewGraph(g.Nodes(), links, g.Prefixes())
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// BenchmarkBuildMetrics recomputes the 2,000-PID maps with a growing list
// of numerical metrics. One SPF per source serves them all, so each added
// metric costs an aggregation over the tree plus its encoding, not an SPF.
func BenchmarkBuildMetrics(b *testing.B) {
	g := withPerfMetrics(b, syntheticGraph(b, 2000, 4, 1))
	all := []string{MetricRoutingCost, MetricDelayOW, MetricLossRate, MetricBWAvailable, MetricDelayRT, MetricTput}
	for k := 1; k <= len(all); k++ {
		cfg := DefaultConfig()
		cfg.CostTypes = nil
		for _, m := range all[:k] {
			cfg.CostTypes = append(cfg.CostTypes, CostType{Metric: m, Mode: ModeNumerical})
		}
		b.Run(fmt.Sprintf("%dmetrics", k), func(b *testing.B) {
			for b.Loop() {
				if _, err := Build(g, cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkComputeSeries is the computation alone, without encoding: one
// SPF per source plus, per metric, an aggregation over each tree. Compare
// 1series (the SPF and routingcost) with the others: the step is the cost
// of one more metric.
func BenchmarkComputeSeries(b *testing.B) {
	g := withPerfMetrics(b, syntheticGraph(b, 2000, 4, 1))
	cfg := DefaultConfig()
	pids, _ := assignPIDs(g, cfg.NetworkMap, nil)
	all := []series{{MetricRoutingCost, false}, {MetricDelayOW, false}, {MetricLossRate, false}, {MetricBWAvailable, false}, {MetricHopCount, false}}
	for k := 1; k <= len(all); k++ {
		b.Run(fmt.Sprintf("%dseries", k), func(b *testing.B) {
			for b.Loop() {
				computeSeries(g, pids, all[:k], cfg.NetworkMap.CostAggregation)
			}
		})
	}
}
