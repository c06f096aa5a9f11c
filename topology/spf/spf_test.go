package spf

import (
	"math"
	"slices"
	"testing"

	"github.com/altosdn/altosdn/topology"
)

var inf = math.Inf(1)

// specPreds returns PredLinks(v) as positions in the spec's link list,
// sorted, so expectations can be written against the table.
func specPreds(tg testGraph, t *Tree, v int) []int {
	var got []int
	for _, l := range t.PredLinks(tg.node[v]) {
		got = append(got, slices.Index(tg.link, int(l)))
	}
	slices.Sort(got)
	return got
}

func TestRun(t *testing.T) {
	// Links read {from, to, igp, delay, down}; absent leaves a metric unset.
	tests := []struct {
		name  string
		nodes int
		links []testLink
		src   int
		dist  []float64 // by spec node; +Inf when unreachable
		preds [][]int   // by spec node, as spec link positions
	}{
		{
			name:  "line",
			nodes: 3,
			links: []testLink{{0, 1, 1, absent, false}, {1, 2, 2, absent, false}},
			dist:  []float64{0, 1, 3},
			preds: [][]int{nil, {0}, {1}},
		},
		{
			name:  "line from the far end reaches nothing",
			nodes: 3,
			links: []testLink{{0, 1, 1, absent, false}, {1, 2, 2, absent, false}},
			src:   2,
			dist:  []float64{inf, inf, 0},
			preds: [][]int{nil, nil, nil},
		},
		{
			name:  "ring splits at the far node",
			nodes: 4,
			links: []testLink{
				{0, 1, 1, absent, false}, {1, 0, 1, absent, false},
				{1, 2, 1, absent, false}, {2, 1, 1, absent, false},
				{2, 3, 1, absent, false}, {3, 2, 1, absent, false},
				{3, 0, 1, absent, false}, {0, 3, 1, absent, false},
			},
			dist:  []float64{0, 1, 2, 1},
			preds: [][]int{nil, {0}, {2, 5}, {7}},
		},
		{
			name:  "diamond with equal cost",
			nodes: 4,
			links: []testLink{
				{0, 1, 1, absent, false}, {0, 2, 2, absent, false},
				{1, 3, 2, absent, false}, {2, 3, 1, absent, false},
			},
			dist:  []float64{0, 1, 2, 3},
			preds: [][]int{nil, {0}, {1}, {2, 3}},
		},
		{
			name:  "diamond with one cheaper side",
			nodes: 4,
			links: []testLink{
				{0, 1, 1, absent, false}, {0, 2, 2, absent, false},
				{1, 3, 1, absent, false}, {2, 3, 1, absent, false},
			},
			dist:  []float64{0, 1, 2, 2},
			preds: [][]int{nil, {0}, {1}, {2}},
		},
		{
			name:  "parallel links",
			nodes: 2,
			links: []testLink{{0, 1, 1, absent, false}, {0, 1, 1, absent, false}, {0, 1, 2, absent, false}},
			dist:  []float64{0, 1},
			preds: [][]int{nil, {0, 1}},
		},
		{
			name:  "down link is skipped",
			nodes: 3,
			links: []testLink{{0, 1, 1, absent, true}, {0, 2, 1, absent, false}, {2, 1, 5, absent, false}},
			dist:  []float64{0, 6, 1},
			preds: [][]int{nil, {2}, {1}},
		},
		{
			name:  "link without the metric is skipped",
			nodes: 3,
			links: []testLink{{0, 1, absent, 1, false}, {0, 2, 1, absent, false}, {2, 1, 1, absent, false}},
			dist:  []float64{0, 2, 1},
			preds: [][]int{nil, {2}, {1}},
		},
		{
			name:  "unreachable node",
			nodes: 3,
			links: []testLink{{0, 1, 1, absent, false}, {2, 0, 1, absent, false}},
			dist:  []float64{0, 1, inf},
			preds: [][]int{nil, {0}, nil},
		},
		{
			name:  "zero-weight links",
			nodes: 3,
			links: []testLink{{0, 1, 0, absent, false}, {1, 2, 0, absent, false}, {0, 2, 0, absent, false}},
			dist:  []float64{0, 0, 0},
			preds: [][]int{nil, {0}, {1, 2}},
		},
		{
			// 0.1+0.2 != 0.3 in float64, but the paths cost the same.
			name:  "fractional weights tie within tolerance",
			nodes: 3,
			links: []testLink{{0, 1, 0.1, absent, false}, {1, 2, 0.2, absent, false}, {0, 2, 0.3, absent, false}},
			dist:  []float64{0, 0.1, 0.3},
			preds: [][]int{nil, {0}, {1, 2}},
		},
		{
			// The tolerance would merge these; integral sums compare exactly.
			name:  "large integral weights compare exactly",
			nodes: 2,
			links: []testLink{{0, 1, 4e15 + 1, absent, false}, {0, 1, 4e15, absent, false}},
			dist:  []float64{0, 4e15},
			preds: [][]int{nil, {1}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := buildGraph(t, tc.nodes, tc.links)
			tree := NewSolver(tg.g, MetricWeight(topology.MetricIGP)).Run(tg.node[tc.src])
			if got := tree.Source(); got != tg.node[tc.src] {
				t.Errorf("Source() = %d, want %d", got, tg.node[tc.src])
			}
			for v := range tc.nodes {
				d, ok := tree.Dist(tg.node[v])
				if wantOK := !math.IsInf(tc.dist[v], 1); ok != wantOK || (ok && math.Abs(d-tc.dist[v]) > 1e-12) {
					t.Errorf("Dist(n%d) = %g, %t; want %g, %t", v, d, ok, tc.dist[v], wantOK)
				}
				if r := tree.Reachable(tg.node[v]); r != ok {
					t.Errorf("Reachable(n%d) = %t, Dist says %t", v, r, ok)
				}
				if got := specPreds(tg, tree, v); !slices.Equal(got, tc.preds[v]) {
					t.Errorf("PredLinks(n%d) = links %v, want %v", v, got, tc.preds[v])
				}
			}
			checkOrder(t, tree, tc.nodes)
		})
	}
}

// checkOrder checks the invariants of Order: source first, each reachable
// node once, distances non-decreasing, predecessors before successors.
func checkOrder(t *testing.T, tree *Tree, n int) {
	t.Helper()
	order := tree.Order()
	if len(order) == 0 || int(order[0]) != tree.Source() {
		t.Fatalf("Order() = %v, want the source %d first", order, tree.Source())
	}
	pos := make([]int, n)
	for v := range pos {
		pos[v] = -1
	}
	prev := 0.0
	for k, v := range order {
		if pos[v] >= 0 {
			t.Fatalf("Order() lists node %d twice", v)
		}
		pos[v] = k
		d, ok := tree.Dist(int(v))
		if !ok || d < prev {
			t.Fatalf("Order()[%d] = node %d at distance %g (%t) after %g", k, v, d, ok, prev)
		}
		prev = d
	}
	for v := range n {
		if (pos[v] >= 0) != tree.Reachable(v) {
			t.Errorf("node %d: in Order() %t, Reachable %t", v, pos[v] >= 0, tree.Reachable(v))
		}
	}
}

// A zero-cost cycle between two nodes at the same distance would make the
// predecessor graph cyclic; exactly one direction may be kept.
func TestRunZeroCostCycle(t *testing.T) {
	tg := buildGraph(t, 3, []testLink{
		{0, 1, 1, absent, false}, {0, 2, 1, absent, false},
		{1, 2, 0, absent, false}, {2, 1, 0, absent, false},
	})
	tree := NewSolver(tg.g, MetricWeight(topology.MetricIGP)).Run(tg.node[0])
	p1, p2 := specPreds(tg, tree, 1), specPreds(tg, tree, 2)
	ok := slices.Equal(p1, []int{0}) && slices.Equal(p2, []int{1, 2}) ||
		slices.Equal(p1, []int{0, 3}) && slices.Equal(p2, []int{1})
	if !ok {
		t.Errorf("PredLinks(n1) = %v, PredLinks(n2) = %v; want one zero-cost direction kept", p1, p2)
	}
	checkOrder(t, tree, 3)
}

// Rejected weights must not be used, whatever the Weight function says.
func TestRunRejectsInvalidWeights(t *testing.T) {
	tg := buildGraph(t, 2, []testLink{
		{0, 1, 1, absent, false}, {0, 1, 1, absent, false}, {0, 1, 1, absent, false}, {0, 1, 5, absent, false},
	})
	bad := map[int]float64{tg.link[0]: -1, tg.link[1]: math.NaN(), tg.link[2]: math.Inf(1)}
	w := func(l *topology.Link) (float64, bool) {
		i, _ := tg.g.LinkIndex(l.ID)
		if c, ok := bad[i]; ok {
			return c, true
		}
		return l.Metrics.Get(topology.MetricIGP)
	}
	tree := NewSolver(tg.g, w).Run(tg.node[0])
	if d, _ := tree.Dist(tg.node[1]); d != 5 {
		t.Errorf("Dist(n1) = %g, want 5 over the only valid link", d)
	}
}

// The Tree is rebuilt in place: a second run must not see the first's state.
func TestRunReuse(t *testing.T) {
	tg := buildGraph(t, 3, []testLink{{0, 1, 1, absent, false}, {1, 2, 1, absent, false}})
	s := NewSolver(tg.g, MetricWeight(topology.MetricIGP))
	s.Run(tg.node[0])
	tree := s.Run(tg.node[1])
	if tree.Reachable(tg.node[0]) {
		t.Error("n0 reachable from n1 after reuse")
	}
	if d, ok := tree.Dist(tg.node[2]); !ok || d != 1 {
		t.Errorf("Dist(n2) = %g, %t; want 1, true", d, ok)
	}
	if got := specPreds(tg, tree, 1); got != nil {
		t.Errorf("PredLinks(source) = %v, want none", got)
	}
}

func TestRunAllocs(t *testing.T) {
	tg := buildGraph(t, 50, connectedLinks(newRand(1), 50))
	s := NewSolver(tg.g, MetricWeight(topology.MetricIGP))
	out, ok := make([]float64, 50), make([]bool, 50)
	hops := HopCount()
	src := 0
	allocs := testing.AllocsPerRun(100, func() {
		s.Run(src).Aggregate(hops, out, ok)
		src = (src + 1) % 50
	})
	if allocs != 0 {
		t.Errorf("Run+Aggregate allocates %g times per source, want 0", allocs)
	}
}

func TestAggregate(t *testing.T) {
	// Diamond 0->1->3, 0->2->3 of equal IGP cost; the delay (also used as a
	// bandwidth) differs per side.
	diamond := func(d01, d13, d02, d23 float64) []testLink {
		return []testLink{
			{0, 1, 1, d01, false}, {1, 3, 1, d13, false},
			{0, 2, 1, d02, false}, {2, 3, 1, d23, false},
			{3, 4, 1, 1, false},
		}
	}
	delay := func(g *topology.Graph) func(int) (float64, bool) {
		return func(l int) (float64, bool) { return g.Link(l).Metrics.Get(topology.MetricDelay) }
	}
	tests := []struct {
		name  string
		links []testLink
		agg   func(g *topology.Graph) Aggregation
		want  []float64 // by spec node; NaN when no value
	}{
		{
			name:  "sum keeps the worse side",
			links: diamond(10, 10, 5, 30),
			agg:   func(g *topology.Graph) Aggregation { return Sum(delay(g)) },
			want:  []float64{0, 10, 5, 35, 36},
		},
		{
			name:  "missing value on one equal-cost side poisons the join",
			links: diamond(10, 10, 5, absent),
			agg:   func(g *topology.Graph) Aggregation { return Sum(delay(g)) },
			want:  []float64{0, 10, 5, math.NaN(), math.NaN()},
		},
		{
			name:  "hop count",
			links: diamond(absent, absent, absent, absent),
			agg:   func(*topology.Graph) Aggregation { return HopCount() },
			want:  []float64{0, 1, 1, 2, 3},
		},
		{
			name:  "bottleneck keeps the narrower side",
			links: diamond(100, 40, 50, 60),
			agg:   func(g *topology.Graph) Aggregation { return Bottleneck(delay(g)) },
			want:  []float64{inf, 100, 50, 40, 1},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			links := append(tc.links, testLink{5, 0, 1, 1, false}) // n5 is unreachable
			tg := buildGraph(t, 6, links)
			tree := NewSolver(tg.g, MetricWeight(topology.MetricIGP)).Run(tg.node[0])
			out, ok := make([]float64, 6), make([]bool, 6)
			for i := range ok {
				out[i], ok[i] = 42, true // must be overwritten
			}
			tree.Aggregate(tc.agg(tg.g), out, ok)
			want := append(tc.want, math.NaN())
			for v := range 6 {
				got := out[tg.node[v]]
				wantOK := !math.IsNaN(want[v])
				if ok[tg.node[v]] != wantOK || (wantOK && got != want[v]) || (!wantOK && !math.IsNaN(got)) {
					t.Errorf("n%d: got %g, %t; want %g, %t", v, got, ok[tg.node[v]], want[v], wantOK)
				}
			}
		})
	}
}

func TestMetricWeight(t *testing.T) {
	tests := []struct {
		name   string
		link   topology.Link
		want   float64
		wantOK bool
	}{
		{"set", topology.Link{Metrics: topology.Metrics{}.With(topology.MetricTE, 7, "test")}, 7, true},
		{"set to zero", topology.Link{Metrics: topology.Metrics{}.With(topology.MetricTE, 0, "test")}, 0, true},
		{"other metric only", topology.Link{Metrics: topology.Metrics{}.With(topology.MetricIGP, 7, "test")}, 0, false},
		{"down", topology.Link{Metrics: topology.Metrics{}.With(topology.MetricTE, 7, "test"), Down: true}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := MetricWeight(topology.MetricTE)(&tc.link)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("MetricWeight(te) = %g, %t; want %g, %t", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}
