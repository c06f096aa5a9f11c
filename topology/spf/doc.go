// Package spf computes shortest paths over an immutable [topology.Graph]
// snapshot: single-source Dijkstra with every equal-cost predecessor kept,
// and folds of per-link values along the resulting equal-cost DAG.
//
// # Ownership
//
// spf owns the path algorithms and nothing else. It imports only the
// standard library and topology; it knows nothing of ALTO, PIDs or cost
// types. The alto package chooses the [Weight] (which metric routes traffic)
// and the [Aggregation] (which metric a cost map reports) and calls in here.
//
// # Weights
//
// A [Weight] is evaluated once per link when a [Solver] is built, because a
// graph never changes. Links it rejects, and links whose weight is negative,
// NaN or infinite, are not used at all: Dijkstra is only correct for
// non-negative weights, and a collector bug must not turn into wrong costs.
// [MetricWeight] rejects links that are Down or lack the metric; an absent
// metric is never read as 0.
//
// # Equal-cost multipath
//
// [Tree.PredLinks] returns every link u->v that lies on some shortest path to
// v, as routers split traffic over all of them. Two path costs are equal
// when:
//
//   - all usable weights are integers whose total is at most 2^53, so every
//     path sum is exact in a float64: exact equality; otherwise
//   - they differ by at most 1e-9 of the larger one, so that delays such as
//     0.1+0.2 and 0.3, equal in arithmetic but not in float64, still count as
//     equal cost.
//
// Links of zero cost between nodes at the same distance could close a cycle.
// To keep the predecessor graph a DAG, a link u->v counts only if u was
// settled before v (see [Tree.Order]); for positive-cost links that is always
// the case.
//
// # Aggregation
//
// [Tree.Aggregate] reports, for each node, the worst value over all
// equal-cost shortest paths from the source: traffic may be hashed onto any
// of them, so only the worst is a bound a client can rely on. If any link on
// any of those paths has no value, the node has no value: reporting the
// other paths' value would silently treat the missing metric as 0.
//
// # Concurrency and cost
//
// Everything here is pure computation: no goroutines, no locks, no I/O. A
// [Solver] reuses its buffers between runs, so it is not safe for concurrent
// use, and a [Tree] lives only until its Solver's next run; since a Graph is
// immutable, any number of Solvers, one per goroutine, may share it.
//
// A cost map needs one run per PID, so [Solver.Run] and [Tree.Aggregate]
// allocate nothing: only [NewSolver] does. bench_test.go measures a
// 2,000-node graph.
package spf
