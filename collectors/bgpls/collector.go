package bgpls

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	gobgpapi "github.com/osrg/gobgp/v4/api"
	gobgp "github.com/osrg/gobgp/v4/pkg/server"

	"github.com/altosdn/altosdn/collectors"
	"github.com/altosdn/altosdn/topology"
)

// Collector learns the topology from BGP-LS peers through an embedded
// GoBGP and sends it to the topology store as [topology.SourceBGPLS].
type Collector struct {
	cfg       Config
	logger    *slog.Logger
	peerIdx   map[netip.Addr]int // peer address → index in cfg.Peers
	passwords []string
	ready     atomic.Bool
	started   atomic.Bool
	server    atomic.Pointer[gobgp.BgpServer] // set once GoBGP runs; for tests

	mu    sync.Mutex // guards the status fields of peers
	peers []*peer

	tap    atomic.Pointer[tap]    // the raw-attribute reader, once started
	tapErr atomic.Pointer[string] // why it could not start
}

var (
	_ collectors.Collector      = (*Collector)(nil)
	_ collectors.StatusReporter = (*Collector)(nil)
)

// ErrAlreadyRunning is returned by a second call to [Collector.Run].
var ErrAlreadyRunning = errors.New("bgpls: collector already running")

// tick is how often the run loop looks at its timers (stale hold, quiet
// period, backoff, update interval).
const tick = 25 * time.Millisecond

// decodeWarnEvery rate-limits decode warnings per peer; the others go to
// Debug and all are counted.
const decodeWarnEvery = 10 * time.Second

// New validates cfg and reads the peers' password files. It starts
// nothing: GoBGP is started by Run. A nil logger discards; the daemon
// passes one tagged with the component.
func New(cfg Config, logger *slog.Logger) (*Collector, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("bgpls: %w", err)
	}
	c := &Collector{cfg: cfg, logger: logger, peerIdx: map[netip.Addr]int{}}
	for i, pc := range cfg.Peers {
		pw, err := readPassword(pc.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("bgpls: peers[%d].password_file: %w", i, err)
		}
		c.passwords = append(c.passwords, pw)
		c.peerIdx[pc.Address.Unmap()] = i
		c.peers = append(c.peers, &peer{
			cfg: pc, idx: i, name: pc.name(), state: "idle",
			counters: map[string]uint64{},
		})
	}
	return c, nil
}

// Name returns "bgpls".
func (c *Collector) Name() string { return string(topology.SourceBGPLS) }

// Ready reports whether the initial topology has been sent: some peer has
// sent End-of-RIB for every family, or has added no new route for
// ConvergenceQuiet. It stays true afterwards; later session losses are
// covered by the stale hold instead.
func (c *Collector) Ready() bool { return c.ready.Load() }

// Status returns the state and counters of every peer.
func (c *Collector) Status() collectors.Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	st := collectors.Status{Name: c.Name(), Ready: c.Ready()}
	for _, p := range c.peers {
		st.Items = append(st.Items, p.status())
	}
	switch t := c.tap.Load(); {
	case t != nil:
		st.Items = append(st.Items, t.health.item())
	case c.tapErr.Load() != nil:
		st.Items = append(st.Items, collectors.ItemStatus{Name: "attribute-tap", State: "unavailable", LastError: *c.tapErr.Load()})
	}
	return st
}

// Run starts GoBGP, peers as configured and sends topology updates on out
// until ctx is done; then it closes every session and returns nil. It
// returns an error only if GoBGP cannot start, for example because the
// listen port is taken. Run may be called once.
//
// Nothing is sent before the initial convergence (see Ready); then one
// replace update carries the whole topology, and later changes follow as
// withdrawals and upserts at most every UpdateInterval.
func (c *Collector) Run(ctx context.Context, out chan<- topology.Update) error {
	if c.started.Swap(true) {
		return ErrAlreadyRunning
	}
	s, err := newServer(ctx, &c.cfg, c.logger)
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting
		}
		return fmt.Errorf("bgpls: %w", err)
	}
	c.server.Store(s)
	l := &loop{c: c, out: out, rib: newRIB(len(c.peers)), events: make(chan *event, 256), deriver: newDeriver()}
	l.prev = newGraph()
	l.server = s

	watchCtx, cancelWatch := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancelWatch()
		s.Stop() // each established session gets a Cease
		wg.Wait()
	}()
	send := func(ev *event) bool {
		select {
		case l.events <- ev:
			return true
		case <-watchCtx.Done():
			return false
		}
	}

	if err := c.startTap(watchCtx, s, send, &wg); err != nil {
		msg := err.Error()
		c.tapErr.Store(&msg)
		// Without the tap only the TLVs GoBGP drops are missing.
		c.logger.Warn("bgp-ls attribute tap unavailable; loss, residual/available/utilized bandwidth, prefix metric and ASLA values will be missing", "err", err)
	}
	if err := c.watch(watchCtx, s, send); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("bgpls: watch: %w", err)
	}
	for i, pc := range c.cfg.Peers {
		if err := s.AddPeer(ctx, &gobgpapi.AddPeerRequest{Peer: peerRequest(&c.cfg, pc, c.passwords[i])}); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("bgpls: add peer %s: %w", pc.Address, err)
		}
	}
	c.logger.Info("bgp-ls collector started", "local_asn", c.cfg.LocalASN, "router_id", c.cfg.RouterID,
		"listen_port", c.cfg.ListenPort, "peers", len(c.cfg.Peers))
	return l.run(ctx)
}

// startTap creates the tap's FIFO, points GoBGP's MRT update dump at it
// and starts reading. Routes GoBGP receives before its dump goroutine has
// subscribed reach the rib without their extra TLVs until re-advertised;
// peers are added only after this returns, so in practice none do.
func (c *Collector) startTap(ctx context.Context, s *gobgp.BgpServer, send func(*event) bool, wg *sync.WaitGroup) error {
	t, err := newTap()
	if err != nil {
		return err
	}
	t.logger, t.peers = c.logger, c.peerIdx
	t.emit = func(peer int, items []tapItem, errs int, lastErr error) bool {
		return send(&event{kind: evTap, peer: peer, tap: items, decodeErrs: errs, lastErr: lastErr})
	}
	if err := enableMRT(ctx, s, t.path); err != nil {
		os.RemoveAll(t.dir)
		return err
	}
	c.tap.Store(t)
	wg.Add(1)
	go func() {
		defer wg.Done()
		t.run(ctx)
	}()
	return nil
}
