package gnmi

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	gpb "github.com/openconfig/gnmi/proto/gnmi"

	"github.com/altosdn/altosdn/collectors/collectortest"
	"github.com/altosdn/altosdn/topology"
)

// fixedGraph is a GraphSource that always returns the same graph.
type fixedGraph struct{ g *topology.Graph }

func (f fixedGraph) Snapshot() *topology.Graph { return f.g }

// ifSample builds one interface notification as a router sends it.
type ifSample struct {
	name    string
	ts      time.Duration // device time since an arbitrary epoch
	addr    string        // "" for none
	in, out uint64
	oper    string // "" for none
	speed   string // "" for none
}

func (s ifSample) notification() *gpb.Notification {
	base := int64(1_700_000_000) * int64(time.Second)
	ups := []*gpb.Update{
		{Path: path(pe("state"), pe("counters"), pe("in-octets")), Val: uintV(s.in)},
		{Path: path(pe("state"), pe("counters"), pe("out-octets")), Val: uintV(s.out)},
	}
	if s.addr != "" {
		ups = append(ups, &gpb.Update{Path: path(pe("subinterfaces"), pe("subinterface", "index", "0"), pe("ipv4"),
			pe("addresses"), pe("address", "ip", s.addr), pe("state"), pe("ip")), Val: strV(s.addr)})
	}
	if s.oper != "" {
		ups = append(ups, &gpb.Update{Path: path(pe("state"), pe("oper-status")), Val: strV(s.oper)})
	}
	if s.speed != "" {
		ups = append(ups, &gpb.Update{Path: path(pe("ethernet"), pe("state"), pe("port-speed")), Val: strV(s.speed)})
	}
	return &gpb.Notification{Timestamp: base + int64(s.ts),
		Prefix: path(pe("interfaces"), pe("interface", "name", s.name)), Update: ups}
}

// engineRig drives an engine synchronously, without sessions or gRPC.
type engineRig struct {
	t    *testing.T
	e    *engine
	out  chan topology.Update
	now  time.Time
	logs *collectortest.LogBuffer
}

func newEngineRig(t *testing.T, cfg Config, g *topology.Graph) *engineRig {
	logger, logs := collectortest.Logger(t)
	cfg.TTL = time.Minute // device-time gaps in these tests are up to a minute
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return &engineRig{t: t, e: newEngine(cfg, fixedGraph{g}, newBoard(cfg.Targets), logger),
		out: make(chan topology.Update, 16), now: time.Unix(1_700_000_000, 0), logs: logs}
}

// feed applies samples of target i, received now.
func (r *engineRig) feed(i int, ss ...ifSample) {
	for _, s := range ss {
		r.e.handle(event{target: i, kind: evData, n: s.notification(), at: r.now})
	}
}

// flush runs expiry and a flush at r.now and returns the overlays sent,
// keyed by link; withdrawn links map to a zero overlay with Link set only.
func (r *engineRig) flush() (ups, wds map[topology.LinkID]topology.LinkOverlay) {
	r.t.Helper()
	r.e.expire(r.now)
	if !r.e.flush(context.Background(), r.out, r.now) {
		r.t.Fatal("flush failed")
	}
	ups, wds = map[topology.LinkID]topology.LinkOverlay{}, map[topology.LinkID]topology.LinkOverlay{}
	for {
		select {
		case u := <-r.out:
			if u.Source != topology.SourceGNMI || len(u.Nodes)+len(u.Links)+len(u.Prefixes) != 0 {
				r.t.Fatalf("update from %s with %d nodes, %d links, %d prefixes: overlays only", u.Source, len(u.Nodes), len(u.Links), len(u.Prefixes))
			}
			if err := u.Validate(); err != nil {
				r.t.Fatalf("invalid update: %v", err)
			}
			for _, o := range u.Overlays {
				if u.Op == topology.OpWithdraw {
					wds[o.Link] = o
				} else {
					ups[o.Link] = o
				}
			}
		default:
			return ups, wds
		}
	}
}

func metricOf(o topology.LinkOverlay, m topology.Metric) float64 {
	v, ok := o.Metrics.Get(m)
	if !ok {
		return -1
	}
	return v
}

// parallelGraph has two parallel link pairs between r1 and r2, and r3
// hanging off r2.
func parallelGraph(t *testing.T) *topology.Graph {
	r3 := testNode("r3", "192.0.2.3")
	a := netip.MustParseAddr
	links := []topology.Link{
		link12, link21,
		testLink(r1, r2, a("10.0.1.1"), a("10.0.1.2")), testLink(r2, r1, a("10.0.1.2"), a("10.0.1.1")),
		testLink(r2, r3, a("10.0.2.1"), a("10.0.2.2")), testLink(r3, r2, a("10.0.2.2"), a("10.0.2.1")),
	}
	g, err := topology.NewGraph([]topology.Node{r1, r2, r3}, links, nil)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func linkBetween(from, to topology.Node, la, ra string) topology.LinkID {
	return topology.LinkKey{Local: from.ID, Remote: to.ID, LocalAddr: netip.MustParseAddr(la), RemoteAddr: netip.MustParseAddr(ra)}.ID()
}

func TestEngineBindsByAddressAndDirection(t *testing.T) {
	cfg := fastConfig(plainTarget("r1", "127.0.0.1:1"), plainTarget("r2", "127.0.0.1:2"))
	r := newEngineRig(t, cfg, parallelGraph(t))
	sec := time.Second
	// r1's eth0 carries link12 out; r2's ge1 is the other end of link12.
	r.feed(0, ifSample{name: "eth0", ts: 0, addr: "10.0.0.1", speed: "SPEED_1GB", oper: "UP"})
	r.feed(1, ifSample{name: "ge1", ts: 0, addr: "10.0.0.2", oper: "UP"})
	r.flush()
	r.feed(0, ifSample{name: "eth0", ts: 10 * sec, addr: "10.0.0.1", out: 250_000_000, in: 125_000_000})
	r.feed(1, ifSample{name: "ge1", ts: 10 * sec, addr: "10.0.0.2", out: 12_500_000, in: 999_999_999})
	ups, _ := r.flush()

	o := ups[link12.ID]
	// The local end's out-octets win over the remote end's in-octets.
	if got := metricOf(o, topology.MetricUtilizedBandwidth); got != 200e6 {
		t.Errorf("link12 utilised = %g, want 200e6 from r1 eth0 out", got)
	}
	// Capacity is the port speed (1G) as it is below BGP-LS's 10G.
	if got := metricOf(o, topology.MetricUtilization); got != 20 {
		t.Errorf("utilisation %v%%; want 20%%", got)
	}
	if got := metricOf(o, topology.MetricAvailableBandwidth); got != 800e6 {
		t.Errorf("link12 available = %g, want 800e6", got)
	}
	if o.Status != topology.StatusUp {
		t.Errorf("link12 status = %d, want up", o.Status)
	}
	// r2→r1 comes from r2's own out-octets; r2 streams no speed, so the
	// other end's port speed (the same wire) bounds it.
	o = ups[link21.ID]
	if metricOf(o, topology.MetricUtilizedBandwidth) != 10e6 || metricOf(o, topology.MetricAvailableBandwidth) != 1e9-10e6 {
		t.Errorf("link21 overlay = %+v", o)
	}
	if len(ups) != 2 {
		t.Errorf("overlays on %d links, want 2: %v", len(ups), ups)
	}
	lt := r.e.snapshotTelemetry()
	if len(lt) != 2 || lt[0].Utilization == 0 {
		t.Errorf("telemetry = %+v", lt)
	}

	// One end down takes both directions down.
	r.feed(1, ifSample{name: "ge1", ts: 20 * sec, addr: "10.0.0.2", out: 25_000_000, in: 999_999_999, oper: "DOWN"})
	ups, _ = r.flush()
	if ups[link12.ID].Status != topology.StatusDown || ups[link21.ID].Status != topology.StatusDown {
		t.Errorf("after ge1 down: %+v", ups)
	}
}

func TestEngineNodeRestrictsAddressMatch(t *testing.T) {
	// The target claims to be r2 but streams r1's address: a configuration
	// or addressing mistake must not put r2's telemetry on r1's link.
	tc := plainTarget("x", "127.0.0.1:1")
	tc.NodeName = "r2"
	r := newEngineRig(t, fastConfig(tc), parallelGraph(t))
	r.feed(0, ifSample{name: "eth0", ts: 0, addr: "10.0.0.1"}, ifSample{name: "eth0", ts: time.Second, addr: "10.0.0.1", out: 1000})
	ups, _ := r.flush()
	if _, ok := ups[link12.ID]; ok {
		t.Error("r2's interface was bound to r1's link")
	}
	// As the remote end of link12 seen from r2 it is not r2's address
	// either, so nothing at all.
	if len(ups) != 0 {
		t.Errorf("overlays = %v", ups)
	}
}

func TestEngineFirstTargetWins(t *testing.T) {
	cfg := fastConfig(plainTarget("a", "127.0.0.1:1"), plainTarget("b", "127.0.0.1:2"))
	r := newEngineRig(t, cfg, parallelGraph(t))
	for i, out := range []uint64{125_000_000, 250_000_000} {
		r.feed(i, ifSample{name: "eth0", ts: 0, addr: "10.0.0.1"}, ifSample{name: "eth0", ts: time.Second, addr: "10.0.0.1", out: out})
	}
	ups, _ := r.flush()
	if got := metricOf(ups[link12.ID], topology.MetricUtilizedBandwidth); got != 1e9 {
		t.Errorf("utilised = %g, want 1e9 from the first target", got)
	}
}

func TestEngineInterfaceLinks(t *testing.T) {
	g := parallelGraph(t)
	second := linkBetween(r1, r2, "10.0.1.1", "10.0.1.2")
	tests := []struct {
		sel      string
		want     topology.LinkID // "" when nothing may be bound
		wantWarn string
	}{
		{"10.0.1.1", second, ""},
		{string(second), second, ""},
		{"r2", "", "2 parallel links"},
		{"r3", "", "no link to a node"},
		{"10.9.9.9", "", "no link with local address"},
	}
	for _, tc := range tests {
		t.Run(tc.sel, func(t *testing.T) {
			target := plainTarget("r1", "127.0.0.1:1")
			target.RouterID = netip.MustParseAddr("192.0.2.1")
			target.InterfaceLinks = map[string]string{"xe-0/0/1": tc.sel}
			r := newEngineRig(t, fastConfig(target), g)
			r.feed(0, ifSample{name: "xe-0/0/1", ts: 0}, ifSample{name: "xe-0/0/1", ts: time.Second, out: 125_000_000})
			ups, _ := r.flush()
			if tc.want == "" {
				if len(ups) != 0 {
					t.Errorf("overlays = %v, want none", ups)
				}
			} else if metricOf(ups[tc.want], topology.MetricUtilizedBandwidth) != 1e9 || len(ups) != 2 {
				t.Errorf("overlays = %v, want 1e9 on %s and its reverse", ups, tc.want)
			}
			if tc.wantWarn != "" && !strings.Contains(r.logs.String(), tc.wantWarn) {
				t.Errorf("no warning containing %q", tc.wantWarn)
			}
			// The warning is logged once, not at every rebind.
			r.e.rebind = true
			r.flush()
			if n := strings.Count(r.logs.String(), "interface_links entry does not match"); tc.wantWarn != "" && n != 1 {
				t.Errorf("warning logged %d times", n)
			}
		})
	}
}

func TestEngineExpiryAndDelete(t *testing.T) {
	r := newEngineRig(t, fastConfig(plainTarget("r1", "127.0.0.1:1")), parallelGraph(t))
	r.e.targets[0].ttl = 30 * time.Second
	r.feed(0, ifSample{name: "eth0", ts: 0, addr: "10.0.0.1", oper: "UP"},
		ifSample{name: "eth0", ts: time.Second, addr: "10.0.0.1", out: 125_000_000})
	if ups, _ := r.flush(); len(ups) != 2 {
		t.Fatalf("overlays = %v", ups)
	}
	r.now = r.now.Add(20 * time.Second)
	if ups, wds := r.flush(); len(ups)+len(wds) != 0 {
		t.Fatalf("changes before the TTL: %v %v", ups, wds)
	}
	r.now = r.now.Add(11 * time.Second)
	ups, wds := r.flush()
	if len(ups) != 0 || len(wds) != 2 {
		t.Fatalf("after the TTL: upserts %v, withdrawals %v; want both links withdrawn", ups, wds)
	}
	if n := r.e.board.snapshot()[0].Counters[cntExpired]; n == 0 {
		t.Error("expiry not counted")
	}

	// Fresh data binds again; deleting the interface withdraws at once.
	r.feed(0, ifSample{name: "eth0", ts: 40 * time.Second, addr: "10.0.0.1"},
		ifSample{name: "eth0", ts: 41 * time.Second, addr: "10.0.0.1", out: 125_000_000})
	if ups, _ := r.flush(); len(ups) != 2 {
		t.Fatalf("after fresh data: %v", ups)
	}
	r.e.handle(event{target: 0, kind: evData, at: r.now, n: &gpb.Notification{
		Timestamp: 1, Delete: []*gpb.Path{path(pe("interfaces"), pe("interface", "name", "eth0"))}}})
	if _, wds := r.flush(); len(wds) != 2 {
		t.Errorf("after delete: withdrawals %v", wds)
	}
}

func TestEngineReconnectClearsBaselines(t *testing.T) {
	r := newEngineRig(t, fastConfig(plainTarget("r1", "127.0.0.1:1")), parallelGraph(t))
	r.feed(0, ifSample{name: "eth0", ts: 0, addr: "10.0.0.1"}, ifSample{name: "eth0", ts: time.Second, addr: "10.0.0.1", out: 125_000_000})
	r.flush()
	r.e.handle(event{target: 0, kind: evStream, at: r.now})
	// The router restarted and its counter re-grew past the old value.
	r.feed(0, ifSample{name: "eth0", ts: 2 * time.Second, addr: "10.0.0.1", out: 1 << 45})
	if ups, _ := r.flush(); len(ups) != 0 {
		t.Errorf("a re-grown counter after reconnect gave %v", ups)
	}
	r.feed(0, ifSample{name: "eth0", ts: 3 * time.Second, addr: "10.0.0.1", out: 1<<45 + 250_000_000})
	ups, _ := r.flush()
	if got := metricOf(ups[link12.ID], topology.MetricUtilizedBandwidth); got != 2e9 {
		t.Errorf("utilised after reconnect = %g, want 2e9", got)
	}
}
