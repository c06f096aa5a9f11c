package gnmi

import (
	"context"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/collectortest"
	"github.com/altosdn/altosdn/collectors/gnmi/target"
	"github.com/altosdn/altosdn/topology"
)

// Test network: r1 and r2 joined by one link each way, as BGP-LS gives it,
// with a nominal max bandwidth of 10 Gbit/s and a nominal available
// bandwidth of 9 Gbit/s (RFC 8571), so a fallback to nominal is visible.
var (
	r1    = testNode("r1", "192.0.2.1")
	r2    = testNode("r2", "192.0.2.2")
	addr1 = netip.MustParseAddr("10.0.0.1")
	addr2 = netip.MustParseAddr("10.0.0.2")
)

const (
	nominalMax   = 10e9
	nominalAvail = 9e9
)

func testNode(name, rid string) topology.Node {
	k := topology.NodeKey{Protocol: topology.ProtocolISISL2, RouterID: rid}
	return topology.Node{ID: k.ID(), Key: k, Name: name, RouterIDv4: netip.MustParseAddr(rid)}
}

func testLink(from, to topology.Node, la, ra netip.Addr) topology.Link {
	k := topology.LinkKey{Local: from.ID, Remote: to.ID, LocalAddr: la, RemoteAddr: ra}
	var m topology.Metrics
	m = m.With(topology.MetricIGP, 10, topology.SourceBGPLS)
	m = m.With(topology.MetricMaxBandwidth, nominalMax, topology.SourceBGPLS)
	m = m.With(topology.MetricAvailableBandwidth, nominalAvail, topology.SourceBGPLS)
	return topology.Link{ID: k.ID(), Key: k, Metrics: m}
}

var (
	link12 = testLink(r1, r2, addr1, addr2)
	link21 = testLink(r2, r1, addr2, addr1)
)

// baseTopology is the BGP-LS view of the test network.
func baseTopology() topology.Update {
	return topology.Update{Source: topology.SourceBGPLS, Op: topology.OpReplace,
		Nodes: []topology.Node{r1, r2}, Links: []topology.Link{link12, link21}}
}

// writeSecret writes a credential file and returns its path.
func writeSecret(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// fastConfig is a collector configuration with short timers for tests.
func fastConfig(targets ...TargetConfig) Config {
	cfg := DefaultConfig()
	cfg.Enabled = true
	cfg.Targets = targets
	cfg.TTL = time.Second
	cfg.StallTimeout = 600 * time.Millisecond
	cfg.ReconnectMin = 20 * time.Millisecond
	cfg.ReconnectMax = 200 * time.Millisecond
	return cfg
}

// plainTarget configures a plaintext target at addr sampling every 100ms.
func plainTarget(name, addr string) TargetConfig {
	return TargetConfig{Name: name, Address: addr, TLS: TLSConfig{Insecure: true}, SampleInterval: 100 * time.Millisecond}
}

// startTarget starts an in-process target that Close()s at cleanup.
func startTarget(t *testing.T, cfg target.Config) *target.Target {
	t.Helper()
	tg, err := target.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tg.Close)
	return tg
}

// r1Target starts a target for r1 with eth0 (10.0.0.1/31, 10G) carrying
// 2 Gbit/s in and 4 Gbit/s out.
func r1Target(t *testing.T, cfg target.Config) *target.Target {
	t.Helper()
	tg := startTarget(t, cfg)
	must(t, tg.SetInterface(target.Interface{Name: "eth0", Speed: 10e9,
		Addresses: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/31")}}))
	must(t, tg.SetRates("eth0", 2e9, 4e9))
	return tg
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// harness runs a collector into a real topology store through a tap that
// records every update.
type harness struct {
	t     *testing.T
	c     *Collector
	store *topology.Store
	logs  *collectortest.LogBuffer
	topo  chan<- topology.Update // extra updates for the store (BGP-LS changes)

	mu      sync.Mutex
	updates []topology.Update
}

func startHarness(t *testing.T, cfg Config, base *topology.Update) *harness {
	t.Helper()
	logger, logs := collectortest.Logger(t)
	store := topology.NewStore(topology.DefaultConfig(), nil)
	if base != nil {
		store.Apply(*base)
		store.Flush()
	}
	c, err := New(cfg, store, logger)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	out := make(chan topology.Update)
	storeIn := make(chan topology.Update)
	h := &harness{t: t, c: c, store: store, logs: logs, topo: storeIn}
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := store.Run(ctx, storeIn); err != nil {
			t.Errorf("store.Run() = %v", err)
		}
	})
	wg.Go(func() {
		for {
			select {
			case <-ctx.Done():
				return
			case u := <-out:
				h.mu.Lock()
				h.updates = append(h.updates, u)
				h.mu.Unlock()
				select {
				case storeIn <- u:
				case <-ctx.Done():
					return
				}
			}
		}
	})
	wg.Go(func() {
		if err := c.Run(ctx, out); err != nil {
			t.Errorf("Run() = %v, want nil", err)
		}
	})
	t.Cleanup(wg.Wait) // t.Context is cancelled just before cleanups run
	return h
}

// sendTopology hands a topology update to the store.
func (h *harness) sendTopology(u topology.Update) {
	select {
	case h.topo <- u:
	case <-time.After(10 * time.Second):
		h.t.Fatal("store did not take the update")
	}
}

// link returns the current merged view of a link.
func (h *harness) link(id topology.LinkID) (topology.Link, bool) {
	g := h.store.Snapshot()
	i, ok := g.LinkIndex(id)
	if !ok {
		return topology.Link{}, false
	}
	return *g.Link(i), true
}

// metric returns a link metric from the merged graph and its source.
func (h *harness) metric(id topology.LinkID, m topology.Metric) (topology.Value, bool) {
	l, ok := h.link(id)
	if !ok {
		return topology.Value{}, false
	}
	return l.Metrics[m], l.Metrics[m].Set
}

// overlays returns every overlay sent for a link, in order, with the op.
func (h *harness) overlays(id topology.LinkID) (ups []topology.LinkOverlay, withdrawals int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, u := range h.updates {
		for _, o := range u.Overlays {
			if o.Link != id {
				continue
			}
			if u.Op == topology.OpWithdraw {
				withdrawals++
			} else {
				ups = append(ups, o)
			}
		}
	}
	return ups, withdrawals
}

// item returns the status of target i.
func (h *harness) item(i int) (st struct {
	State, LastError string
	Up               bool
	LastUpdate       time.Time
	Counters         map[string]uint64
}) {
	it := h.c.Status().Items[i]
	st.State, st.LastError, st.Up, st.LastUpdate, st.Counters = it.State, it.LastError, it.Up, it.LastUpdate, it.Counters
	return st
}

// near reports whether got is within rel (relative) of want.
func near(got, want, rel float64) bool {
	d := got - want
	if d < 0 {
		d = -d
	}
	return d <= rel*want
}

// ctxWait is a bounded context for blocking helpers of the target.
func ctxWait(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

var discardLogger = slog.New(slog.DiscardHandler)
