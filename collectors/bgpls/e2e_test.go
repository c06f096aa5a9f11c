package bgpls_test

import (
	"fmt"
	"math"
	"net/netip"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/bgpls/speaker"
	"github.com/altosdn/altosdn/topology"
)

const l2 = topology.ProtocolISISL2

func isis(sysid string) speaker.NodeDescriptor {
	return speaker.NodeDescriptor{AS: 65001, IGPRouterID: sysid}
}

func nodeID(p topology.Protocol, as uint32, rid string) topology.NodeID {
	return topology.NodeKey{Protocol: p, AS: as, RouterID: rid}.ID()
}

func m(kv ...float64) topology.Metrics {
	var out topology.Metrics
	for i := 0; i < len(kv); i += 2 {
		out = out.With(topology.Metric(kv[i]), kv[i+1], "")
	}
	return out
}

// square is four IS-IS L2 routers in a ring, links both ways, a loopback
// prefix each.
func square() speaker.Topology {
	var t speaker.Topology
	for i := 1; i <= 4; i++ {
		sys := fmt.Sprintf("0000.0000.000%d", i)
		t.Nodes = append(t.Nodes, speaker.Node{Protocol: l2, Descriptor: isis(sys), Name: fmt.Sprintf("r%d", i),
			RouterIDv4: netip.AddrFrom4([4]byte{192, 0, 2, byte(i)})})
		t.Prefixes = append(t.Prefixes, speaker.Prefix{Protocol: l2, Node: isis(sys),
			Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{192, 0, 2, byte(i)}), 32), Metric: topology.Known(0, "")})
		j := i%4 + 1
		peer := fmt.Sprintf("0000.0000.000%d", j)
		for _, d := range [][2]string{{sys, peer}, {peer, sys}} {
			t.Links = append(t.Links, speaker.Link{Protocol: l2, Local: isis(d[0]), Remote: isis(d[1]),
				LocalID: uint32(i*10 + j), RemoteID: uint32(j*10 + i),
				Metrics: m(float64(topology.MetricIGP), 10, float64(topology.MetricMaxBandwidth), 1e10)})
			i, j = j, i
		}
	}
	return t
}

func TestAdvertiseChangeWithdraw(t *testing.T) {
	cfg := config(t)
	spAddr := loopback(t)
	peerFor(&cfg, spAddr, 65001)
	h := start(t, cfg)
	sp := h.speak(t, spAddr, 65001)
	topo := square()
	if err := sp.Advertise(topo); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "the square", h.graphHas(4, 8, 4))
	waitFor(t, 5*time.Second, "readiness", func() error {
		if !h.c.Ready() {
			return fmt.Errorf("not ready")
		}
		return nil
	})
	r1, r2 := nodeID(l2, 65001, "0000.0000.0001"), nodeID(l2, 65001, "0000.0000.0002")
	g := h.store.Snapshot()
	i, _ := g.NodeIndex(r1)
	if n := g.Node(i); n.Name != "r1" || n.RouterIDv4 != netip.MustParseAddr("192.0.2.1") {
		t.Errorf("node r1 = %+v", n)
	}
	l, ok := h.link(r1, r2)
	if !ok {
		t.Fatalf("no link r1->r2 in %v", g.Links())
	}
	if v, _ := l.Metrics.Get(topology.MetricMaxBandwidth); v != 1e10 {
		t.Errorf("max bandwidth %v bit/s; want 1e10 (sent as 1.25e9 bytes/s)", v)
	}

	// Change: new metrics on r1->r2, including what GoBGP cannot decode.
	topo.Links[0].Metrics = m(float64(topology.MetricIGP), 99, float64(topology.MetricTE), 7,
		float64(topology.MetricDelay), 1500, float64(topology.MetricMinDelay), 1000, float64(topology.MetricMaxDelay), 2000,
		float64(topology.MetricDelayVariation), 40, float64(topology.MetricLoss), 0.25,
		float64(topology.MetricResidualBandwidth), 4e9, float64(topology.MetricAvailableBandwidth), 3e9,
		float64(topology.MetricUtilizedBandwidth), 6e9, float64(topology.MetricMaxReservableBandwidth), 8e9,
		float64(topology.MetricUnreservedBandwidth), 5e9)
	topo.Links[0].AdminGroup = 0x5
	if err := sp.Advertise(speaker.Topology{Links: topo.Links[:1]}); err != nil {
		t.Fatal(err)
	}
	want := topo.Links[0].Metrics
	waitFor(t, 10*time.Second, "changed metrics", func() error {
		l, _ := h.link(r1, r2)
		for k := range want {
			w, set := want.Get(topology.Metric(k))
			if !set {
				continue
			}
			if v, ok := l.Metrics.Get(topology.Metric(k)); !ok || math.Abs(v-w) > 1e-5+1e-6*w {
				return fmt.Errorf("%s = %v (set %v); want %v", topology.Metric(k), v, ok, w)
			}
		}
		if l.AdminGroup != 5 {
			return fmt.Errorf("admin group %d", l.AdminGroup)
		}
		return nil
	})

	// Withdraw one link, one prefix, then a node.
	if err := sp.Withdraw(speaker.Topology{Links: topo.Links[:1], Prefixes: topo.Prefixes[:1]}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "withdrawals", h.graphHas(4, 7, 3))
	if err := sp.Withdraw(speaker.Topology{Nodes: topo.Nodes[3:]}); err != nil {
		t.Fatal(err)
	}
	// The store keeps links only between known nodes: r4's two links in
	// each direction and its prefix drop out of the graph with it.
	waitFor(t, 10*time.Second, "node withdrawal", h.graphHas(3, 3, 2))

	st := h.peerStatus(spAddr.String())
	if !st.Up || st.State != "established" || st.Counters["nlri_received"] < 19 || st.Counters["decode_errors"] != 0 {
		t.Errorf("peer status %+v", st)
	}
}
