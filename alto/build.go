package alto

import (
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/altosdn/altosdn/topology"
	"github.com/altosdn/altosdn/topology/spf"
)

// Maps is one consistent set of computed resources: a network map and the
// cost maps that depend on it. It is immutable once published.
type Maps struct {
	// Generation is the topology snapshot the maps were computed from.
	Generation uint64
	ComputedAt time.Time
	Duration   time.Duration // how long the computation took
	NetworkMap *NetworkMap
	CostMaps   []*CostMap // in configuration order

	graph   *topology.Graph
	pidLPM  *LPM // address -> index of its PID in NetworkMap.PIDs
	nodeLPM *LPM // address -> graph index of its attachment node
}

// CostMap returns the cost map with the given resource ID.
func (m *Maps) CostMap(resourceID string) (*CostMap, bool) {
	for _, c := range m.CostMaps {
		if c.ResourceID == resourceID {
			return c, true
		}
	}
	return nil, false
}

// Build derives every resource from a topology snapshot. The costs between
// nodes follow the IGP shortest paths: routingcost is the sum of IGP metrics
// along them and hopcount is the number of links on them (the longest of the
// equal-cost paths). Links that are down or lack an IGP metric carry no
// traffic. Pairs with no path get no cost rather than a made-up number.
func Build(g *topology.Graph, cfg Config) (*Maps, error) {
	start := time.Now()
	var pattern *regexp.Regexp
	if cfg.NetworkMap.Grouping == GroupNamePattern {
		var err error
		if pattern, err = regexp.Compile(cfg.NetworkMap.NamePattern); err != nil {
			return nil, fmt.Errorf("alto: name pattern: %w", err)
		}
	}
	pids, owners := assignPIDs(g, cfg.NetworkMap, pattern)
	nm := newNetworkMap(cfg.NetworkMap.ResourceID, pids)

	var metrics []string
	for _, ct := range cfg.CostTypes {
		if !slices.Contains(metrics, ct.Metric) {
			metrics = append(metrics, ct.Metric)
		}
	}
	pidCosts := computePIDCosts(g, nm.PIDs, metrics, cfg.NetworkMap.CostAggregation)

	maps := &Maps{Generation: g.Generation(), NetworkMap: nm, graph: g}
	maps.pidLPM, maps.nodeLPM = buildLPMs(nm.PIDs, owners)
	for _, ct := range cfg.CostTypes {
		costs := pidCosts[slices.Index(metrics, ct.Metric)]
		if ct.Mode == ModeOrdinal {
			costs = toOrdinal(costs)
		}
		maps.CostMaps = append(maps.CostMaps, newCostMap(ct, nm, costs))
	}
	maps.ComputedAt = time.Now()
	maps.Duration = maps.ComputedAt.Sub(start)
	return maps, nil
}

func buildLPMs(pids []PID, owners map[netip.Prefix]prefixOwner) (pidLPM, nodeLPM *LPM) {
	var pe []LPMEntry
	for i, p := range pids {
		for _, pr := range p.Prefixes {
			pe = append(pe, LPMEntry{Prefix: pr, Value: int32(i)})
		}
	}
	ne := make([]LPMEntry, 0, len(owners))
	for pr, o := range owners {
		ne = append(ne, LPMEntry{Prefix: pr, Value: o.node})
	}
	return NewLPM(pe), NewLPM(ne)
}

// CostMapOf returns the full cost map of a cost type.
func (m *Maps) CostMapOf(ct CostType) (*CostMap, bool) {
	for _, c := range m.CostMaps {
		if c.Type.Key() == ct.Key() {
			return c, true
		}
	}
	return nil, false
}

// nodeMetric fills out[v] for every node reachable in t; ok[v] says whether
// a value exists. Both slices have one entry per graph node.
type nodeMetric func(t *spf.Tree, out []float64, ok []bool)

var nodeMetrics = map[string]nodeMetric{
	MetricRoutingCost: func(t *spf.Tree, out []float64, ok []bool) {
		clear(ok)
		for _, v := range t.Order() {
			out[v], ok[v] = t.Dist(int(v))
		}
	},
	MetricHopCount: func(t *spf.Tree, out []float64, ok []bool) {
		t.Aggregate(spf.HopCount(), out, ok)
	},
}

// computePIDCosts returns, per metric, a dense PID×PID matrix. Sources are
// spread over GOMAXPROCS workers, each with its own solver and buffers; each
// worker owns whole rows, so no two write the same memory.
func computePIDCosts(g *topology.Graph, pids []PID, metrics []string, aggregation string) [][]float64 {
	p := len(pids)
	out := make([][]float64, len(metrics))
	for i := range out {
		out[i] = make([]float64, p*p)
		for j := range out[i] {
			out[i][j] = math.NaN()
		}
	}
	var next atomic.Int64
	workers := min(runtime.GOMAXPROCS(0), max(p, 1))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newCostWorker(g, p, len(metrics), aggregation)
			for {
				a := int(next.Add(1) - 1)
				if a >= p {
					return
				}
				w.row(pids, a, metrics, out)
			}
		}()
	}
	wg.Wait()
	return out
}

type costWorker struct {
	solver      *spf.Solver
	aggregation string
	vals        [][]float64 // per metric, per graph node
	oks         [][]bool
	sum         [][]float64 // per metric, per destination PID (for mean)
	count       [][]int
}

func newCostWorker(g *topology.Graph, pids, metrics int, aggregation string) *costWorker {
	w := &costWorker{solver: spf.NewSolver(g, spf.MetricWeight(topology.MetricIGP)), aggregation: aggregation}
	for range metrics {
		w.vals = append(w.vals, make([]float64, g.NumNodes()))
		w.oks = append(w.oks, make([]bool, g.NumNodes()))
		if aggregation == AggregateMean {
			w.sum = append(w.sum, make([]float64, pids))
			w.count = append(w.count, make([]int, pids))
		}
	}
	return w
}

// row computes the costs from PID a to every PID, for every metric.
func (w *costWorker) row(pids []PID, a int, metrics []string, out [][]float64) {
	p := len(pids)
	for mi := range metrics {
		out[mi][a*p+a] = 0
		if w.sum != nil {
			clear(w.sum[mi])
			clear(w.count[mi])
		}
	}
	for _, src := range pids[a].Nodes {
		t := w.solver.Run(int(src))
		for mi, m := range metrics {
			nodeMetrics[m](t, w.vals[mi], w.oks[mi])
		}
		for b := range pids {
			if b == a {
				continue
			}
			for mi := range metrics {
				w.fold(mi, out[mi][a*p:], b, pids[b].Nodes)
			}
		}
	}
	if w.sum != nil {
		for mi := range metrics {
			for b := range pids {
				if b != a && w.count[mi][b] > 0 {
					out[mi][a*p+b] = w.sum[mi][b] / float64(w.count[mi][b])
				}
			}
		}
	}
}

// fold merges the costs from the current source node to PID b's nodes into
// row[b] under the configured aggregation.
func (w *costWorker) fold(mi int, row []float64, b int, dst []int32) {
	vals, oks := w.vals[mi], w.oks[mi]
	for _, d := range dst {
		if !oks[d] {
			continue
		}
		v := vals[d]
		switch w.aggregation {
		case AggregateMean:
			w.sum[mi][b] += v
			w.count[mi][b]++
		case AggregateMax:
			if math.IsNaN(row[b]) || v > row[b] {
				row[b] = v
			}
		default:
			if math.IsNaN(row[b]) || v < row[b] {
				row[b] = v
			}
		}
	}
}
