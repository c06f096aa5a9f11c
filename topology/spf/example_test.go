package spf_test

import (
	"fmt"

	"github.com/altosdn/altosdn/topology"
	"github.com/altosdn/altosdn/topology/spf"
)

// diamond builds a -> b -> d and a -> c -> d, both of IGP cost 2, with
// different delays on each side.
func diamond() *topology.Graph {
	id := func(name string) topology.NodeID {
		return topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: name}.ID()
	}
	var nodes []topology.Node
	for _, name := range []string{"a", "b", "c", "d"} {
		nodes = append(nodes, topology.Node{ID: id(name), Name: name})
	}
	link := func(from, to string, delay float64) topology.Link {
		key := topology.LinkKey{Local: id(from), Remote: id(to)}
		m := topology.Metrics{}.
			With(topology.MetricIGP, 1, topology.SourceStatic).
			With(topology.MetricDelay, delay, topology.SourceStatic)
		return topology.Link{ID: key.ID(), Key: key, Metrics: m}
	}
	g, err := topology.NewGraph(nodes, []topology.Link{
		link("a", "b", 100), link("b", "d", 100),
		link("a", "c", 50), link("c", "d", 400),
	}, nil)
	if err != nil {
		panic(err)
	}
	return g
}

func ExampleSolver() {
	g := diamond()
	s := spf.NewSolver(g, spf.MetricWeight(topology.MetricIGP))
	a, _ := g.NodeIndex(topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: "a"}.ID())
	tree := s.Run(a)
	for _, v := range tree.Order() {
		d, _ := tree.Dist(int(v))
		fmt.Printf("%s: igp %g over %d equal-cost link(s)\n", g.Node(int(v)).Name, d, len(tree.PredLinks(int(v))))
	}
	// Output:
	// a: igp 0 over 0 equal-cost link(s)
	// b: igp 1 over 1 equal-cost link(s)
	// c: igp 1 over 1 equal-cost link(s)
	// d: igp 2 over 2 equal-cost link(s)
}

// Traffic from a to d may take either side of the diamond, so the delay to
// report is that of the slower side.
func ExampleTree_Aggregate() {
	g := diamond()
	s := spf.NewSolver(g, spf.MetricWeight(topology.MetricIGP))
	delay := spf.Sum(func(l int) (float64, bool) { return g.Link(l).Metrics.Get(topology.MetricDelay) })
	out, ok := make([]float64, g.NumNodes()), make([]bool, g.NumNodes())
	for src := range g.NumNodes() {
		s.Run(src).Aggregate(delay, out, ok)
		for dst := range g.NumNodes() {
			if ok[dst] && dst != src {
				fmt.Printf("%s -> %s: %g µs\n", g.Node(src).Name, g.Node(dst).Name, out[dst])
			}
		}
	}
	// Output:
	// a -> b: 100 µs
	// a -> c: 50 µs
	// a -> d: 450 µs
	// b -> d: 100 µs
	// c -> d: 400 µs
}
