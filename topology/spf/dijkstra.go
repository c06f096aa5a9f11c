package spf

import (
	"math"

	"github.com/altosdn/altosdn/topology"
)

// floatTolerance is the relative difference under which two non-integral
// path costs count as equal; see the package documentation.
const floatTolerance = 1e-9

// maxExactSum is the largest total weight for which every path sum of
// integral weights is exact in a float64.
const maxExactSum = 1 << 53

// Solver runs single-source Dijkstra repeatedly on one graph. It keeps the
// usable links in compact adjacency arrays and reuses every buffer (heap,
// distances, predecessor CSR, settle order), so that after the first Run a
// loop over all sources allocates nothing.
//
// A Solver is not safe for concurrent use; make one per goroutine.
type Solver struct {
	tol float64 // relative tolerance for equal cost; 0 means exact

	// Usable links only, as CSR by tail (for relaxing) and by head (for
	// collecting predecessors when a node is settled). Each entry carries
	// what its loop needs in 16 bytes, instead of chasing *Link.
	outOff []int32
	out    []outArc
	inOff  []int32
	in     []inArc

	tent []float64 // tentative distances; Tree.dist holds final ones
	heap minHeap
	tree Tree
}

type outArc struct {
	to   int32
	cost float64
}

type inArc struct {
	from, link int32
	cost       float64
}

// NewSolver prepares shortest-path runs on g, routing by w. It calls w once
// per link; g must not change afterwards, which a snapshot guarantees.
func NewSolver(g *topology.Graph, w Weight) *Solver {
	n, m := g.NumNodes(), g.NumLinks()
	cost := make([]float64, m)
	usable := make([]bool, m)
	integral, sum, used := true, 0.0, 0
	for i := range m {
		c, ok := w(g.Link(i))
		if !ok || c < 0 || math.IsNaN(c) || math.IsInf(c, 0) {
			continue
		}
		if c == 0 {
			c = 0 // turn -0 into +0: the heap orders distances by their bits
		}
		cost[i], usable[i] = c, true
		used++
		sum += c
		integral = integral && c == math.Trunc(c)
	}

	s := &Solver{
		outOff: make([]int32, n+1),
		out:    make([]outArc, used),
		inOff:  make([]int32, n+1),
		in:     make([]inArc, used),
		heap:   newMinHeap(n),
	}
	if !integral || sum > maxExactSum {
		s.tol = floatTolerance
	}
	for i := range m {
		if usable[i] {
			from, to := g.LinkEnds(i)
			s.outOff[from+1]++
			s.inOff[to+1]++
		}
	}
	for v := range n {
		s.outOff[v+1] += s.outOff[v]
		s.inOff[v+1] += s.inOff[v]
	}
	outFill := make([]int32, n)
	inFill := make([]int32, n)
	copy(outFill, s.outOff[:n])
	copy(inFill, s.inOff[:n])
	// Links are visited in index order, so each adjacency list, and hence
	// every PredLinks result, is sorted by link index.
	for i := range m {
		if !usable[i] {
			continue
		}
		from, to := g.LinkEnds(i)
		k := outFill[from]
		s.out[k] = outArc{int32(to), cost[i]}
		outFill[from]++
		k = inFill[to]
		s.in[k] = inArc{int32(from), int32(i), cost[i]}
		inFill[to]++
	}

	t := &s.tree
	s.tent = make([]float64, n)
	t.dist = make([]float64, n)
	t.rank = make([]int32, n)
	for v := range n {
		s.tent[v], t.dist[v], t.rank[v] = math.Inf(1), math.Inf(1), -1
	}
	t.order = make([]int32, 0, n)
	t.predOff = make([]int32, 1, n+1)
	t.preds = make([]int32, 0, used)
	t.predFrom = make([]int32, 0, used)
	return s
}

// Run computes shortest paths from node index src, which must be in
// [0, NumNodes). The returned Tree shares the Solver's buffers: it is valid
// until the next Run and must not be used after it.
func (s *Solver) Run(src int) *Tree {
	t := &s.tree
	// Every node the last run touched was settled, so order lists all
	// entries to reset; untouched ones still hold their initial values.
	inf := math.Inf(1)
	for _, v := range t.order {
		s.tent[v], t.dist[v], t.rank[v] = inf, inf, -1
	}
	t.order = t.order[:0]
	t.predOff = t.predOff[:1]
	t.src = int32(src)

	// preds and predFrom are written through full-length views and a
	// cursor np, so that a candidate is stored unconditionally and kept by
	// advancing np without a branch. There is always room: each link is a
	// candidate once, when its head settles.
	preds, predFrom := t.preds[:cap(t.preds)], t.predFrom[:cap(t.predFrom)]
	np := 0

	h := &s.heap
	s.tent[src] = 0
	h.pushOrDecrease(int32(src), 0)
	for h.len() > 0 {
		v, dv := h.pop()

		// A link u->v is on a shortest path if dist[u]+cost equals dv.
		// Only settled nodes have a finite dist: one settled after v is
		// at least as far away and could reach v only over a zero-cost
		// link, which would close a cycle. dist[u]+cost is recomputed
		// exactly as when u relaxed v and is never below dv, so with
		// tol == 0 this is exact equality.
		limit := math.Float64bits(dv + s.tol*dv)
		for _, a := range s.in[s.inOff[v]:s.inOff[v+1]] {
			preds[np], predFrom[np] = a.link, a.from
			// Bit patterns of non-negative floats order like the values
			// and stay below 2^63, so the difference wraps exactly when
			// the candidate costs more than limit.
			over := (limit - math.Float64bits(t.dist[a.from]+a.cost)) >> 63
			np += int(1 - over)
		}
		t.dist[v] = dv
		t.rank[v] = int32(len(t.order))
		t.order = append(t.order, v)
		t.predOff = append(t.predOff, int32(np))

		// Settled nodes need no test of their own: their tentative
		// distance is at most dv, so nd never improves on it.
		for _, a := range s.out[s.outOff[v]:s.outOff[v+1]] {
			if nd := dv + a.cost; nd < s.tent[a.to] {
				s.tent[a.to] = nd
				h.pushOrDecrease(a.to, nd)
			}
		}
	}
	t.preds, t.predFrom = preds[:np], predFrom[:np]
	return t
}
