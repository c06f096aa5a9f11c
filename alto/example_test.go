package alto_test

import (
	"fmt"
	"net/netip"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/topology"
)

// Build turns a topology snapshot into a network map and cost maps.
func ExampleBuild() {
	var nodes []topology.Node
	var prefixes []topology.Prefix
	for i, name := range []string{"east", "west"} {
		k := topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: name}
		nodes = append(nodes, topology.Node{ID: k.ID(), Key: k, Name: name})
		prefixes = append(prefixes, topology.Prefix{Node: k.ID(), Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i), 0, 0}), 16)})
	}
	var links []topology.Link
	for _, d := range [][2]int{{0, 1}, {1, 0}} {
		k := topology.LinkKey{Local: nodes[d[0]].ID, Remote: nodes[d[1]].ID}
		links = append(links, topology.Link{ID: k.ID(), Key: k, Metrics: topology.Metrics{}.With(topology.MetricIGP, 25, "example")})
	}
	g, _ := topology.NewGraph(nodes, links, prefixes)

	maps, _ := alto.Build(g, alto.DefaultConfig())
	for _, p := range maps.NetworkMap.PIDs {
		fmt.Println(p.Name, p.Prefixes)
	}
	cm, _ := maps.CostMap("costmap-routingcost-numerical")
	east, _ := maps.NetworkMap.PIDIndex("east")
	west, _ := maps.NetworkMap.PIDIndex("west")
	cost, _ := cm.Cost(east, west)
	fmt.Println("east -> west routingcost:", cost)
	// Output:
	// default [0.0.0.0/0 ::/0]
	// east [10.0.0.0/16]
	// west [10.1.0.0/16]
	// east -> west routingcost: 25
}
