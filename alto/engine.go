package alto

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/altosdn/altosdn/topology"
)

// Source is what the engine needs from the topology store.
type Source interface {
	// Watch returns the current graph and a channel closed when a newer
	// graph is published.
	Watch() (*topology.Graph, <-chan struct{})
}

// Engine recomputes the maps when the topology changes and publishes them
// atomically.
type Engine struct {
	cfg      Config
	src      Source
	logger   *slog.Logger
	planning *Planning // attached to every Maps published

	cur atomic.Pointer[publishedMaps]
}

// publishedMaps pairs maps with the channel closed when they are superseded.
type publishedMaps struct {
	maps *Maps
	next chan struct{}
}

// NewEngine checks the configuration and returns an engine that has not yet
// computed anything. A nil logger discards.
func NewEngine(cfg Config, src Source, logger *slog.Logger) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("alto: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	e := &Engine{cfg: cfg, src: src, logger: logger, planning: NewPlanning(cfg, nil, nil, logger)}
	e.cur.Store(&publishedMaps{next: make(chan struct{})})
	return e, nil
}

// SetPlanning gives the maps the inventory and link history behind
// property maps and calendars. Call it before Run; without it the maps
// have neither.
func (e *Engine) SetPlanning(p *Planning) { e.planning = p }

// Config returns the engine's configuration.
func (e *Engine) Config() Config { return e.cfg }

// Current returns the latest maps, or nil before the first computation.
func (e *Engine) Current() *Maps { return e.cur.Load().maps }

// Watch returns the latest maps (nil before the first computation) and a
// channel that is closed when newer maps are published.
func (e *Engine) Watch() (*Maps, <-chan struct{}) {
	p := e.cur.Load()
	return p.maps, p.next
}

// Run computes the maps for the current topology, then again after every
// change, never more often than RecomputeMinInterval. It returns nil when
// ctx is done. A failed computation is logged and the last good maps keep
// being served.
func (e *Engine) Run(ctx context.Context) error {
	var last time.Time
	var lastGraph *topology.Graph
	lastEmpty := false
	first := true
	for {
		g, changed := e.src.Watch()
		if first || g != lastGraph {
			// The interval protects against churn; the step from the empty
			// start-up graph to the first real one is not churn.
			if wait := e.cfg.RecomputeMinInterval - time.Since(last); !first && !lastEmpty && wait > 0 {
				t := time.NewTimer(wait)
				select {
				case <-ctx.Done():
					t.Stop()
					return nil
				case <-t.C:
				}
				// Take whatever arrived while waiting: one computation for the burst.
				g, changed = e.src.Watch()
			}
			first = false
			last = time.Now()
			lastGraph = g
			lastEmpty = g.NumNodes() == 0
			e.compute(g)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-changed:
		}
	}
}

func (e *Engine) compute(g *topology.Graph) {
	maps, err := Build(g, e.cfg)
	if err != nil {
		e.logger.Error("map computation failed; serving the previous maps", "generation", g.Generation(), "err", err)
		return
	}
	maps.planning = e.planning
	maps = reuseUnchanged(e.Current(), maps)
	old := e.cur.Swap(&publishedMaps{maps: maps, next: make(chan struct{})})
	close(old.next)
	e.logger.Info("maps computed", "generation", maps.Generation, "pids", len(maps.NetworkMap.PIDs),
		"nodes", g.NumNodes(), "links", g.NumLinks(), "vtag", maps.NetworkMap.Tag, "duration", maps.Duration)
}

// reuseUnchanged keeps the previous value of every resource whose content is
// unchanged, so its encoded body, compressed body and identity carry over.
func reuseUnchanged(prev, next *Maps) *Maps {
	if prev == nil {
		return next
	}
	if prev.NetworkMap.Tag == next.NetworkMap.Tag {
		next.NetworkMap = prev.NetworkMap
	}
	for i, c := range next.CostMaps {
		if old, ok := prev.CostMap(c.ResourceID); ok && old.Response.Tag == c.Response.Tag {
			next.CostMaps[i] = old
		}
	}
	return next
}
