package spf

import "math"

// Aggregation describes how to fold a per-link value along shortest paths,
// for example summing delays or taking the minimum bandwidth.
type Aggregation struct {
	// Zero is the value at the source, before any link.
	Zero float64
	// Value returns the value of link index link, or false when the link
	// has none (say, a metric no collector reported).
	Value func(link int) (float64, bool)
	// Combine extends a path's accumulated value acc by one link's value v.
	Combine func(acc, v float64) float64
	// Worse reports whether a is worse than b; of several equal-cost paths
	// the worst one is kept.
	Worse func(a, b float64) bool
}

// Aggregate computes, for every node v, the worst value of a over all
// equal-cost shortest paths from the source, as described in the package
// documentation: out[src] = a.Zero, and for other reachable v, out[v] is the
// worst of a.Combine(out[u], a.Value(l)) over PredLinks(v), l = u->v.
//
// ok[v] is false, and out[v] NaN, when v is unreachable or when any link on
// any equal-cost path to v has no value: a missing value never counts as
// zero. out and ok must have at least NumNodes entries; every one of them is
// written. Aggregate allocates nothing, so it can run once per source.
func (t *Tree) Aggregate(a Aggregation, out []float64, ok []bool) {
	n := len(t.rank)
	out, ok = out[:n], ok[:n]
	nan := math.NaN()
	for v := range n {
		out[v], ok[v] = nan, false
	}
	out[t.src], ok[t.src] = a.Zero, true
	// Order is topological, so out[u] is final before any successor reads it.
	for k := 1; k < len(t.order); k++ {
		var acc float64
		good := true
		for j := t.predOff[k]; j < t.predOff[k+1]; j++ {
			u := t.predFrom[j]
			x, has := a.Value(int(t.preds[j]))
			if !has || !ok[u] {
				good = false
				break
			}
			c := a.Combine(out[u], x)
			if j == t.predOff[k] || a.Worse(c, acc) {
				acc = c
			}
		}
		if good {
			v := t.order[k]
			out[v], ok[v] = acc, true
		}
	}
}

// Sum adds value along each path and keeps the largest total, as for
// delays.
func Sum(value func(link int) (float64, bool)) Aggregation {
	return Aggregation{
		Zero:    0,
		Value:   value,
		Combine: func(acc, v float64) float64 { return acc + v },
		Worse:   func(a, b float64) bool { return a > b },
	}
}

// HopCount counts links along each path and keeps the longest equal-cost
// path.
func HopCount() Aggregation {
	return Sum(func(int) (float64, bool) { return 1, true })
}

// Bottleneck takes the minimum of value along each path and keeps the
// smallest, as for bandwidth. The source itself gets +Inf: no link limits
// an empty path.
func Bottleneck(value func(link int) (float64, bool)) Aggregation {
	return Aggregation{
		Zero:    math.Inf(1),
		Value:   value,
		Combine: func(acc, v float64) float64 { return min(acc, v) },
		Worse:   func(a, b float64) bool { return a < b },
	}
}
