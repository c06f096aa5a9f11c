package speaker

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/osrg/gobgp/v4/pkg/packet/bgp"
	"go.uber.org/goleak"

	"github.com/altosdn/altosdn/topology"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestParseIGPRouterID(t *testing.T) {
	tests := []struct {
		in   string
		want []byte
	}{
		{"10.0.0.1", []byte{10, 0, 0, 1}},
		{"0000.0000.0001", []byte{0, 0, 0, 0, 0, 1}},
		{"1921.6800.1001.03", []byte{0x19, 0x21, 0x68, 0, 0x10, 0x01, 3}},
		{"1921.6800.1001-03", []byte{0x19, 0x21, 0x68, 0, 0x10, 0x01, 3}},
		{"10.1.4.1:10.1.1.2", []byte{10, 1, 4, 1, 10, 1, 1, 2}},
		{"r1", nil},
		{"2001:db8::1", nil},
		{"0000.0000", nil},
		{"10.0.0.1:2001:db8::1", nil},
	}
	for _, tt := range tests {
		got, err := ParseIGPRouterID(tt.in)
		if (err != nil) != (tt.want == nil) || !cmp.Equal(got, tt.want) {
			t.Errorf("ParseIGPRouterID(%q) = %x, %v; want %x", tt.in, got, err, tt.want)
		}
	}
}

func TestPathsEncoding(t *testing.T) {
	nh := netip.MustParseAddr("127.0.0.2")
	a := NodeDescriptor{AS: 1, IGPRouterID: "0000.0000.0001"}
	b := NodeDescriptor{AS: 1, IGPRouterID: "0000.0000.0002"}
	var m topology.Metrics
	m = m.With(topology.MetricIGP, 5, "").With(topology.MetricMinDelay, 20, "")
	ps, err := paths(Topology{
		Links:  []Link{{Protocol: topology.ProtocolISISL2, Local: a, Remote: b, Metrics: m, ExtraTLVs: []TLV{{Type: 1117, Value: []byte{0, 0, 0, 1}}}}},
		Routes: []Route{{Prefix: netip.MustParsePrefix("2001:db8::/32"), NextHop: netip.MustParseAddr("2001:db8::1")}},
	}, nh, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || ps[0].Family != bgp.RF_LS || ps[1].Family != bgp.RF_IPv6_UC {
		t.Fatalf("paths %v", ps)
	}
	var ls *bgp.PathAttributeLs
	for _, a := range ps[0].Attrs {
		if x, ok := a.(*bgp.PathAttributeLs); ok {
			ls = x
		}
	}
	b1, err := ls.Serialize()
	if err != nil {
		t.Fatal(err)
	}
	// What the peer decodes: the IGP metric, min and max delay (max taken
	// from min when unset); the raw 1117 is on the wire but GoBGP drops it.
	back := &bgp.PathAttributeLs{}
	if err := back.DecodeFromBytes(b1); err != nil {
		t.Fatal(err)
	}
	x := back.Extract().Link
	if *x.IGPMetric != 5 || x.MinMaxUnidirectionalLinkDelay.MinDelay != 20 || x.MinMaxUnidirectionalLinkDelay.MaxDelay != 20 {
		t.Errorf("decoded link attribute %+v", x)
	}
	if !strings.Contains(string(b1), "\x04\x5d\x00\x04\x00\x00\x00\x01") {
		t.Errorf("raw TLV 1117 missing from %x", b1)
	}

	// Withdrawals carry no BGP-LS attribute.
	ps, _ = paths(Topology{Links: []Link{{Protocol: topology.ProtocolISISL2, Local: a, Remote: b, Metrics: m}}}, nh, true)
	for _, a := range ps[0].Attrs {
		if _, ok := a.(*bgp.PathAttributeLs); ok || !ps[0].Withdrawal {
			t.Error("withdrawal with a BGP-LS attribute")
		}
	}
}

func TestPathsErrors(t *testing.T) {
	good := NodeDescriptor{AS: 1, IGPRouterID: "10.0.0.1"}
	_, err := paths(Topology{
		Nodes: []Node{{Protocol: topology.ProtocolOSPFv2, Descriptor: good}, {Descriptor: NodeDescriptor{AS: 1, IGPRouterID: "x"}}},
		Links: []Link{{Protocol: topology.ProtocolOSPFv2, Local: good, Remote: NodeDescriptor{AS: 1}},
			{Protocol: topology.ProtocolOSPFv2, Local: good, Remote: good, LocalAddr: netip.MustParseAddr("10.0.0.1"), RemoteAddr: netip.MustParseAddr("::1")}},
		Prefixes: []Prefix{{Protocol: topology.ProtocolOSPFv2, Node: good}},
		Routes:   []Route{{Prefix: netip.MustParsePrefix("10.0.0.0/8")}},
	}, netip.MustParseAddr("127.0.0.2"), false)
	for _, want := range []string{"nodes[1]", "links[0]: remote", "links[1]: interface and neighbour", "prefixes[0]: invalid prefix", "routes[0]: next hop"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}

func TestFromTopology(t *testing.T) {
	key := func(id string) topology.NodeKey {
		return topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: id}
	}
	nodes := []topology.Node{
		{ID: key("a").ID(), Key: key("a"), Name: "a", RouterIDv4: netip.MustParseAddr("192.0.2.1")},
		{ID: key("b").ID(), Key: key("b")},
		{ID: key("lan").ID(), Key: key("lan"), Pseudo: true},
	}
	lk := func(a, b string, mod func(*topology.LinkKey)) topology.Link {
		k := topology.LinkKey{Local: key(a).ID(), Remote: key(b).ID()}
		if mod != nil {
			mod(&k)
		}
		return topology.Link{ID: k.ID(), Key: k}
	}
	down := lk("b", "a", nil)
	down.Down = true
	links := []topology.Link{
		lk("a", "b", nil),
		lk("a", "b", func(k *topology.LinkKey) {
			k.LocalAddr, k.RemoteAddr = netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.2")
		}),
		down,
		lk("a", "lan", nil),
	}
	prefixes := []topology.Prefix{{Node: key("b").ID(), Prefix: netip.MustParsePrefix("10.2.0.0/16"), Metric: topology.Known(3, "")}}
	got, err := FromTopology(65001, nodes, links, prefixes)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Nodes) != 3 || len(got.Links) != 3 || len(got.Prefixes) != 1 {
		t.Fatalf("got %d nodes, %d links, %d prefixes; want 3, 3 (the down one left out), 1", len(got.Nodes), len(got.Links), len(got.Prefixes))
	}
	if n := got.Nodes[1]; n.Name != string(key("b").ID()) || n.Descriptor.IGPRouterID != "0000.0000.0002" {
		t.Errorf("node b = %+v", n)
	}
	if d := got.Nodes[2].Descriptor.IGPRouterID; d != "0000.0000.0003.01" {
		t.Errorf("pseudonode LAN ID %q", d)
	}
	if l := got.Links[0]; l.LocalID == 0 || l.RemoteID != 0 {
		t.Errorf("a link without addresses got link IDs %d/%d; want a local ID from its own ID", l.LocalID, l.RemoteID)
	}
	alone, err := FromTopology(65001, nodes, links[:1], nil)
	if err != nil || alone.Links[0].LocalID != got.Links[0].LocalID {
		t.Errorf("a link's identifier depends on the other links passed: %v, %v", alone.Links, err)
	}
	if l := got.Links[1]; l.LocalID != 0 || !l.LocalAddr.IsValid() {
		t.Errorf("a link with addresses = %+v", l)
	}
	if p := got.Prefixes[0]; p.Node.IGPRouterID != "0000.0000.0002" || p.Metric.V != 3 {
		t.Errorf("prefix = %+v", p)
	}
	if _, err := paths(got, netip.MustParseAddr("127.0.0.2"), false); err != nil {
		t.Errorf("FromTopology's output does not encode: %v", err)
	}
	if _, err := FromTopology(1, nodes[:1], links, nil); err == nil {
		t.Error("a link to an unknown node was accepted")
	}
}

func TestNewValidates(t *testing.T) {
	if _, err := New(Config{RouterID: netip.MustParseAddr("::1")}, nil); err == nil {
		t.Error("New accepted a config without ASNs, an IPv6 router-ID and no peer")
	}
	s, err := New(Config{LocalASN: 1, PeerASN: 2, RouterID: netip.MustParseAddr("192.0.2.1"), PeerAddress: netip.MustParseAddr("127.0.0.1")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Advertise(Topology{}); err == nil {
		t.Error("Advertise before Start succeeded")
	}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
}
