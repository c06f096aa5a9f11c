package gnmi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/altosdn/altosdn/collectors"
	"github.com/altosdn/altosdn/topology"
)

// GraphSource gives the current topology, to match interfaces to links.
// *topology.Store satisfies it.
type GraphSource interface {
	Snapshot() *topology.Graph
}

// flushInterval is how often the engine expires old telemetry and sends
// the overlays that changed: often enough that a link going down is seen
// at once, rarely enough that a burst of samples becomes one update.
const flushInterval = 200 * time.Millisecond

// publishInterval bounds how often Links is refreshed.
const publishInterval = time.Second

// Collector subscribes to gNMI targets and turns their interface telemetry
// into link overlays: utilised and available bandwidth, and oper-status.
type Collector struct {
	cfg    Config
	graph  GraphSource
	logger *slog.Logger
	board  *board

	running   atomic.Bool
	ready     atomic.Bool
	pending   atomic.Int64  // targets whose first attempt is not over
	firstDone []atomic.Bool // per target

	telMu sync.Mutex
	tel   []LinkTelemetry
}

var (
	_ collectors.Collector      = (*Collector)(nil)
	_ collectors.StatusReporter = (*Collector)(nil)
)

// New validates cfg and reads every target's TLS and credential files, so
// that a typo stops the daemon at startup. A nil logger discards.
func New(cfg Config, graph GraphSource, logger *slog.Logger) (*Collector, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if graph == nil {
		return nil, errors.New("gnmi: no graph source")
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("gnmi: %w", err)
	}
	var errs []error
	for i, t := range cfg.Targets {
		if _, err := t.TLS.tlsConfig(); err != nil {
			errs = append(errs, fmt.Errorf("targets[%d] (%s).%w", i, t.Name, err))
		}
		if _, _, err := t.credentials(); err != nil {
			errs = append(errs, fmt.Errorf("targets[%d] (%s).%w", i, t.Name, err))
		}
		if t.TLS.Insecure && t.UsernameFile != "" {
			logger.Warn("gnmi credentials will be sent in plaintext", "target", t.Name, "address", t.Address)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("gnmi: %w", err)
	}
	c := &Collector{
		cfg:       cfg,
		graph:     graph,
		logger:    logger,
		board:     newBoard(cfg.Targets),
		firstDone: make([]atomic.Bool, len(cfg.Targets)),
	}
	c.pending.Store(int64(len(cfg.Targets)))
	return c, nil
}

// Name returns "gnmi".
func (c *Collector) Name() string { return string(topology.SourceGNMI) }

// Ready reports whether every target has had its first chance: it either
// completed its initial sync or failed its first attempt. Telemetry only
// refines the topology, so an unreachable router must not hold up the
// daemon's readiness; its state is in Status.
func (c *Collector) Ready() bool { return c.ready.Load() }

// Status returns per-target health: session state, whether the stream is
// up, when data last arrived, the last error and counters.
func (c *Collector) Status() collectors.Status {
	return collectors.Status{Name: c.Name(), Ready: c.Ready(), Items: c.board.snapshot()}
}

// Links returns what telemetry currently says about each link it covers,
// including utilisation, sorted by link ID. It is refreshed about once a
// second while Run runs.
func (c *Collector) Links() []LinkTelemetry {
	c.telMu.Lock()
	defer c.telMu.Unlock()
	return slices.Clone(c.tel)
}

// firstAttemptDone marks target i's first attempt as over.
func (c *Collector) firstAttemptDone(i int) {
	if c.firstDone[i].CompareAndSwap(false, true) && c.pending.Add(-1) == 0 && c.running.Load() {
		c.ready.Store(true)
	}
}

// Run subscribes to every target, one goroutine each, and sends link
// overlays from source gnmi until ctx is done; then it returns nil.
// Unreachable targets are retried with backoff and never stop Run. Run
// must be called at most once.
func (c *Collector) Run(ctx context.Context, out chan<- topology.Update) error {
	if !c.running.CompareAndSwap(false, true) {
		return errors.New("gnmi: Run called twice")
	}
	if c.pending.Load() == 0 {
		c.ready.Store(true)
	}
	e := newEngine(c.cfg, c.graph, c.board, c.logger)
	// Sessions only hand over notifications; the engine decodes them, so
	// the buffer bounds memory while a slow store pushes back.
	events := make(chan event, 64+4*len(c.cfg.Targets))
	sctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	for i := range c.cfg.Targets {
		wg.Go(func() { c.session(sctx, i, events) })
	}
	c.logger.Info("gnmi collector started", "targets", len(c.cfg.Targets))

	tick := time.NewTicker(flushInterval)
	defer tick.Stop()
	var published time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev := <-events:
			e.handle(ev)
		case now := <-tick.C:
			e.expire(now)
			if !e.flush(ctx, out, now) {
				return nil
			}
			if e.telemetryDirty && now.Sub(published) >= publishInterval {
				tel := e.snapshotTelemetry()
				c.telMu.Lock()
				c.tel = tel
				c.telMu.Unlock()
				e.telemetryDirty, published = false, now
			}
		}
	}
}
