package spf

import (
	"math"
	"slices"
	"testing"

	"github.com/altosdn/altosdn/topology"
)

// floydWarshall returns all-pairs distances over the links w accepts,
// computed without any of the Solver's machinery.
func floydWarshall(g *topology.Graph, w Weight) [][]float64 {
	n := g.NumNodes()
	d := make([][]float64, n)
	for i := range d {
		d[i] = make([]float64, n)
		for j := range d[i] {
			d[i][j] = math.Inf(1)
		}
		d[i][i] = 0
	}
	for l := range g.NumLinks() {
		if c, ok := w(g.Link(l)); ok {
			u, v := g.LinkEnds(l)
			d[u][v] = min(d[u][v], c)
		}
	}
	for k := range n {
		for i := range n {
			for j := range n {
				d[i][j] = min(d[i][j], d[i][k]+d[k][j])
			}
		}
	}
	return d
}

// TestDifferential checks the Solver against Floyd–Warshall on random graphs
// whose small weights make equal-cost paths, zero-cost links and unusable
// links common: many small graphs with integer weights, a few large enough
// to exercise a deep heap, and some with weights in tenths, whose sums are
// inexact in float64 (0.1+0.2 != 0.3) and need the tolerance.
func TestDifferential(t *testing.T) {
	small, large, tenths := 200, 4, 50
	if testing.Short() {
		small, large, tenths = 20, 1, 5
	}
	for seed := range uint64(small + large + tenths) {
		r := newRand(seed)
		n, scale := 2+r.IntN(39), 1.0
		switch {
		case seed >= uint64(small+large):
			scale = 0.1
		case seed >= uint64(small):
			n = 100 + r.IntN(101)
		}
		links := randomLinks(r, n)
		for i := range links {
			if links[i].igp != absent {
				links[i].igp *= scale
			}
		}
		differential(t, seed, buildGraph(t, n, links).g, scale == 1)
	}
}

// differential compares every source's Tree on g with the references.
// exact says whether path sums are exact, as they are for integer weights.
func differential(t *testing.T, seed uint64, g *topology.Graph, exact bool) {
	t.Helper()
	w := MetricWeight(topology.MetricIGP)
	equal := func(a, b float64) bool { return a == b }
	if !exact {
		equal = func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(a, b) }
	}
	n := g.NumNodes()
	d := floydWarshall(g, w)
	s := NewSolver(g, w)
	out, ok := make([]float64, n), make([]bool, n)
	for src := range n {
		tree := s.Run(src)
		want := referenceDAG(g, w, d[src], tree, equal)
		for v := range n {
			got, reach := tree.Dist(v)
			if reach != !math.IsInf(d[src][v], 1) || (reach && !equal(got, d[src][v])) {
				t.Fatalf("seed %d, %d->%d: Dist = %g, %t; Floyd–Warshall says %g", seed, src, v, got, reach, d[src][v])
			}
			if got := tree.PredLinks(v); !slices.Equal(got, want[v]) {
				t.Fatalf("seed %d, %d->%d: PredLinks = %v, want %v", seed, src, v, got, want[v])
			}
		}
		checkOrder(t, tree, n)

		hops := func(int) (float64, bool) { return 1, true }
		tree.Aggregate(HopCount(), out, ok)
		checkAggregate(t, "hop count", seed, src, out, ok, longest(g, src, want, hops))

		delay := func(l int) (float64, bool) { return g.Link(l).Metrics.Get(topology.MetricDelay) }
		tree.Aggregate(Sum(delay), out, ok)
		checkAggregate(t, "delay", seed, src, out, ok, longest(g, src, want, delay))
	}
}

// referenceDAG lists, for each node v, the usable links u->v with
// dist[u]+w equal to dist[v]. Only zero-cost links that go back in settle
// order are left out, as the package documents, to keep the result acyclic.
func referenceDAG(g *topology.Graph, w Weight, dist []float64, tree *Tree, equal func(a, b float64) bool) [][]int32 {
	rank := make([]int, g.NumNodes())
	for k, v := range tree.Order() {
		rank[v] = k
	}
	preds := make([][]int32, g.NumNodes())
	for l := range g.NumLinks() {
		c, ok := w(g.Link(l))
		u, v := g.LinkEnds(l)
		if !ok || math.IsInf(dist[u], 1) || !equal(dist[u]+c, dist[v]) {
			continue
		}
		if c == 0 && rank[u] > rank[v] {
			continue
		}
		preds[v] = append(preds[v], int32(l))
	}
	return preds
}

// pathValue is a reference aggregate: a value and whether it exists.
type pathValue struct {
	v  float64
	ok bool
}

// longest returns, for each node, the largest sum of value over paths in the
// DAG preds from src, by memoised recursion, and whether every link on every
// such path has a value.
func longest(g *topology.Graph, src int, preds [][]int32, value func(int) (float64, bool)) []pathValue {
	memo := make([]*pathValue, g.NumNodes())
	var walk func(v int) pathValue
	walk = func(v int) pathValue {
		if m := memo[v]; m != nil {
			return *m
		}
		res := pathValue{ok: v == src}
		for i, l := range preds[v] {
			u, _ := g.LinkEnds(int(l))
			x, has := value(int(l))
			up := walk(u)
			if !has || !up.ok {
				res = pathValue{}
				break
			}
			if i == 0 || up.v+x > res.v {
				res = pathValue{v: up.v + x, ok: true}
			}
		}
		memo[v] = &res
		return res
	}
	out := make([]pathValue, g.NumNodes())
	for v := range out {
		out[v] = walk(v)
	}
	return out
}

func checkAggregate(t *testing.T, what string, seed uint64, src int, out []float64, ok []bool, want []pathValue) {
	t.Helper()
	for v := range want {
		if ok[v] != want[v].ok || (ok[v] && out[v] != want[v].v) {
			t.Fatalf("seed %d, %d->%d: %s = %g, %t; brute force says %g, %t", seed, src, v, what, out[v], ok[v], want[v].v, want[v].ok)
		}
	}
}
