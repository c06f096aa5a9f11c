package spf

import "math"

// Tree holds the shortest paths from one source: distances, the settle
// order and, for each node, every incoming link on an equal-cost shortest
// path. It belongs to the [Solver] that produced it and is overwritten by
// the Solver's next Run. Slices it returns must not be modified.
type Tree struct {
	src  int32
	dist []float64 // final distance once settled, +Inf before
	rank []int32   // position in order; -1 when unreachable

	order []int32 // reachable nodes in settle order

	// Predecessor CSR indexed by rank, not by node, so it can be filled
	// in one pass as nodes settle: the links entering order[k] are
	// preds[predOff[k]:predOff[k+1]], and predFrom holds their tails.
	predOff  []int32
	preds    []int32
	predFrom []int32
}

// Source returns the node index the paths start from.
func (t *Tree) Source() int { return int(t.src) }

// Dist returns the shortest-path cost to node v, or +Inf and false when v
// is unreachable.
func (t *Tree) Dist(v int) (float64, bool) {
	if t.rank[v] < 0 {
		return math.Inf(1), false
	}
	return t.dist[v], true
}

// Reachable reports whether some usable path leads from the source to v.
func (t *Tree) Reachable(v int) bool { return t.rank[v] >= 0 }

// PredLinks returns the indices of all links entering v that lie on an
// equal-cost shortest path, sorted by link index. It is empty for the source
// and for unreachable nodes.
func (t *Tree) PredLinks(v int) []int32 {
	k := t.rank[v]
	if k < 0 {
		return nil
	}
	return t.preds[t.predOff[k]:t.predOff[k+1]]
}

// Order returns the reachable nodes in the order they were settled, the
// source first. Distances never decrease along it, and every predecessor of
// a node comes before the node, so it is a topological order of the
// equal-cost DAG.
func (t *Tree) Order() []int32 { return t.order }
