package spf

import (
	"testing"

	"github.com/altosdn/altosdn/topology"
)

// benchNodes is the size of the cost maps the engine recomputes: one node
// per PID.
const benchNodes = 2000

func benchSolver(b *testing.B) *Solver {
	b.Helper()
	tg := buildGraph(b, benchNodes, connectedLinks(newRand(2000), benchNodes))
	return NewSolver(tg.g, MetricWeight(topology.MetricIGP))
}

func BenchmarkNewSolver(b *testing.B) {
	tg := buildGraph(b, benchNodes, connectedLinks(newRand(2000), benchNodes))
	w := MetricWeight(topology.MetricIGP)
	b.ReportAllocs()
	for b.Loop() {
		NewSolver(tg.g, w)
	}
}

func BenchmarkSolverRun(b *testing.B) {
	s := benchSolver(b)
	b.ReportAllocs()
	src := 0
	for b.Loop() {
		s.Run(src)
		src = (src + 1) % benchNodes
	}
}

// BenchmarkAllPairs2000 is one cost-map recomputation: every source, plus
// a hop-count fold per source. One op is all 2,000 sources.
func BenchmarkAllPairs2000(b *testing.B) {
	s := benchSolver(b)
	hops := HopCount()
	out, ok := make([]float64, benchNodes), make([]bool, benchNodes)
	b.ReportAllocs()
	for b.Loop() {
		for src := range benchNodes {
			s.Run(src).Aggregate(hops, out, ok)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchNodes), "ns/source")
}
