package rawbgp

import (
	"net/netip"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/osrg/gobgp/v4/pkg/packet/bgp"
)

// The builders are checked against GoBGP's decoder, an independent
// implementation of the same RFCs.

func parse(t *testing.T, msg []byte) *bgp.BGPMessage {
	t.Helper()
	m, err := bgp.ParseBGPMessage(msg)
	if err != nil {
		t.Fatalf("GoBGP cannot parse %x: %v", msg, err)
	}
	return m
}

func TestOpen(t *testing.T) {
	o := Open{AS: 4200000000, HoldTime: 30, RouterID: netip.MustParseAddr("192.0.2.7"),
		Families: []Family{FamilyLS, FamilyIPv6}}
	m := parse(t, o.Bytes()).Body.(*bgp.BGPOpen)
	if m.MyAS != 23456 || m.HoldTime != 30 || m.ID != netip.MustParseAddr("192.0.2.7") {
		t.Errorf("open = AS %d hold %d id %s", m.MyAS, m.HoldTime, m.ID)
	}
	var fams []bgp.Family
	var as4 uint32
	for _, p := range m.OptParams {
		for _, c := range p.(*bgp.OptionParameterCapability).Capability {
			switch c := c.(type) {
			case *bgp.CapMultiProtocol:
				fams = append(fams, c.CapValue)
			case *bgp.CapFourOctetASNumber:
				as4 = c.CapValue
			}
		}
	}
	if diff := cmp.Diff([]bgp.Family{bgp.RF_LS, bgp.RF_IPv6_UC}, fams); diff != "" || as4 != 4200000000 {
		t.Errorf("capabilities: families (-want +got) %s, 4-octet AS %d", diff, as4)
	}
}

func TestLSUpdate(t *testing.T) {
	area := uint32(1)
	a := NodeDesc{AS: 65001, BGPLSID: 7, OSPFArea: &area, IGPRouterID: []byte{10, 0, 0, 1}}
	b := NodeDesc{AS: 65001, BGPLSID: 7, OSPFArea: &area, IGPRouterID: []byte{10, 0, 0, 2}}
	epe := NodeDesc{AS: 65001, BGPRouterID: netip.MustParseAddr("192.0.2.9")}
	nlris := [][]byte{
		NodeNLRI(3, 9, a),
		NodeNLRI(7, 0, epe),
		LinkNLRI(3, 9, a, b, LinkIDs(4, 5), InterfaceAddr(netip.MustParseAddr("10.1.0.1")),
			NeighborAddr(netip.MustParseAddr("10.1.0.2")), MTID(2)),
		LinkNLRI(3, 9, a, b, InterfaceAddr(netip.MustParseAddr("2001:db8::1")), NeighborAddr(netip.MustParseAddr("2001:db8::2"))),
		PrefixNLRI(3, 9, a, netip.MustParsePrefix("10.9.0.0/23"), OSPFRouteType(1)),
		PrefixNLRI(3, 9, a, netip.MustParsePrefix("2001:db8:9::/48"), MTID(2)),
	}
	attr := LSAttr(NodeName("r1"), IGPMetric(70000), TEMetric(9), MaxBandwidth(8e9), MaxReservableBandwidth(4e9),
		UnreservedBandwidth(2e9), AdminGroup(3), SRLG(11, 12), Delay(100, true), MinMaxDelay(50, 150, false),
		DelayVariation(7), RouterIDv4(netip.MustParseAddr("10.0.0.1")), RouterIDv6(netip.MustParseAddr("2001:db8::a")))
	u := parse(t, Update(nil, [][]byte{Origin(0), ASPath(65001), MPReach(FamilyLS, netip.MustParseAddr("192.0.2.1"), nlris...), attr}, nil)).Body.(*bgp.BGPUpdate)

	var got []string
	var ls *bgp.PathAttributeLs
	for _, pa := range u.PathAttributes {
		switch pa := pa.(type) {
		case *bgp.PathAttributeMpReachNLRI:
			if pa.Nexthop != netip.MustParseAddr("192.0.2.1") {
				t.Errorf("next hop %s", pa.Nexthop)
			}
			for _, n := range pa.Value {
				got = append(got, n.NLRI.String())
			}
		case *bgp.PathAttributeLs:
			ls = pa
		}
	}
	want := []string{
		"NLRI { NODE { AS:65001 BGP-LS ID:7 10.0.0.1 OSPFv2:9 } }",
		"NLRI { NODE { AS:65001 BGP-LS ID:0  BGP:0 } }",
		"NLRI { LINK { LOCAL_NODE: 10.0.0.1 REMOTE_NODE: 10.0.0.2 LINK: 10.1.0.1->10.1.0.2(L:4,R:5) MT: [2] OSPFv2:9} }",
		"NLRI { LINK { LOCAL_NODE: 10.0.0.1 REMOTE_NODE: 10.0.0.2 LINK: 2001:db8::1->2001:db8::2 OSPFv2:9} }",
		"NLRI { PREFIXv4 { LOCAL_NODE: 10.0.0.1 PREFIX: [10.9.0.0/23] OSPF_ROUTE_TYPE:INTRA-AREA  OSPFv2:9} }",
		"NLRI { PREFIXv6 { LOCAL_NODE: 10.0.0.1 PREFIX: [2001:db8:9::/48]  MT: [2] OSPFv2:9} }",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NLRIs as GoBGP reads them (-want +got):\n%s", diff)
	}
	if ls == nil {
		t.Fatal("no BGP-LS attribute")
	}
	x := ls.Extract()
	l := x.Link
	checks := []struct {
		name      string
		got, want any
	}{
		{"node name", *x.Node.Name, "r1"},
		{"igp metric", *l.IGPMetric, uint32(70000)},
		{"te metric", *l.DefaultTEMetric, uint32(9)},
		{"max bandwidth (bytes/s)", *l.Bandwidth, float32(1e9)},
		{"reservable (bytes/s)", *l.ReservableBandwidth, float32(5e8)},
		{"unreserved[7] (bytes/s)", l.UnreservedBandwidth[7], float32(2.5e8)},
		{"admin group", *l.AdminGroup, uint32(3)},
		{"srlgs", *l.Srlgs, []uint32{11, 12}},
		{"delay", l.UnidirectionalLinkDelay.Delay, uint32(100)},
		{"delay anomalous", l.UnidirectionalLinkDelay.Flags.Anomalous, true},
		{"min delay", l.MinMaxUnidirectionalLinkDelay.MinDelay, uint32(50)},
		{"max delay", l.MinMaxUnidirectionalLinkDelay.MaxDelay, uint32(150)},
		{"delay variation", *l.UnidirectionalDelayVariation, uint32(7)},
		{"router-id", *x.Node.LocalRouterID, netip.MustParseAddr("10.0.0.1")},
		{"router-id v6", *x.Node.LocalRouterIDv6, netip.MustParseAddr("2001:db8::a")},
	}
	for _, c := range checks {
		if diff := cmp.Diff(c.want, c.got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
			t.Errorf("%s (-want +got): %s", c.name, diff)
		}
	}
}

func TestEndOfRIBAndUnicast(t *testing.T) {
	for _, f := range []Family{FamilyLS, FamilyIPv4, FamilyIPv6} {
		u := parse(t, EndOfRIB(f)).Body.(*bgp.BGPUpdate)
		if eor, fam := u.IsEndOfRib(); !eor || fam != bgp.NewFamily(f.AFI, f.SAFI) {
			t.Errorf("EndOfRIB(%v): IsEndOfRib = %v, %v", f, eor, fam)
		}
	}
	p := netip.MustParsePrefix("198.51.100.0/22")
	u := parse(t, Update(nil, [][]byte{Origin(0), ASPath(), LocalPref(100), NextHop(netip.MustParseAddr("192.0.2.1"))}, IPPrefix(p))).Body.(*bgp.BGPUpdate)
	if len(u.NLRI) != 1 || u.NLRI[0].NLRI.(*bgp.IPAddrPrefix).Prefix != p {
		t.Errorf("unicast NLRI %v", u.NLRI)
	}
	big := LSAttr(TLV(1097, make([]byte, 300)))
	if big[0]&FlagExtended == 0 {
		t.Error("an attribute over 255 bytes must use the extended length")
	}
}

func TestLossEncoding(t *testing.T) {
	// 1.5 % is 500000 units of 0.000003 %.
	if got, want := Loss(1.5, true), []byte{0x04, 0x5d, 0, 4, 0x80, 0x07, 0xa1, 0x20}; !cmp.Equal(got, want) {
		t.Errorf("Loss(1.5, anomalous) = %x; want %x", got, want)
	}
}
