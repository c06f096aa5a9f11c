package topologytest

import (
	"fmt"
	"math/rand/v2"
	"net/netip"

	"github.com/altosdn/altosdn/topology"
)

// Random builds a connected network of n routers (n ≤ 65,536) whose links
// give each router about degree neighbours, with IGP metrics from 1 to 100
// in both directions. Router i is named router-NNNN and originates
// 10.(i>>8).(i&255).0/24. The same seed gives the same graph.
func Random(n, degree int, seed uint64) (*topology.Graph, error) {
	if n < 1 || n > 1<<16 {
		return nil, fmt.Errorf("topologytest: %d routers; want 1 to 65536", n)
	}
	r := rand.New(rand.NewPCG(seed, 1))
	nodes := make([]topology.Node, n)
	prefixes := make([]topology.Prefix, n)
	for i := range n {
		k := topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: fmt.Sprintf("r%05d", i)}
		nodes[i] = topology.Node{ID: k.ID(), Key: k, Name: fmt.Sprintf("router-%04d", i)}
		prefixes[i] = topology.Prefix{Node: k.ID(), Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24)}
	}
	var links []topology.Link
	add := func(a, b int) {
		w := float64(1 + r.IntN(100))
		for _, d := range [][2]int{{a, b}, {b, a}} {
			k := topology.LinkKey{Local: nodes[d[0]].ID, Remote: nodes[d[1]].ID, LocalIfID: uint32(len(links) + 1)}
			links = append(links, topology.Link{ID: k.ID(), Key: k, Metrics: topology.Metrics{}.With(topology.MetricIGP, w, "test")})
		}
	}
	for i := 1; i < n; i++ { // a random spanning tree keeps it connected
		add(i, r.IntN(i))
	}
	for range n * max(degree-2, 0) / 2 {
		if a, b := r.IntN(n), r.IntN(n); a != b {
			add(a, b)
		}
	}
	return topology.NewGraph(nodes, links, prefixes)
}
