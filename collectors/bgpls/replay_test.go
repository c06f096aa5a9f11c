package bgpls_test

import (
	"encoding/hex"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/bgpls/rawbgp"
	"github.com/altosdn/altosdn/topology"
)

func vectorFile(t *testing.T, name string) []byte {
	t.Helper()
	s, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	b, err := hex.DecodeString(strings.TrimSpace(string(s)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Real UPDATEs from routers (testdata/README.md), replayed byte for byte
// over an iBGP session, as a route reflector would pass them on. Node
// NLRIs for the links' ends are added by hand where the capture has none,
// because the store keeps links only between known nodes.
func TestReplayRealUpdates(t *testing.T) {
	cfg := config(t)
	addr := loopback(t)
	peerFor(&cfg, addr, 65000)
	h := start(t, cfg)
	s := h.raw(t, addr, 65000)

	node := func(proto byte, ident uint64, as uint32, rid ...byte) []byte {
		return rawbgp.NodeNLRI(proto, ident, rawbgp.NodeDesc{AS: as, IGPRouterID: rid})
	}
	ends := rawbgp.Update(nil, [][]byte{rawbgp.Origin(0), rawbgp.ASPath(), rawbgp.LocalPref(100),
		rawbgp.MPReach(rawbgp.FamilyLS, addr,
			node(2, 0, 65534, 0, 0, 0, 0, 0, 1), node(2, 0, 65534, 0, 0, 0, 0, 0, 3), // yabgp link pair
			node(2, 0, 138384, 0, 0, 0, 0, 0, 0x15), node(2, 0, 138384, 0, 3, 0, 0, 0, 9), // RFC 8571 + ASLA link
			node(2, 700, 15924, 1, 1, 0x35, 0, 0, 0x41), // prefix with metric 1155
		)}, nil)
	reverse := vectorFile(t, "yabgp_isis_l2_link_reverse.nlri.hex")
	msgs := [][]byte{
		ends,
		vectorFile(t, "yabgp_isis_l2_link_2adjsid.update.hex"),
		rawbgp.Update(nil, [][]byte{rawbgp.Origin(0), rawbgp.ASPath(), rawbgp.LocalPref(100),
			rawbgp.MPReach(rawbgp.FamilyLS, addr, reverse), rawbgp.LSAttr(rawbgp.IGPMetric(10))}, nil),
		vectorFile(t, "exabgp_isis_l2_srv6_link_rfc8571_asla.update.hex"),
		vectorFile(t, "exabgp_isis_l2_prefixv4_as15924.update.hex"),
		vectorFile(t, "exabgp_isis_l2_node_sr_as15924.update.hex"),
		vectorFile(t, "exabgp_isis_l1_node_ixr_r6.update.hex"),
		vectorFile(t, "exabgp_junos_isis_l2_link_te_adjsid.update.hex"),
		vectorFile(t, "exabgp_isis_l2_link_as3352_rr.update.hex"),
		vectorFile(t, "exabgp_ospf_link_to_pseudonode.update.hex"),
		vectorFile(t, "exabgp_isis_l2_srv6_lan_endx.update.hex"),
		rawbgp.EndOfRIB(rawbgp.FamilyLS),
	}
	if err := s.Send(msgs...); err != nil {
		t.Fatal(err)
	}
	// 7 nodes: the 5 added, router 0101.3400.0041 and the IXR-R6; 3 links
	// between known nodes; the prefix.
	waitFor(t, 20*time.Second, "the replayed topology", h.graphHas(7, 3, 1))
	st := h.peerStatus(addr.String())
	if st.Counters["decode_errors"] != 0 || st.Counters["nlri_current"] != 5+10 || !st.Up {
		t.Fatalf("status %+v; want 15 routes, no errors, session up", st)
	}

	g := h.store.Snapshot()
	id := func(ident uint64, as uint32, rid string) topology.NodeID {
		return topology.NodeKey{Protocol: topology.ProtocolISISL2, Instance: ident, AS: as, RouterID: rid}.ID()
	}
	// The RFC 8571 link: delays decoded by GoBGP, TE metric only in ASLA.
	l, ok := h.link(id(0, 138384, "0000.0000.0015"), id(0, 138384, "0003.0000.0009"))
	if !ok {
		t.Fatalf("no RFC 8571 link in %v", g.Links())
	}
	for k, want := range map[topology.Metric]float64{
		topology.MetricIGP: 10, topology.MetricMaxBandwidth: 1e10, topology.MetricDelay: 10,
		topology.MetricMinDelay: 10, topology.MetricMaxDelay: 10, topology.MetricTE: 10,
	} {
		if v, ok := l.Metrics.Get(k); !ok || math.Abs(v-want) > 1e-6*want {
			t.Errorf("RFC 8571 link: %s = %v (set %v); want %v", k, v, ok, want)
		}
	}
	if l.Key.MTID != 2 || l.Key.LocalIfID != 39 || l.Key.RemoteIfID != 53 {
		t.Errorf("RFC 8571 link key %+v; want MT 2, link IDs 39/53", l.Key)
	}
	p := g.Prefixes()[0]
	if p.Prefix != netip.MustParsePrefix("10.134.2.88/30") || !p.Metric.Set || p.Metric.V != 100 {
		t.Errorf("prefix %+v; want 10.134.2.88/30 with metric 100 (TLV 1155)", p)
	}
	ixr, ok := g.NodeIndex(topology.NodeKey{Protocol: topology.ProtocolISISL1, Instance: 4, AS: 64531, BGPLSID: 139, RouterID: "1921.6825.1231"}.ID())
	if !ok || g.Node(ixr).Name != "HL5MMT1-107-IXR-R6" {
		t.Errorf("IXR-R6 node missing or unnamed: %v", g.Nodes())
	}
}
