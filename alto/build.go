package alto

import (
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"runtime"
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
	// planning, when set, serves property maps and calendars (propmap_planning.go).
	planning *Planning
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
// along them, hopcount the number of hops on them (a LAN crossing counts once), and the RFC 9439 metrics
// aggregate link values along them (see metrics.go). Links that are down or
// lack an IGP metric carry no traffic. Pairs with no path, or with a value
// missing on their path, get no cost rather than a made-up number.
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

	matrices := seriesMatrices(g, nm.PIDs, cfg.CostTypes, cfg.NetworkMap.CostAggregation)

	maps := &Maps{Generation: g.Generation(), NetworkMap: nm, graph: g}
	maps.pidLPM, maps.nodeLPM = buildLPMs(nm.PIDs, owners)
	for _, ct := range cfg.CostTypes {
		costs := matrices[series{ct.Metric, ct.nominal()}]
		if ct.Mode == ModeOrdinal {
			costs = toOrdinal(costs)
		}
		maps.CostMaps = append(maps.CostMaps, newCostMap(ct.withContext(), nm, costs))
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

// seriesMatrices computes every series the cost types need, their inputs
// included: the tree series in one pass of SPFs, then the derived ones.
func seriesMatrices(g *topology.Graph, pids []PID, types []CostType, aggregation string) map[series][]float64 {
	need := map[series]bool{}
	var add func(series)
	add = func(x series) {
		if need[x] {
			return
		}
		need[x] = true
		for _, in := range x.inputs() {
			add(in)
		}
	}
	for _, ct := range types {
		add(series{ct.Metric, ct.nominal()})
	}
	var tree, derived []series
	for x := range need {
		if treeSeries(x.metric) {
			tree = append(tree, x)
		} else {
			derived = append(derived, x)
		}
	}
	matrices := computeSeries(g, pids, tree, aggregation)
	for _, x := range derived {
		matrices[x] = derive(x, len(pids), matrices)
	}
	return matrices
}

// computeSeries returns a dense PID×PID matrix for each tree series.
// Sources are spread over GOMAXPROCS workers; each worker has its own
// solver and buffers and owns whole rows, so no two write the same memory.
// One SPF per source node serves every series.
func computeSeries(g *topology.Graph, pids []PID, ss []series, aggregation string) map[series][]float64 {
	p := len(pids)
	out := make([][]float64, len(ss))
	for i := range out {
		out[i] = make([]float64, p*p)
		for j := range out[i] {
			out[i][j] = math.NaN()
		}
	}
	evals := make([]nodeEval, len(ss))
	for i, s := range ss {
		evals[i] = s.evaluator(g)
	}
	var next atomic.Int64
	workers := min(runtime.GOMAXPROCS(0), max(p, 1))
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newCostWorker(g, p, len(ss), aggregation)
			for {
				a := int(next.Add(1) - 1)
				if a >= p {
					return
				}
				w.row(pids, a, ss, evals, out)
			}
		}()
	}
	wg.Wait()
	m := make(map[series][]float64, len(ss))
	for i, s := range ss {
		m[s] = out[i]
	}
	return m
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
func (w *costWorker) row(pids []PID, a int, ss []series, evals []nodeEval, out [][]float64) {
	p := len(pids)
	for mi, s := range ss {
		if s.additive() {
			out[mi][a*p+a] = 0
		}
		if w.sum != nil {
			clear(w.sum[mi])
			clear(w.count[mi])
		}
	}
	for _, src := range pids[a].Nodes {
		t := w.solver.Run(int(src))
		for mi := range ss {
			evals[mi](t, w.vals[mi], w.oks[mi])
		}
		for b := range pids {
			if b == a {
				continue
			}
			for mi := range ss {
				w.fold(mi, out[mi][a*p:], b, pids[b].Nodes)
			}
		}
	}
	if w.sum != nil {
		for mi := range ss {
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
