package bgpls_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors"
	"github.com/altosdn/altosdn/collectors/bgpls"
	"github.com/altosdn/altosdn/collectors/bgpls/rawbgp"
	"github.com/altosdn/altosdn/collectors/bgpls/speaker"
	"github.com/altosdn/altosdn/topology"
)

// Every speaker in these tests gets its own loopback address, because a
// passive BGP peer is recognised by its source address. Linux routes all
// of 127.0.0.0/8 to lo.
var nextLoopback atomic.Uint32

func init() { nextLoopback.Store(uint32(os.Getpid()%50) * 4) }

// loopback returns a fresh 127.0.x.y address.
func loopback(t testing.TB) netip.Addr {
	t.Helper()
	n := 2 + nextLoopback.Add(1)%60000
	return netip.AddrFrom4([4]byte{127, 0, byte(n >> 8), byte(n)})
}

// freePort returns a TCP port that was free on addr a moment ago.
func freePort(t testing.TB, addr netip.Addr) int32 {
	t.Helper()
	ln, err := net.Listen("tcp", netip.AddrPortFrom(addr, 0).String())
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer ln.Close()
	return int32(ln.Addr().(*net.TCPAddr).Port)
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})).With("test", t.Name())
	}
	return slog.New(slog.DiscardHandler)
}

// harness is a running collector feeding a topology store.
//
// GoBGP v4.8 keeps route-selection settings in package variables that
// every server writes when it starts and reads while handling routes. So
// that the race detector sees those accesses ordered, tests that run a
// GoBGP server do not run in parallel, and the harness makes every running
// server handle a request before and after another one starts
// (speaker.Speaker.Sync).
type harness struct {
	c        *bgpls.Collector
	store    *topology.Store
	addr     netip.Addr // the collector's listen address
	port     int32
	speakers []*speaker.Speaker
}

// sync makes every running GoBGP server handle a request; see harness.
func (h *harness) sync(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.c.SyncGoBGP(ctx); err != nil {
		t.Fatalf("sync the collector's GoBGP: %v", err)
	}
	for _, sp := range h.speakers {
		sp.Sync(ctx) // fails only for speakers already closed
	}
}

// config returns a collector configuration listening on a fresh loopback
// address, with short timers.
func config(t testing.TB) bgpls.Config {
	t.Helper()
	addr := loopback(t)
	cfg := bgpls.DefaultConfig()
	cfg.Enabled = true
	cfg.LocalASN = 65000
	cfg.RouterID = netip.MustParseAddr("192.0.2.1")
	cfg.ListenAddress = addr
	cfg.ListenPort = freePort(t, addr)
	cfg.StaleHold = 2 * time.Second
	cfg.ConvergenceQuiet = 300 * time.Millisecond
	cfg.UpdateInterval = 20 * time.Millisecond
	return cfg
}

// start runs a collector with cfg until the test ends.
func start(t testing.TB, cfg bgpls.Config) *harness {
	t.Helper()
	c, err := bgpls.New(cfg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	store := topology.NewStore(topology.DefaultConfig(), nil)
	ch := make(chan topology.Update, 64)
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	storeDone := make(chan struct{})
	go func() { runErr <- c.Run(ctx, ch) }()
	go func() { store.Run(ctx, ch); close(storeDone) }()
	t.Cleanup(func() {
		cancel()
		if err := <-runErr; err != nil {
			t.Errorf("Run: %v", err)
		}
		<-storeDone
	})
	waitFor(t, 10*time.Second, "GoBGP to start", func() error {
		if !c.GoBGPRunning() {
			return errors.New("not yet")
		}
		return nil
	})
	return &harness{c: c, store: store, addr: cfg.ListenAddress, port: cfg.ListenPort}
}

// peerFor adds a passive peer entry for a speaker at addr to cfg.
func peerFor(cfg *bgpls.Config, addr netip.Addr, asn uint32) {
	cfg.Peers = append(cfg.Peers, bgpls.PeerConfig{Address: addr, ASN: asn, Passive: true})
}

// speak starts a speaker from addr toward h and waits for the session.
func (h *harness) speak(t testing.TB, addr netip.Addr, asn uint32, mod ...func(*speaker.Config)) *speaker.Speaker {
	t.Helper()
	return h.speakWith(t, addr, asn, speaker.Topology{}, mod...)
}

// speakWith is speak with a topology advertised before the session comes
// up, so that it is the initial table (followed by End-of-RIB when the
// speaker offers graceful restart).
func (h *harness) speakWith(t testing.TB, addr netip.Addr, asn uint32, topo speaker.Topology, mod ...func(*speaker.Config)) *speaker.Speaker {
	t.Helper()
	cfg := speaker.Config{
		LocalASN: asn, RouterID: netip.MustParseAddr("192.0.2.66"), LocalAddress: addr,
		PeerAddress: h.addr, PeerPort: uint16(h.port), PeerASN: 65000,
	}
	if addr.Is4() {
		cfg.RouterID = addr // unique per speaker, as iBGP needs
	}
	for _, m := range mod {
		m(&cfg)
	}
	sp, err := speaker.New(cfg, testLogger(t).With("speaker", addr))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	h.sync(t)
	if err := sp.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sp.Close() })
	h.sync(t)
	h.speakers = append(h.speakers, sp)
	if len(topo.Nodes)+len(topo.Links)+len(topo.Prefixes)+len(topo.Routes) > 0 {
		if err := sp.Advertise(topo); err != nil {
			t.Fatal(err)
		}
	}
	if err := sp.WaitEstablished(ctx); err != nil {
		t.Fatal(err)
	}
	return sp
}

func withGR(c *speaker.Config) { c.GracefulRestart = true }

// waitFor polls cond until it holds or the timeout passes. Timeouts are
// generous: the machine is shared and runs with -race.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var err error
	for {
		if err = cond(); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s, still waiting for %s: %v", timeout, what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// graphHas returns nil when the store's graph has exactly n nodes, l links
// and p prefixes.
func (h *harness) graphHas(n, l, p int) func() error {
	return func() error {
		g := h.store.Snapshot()
		if g.NumNodes() != n || g.NumLinks() != l || len(g.Prefixes()) != p {
			return fmt.Errorf("graph has %d nodes, %d links, %d prefixes; want %d, %d, %d",
				g.NumNodes(), g.NumLinks(), len(g.Prefixes()), n, l, p)
		}
		return nil
	}
}

// tracker records the size of every graph the store publishes, so a test
// can check that the graph never shrank while it should not.
type tracker struct {
	mu    sync.Mutex
	sizes [][3]int
}

func (h *harness) track(t testing.TB) *tracker {
	tr := &tracker{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			g, next := h.store.Watch()
			tr.mu.Lock()
			tr.sizes = append(tr.sizes, [3]int{g.NumNodes(), g.NumLinks(), len(g.Prefixes())})
			tr.mu.Unlock()
			select {
			case <-next:
			case <-ctx.Done():
				return
			}
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return tr
}

// min returns the smallest node, link and prefix counts seen so far.
func (tr *tracker) min() [3]int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	m := [3]int{1 << 30, 1 << 30, 1 << 30}
	for _, s := range tr.sizes {
		for i := range s {
			m[i] = min(m[i], s[i])
		}
	}
	return m
}

// link returns the link from a to b in the store's graph.
func (h *harness) link(a, b topology.NodeID) (topology.Link, bool) {
	g := h.store.Snapshot()
	for _, l := range g.Links() {
		if l.Key.Local == a && l.Key.Remote == b {
			return l, true
		}
	}
	return topology.Link{}, false
}

// peerStatus returns the status of the peer named name.
func (h *harness) peerStatus(name string) collectors.ItemStatus {
	for _, it := range h.c.Status().Items {
		if it.Name == name {
			return it
		}
	}
	return collectors.ItemStatus{}
}

// raw opens a raw BGP session from addr to h, retrying while the
// collector is not yet listening or still holds the peer idle after a
// reset (GoBGP waits 5s before accepting it again).
func (h *harness) raw(t testing.TB, addr netip.Addr, asn uint32, mod ...func(*rawbgp.Open)) *rawbgp.Session {
	t.Helper()
	open := rawbgp.Open{AS: asn, HoldTime: 90, RouterID: netip.MustParseAddr("198.18.0.1")}
	if addr.Is4() {
		open.RouterID = addr
	}
	for _, m := range mod {
		m(&open)
	}
	var s *rawbgp.Session
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		var err error
		s, err = rawbgp.Dial(ctx, addr, netip.AddrPortFrom(h.addr, uint16(h.port)), open)
		cancel()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no raw session after 30s: %v", err)
		}
		time.Sleep(250 * time.Millisecond) // each refused attempt costs GoBGP a warning
	}
	t.Cleanup(func() { s.Close() })
	return s
}
