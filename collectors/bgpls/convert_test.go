package bgpls

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/osrg/gobgp/v4/pkg/apiutil"
	"github.com/osrg/gobgp/v4/pkg/packet/bgp"

	"github.com/altosdn/altosdn/collectors/bgpls/rawbgp"
	"github.com/altosdn/altosdn/topology"
)

var cmpRoute = cmp.Options{
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
	cmp.Comparer(func(a, b netip.Prefix) bool { return a == b }),
	cmp.Comparer(closeEnough),
	cmp.AllowUnexported(route{}),
}

// Decoders for each kind of vector file; each returns GoBGP paths as the
// watch callback would see them.

func updatePaths(t *testing.T, b []byte) []*apiutil.Path {
	t.Helper()
	m, err := bgp.ParseBGPMessage(b)
	if err != nil {
		t.Fatalf("parse update: %v", err)
	}
	u := m.Body.(*bgp.BGPUpdate)
	return mpReachPaths(t, u.PathAttributes)
}

func mpReachPaths(t *testing.T, attrs []bgp.PathAttributeInterface) []*apiutil.Path {
	t.Helper()
	var ps []*apiutil.Path
	for _, a := range attrs {
		if mp, ok := a.(*bgp.PathAttributeMpReachNLRI); ok {
			for _, n := range mp.Value {
				ps = append(ps, &apiutil.Path{Family: bgp.RF_LS, Nlri: n.NLRI, Attrs: attrs})
			}
		}
	}
	if len(ps) == 0 {
		t.Fatal("no mp_reach nlri")
	}
	return ps
}

func nlriPaths(t *testing.T, b []byte) []*apiutil.Path {
	t.Helper()
	n, err := bgp.NLRIFromSlice(bgp.RF_LS, b)
	if err != nil {
		t.Fatalf("decode nlri: %v", err)
	}
	return []*apiutil.Path{{Family: bgp.RF_LS, Nlri: n}}
}

func nlriValue(typ uint16) func(*testing.T, []byte) []*apiutil.Path {
	return func(t *testing.T, b []byte) []*apiutil.Path {
		h := binary.BigEndian.AppendUint16(nil, typ)
		h = binary.BigEndian.AppendUint16(h, uint16(len(b)))
		return nlriPaths(t, append(h, b...))
	}
}

func addPathNLRI(t *testing.T, b []byte) []*apiutil.Path { return nlriPaths(t, b[4:]) }

func mpReachAttr(t *testing.T, b []byte) []*apiutil.Path {
	t.Helper()
	a, err := bgp.GetPathAttribute(b)
	if err == nil {
		err = a.DecodeFromBytes(b)
	}
	if err != nil {
		t.Fatalf("decode mp_reach: %v", err)
	}
	return mpReachPaths(t, []bgp.PathAttributeInterface{a})
}

func isisD(as uint32, id ...byte) nodeDesc { return nodeDesc{AS: as, IGPRouterID: string(id)} }

func linkRoute(r route, li linkInfo) *route {
	r.Kind, r.linkInfo = kindLink, &li
	return &r
}

func nodeRoute(r route, ni nodeInfo) *route {
	r.Kind, r.nodeInfo = kindNode, &ni
	return &r
}

func TestConvertRealVectors(t *testing.T) {
	l1, l2, ospf := topology.ProtocolISISL1, topology.ProtocolISISL2, topology.ProtocolOSPFv2
	addr := netip.MustParseAddr
	tests := []struct {
		file   string
		decode func(*testing.T, []byte) []*apiutil.Path
		want   *route
	}{
		{
			file: "yabgp_isis_l2_link_2adjsid.update.hex", decode: updatePaths,
			want: linkRoute(route{Protocol: l2, Local: isisD(65534, 0, 0, 0, 0, 0, 1)}, linkInfo{Remote: isisD(65534, 0, 0, 0, 0, 0, 3),
				LocalAddr: addr("1.3.0.1"), RemoteAddr: addr("1.3.0.2"),
				Metrics: metrics(topology.MetricTE, 10, topology.MetricIGP, 10)}),
		},
		{
			file: "yabgp_isis_l2_link_reverse.nlri.hex", decode: nlriPaths,
			want: linkRoute(route{Protocol: l2, Local: isisD(65534, 0, 0, 0, 0, 0, 3)}, linkInfo{Remote: isisD(65534, 0, 0, 0, 0, 0, 1),
				LocalAddr: addr("1.3.0.2"), RemoteAddr: addr("1.3.0.1")}),
		},
		{
			file: "exabgp_ospf_link_to_pseudonode.update.hex", decode: updatePaths,
			want: linkRoute(route{Protocol: ospf, Local: nodeDesc{AS: 65001, IGPRouterID: "\x0a\x01\x01\x01"}},
				linkInfo{Remote: nodeDesc{AS: 65001, IGPRouterID: "\x0a\x01\x04\x01\x0a\x01\x01\x02"},
					LocalAddr: addr("10.1.1.1"), RemoteAddr: addr("10.1.1.2"),
					Metrics: metrics(topology.MetricIGP, 1)}),
		},
		{
			file: "exabgp_isis_l2_link_as3352_rr.update.hex", decode: updatePaths,
			want: linkRoute(route{Protocol: l2, Identifier: 2, Local: nodeDesc{AS: 3352, BGPLSID: 178, IGPRouterID: "\x19\x21\x68\x25\x22\x40"}},
				linkInfo{Remote: nodeDesc{AS: 3352, BGPLSID: 178, IGPRouterID: "\x19\x21\x68\x25\x21\x62"},
					LocalAddr: addr("192.168.199.84"), RemoteAddr: addr("192.168.199.85"),
					Metrics: metrics(topology.MetricIGP, 5000)}),
		},
		{
			file: "exabgp_junos_isis_l2_link_te_adjsid.update.hex", decode: updatePaths,
			want: linkRoute(route{Protocol: l2, Local: isisD(0, 0, 1, 0, 0, 0, 1)}, linkInfo{Remote: isisD(0, 0, 1, 0, 0, 0, 2),
				LocalAddr: addr("10.0.0.0"), RemoteAddr: addr("10.0.0.1"),
				Metrics: metrics(topology.MetricMaxBandwidth, 1e9, topology.MetricMaxReservableBandwidth, 1e9,
					topology.MetricUnreservedBandwidth, 1e9, topology.MetricTE, 20, topology.MetricIGP, 10)}),
		},
		{
			file: "exabgp_isis_l2_srv6_link_rfc8571_asla.update.hex", decode: updatePaths,
			want: linkRoute(route{Protocol: l2, Local: isisD(138384, 0, 0, 0, 0, 0, 0x15), MTIDs: []uint16{2}},
				linkInfo{Remote: isisD(138384, 0, 3, 0, 0, 0, 9), LocalID: 39, RemoteID: 53,
					Metrics: metrics(topology.MetricMaxBandwidth, 1e10, topology.MetricIGP, 10, topology.MetricDelay, 10,
						topology.MetricMinDelay, 10, topology.MetricMaxDelay, 10, topology.MetricDelayVariation, 0)}),
		},
		{
			file: "exabgp_isis_l2_srv6_lan_endx.update.hex", decode: updatePaths,
			want: linkRoute(route{Protocol: l2, Local: isisD(12322, 0, 0, 0, 0, 0, 0x13), MTIDs: []uint16{2}},
				linkInfo{Remote: isisD(12322, 0, 0, 0, 0, 0, 0x14, 3), LocalID: 16,
					Metrics: metrics(topology.MetricMaxBandwidth, 1e9, topology.MetricIGP, 1000)}),
		},
		{
			file: "exabgp_isis_l1_node_ixr_r6.update.hex", decode: updatePaths,
			want: nodeRoute(route{Protocol: l1, Identifier: 4, Local: nodeDesc{AS: 64531, BGPLSID: 139, IGPRouterID: "\x19\x21\x68\x25\x12\x31"}},
				nodeInfo{Name: "HL5MMT1-107-IXR-R6", RouterIDv4: addr("192.168.251.231"),
					Addresses: []netip.Addr{addr("192.168.175.49"), addr("192.168.175.51"), addr("192.168.251.231")}}),
		},
		{
			file: "exabgp_isis_l2_node_sr_as15924.update.hex", decode: updatePaths,
			want: nodeRoute(route{Protocol: l2, Identifier: 700, Local: isisD(15924, 1, 1, 0x34, 0, 0, 0x41)},
				nodeInfo{Name: "router", RouterIDv4: addr("10.134.0.41"), Addresses: []netip.Addr{addr("10.134.0.41")}}),
		},
		{
			file: "exabgp_isis_l2_prefixv4_as15924.update.hex", decode: updatePaths,
			want: &route{Kind: kindPrefix, Protocol: l2, Identifier: 700, Local: isisD(15924, 1, 1, 0x35, 0, 0, 0x41),
				Prefix: netip.MustParsePrefix("10.134.2.88/30")},
		},
		{
			file: "exabgp_ospf_link_as1.nlri.hex", decode: nlriPaths,
			want: linkRoute(route{Protocol: ospf, Local: nodeDesc{AS: 1, BGPLSID: 3232266878, IGPRouterID: "\x0a\x0a\x0a\x0a"}},
				linkInfo{Remote: nodeDesc{AS: 1, BGPLSID: 3232266878, IGPRouterID: "\x0a\x02\x02\x02"}}),
		},
		{
			file: "gobmp_isis_l2_link_as5070.nlri-value.hex", decode: nlriValue(2),
			want: linkRoute(route{Protocol: l2, Local: isisD(5070, 0, 0, 0, 0, 0, 0x91)}, linkInfo{Remote: isisD(5070, 0, 0, 0, 0, 0, 0x93),
				LocalAddr: addr("9.0.103.1"), RemoteAddr: addr("9.0.103.2")}),
		},
		{
			file: "gobmp_isis_l2_prefixv4_as5070.nlri-value.hex", decode: nlriValue(3),
			want: &route{Kind: kindPrefix, Protocol: l2, Local: isisD(5070, 0, 0, 0, 0, 0, 0x93), Prefix: netip.MustParsePrefix("9.0.203.0/24")},
		},
		{
			file: "gobmp_isis_l2_prefixv6_mt2_as5070.nlri-value.hex", decode: nlriValue(4),
			want: &route{Kind: kindPrefix, Protocol: l2, Local: isisD(5070, 0, 0, 0, 0, 0, 0x93), MTIDs: []uint16{2},
				Prefix: netip.MustParsePrefix("90:34::/120")},
		},
		{
			file: "gobmp_iosxr_addpath_isis_l1_link.nlri-addpath.hex", decode: addPathNLRI,
			want: linkRoute(route{Protocol: l1, Identifier: 32, Local: isisD(65002, 0x01, 0x68, 0x02, 0x54, 0x00, 0x11)},
				linkInfo{Remote: isisD(65002, 0x01, 0x68, 0x02, 0x54, 0x00, 0x01),
					LocalAddr: addr("192.168.66.1"), RemoteAddr: addr("192.168.66.2")}),
		},
		{
			file: "yabgp_ospf_prefixv4_as401.mp-reach-attr14.hex", decode: mpReachAttr,
			want: &route{Kind: kindPrefix, Protocol: ospf,
				Local:         nodeDesc{AS: 401, BGPLSID: 0x29292929, IGPRouterID: "\x5b\x5b\x5b\x5b"},
				OSPFRouteType: 1, Prefix: netip.MustParsePrefix("100.12.0.0/24")},
		},
		{
			file: "yabgp_isis_l2_prefixv6_mt2_inst65000.mp-reach-attr14.hex", decode: mpReachAttr,
			want: &route{Kind: kindPrefix, Protocol: l2, Identifier: 65000, Local: isisD(65000, 0, 0, 0, 0, 0, 5),
				MTIDs: []uint16{2}, Prefix: netip.MustParsePrefix("fd00::1502/128")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ps := tt.decode(t, vector(t, tt.file))
			if len(ps) != 1 {
				t.Fatalf("%d paths; want 1", len(ps))
			}
			key, got, err := convertPath(ps[0])
			if err != nil {
				t.Fatal(err)
			}
			if key == "" {
				t.Error("empty key")
			}
			if diff := cmp.Diff(tt.want, got, cmpRoute); diff != "" {
				t.Errorf("route (-want +got):\n%s", diff)
			}
		})
	}
}

// Area survives conversion but is not part of node identity.
func TestConvertOSPFArea(t *testing.T) {
	ps := updatePaths(t, vector(t, "exabgp_ospf_link_to_pseudonode.update.hex"))
	_, r, err := convertPath(ps[0])
	if err != nil {
		t.Fatal(err)
	}
	if r.Local.Area != 0 || r.Remote.routerIDText() != "10.1.4.1:10.1.1.2" || !r.Remote.pseudo() {
		t.Errorf("descriptors %+v / %+v", r.Local, r.Remote)
	}
}

func TestConvertUnsupportedSRv6SID(t *testing.T) {
	ps := nlriValue(6)(t, vector(t, "gobmp_isis_l2_srv6_sid_as5070.nlri-value.hex"))
	if _, _, err := convertPath(ps[0]); !errors.Is(err, errUnsupported) {
		t.Errorf("err = %v; want errUnsupported", err)
	}
}

// Attribute-only vectors, applied to a link or node NLRI.
func TestConvertAttributeVectors(t *testing.T) {
	tests := []struct {
		file string
		kind kind
		want *route
	}{
		{"gobmp_xrd02_node.attr29.hex", kindNode, nodeRoute(route{}, nodeInfo{Name: "xrd02"})},
		{"yabgp_xrv612_node_name.attr29.hex", kindNode, nodeRoute(route{}, nodeInfo{Name: "xrv612"})},
		{"gobmp_xrd_link_srv6_endx.attr29.hex", kindLink, linkRoute(route{}, linkInfo{
			Metrics: metrics(topology.MetricMaxBandwidth, 1e9, topology.MetricIGP, 10)})},
		{"yabgp_isis_link_te_2adjsid.attr29.hex", kindLink, linkRoute(route{}, linkInfo{
			Metrics: metrics(topology.MetricMaxBandwidth, 1e9, topology.MetricMaxReservableBandwidth, 0,
				topology.MetricUnreservedBandwidth, 0, topology.MetricTE, 10, topology.MetricIGP, 10)})},
		{"yabgp_link_rfc8571_delay_loss_bw.attr29.hex", kindLink, linkRoute(route{}, linkInfo{
			Metrics: metrics(topology.MetricMaxBandwidth, 1e9, topology.MetricMaxReservableBandwidth, 0,
				topology.MetricUnreservedBandwidth, 0, topology.MetricTE, 1, topology.MetricIGP, 1,
				topology.MetricDelay, 1e6, topology.MetricMinDelay, 1e6, topology.MetricMaxDelay, 1e6,
				topology.MetricDelayVariation, 0)})},
		{"yabgp_srv6_endx_ua.attr29.hex", kindLink, linkRoute(route{}, linkInfo{})},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ls := decodeAttr29(t, vector(t, tt.file))
			got := &route{Kind: tt.kind}
			applyLsAttr(got, ls)
			if diff := cmp.Diff(tt.want, got, cmpRoute); diff != "" {
				t.Errorf("route (-want +got):\n%s", diff)
			}
			if _, err := decodeExtras(vector(t, tt.file)); err != nil {
				t.Errorf("decodeExtras: %v", err)
			}
		})
	}
}

func decodeAttr29(t *testing.T, v []byte) *bgp.PathAttributeLs {
	t.Helper()
	b := append([]byte{0x90, 29}, binary.BigEndian.AppendUint16(nil, uint16(len(v)))...)
	b = append(b, v...)
	ls := &bgp.PathAttributeLs{}
	if err := ls.DecodeFromBytes(b); err != nil {
		t.Fatalf("decode attribute: %v", err)
	}
	return ls
}

// The single-TLV vectors hold SR and Flex-Algo data the collector does not
// use: they must decode cleanly and contribute nothing.
func TestConvertTLVValueVectors(t *testing.T) {
	for _, c := range []struct {
		file string
		typ  uint16
	}{
		{"gobmp_iosxr_srv6_endx_algo128.tlv1106-value.hex", 1106},
		{"gobmp_real_fad128_exclude_any.tlv1039-value.hex", 1039},
		{"gobmp_real_sr_capabilities_isis.tlv1034-value.hex", 1034},
		{"gobmp_real_sr_local_block.tlv1036-value.hex", 1036},
	} {
		t.Run(c.file, func(t *testing.T) {
			v := vector(t, c.file)
			tlv := append(binary.BigEndian.AppendUint16(nil, c.typ), binary.BigEndian.AppendUint16(nil, uint16(len(v)))...)
			tlv = append(tlv, v...)
			decodeAttr29(t, tlv)
			x, err := decodeExtras(tlv)
			if err != nil || !x.empty() {
				t.Errorf("decodeExtras = %+v, %v; want nothing", x, err)
			}
		})
	}
}

// Every NLRI vector together: the yabgp link and its reverse pair up
// between the same two nodes, and nothing is lost or merged by mistake.
func TestDeriveRealVectors(t *testing.T) {
	b := newRIB(1)
	b.sessions[0] = session{up: true, gen: 1}
	for _, f := range []struct {
		file   string
		decode func(*testing.T, []byte) []*apiutil.Path
	}{
		{"yabgp_isis_l2_link_2adjsid.update.hex", updatePaths},
		{"yabgp_isis_l2_link_reverse.nlri.hex", nlriPaths},
	} {
		for _, p := range f.decode(t, vector(t, f.file)) {
			key, r, err := convertPath(p)
			if err != nil {
				t.Fatal(err)
			}
			b.update(0, key, r)
		}
	}
	g := derive(b)
	if len(g.links) != 2 {
		t.Fatalf("%d links; want 2", len(g.links))
	}
	ends := map[topology.NodeID]int{}
	for _, l := range g.links {
		ends[l.Key.Local]++
		ends[l.Key.Remote]++
	}
	if len(ends) != 2 {
		t.Errorf("links touch %d nodes; want the same 2: %v", len(ends), ends)
	}
}

// Protocols other than the IGPs go through the same conversion: BGP (EPE,
// RFC 9086) nodes are named by BGP router-ID and AS, Direct and Static by
// whatever router-ID the producer uses.
func TestConvertOtherProtocols(t *testing.T) {
	local := rawbgp.NodeDesc{AS: 65000, BGPRouterID: netip.MustParseAddr("192.0.2.1")}
	peer := rawbgp.NodeDesc{AS: 65099, BGPRouterID: netip.MustParseAddr("198.51.100.9")}
	direct := rawbgp.NodeDesc{AS: 65000, IGPRouterID: []byte{192, 0, 2, 1}}
	b := newRIB(1)
	b.sessions[0] = session{up: true, gen: 1}
	for _, n := range [][]byte{
		rawbgp.NodeNLRI(7, 0, local), rawbgp.NodeNLRI(7, 0, peer),
		rawbgp.LinkNLRI(7, 0, local, peer, rawbgp.InterfaceAddr(netip.MustParseAddr("203.0.113.1")), rawbgp.NeighborAddr(netip.MustParseAddr("203.0.113.2"))),
		rawbgp.NodeNLRI(4, 0, direct),
		rawbgp.PrefixNLRI(5, 0, direct, netip.MustParsePrefix("10.5.0.0/16")),
	} {
		key, r, err := convertPath(nlriPaths(t, n)[0])
		if err != nil {
			t.Fatal(err)
		}
		b.update(0, key, r)
	}
	g := derive(b)
	bgpID := topology.NodeKey{Protocol: topology.ProtocolBGP, AS: 65000, RouterID: "192.0.2.1"}.ID()
	peerID := topology.NodeKey{Protocol: topology.ProtocolBGP, AS: 65099, RouterID: "198.51.100.9"}.ID()
	directID := topology.NodeKey{Protocol: topology.ProtocolDirect, AS: 65000, RouterID: "192.0.2.1"}.ID()
	for _, id := range []topology.NodeID{bgpID, peerID, directID} {
		if _, ok := g.nodes[id]; !ok {
			t.Errorf("no node %s in %v", id, g.nodes)
		}
	}
	if len(g.links) != 1 {
		t.Fatalf("links %v", g.links)
	}
	for _, l := range g.links {
		if l.Key.Local != bgpID || l.Key.Remote != peerID {
			t.Errorf("EPE link %s", l.ID)
		}
	}
	// The static prefix has no Node NLRI of its own protocol: it names
	// its node as a Static node would be named.
	staticID := topology.NodeKey{Protocol: topology.ProtocolStatic, AS: 65000, RouterID: "192.0.2.1"}.ID()
	if _, ok := g.prefixes[topology.PrefixKey{Node: staticID, Prefix: netip.MustParsePrefix("10.5.0.0/16")}]; !ok {
		t.Errorf("static prefix missing: %v", g.prefixes)
	}
}
