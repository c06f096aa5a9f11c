package bgpls

import (
	"net/netip"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/altosdn/altosdn/topology"
)

// Builders for routes as the converter produces them.

func sysid(n byte) string  { return string([]byte{0, 0, 0, 0, 0, n}) }
func lan(n, c byte) string { return string([]byte{0, 0, 0, 0, 0, n, c}) }
func ospfID(a string) string {
	b := netip.MustParseAddr(a).As4()
	return string(b[:])
}

func desc(rid string) nodeDesc { return nodeDesc{AS: 65000, IGPRouterID: rid} }

func nodeR(p topology.Protocol, d nodeDesc, name string) *route {
	return &route{Kind: kindNode, Protocol: p, Local: d, nodeInfo: &nodeInfo{Name: name}}
}

func linkR(p topology.Protocol, a, b nodeDesc, igp float64, la, ra string) *route {
	r := &route{Kind: kindLink, Protocol: p, Local: a, linkInfo: &linkInfo{Remote: b}}
	if igp >= 0 {
		r.Metrics = r.Metrics.With(topology.MetricIGP, igp, topology.SourceBGPLS)
	}
	if la != "" {
		r.LocalAddr, r.RemoteAddr = netip.MustParseAddr(la), netip.MustParseAddr(ra)
	}
	return r
}

func prefixR(p topology.Protocol, d nodeDesc, pfx string) *route {
	return &route{Kind: kindPrefix, Protocol: p, Local: d, Prefix: netip.MustParsePrefix(pfx)}
}

func unicastR(pfx, nh string) *route {
	return &route{Kind: kindUnicast, Prefix: netip.MustParsePrefix(pfx), NextHop: netip.MustParseAddr(nh)}
}

// ribOf puts routes into a one-peer rib with an established session.
func ribOf(rs ...*route) *rib {
	b := newRIB(1)
	b.sessions[0] = session{up: true, gen: 1}
	for i, r := range rs {
		b.update(0, strconv.Itoa(i), r)
	}
	return b
}

func id(p topology.Protocol, d nodeDesc) topology.NodeID { return nodeKey(p, 0, d).ID() }

func TestDeriveMergesLevelsAndAreas(t *testing.T) {
	l1, l2 := topology.ProtocolISISL1, topology.ProtocolISISL2
	ospf := topology.ProtocolOSPFv2
	area1 := nodeDesc{AS: 65000, IGPRouterID: ospfID("10.0.0.1"), Area: 1}
	area0 := nodeDesc{AS: 65000, IGPRouterID: ospfID("10.0.0.1"), Area: 0}
	tests := []struct {
		name      string
		routes    []*route
		wantNodes []topology.NodeID
		wantLinks int
	}{
		{
			name: "an L1L2 router is one node named after its lowest level",
			routes: []*route{
				nodeR(l1, desc(sysid(1)), "r1"), nodeR(l2, desc(sysid(1)), "r1"),
				nodeR(l2, desc(sysid(2)), "r2"),
				linkR(l1, desc(sysid(1)), desc(sysid(2)), 10, "", ""),
			},
			wantNodes: []topology.NodeID{"isis-l1/0/65000//0000.0000.0001", "isis-l2/0/65000//0000.0000.0002"},
			wantLinks: 1,
		},
		{
			name: "an OSPF ABR in two areas is one node",
			routes: []*route{
				nodeR(ospf, area0, "abr"), nodeR(ospf, area1, "abr"),
			},
			wantNodes: []topology.NodeID{"ospfv2/0/65000//10.0.0.1"},
		},
		{
			name: "the same adjacency at both levels is one link",
			routes: []*route{
				nodeR(l1, desc(sysid(1)), ""), nodeR(l2, desc(sysid(1)), ""),
				nodeR(l1, desc(sysid(2)), ""), nodeR(l2, desc(sysid(2)), ""),
				linkR(l1, desc(sysid(1)), desc(sysid(2)), 10, "10.0.0.1", "10.0.0.2"),
				linkR(l2, desc(sysid(1)), desc(sysid(2)), 20, "10.0.0.1", "10.0.0.2"),
			},
			wantNodes: []topology.NodeID{"isis-l1/0/65000//0000.0000.0001", "isis-l1/0/65000//0000.0000.0002"},
			wantLinks: 1,
		},
		{
			name: "different instances stay apart",
			routes: []*route{
				nodeR(l2, desc(sysid(1)), ""),
				{Kind: kindNode, Protocol: l2, Identifier: 7, Local: desc(sysid(1)), nodeInfo: &nodeInfo{}},
			},
			wantNodes: []topology.NodeID{"isis-l2/0/65000//0000.0000.0001", "isis-l2/7/65000//0000.0000.0001"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := derive(ribOf(tt.routes...))
			var got []topology.NodeID
			for id := range g.nodes {
				got = append(got, id)
			}
			if diff := cmp.Diff(tt.wantNodes, got, sortIDs); diff != "" {
				t.Errorf("nodes (-want +got):\n%s", diff)
			}
			if len(g.links) != tt.wantLinks {
				t.Errorf("%d links; want %d: %v", len(g.links), tt.wantLinks, g.links)
			}
		})
	}
}

var sortIDs = cmp.Transformer("sort", func(in []topology.NodeID) map[topology.NodeID]bool {
	m := map[topology.NodeID]bool{}
	for _, x := range in {
		m[x] = true
	}
	return m
})

func TestDeriveKeepsLowerMetricOfDuplicateAdjacency(t *testing.T) {
	a, b := desc(sysid(1)), desc(sysid(2))
	g := derive(ribOf(
		nodeR(topology.ProtocolISISL2, a, ""), nodeR(topology.ProtocolISISL2, b, ""),
		linkR(topology.ProtocolISISL1, a, b, 30, "10.0.0.1", "10.0.0.2"),
		linkR(topology.ProtocolISISL2, a, b, 20, "10.0.0.1", "10.0.0.2"),
	))
	for _, l := range g.links {
		if v, _ := l.Metrics.Get(topology.MetricIGP); v != 20 {
			t.Errorf("igp metric %v; want the lower, 20", v)
		}
	}
}

func TestDeriveMergesByRouterIDTLV(t *testing.T) {
	rid := netip.MustParseAddr("192.0.2.9")
	isisNode := nodeR(topology.ProtocolISISL2, desc(sysid(9)), "both")
	isisNode.RouterIDv4 = rid
	ospfNode := nodeR(topology.ProtocolOSPFv2, desc(ospfID("192.0.2.9")), "")
	ospfNode.RouterIDv4 = rid
	other := nodeR(topology.ProtocolOSPFv2, desc(ospfID("192.0.2.8")), "")
	link := linkR(topology.ProtocolOSPFv2, desc(ospfID("192.0.2.8")), desc(ospfID("192.0.2.9")), 1, "", "")
	g := derive(ribOf(isisNode, ospfNode, other, link))
	if len(g.nodes) != 2 {
		t.Fatalf("%d nodes; want 2 (IS-IS and OSPF views of 192.0.2.9 merged): %v", len(g.nodes), g.nodes)
	}
	want := id(topology.ProtocolISISL2, desc(sysid(9))) // "isis-l2/..." sorts before "ospfv2/..."
	n, ok := g.nodes[want]
	if !ok || n.Name != "both" || n.RouterIDv4 != rid {
		t.Fatalf("merged node = %+v, %v; want %s named both", n, ok, want)
	}
	for _, l := range g.links {
		if l.Key.Remote != want {
			t.Errorf("link enters %s; want the merged node %s", l.Key.Remote, want)
		}
	}
}

func TestDerivePseudonode(t *testing.T) {
	// r1 and r2 on a LAN whose DIS is r1 (pseudonode 0000.0000.0001.05).
	r1, r2, pn := desc(sysid(1)), desc(sysid(2)), desc(lan(1, 5))
	l2 := topology.ProtocolISISL2
	g := derive(ribOf(
		nodeR(l2, r1, ""), nodeR(l2, r2, ""), nodeR(l2, pn, ""),
		linkR(l2, r1, pn, 10, "", ""), linkR(l2, r2, pn, 15, "", ""),
		linkR(l2, pn, r1, -1, "", ""), linkR(l2, pn, r2, 0, "", ""), // metrics missing or 0
	))
	p := g.nodes[id(l2, pn)]
	if !p.Pseudo || p.Key.RouterID != "0000.0000.0001.05" {
		t.Fatalf("pseudonode = %+v", p)
	}
	for _, l := range g.links {
		v, ok := l.Metrics.Get(topology.MetricIGP)
		if l.Key.Local == p.ID && (!ok || v != 0) {
			t.Errorf("link %s leaves the pseudonode with igp %v set=%v; want 0", l.ID, v, ok)
		}
		if l.Key.Remote == p.ID && v == 0 {
			t.Errorf("link %s enters the pseudonode with igp 0; want the interface cost", l.ID)
		}
	}
}

func TestDeriveOSPFPseudonodeID(t *testing.T) {
	d := nodeDesc{AS: 1, IGPRouterID: ospfID("10.1.4.1") + ospfID("10.1.1.2")}
	if got := d.routerIDText(); got != "10.1.4.1:10.1.1.2" || !d.pseudo() {
		t.Errorf("routerIDText() = %q, pseudo %v", got, d.pseudo())
	}
}

func TestDeriveMultiTopology(t *testing.T) {
	a, b := desc(sysid(1)), desc(sysid(2))
	l2 := topology.ProtocolISISL2
	mt0 := linkR(l2, a, b, 10, "10.0.0.1", "10.0.0.2")
	mt2 := linkR(l2, a, b, 20, "2001:db8::1", "2001:db8::2")
	mt2.MTIDs = []uint16{2}
	g := derive(ribOf(nodeR(l2, a, ""), nodeR(l2, b, ""), mt0, mt2))
	var mts []uint16
	for _, l := range g.links {
		mts = append(mts, l.Key.MTID)
	}
	if len(mts) != 2 || mts[0]+mts[1] != 2 {
		t.Errorf("link MT-IDs %v; want 0 and 2", mts)
	}
}

func TestDerivePrefixDedup(t *testing.T) {
	d := desc(sysid(1))
	l1, l2 := topology.ProtocolISISL1, topology.ProtocolISISL2
	b := ribOf(nodeR(l2, d, ""), prefixR(l1, d, "10.9.0.0/24"), prefixR(l2, d, "10.9.0.0/24"))
	b.setExtras(0, "1", extras{PrefixMetric: topology.Known(30, topology.SourceBGPLS)})
	b.setExtras(0, "2", extras{PrefixMetric: topology.Known(20, topology.SourceBGPLS)})
	g := derive(b)
	if len(g.prefixes) != 1 {
		t.Fatalf("%d prefixes; want 1", len(g.prefixes))
	}
	for _, p := range g.prefixes {
		if p.Metric.V != 20 || p.Node != id(l2, d) {
			t.Errorf("prefix %+v; want metric 20 on %s", p, id(l2, d))
		}
	}
}

func TestDeriveUnicastNextHop(t *testing.T) {
	l2, ospf := topology.ProtocolISISL2, topology.ProtocolOSPFv2
	r1 := nodeR(l2, desc(sysid(1)), "")
	r1.RouterIDv4 = netip.MustParseAddr("192.0.2.1")
	r1.Addresses = []netip.Addr{netip.MustParseAddr("192.0.2.11"), r1.RouterIDv4}
	r2 := nodeR(l2, desc(sysid(2)), "")
	o3 := nodeR(ospf, desc(ospfID("192.0.2.3")), "")
	routes := []*route{
		r1, r2, o3,
		linkR(l2, desc(sysid(2)), desc(sysid(1)), 10, "10.12.0.2", "10.12.0.1"),
		prefixR(l2, desc(sysid(2)), "192.0.2.22/32"),
		prefixR(l2, desc(sysid(2)), "172.16.0.0/16"),
		prefixR(l2, desc(sysid(1)), "10.99.0.0/24"), prefixR(l2, desc(sysid(2)), "10.99.0.0/24"),
		unicastR("198.51.100.0/24", "192.0.2.1"),   // router-ID
		unicastR("198.51.101.0/24", "192.0.2.11"),  // another 1028
		unicastR("198.51.102.0/24", "192.0.2.3"),   // OSPF router-ID
		unicastR("198.51.103.0/24", "10.12.0.2"),   // interface address
		unicastR("198.51.104.0/24", "192.0.2.22"),  // host prefix
		unicastR("198.51.105.0/24", "172.16.4.4"),  // longest match, one owner
		unicastR("198.51.106.0/24", "10.99.0.7"),   // longest match, two owners
		unicastR("198.51.107.0/24", "203.0.113.1"), // nothing
	}
	g := derive(ribOf(routes...))
	want := map[string]topology.NodeID{
		"198.51.100.0/24": id(l2, desc(sysid(1))),
		"198.51.101.0/24": id(l2, desc(sysid(1))),
		"198.51.102.0/24": id(ospf, desc(ospfID("192.0.2.3"))),
		"198.51.103.0/24": id(l2, desc(sysid(2))),
		"198.51.104.0/24": id(l2, desc(sysid(2))),
		"198.51.105.0/24": id(l2, desc(sysid(2))),
	}
	got := map[string]topology.NodeID{}
	for _, p := range g.prefixes {
		if p.Prefix.Addr().As4()[0] == 198 {
			got[p.Prefix.String()] = p.Node
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unicast attachment (-want +got):\n%s", diff)
	}
	if g.unattached != 2 {
		t.Errorf("unattached = %d; want 2", g.unattached)
	}
}

func TestDeriveExtrasAndASLA(t *testing.T) {
	a, b := desc(sysid(1)), desc(sysid(2))
	l2 := topology.ProtocolISISL2
	link := linkR(l2, a, b, 10, "", "")
	link.Metrics = link.Metrics.With(topology.MetricMinDelay, 7, topology.SourceBGPLS)
	r := ribOf(nodeR(l2, a, ""), nodeR(l2, b, ""), link)
	l := &linkExtras{}
	l.RFC8571 = l.RFC8571.With(topology.MetricLoss, 1.5, topology.SourceBGPLS)
	l.ASLA = l.ASLA.With(topology.MetricTE, 99, topology.SourceBGPLS).With(topology.MetricMinDelay, 1, topology.SourceBGPLS)
	l.ASLAAdminGroup, l.ASLAHasAdminGroup = 4, true
	r.setExtras(0, "2", extras{Link: l})
	g := derive(r)
	for _, l := range g.links {
		m := l.Metrics
		for _, c := range []struct {
			k    topology.Metric
			want float64
		}{{topology.MetricLoss, 1.5}, {topology.MetricTE, 99}, {topology.MetricMinDelay, 7}, {topology.MetricIGP, 10}} {
			if v, ok := m.Get(c.k); !ok || v != c.want {
				t.Errorf("%s = %v (set %v); want %v", c.k, v, ok, c.want)
			}
		}
		if l.AdminGroup != 4 {
			t.Errorf("admin group %d; want 4 from ASLA", l.AdminGroup)
		}
	}
}

func TestDiff(t *testing.T) {
	a, b := desc(sysid(1)), desc(sysid(2))
	l2 := topology.ProtocolISISL2
	g1 := derive(ribOf(nodeR(l2, a, "a"), nodeR(l2, b, ""), linkR(l2, a, b, 10, "", "")))
	g2 := derive(ribOf(nodeR(l2, a, "a2"), nodeR(l2, b, "")))
	w, u := diff(g1, g2)
	if w == nil || len(w.Links) != 1 || len(w.Nodes) != 0 {
		t.Errorf("withdraw = %+v; want the link", w)
	}
	if u == nil || len(u.Nodes) != 1 || u.Nodes[0].Name != "a2" {
		t.Errorf("upsert = %+v; want node a renamed", u)
	}
	if w, u := diff(g2, g2); w != nil || u != nil {
		t.Errorf("diff of a graph with itself = %v, %v; want nothing", w, u)
	}
}

func TestDropInvalid(t *testing.T) {
	g := newGraph()
	k := topology.LinkKey{Local: "a", Remote: "b"}
	var m topology.Metrics
	g.links[k.ID()] = topology.Link{ID: k.ID(), Key: k, Metrics: m.With(topology.MetricLoss, 150, "x")}
	n, err := g.dropInvalid()
	if n != 1 || err == nil || len(g.links) != 0 {
		t.Errorf("dropInvalid() = %d, %v; links left %d", n, err, len(g.links))
	}
}

func ipv4(s string) netip.Addr { return netip.MustParseAddr(s) }
