package updates

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/topology"
	"github.com/altosdn/altosdn/topology/topologytest"
)

// benchMaps builds the routingcost map of a 1,700-PID network once.
var benchMaps = sync.OnceValues(func() (*alto.Maps, *topology.Graph) {
	cfg := alto.DefaultConfig()
	cfg.CostTypes = []alto.CostType{{Metric: alto.MetricRoutingCost, Mode: alto.ModeNumerical}}
	g, err := topologytest.Random(1700, 4, 17)
	if err != nil {
		panic(err)
	}
	m, err := alto.Build(g, cfg)
	if err != nil {
		panic(err)
	}
	return m, g
})

func gzipLen(b []byte) int {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	zw.Write(b)
	zw.Close()
	return buf.Len()
}

// BenchmarkCostMapPatch: on a 1,700-PID cost map, a change that alters the
// costs of k pairs; the patch is built from the dense matrices. It reports
// the patch's size (plain and gzip) against the full map's.
func BenchmarkCostMapPatch(b *testing.B) {
	m, _ := benchMaps()
	cm := m.CostMaps[0]
	pids := m.NetworkMap.PIDs
	n := len(pids)
	base := make([][]float64, n)
	for i := range n {
		base[i] = cm.Row(i)
	}
	for _, k := range []int{10, 100, 1000, 10000, 100000} {
		b.Run(fmt.Sprintf("pids=%d/k=%d", n, k), func(b *testing.B) {
			r := rand.New(rand.NewPCG(uint64(k), 1))
			next := make([][]float64, n)
			copy(next, base)
			changed := map[[2]int]bool{}
			for len(changed) < k {
				i, j := r.IntN(n), r.IntN(n)
				if i == j || changed[[2]int{i, j}] || math.IsNaN(base[i][j]) {
					continue
				}
				changed[[2]int{i, j}] = true
				if next[i] == nil || &next[i][0] == &base[i][0] {
					next[i] = slices.Clone(base[i])
				}
				next[i][j] = base[i][j] + float64(1+r.IntN(50))
			}
			var p []byte
			b.ReportAllocs()
			for b.Loop() {
				p = diffMatrices(func(i int) []float64 { return base[i] }, func(i int) []float64 { return next[i] }, pids, nil, len(cm.Response.Body))
			}
			if p == nil {
				b.Fatal("patch larger than the map")
			}
			b.ReportMetric(float64(len(p)), "patch-bytes")
			b.ReportMetric(float64(gzipLen(p)), "patch-gzip-bytes")
			b.ReportMetric(float64(len(cm.Response.Body)), "full-bytes")
		})
	}
}

// BenchmarkOneLinkChange: a real link metric change on the 1,700-PID
// network, the maps rebuilt, and the patch of the routingcost map: the
// number of pairs it changed, the patch's size and the time to build it.
func BenchmarkOneLinkChange(b *testing.B) {
	m, g := benchMaps()
	links := slices.Clone(g.Links())
	// The busiest link: the one whose metric change moves most paths is
	// not known in advance, so take a few and report each.
	for _, li := range []int{0, len(links) / 3, 2 * len(links) / 3} {
		l := links[li]
		ls := slices.Clone(links)
		old, _ := l.Metrics.Get(topology.MetricIGP)
		ls[li].Metrics = l.Metrics.With(topology.MetricIGP, math.Max(1, old/4), "bench")
		g2, err := topology.NewGraph(g.Nodes(), ls, g.Prefixes())
		if err != nil {
			b.Fatal(err)
		}
		cfg := alto.DefaultConfig()
		cfg.CostTypes = []alto.CostType{{Metric: alto.MetricRoutingCost, Mode: alto.ModeNumerical}}
		m2, err := alto.Build(g2, cfg)
		if err != nil {
			b.Fatal(err)
		}
		a, c := m.CostMaps[0], m2.CostMaps[0]
		k := 0
		for i := range a.NumPIDs() {
			ra, rc := a.Row(i), c.Row(i)
			for j := range ra {
				if !sameCost(ra[j], rc[j]) {
					k++
				}
			}
		}
		b.Run(fmt.Sprintf("link%d/pairs=%d", li, k), func(b *testing.B) {
			var p []byte
			for b.Loop() {
				p = diffCostMaps(a, c, m2.NetworkMap.PIDs, len(c.Response.Body))
			}
			b.ReportMetric(float64(len(p)), "patch-bytes")
			b.ReportMetric(float64(len(c.Response.Body)), "full-bytes")
		})
	}
}
