package static

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/altosdn/altosdn/collectors"
	"github.com/altosdn/altosdn/topology"
)

// Collector serves a topology read from a file, or the built-in demo
// network, and resends it when the file changes.
type Collector struct {
	cfg    Config
	logger *slog.Logger
	ready  atomic.Bool

	// After New these belong to Run, which must be called at most once.
	current *Topology // the last good topology
	seen    fileState // the file as last read, good or bad
}

var _ collectors.Collector = (*Collector)(nil)

// New validates cfg and loads the topology now, so that a bad file stops
// the daemon at startup rather than leaving it half-configured. A nil
// logger discards.
func New(cfg Config, logger *slog.Logger) (*Collector, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	c := &Collector{cfg: cfg, logger: logger}
	if cfg.File == "" {
		t, err := Demo()
		if err != nil {
			return nil, fmt.Errorf("static: demo network: %w", err)
		}
		c.current = t
		logger.Info("no topology file configured, serving the built-in demo network",
			"network", "Abilene (Repetita / Internet Topology Zoo)", "nodes", len(t.Nodes), "links", len(t.Links))
		c.logNotes(t)
		return c, nil
	}
	st, data, err := readFile(cfg.File)
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	t, err := Parse(data, cfg.File, cfg.format())
	if err != nil {
		return nil, fmt.Errorf("static: %w", err)
	}
	c.current, c.seen = t, st
	c.logLoaded("topology file loaded", t)
	return c, nil
}

// Name returns "static".
func (c *Collector) Name() string { return string(topology.SourceStatic) }

// Ready reports whether the first topology has been sent.
func (c *Collector) Ready() bool { return c.ready.Load() }

// Run sends the topology as one replace update, then, if a file is
// configured and ReloadInterval is positive, checks the file every interval
// and sends each changed version that parses. A changed file that does not
// parse is logged at Warn and nothing is sent: the store keeps the last good
// topology. Run returns nil when ctx is done.
func (c *Collector) Run(ctx context.Context, out chan<- topology.Update) error {
	if !collectors.Send(ctx, out, c.current.Update()) {
		return nil
	}
	c.ready.Store(true)
	if c.cfg.File == "" || c.cfg.ReloadInterval <= 0 {
		<-ctx.Done()
		return nil
	}
	tick := time.NewTicker(c.cfg.ReloadInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if t := c.poll(); t != nil {
				if !collectors.Send(ctx, out, t.Update()) {
					return nil
				}
				c.current = t
			}
		}
	}
}

func (c *Collector) logLoaded(msg string, t *Topology) {
	c.logger.Info(msg, "file", c.cfg.File, "format", t.Format,
		"nodes", len(t.Nodes), "links", len(t.Links), "prefixes", len(t.Prefixes))
	c.logNotes(t)
}

func (c *Collector) logNotes(t *Topology) {
	if t.SyntheticPrefixes {
		c.logger.Info("the format carries no prefixes, serving synthetic ones",
			"rule", "node i in name order gets 10.(i>>8).(i&255).0/24 and 2001:db8:<i in hex>::/48")
	}
	for _, n := range t.Notes {
		c.logger.Info("topology import note", "note", n)
	}
}
