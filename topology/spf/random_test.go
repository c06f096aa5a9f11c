package spf

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/altosdn/altosdn/topology"
)

// absent marks a metric a testLink does not carry.
const absent = -1

// testLink describes one directed link of a hand-built graph. Metrics set to
// absent are left unset.
type testLink struct {
	from, to   int
	igp, delay float64
	down       bool
}

// testGraph is a built graph plus the maps from the spec's node and link
// positions to graph indices, which differ because a Graph sorts by ID.
type testGraph struct {
	g    *topology.Graph
	node []int
	link []int
}

func nodeID(i int) topology.NodeID {
	return topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: fmt.Sprintf("n%d", i)}.ID()
}

// buildGraph builds n nodes and the given links; each link gets its own
// LocalIfID so parallel links have distinct IDs.
func buildGraph(tb testing.TB, n int, links []testLink) testGraph {
	tb.Helper()
	nodes := make([]topology.Node, n)
	for i := range nodes {
		id := nodeID(i)
		nodes[i] = topology.Node{ID: id, Key: topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: fmt.Sprintf("n%d", i)}}
	}
	ls := make([]topology.Link, len(links))
	for i, tl := range links {
		key := topology.LinkKey{Local: nodeID(tl.from), Remote: nodeID(tl.to), LocalIfID: uint32(i + 1)}
		var m topology.Metrics
		if tl.igp != absent {
			m = m.With(topology.MetricIGP, tl.igp, "test")
		}
		if tl.delay != absent {
			m = m.With(topology.MetricDelay, tl.delay, "test")
		}
		ls[i] = topology.Link{ID: key.ID(), Key: key, Metrics: m, Down: tl.down}
	}
	g, err := topology.NewGraph(nodes, ls, nil)
	if err != nil {
		tb.Fatalf("NewGraph: %v", err)
	}
	tg := testGraph{g: g, node: make([]int, n), link: make([]int, len(ls))}
	for i := range nodes {
		tg.node[i], _ = g.NodeIndex(nodes[i].ID)
	}
	for i := range ls {
		tg.link[i], _ = g.LinkIndex(ls[i].ID)
	}
	return tg
}

// randomLinks returns up to 3n random directed links with small integer
// IGP metrics, so that equal-cost paths are common; some links have cost 0,
// lack a metric or are down.
func randomLinks(r *rand.Rand, n int) []testLink {
	links := make([]testLink, r.IntN(3*n+1))
	for i := range links {
		from := r.IntN(n)
		to := r.IntN(n - 1)
		if to >= from {
			to++
		}
		l := testLink{from: from, to: to, igp: float64(r.IntN(4)), delay: float64(r.IntN(10))}
		if r.IntN(10) == 0 {
			l.igp = 0
		}
		if r.IntN(10) == 0 {
			l.igp = absent
		}
		if r.IntN(10) == 0 {
			l.delay = absent
		}
		l.down = r.IntN(10) == 0
		links[i] = l
	}
	return links
}

// connectedLinks returns a random connected graph on n nodes with links in
// both directions: a random spanning tree plus n extra node pairs, which
// averages about four links out of each node, as in an IGP area.
func connectedLinks(r *rand.Rand, n int) []testLink {
	links := make([]testLink, 0, 4*n)
	pair := func(a, b int) {
		links = append(links,
			testLink{from: a, to: b, igp: float64(1 + r.IntN(20)), delay: float64(1 + r.IntN(1000))},
			testLink{from: b, to: a, igp: float64(1 + r.IntN(20)), delay: float64(1 + r.IntN(1000))})
	}
	for v := 1; v < n; v++ {
		pair(r.IntN(v), v)
	}
	for range n {
		a, b := r.IntN(n), r.IntN(n-1)
		if b >= a {
			b++
		}
		pair(a, b)
	}
	return links
}

// newRand returns a deterministic generator, so failures reproduce.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }
