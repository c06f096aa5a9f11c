package topology_test

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/altosdn/altosdn/topology"
)

// A collector sends updates; the store publishes immutable snapshots.
func ExampleStore() {
	store := topology.NewStore(topology.DefaultConfig(), nil)
	updates := make(chan topology.Update, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- store.Run(ctx, updates) }()

	_, changed := store.Watch()
	a := topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: "a"}
	b := topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: "b"}
	ab := topology.LinkKey{Local: a.ID(), Remote: b.ID()}
	updates <- topology.Update{
		Source: topology.SourceStatic,
		Op:     topology.OpReplace,
		Nodes:  []topology.Node{{ID: a.ID(), Key: a}, {ID: b.ID(), Key: b}},
		Links: []topology.Link{{ID: ab.ID(), Key: ab,
			Metrics: topology.Metrics{}.With(topology.MetricIGP, 10, topology.SourceStatic)}},
		Prefixes: []topology.Prefix{{Node: b.ID(), Prefix: netip.MustParsePrefix("192.0.2.0/24")}},
	}
	<-changed

	g := store.Snapshot()
	igp, _ := g.Link(0).Metrics.Get(topology.MetricIGP)
	_, hasDelay := g.Link(0).Metrics.Get(topology.MetricDelay)
	fmt.Println(g.NumNodes(), "nodes,", g.NumLinks(), "link, igp", igp, "delay known:", hasDelay)
	cancel()
	<-done
	// Output: 2 nodes, 1 link, igp 10 delay known: false
}
