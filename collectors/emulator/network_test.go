package emulator

import (
	"math"
	"testing"

	"github.com/altosdn/altosdn/collectors/static"
	"github.com/altosdn/altosdn/topology"
)

func demoNetwork(t *testing.T) *network {
	t.Helper()
	d, err := static.Demo()
	if err != nil {
		t.Fatal(err)
	}
	n, err := buildNetwork(d)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBuildNetwork(t *testing.T) {
	n := demoNetwork(t)
	if len(n.nodes) != 11 || len(n.links) != 28 || len(n.pairs) != 14 {
		t.Fatalf("%d routers, %d links, %d pairs; want 11, 28, 14", len(n.nodes), len(n.links), len(n.pairs))
	}
	ids := map[string]bool{}
	for _, nd := range n.nodes {
		if ids[nd.RouterIDv4.String()] || !nd.RouterIDv4.Is4() {
			t.Errorf("router %s: router-ID %s missing or repeated", nd.Name, nd.RouterIDv4)
		}
		ids[nd.RouterIDv4.String()] = true
	}
	addrs := map[string]bool{}
	for i, l := range n.links {
		r := l.reverse
		if r < 0 || n.links[r].reverse != i {
			t.Fatalf("link %d has no consistent reverse", i)
		}
		if l.base.Key.LocalAddr != n.links[r].base.Key.RemoteAddr || l.base.Key.RemoteAddr != n.links[r].base.Key.LocalAddr {
			t.Errorf("link %d: addresses %s/%s do not mirror its reverse", i, l.base.Key.LocalAddr, l.base.Key.RemoteAddr)
		}
		if addrs[l.base.Key.LocalAddr.String()] {
			t.Errorf("address %s used twice", l.base.Key.LocalAddr)
		}
		addrs[l.base.Key.LocalAddr.String()] = true
		if l.base.ID != l.base.Key.ID() {
			t.Errorf("link %d: stale ID", i)
		}
	}
}

func TestLinkState(t *testing.T) {
	n := demoNetwork(t)
	for i := range n.links {
		base := n.links[i].base.Metrics
		capacity, _ := base.Get(topology.MetricMaxBandwidth)
		delay0, _ := base.Get(topology.MetricDelay)
		for _, f := range []float64{0, 0.25, 0.5, 0.75} {
			s := n.state(i, f, false)
			used, _ := s.metrics.Get(topology.MetricUtilizedBandwidth)
			avail, _ := s.metrics.Get(topology.MetricAvailableBandwidth)
			delay, _ := s.metrics.Get(topology.MetricDelay)
			loss, _ := s.metrics.Get(topology.MetricLoss)
			if s.utilisation < 0 || s.utilisation > 1 || math.Abs(used+avail-capacity) > 2 {
				t.Fatalf("link %d at %v: utilisation %v, used %v + available %v ≠ capacity %v", i, f, s.utilisation, used, avail, capacity)
			}
			if delay < delay0 || delay > delay0+1000 || loss < 0 || loss > 100 {
				t.Fatalf("link %d at %v: delay %v (base %v), loss %v", i, f, delay, delay0, loss)
			}
		}
		if s := n.state(i, 0, true); s.up {
			t.Fatal("a failed link reports up")
		}
	}
	if lossAt(0.5) >= lossAt(0.95) {
		t.Error("loss does not grow near saturation")
	}
}

func TestFailureSchedule(t *testing.T) {
	e := &Emulator{cfg: Config{FailEvery: 6, FailFor: 2}, net: demoNetwork(t)}
	var got []int
	for step := range 12 {
		got = append(got, e.failing(step))
	}
	want := []int{-1, -1, -1, -1, 0, 0, -1, -1, -1, -1, 7, 7}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("schedule %v; want %v", got, want)
		}
	}
	e.cfg.FailEvery = 0
	if e.failing(5) != -1 {
		t.Error("a link fails with failures off")
	}
}

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	c := DefaultConfig()
	c.Step, c.FailFor = 0, 20
	if err := c.Validate(); err == nil {
		t.Error("bad config accepted")
	}
}
