package e2e

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/bgpls/speaker"
	"github.com/altosdn/altosdn/topology"
)

// TestBGPLSEndToEnd: a router advertises a triangle over a real BGP-LS
// session; the daemon's cost maps follow its metric changes and a link
// withdrawal.
func TestBGPLSEndToEnd(t *testing.T) {
	port := freePortRange(t, 1)
	d := startDaemon(t, fmt.Sprintf(`alto: {recompute_min_interval: 100ms}
collectors:
  static: {enabled: false}
  bgpls:
    enabled: true
    local_asn: 65000
    router_id: 192.0.2.1
    listen_address: 127.0.0.1
    listen_port: %d
    convergence_quiet: 500ms
    update_interval: 50ms
    peers: [{address: 127.0.0.3, asn: 65000, passive: true}]
`, port))

	node := func(name string, i byte) topology.Node {
		k := topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: name}
		return topology.Node{ID: k.ID(), Key: k, Name: name, RouterIDv4: netip.AddrFrom4([4]byte{198, 51, 100, i})}
	}
	nodes := []topology.Node{node("a", 1), node("b", 2), node("c", 3)}
	arc := func(i, j int, igp, delay float64) topology.Link {
		k := topology.LinkKey{Local: nodes[i].ID, Remote: nodes[j].ID,
			LocalAddr: netip.AddrFrom4([4]byte{192, 0, 2, byte(10*i + j)}), RemoteAddr: netip.AddrFrom4([4]byte{192, 0, 2, byte(10*j + i)})}
		m := topology.Metrics{}.With(topology.MetricIGP, igp, "test").With(topology.MetricDelay, delay, "test")
		return topology.Link{ID: k.ID(), Key: k, Metrics: m}
	}
	links := []topology.Link{arc(0, 1, 10, 100), arc(1, 0, 10, 100), arc(1, 2, 10, 100), arc(2, 1, 10, 100), arc(0, 2, 50, 900), arc(2, 0, 50, 900)}
	var prefixes []topology.Prefix
	for i, n := range nodes {
		prefixes = append(prefixes, topology.Prefix{Node: n.ID, Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, byte(i), 0}), 24)})
	}
	sp, err := speaker.New(speaker.Config{LocalASN: 65000, RouterID: netip.MustParseAddr("192.0.2.3"),
		LocalAddress: netip.MustParseAddr("127.0.0.3"), PeerAddress: netip.MustParseAddr("127.0.0.1"),
		PeerPort: uint16(port), PeerASN: 65000, GracefulRestart: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sp.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	advertise := func(ls []topology.Link) {
		t.Helper()
		tp, err := speaker.FromTopology(65000, nodes, ls, prefixes)
		if err != nil {
			t.Fatal(err)
		}
		if err := sp.Advertise(tp); err != nil {
			t.Fatal(err)
		}
	}
	advertise(links)
	d.waitReady(t)
	fetchAll(t, d)

	costs := func(metric string) map[string]map[string]float64 {
		_, _, body := get(t, d.base+"/costmap/costmap-"+metric+"-numerical", "")
		var cm struct {
			Map map[string]map[string]float64 `json:"cost-map"`
		}
		json.Unmarshal(body, &cm)
		return cm.Map
	}
	waitCost := func(metric string, want float64) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			v, ok := costs(metric)["a"]["c"]
			if ok && v == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("a->c %s = %v (%v); want %v\n%s", metric, v, ok, want, d.Logs())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// a->c goes over b: IGP 20 beats the direct 50.
	waitCost("routingcost", 20)
	waitCost("delay-ow", 200)
	_, _, nm1 := get(t, d.base+"/networkmap/default-network-map", "")

	// A delay change on b->c arrives as a new cost.
	links[2] = arc(1, 2, 10, 400)
	advertise(links)
	waitCost("delay-ow", 500)

	// Withdrawing b->c reroutes a->c over the direct link.
	tp, _ := speaker.FromTopology(65000, nodes, []topology.Link{links[2]}, nil)
	tp.Nodes = nil // only the link goes
	if err := sp.Withdraw(tp); err != nil {
		t.Fatal(err)
	}
	waitCost("routingcost", 50)
	waitCost("delay-ow", 900)
	if _, _, nm2 := get(t, d.base+"/networkmap/default-network-map", ""); string(nm1) != string(nm2) {
		t.Error("a link change changed the network map")
	}
	d.stop(t)
}
