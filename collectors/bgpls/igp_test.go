package bgpls_test

import (
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/bgpls/speaker"
	"github.com/altosdn/altosdn/topology"
	"github.com/altosdn/altosdn/topology/spf"
)

// cost returns the IGP shortest-path cost from a to b in the store's graph.
func (h *harness) cost(t *testing.T, a, b topology.NodeID) (float64, bool) {
	t.Helper()
	g := h.store.Snapshot()
	ia, ok1 := g.NodeIndex(a)
	ib, ok2 := g.NodeIndex(b)
	if !ok1 || !ok2 {
		t.Fatalf("unknown node %s or %s", a, b)
	}
	return spf.NewSolver(g, spf.MetricWeight(topology.MetricIGP)).Run(ia).Dist(ib)
}

func both(p topology.Protocol, a, b speaker.NodeDescriptor, ab, ba float64) []speaker.Link {
	mk := func(x, y speaker.NodeDescriptor, metric float64) speaker.Link {
		l := speaker.Link{Protocol: p, Local: x, Remote: y}
		if metric >= 0 {
			l.Metrics = m(float64(topology.MetricIGP), metric)
		}
		return l
	}
	return []speaker.Link{mk(a, b, ab), mk(b, a, ba)}
}

// IS-IS with an L1 area, an L1L2 router and an L2 LAN; OSPF with an ABR
// in areas 0 and 1. Each router is one node, and paths across the LAN
// cost what the routers' interfaces to it cost.
func TestISISMultiLevelOSPFMultiArea(t *testing.T) {
	cfg := config(t)
	spAddr := loopback(t)
	peerFor(&cfg, spAddr, 65001)
	h := start(t, cfg)

	l1 := topology.ProtocolISISL1
	r1, r2, r3, r4, r5 := isis("0000.0000.0001"), isis("0000.0000.0002"), isis("0000.0000.0003"), isis("0000.0000.0004"), isis("0000.0000.0005")
	lan := isis("0000.0000.0003.01") // DIS r3, circuit 1
	var topo speaker.Topology
	topo.Nodes = []speaker.Node{
		{Protocol: l1, Descriptor: r1, Name: "r1"},
		{Protocol: l1, Descriptor: r2, Name: "r2"}, {Protocol: l2, Descriptor: r2, Name: "r2"},
		{Protocol: l2, Descriptor: r3, Name: "r3"}, {Protocol: l2, Descriptor: r4, Name: "r4"},
		{Protocol: l2, Descriptor: r5, Name: "r5"}, {Protocol: l2, Descriptor: lan},
	}
	topo.Links = append(topo.Links, both(l1, r1, r2, 10, 10)...)
	topo.Links = append(topo.Links, both(l2, r2, r3, 20, 20)...)
	topo.Links = append(topo.Links, both(l2, r3, lan, 5, 0)...)
	topo.Links = append(topo.Links, both(l2, r4, lan, 7, 0)...)
	topo.Links = append(topo.Links, both(l2, r5, lan, 9, -1)...) // pseudonode → r5 without a metric

	ospf := topology.ProtocolOSPFv2
	od := func(rid string, area uint32) speaker.NodeDescriptor {
		return speaker.NodeDescriptor{AS: 65002, IGPRouterID: rid, OSPFArea: area}
	}
	topo.Nodes = append(topo.Nodes,
		speaker.Node{Protocol: ospf, Descriptor: od("10.0.0.1", 0), Name: "abr"},
		speaker.Node{Protocol: ospf, Descriptor: od("10.0.0.1", 1), Name: "abr"},
		speaker.Node{Protocol: ospf, Descriptor: od("10.0.0.2", 0)},
		speaker.Node{Protocol: ospf, Descriptor: od("10.0.0.3", 1)},
	)
	topo.Links = append(topo.Links, both(ospf, od("10.0.0.1", 0), od("10.0.0.2", 0), 1, 1)...)
	topo.Links = append(topo.Links, both(ospf, od("10.0.0.1", 1), od("10.0.0.3", 1), 2, 2)...)

	h.speakWith(t, spAddr, 65001, topo, withGR)
	waitFor(t, 20*time.Second, "both IGPs", h.graphHas(6+3, 10+4, 0))

	id := func(p topology.Protocol, rid string) topology.NodeID { return nodeID(p, 65001, rid) }
	g := h.store.Snapshot()
	for _, want := range []topology.NodeID{
		id(l1, "0000.0000.0001"), id(l1, "0000.0000.0002"), id(l2, "0000.0000.0003"),
		nodeID(ospf, 65002, "10.0.0.1"), nodeID(ospf, 65002, "10.0.0.2"), nodeID(ospf, 65002, "10.0.0.3"),
	} {
		if _, ok := g.NodeIndex(want); !ok {
			t.Errorf("no node %s in %v", want, g.Nodes())
		}
	}
	pn, _ := g.NodeIndex(id(l2, "0000.0000.0003.01"))
	if !g.Node(pn).Pseudo {
		t.Errorf("LAN node %+v is not a pseudonode", g.Node(pn))
	}
	for _, c := range []struct {
		from, to topology.NodeID
		want     float64
	}{
		{id(l1, "0000.0000.0001"), id(l2, "0000.0000.0005"), 10 + 20 + 5},
		{id(l2, "0000.0000.0004"), id(l2, "0000.0000.0005"), 7},
		{id(l2, "0000.0000.0005"), id(l1, "0000.0000.0001"), 9 + 20 + 10},
		{nodeID(ospf, 65002, "10.0.0.2"), nodeID(ospf, 65002, "10.0.0.3"), 3},
	} {
		if d, ok := h.cost(t, c.from, c.to); !ok || d != c.want {
			t.Errorf("cost %s → %s = %v (reachable %v); want %v", c.from, c.to, d, ok, c.want)
		}
	}
}

// An IPv6 session carrying IPv6 link addresses, router-IDs, MT-2 prefixes
// and IPv6 unicast routes.
func TestIPv6(t *testing.T) {
	v6 := netip.MustParseAddr("::1")
	cfg := config(t)
	cfg.ListenAddress = v6
	cfg.ListenPort = freePort(t, v6)
	cfg.IPv6Unicast = true
	peerFor(&cfg, v6, 65000)
	h := start(t, cfg)

	a, b := isis("0000.0000.00a1"), isis("0000.0000.00b1")
	rid := netip.MustParseAddr("2001:db8:ffff::a1")
	topo := speaker.Topology{
		Nodes: []speaker.Node{{Protocol: l2, Descriptor: a, RouterIDv6: rid}, {Protocol: l2, Descriptor: b}},
		Links: []speaker.Link{{Protocol: l2, Local: a, Remote: b, MTID: 2,
			LocalAddr: netip.MustParseAddr("2001:db8:12::1"), RemoteAddr: netip.MustParseAddr("2001:db8:12::2"),
			Metrics: m(float64(topology.MetricIGP), 10)}},
		Prefixes: []speaker.Prefix{{Protocol: l2, Node: b, MTID: 2, Prefix: netip.MustParsePrefix("2001:db8:b1::/48")}},
		Routes:   []speaker.Route{{Prefix: netip.MustParsePrefix("2001:db8:cafe::/48"), NextHop: rid}},
	}
	h.speakWith(t, v6, 65000, topo, withGR, func(c *speaker.Config) { c.IPv6Unicast = true })
	waitFor(t, 20*time.Second, "the IPv6 topology", h.graphHas(2, 1, 2))

	g := h.store.Snapshot()
	l := g.Link(0)
	if l.Key.MTID != 2 || l.Key.LocalAddr != netip.MustParseAddr("2001:db8:12::1") {
		t.Errorf("link key %+v; want MT 2 and the IPv6 interface address", l.Key)
	}
	ia, _ := g.NodeIndex(nodeID(l2, 65001, "0000.0000.00a1"))
	if g.Node(ia).RouterIDv6 != rid {
		t.Errorf("node %+v lacks its IPv6 router-ID", g.Node(ia))
	}
	got := map[string]topology.NodeID{}
	for _, p := range g.Prefixes() {
		got[p.Prefix.String()] = p.Node
	}
	want := map[string]topology.NodeID{
		"2001:db8:b1::/48":   nodeID(l2, 65001, "0000.0000.00b1"),
		"2001:db8:cafe::/48": nodeID(l2, 65001, "0000.0000.00a1"), // its next hop is a1's router-ID
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("prefixes %v; want %v", got, want)
	}
}

// Unicast prefixes land on the node their next hop belongs to.
func TestUnicastPrefixes(t *testing.T) {
	cfg := config(t)
	cfg.IPv4Unicast = true
	spAddr := loopback(t)
	peerFor(&cfg, spAddr, 65000) // iBGP keeps the next hops as sent
	h := start(t, cfg)
	topo := square()
	topo.Routes = []speaker.Route{
		{Prefix: netip.MustParsePrefix("198.51.100.0/24"), NextHop: netip.MustParseAddr("192.0.2.3")},
		{Prefix: netip.MustParsePrefix("198.51.101.0/24"), NextHop: netip.MustParseAddr("203.0.113.9")},
	}
	sp := h.speakWith(t, spAddr, 65000, topo, withGR, func(c *speaker.Config) { c.IPv4Unicast = true })
	waitFor(t, 20*time.Second, "the square and one attached route", h.graphHas(4, 8, 5))
	g := h.store.Snapshot()
	for _, p := range g.Prefixes() {
		if p.Prefix.String() == "198.51.100.0/24" && p.Node != nodeID(l2, 65001, "0000.0000.0003") {
			t.Errorf("198.51.100.0/24 on %s; want r3, whose router-ID is its next hop", p.Node)
		}
	}
	if err := sp.Withdraw(speaker.Topology{Routes: topo.Routes[:1]}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "the unicast withdrawal", h.graphHas(4, 8, 4))
}
