package alto

import (
	"net/netip"
	"testing"

	"github.com/altosdn/altosdn/topology"
)

// testNet builds graphs for tests from a compact description.
type testNet struct {
	nodes    []topology.Node
	links    []topology.Link
	prefixes []topology.Prefix
}

func (n *testNet) node(name string, prefixes ...string) *testNet {
	k := topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: name}
	n.nodes = append(n.nodes, topology.Node{ID: k.ID(), Key: k, Name: name})
	for _, p := range prefixes {
		n.prefixes = append(n.prefixes, topology.Prefix{Node: k.ID(), Prefix: netip.MustParsePrefix(p)})
	}
	return n
}

func (n *testNet) nodeWith(nd topology.Node, prefixes ...string) *testNet {
	nd.ID = nd.Key.ID()
	n.nodes = append(n.nodes, nd)
	for _, p := range prefixes {
		n.prefixes = append(n.prefixes, topology.Prefix{Node: nd.ID, Prefix: netip.MustParsePrefix(p)})
	}
	return n
}

func nodeID(name string) topology.NodeID {
	return topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: name}.ID()
}

// link adds links in both directions with the same IGP metric.
func (n *testNet) link(a, b string, igp float64) *testNet {
	n.arc(a, b, igp)
	return n.arc(b, a, igp)
}

func (n *testNet) arc(a, b string, igp float64) *testNet {
	k := topology.LinkKey{Local: nodeID(a), Remote: nodeID(b), LocalIfID: uint32(len(n.links) + 1)}
	n.links = append(n.links, topology.Link{ID: k.ID(), Key: k, Metrics: topology.Metrics{}.With(topology.MetricIGP, igp, "test")})
	return n
}

func (n *testNet) graph(t testing.TB) *topology.Graph {
	t.Helper()
	g, err := topology.NewGraph(n.nodes, n.links, n.prefixes)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// costs flattens a cost map into {src: {dst: cost}} by PID name.
func costs(c *CostMap) map[string]map[string]float64 {
	out := map[string]map[string]float64{}
	for i, s := range c.pids {
		for j, d := range c.pids {
			if v, ok := c.Cost(i, j); ok {
				if out[s.Name] == nil {
					out[s.Name] = map[string]float64{}
				}
				out[s.Name][d.Name] = v
			}
		}
	}
	return out
}

func mustBuild(t testing.TB, g *topology.Graph, cfg Config) *Maps {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	m, err := Build(g, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func prefixFor(i int) netip.Prefix {
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 24)
}
