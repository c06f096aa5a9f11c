package gnmi

import (
	"context"
	"log/slog"
	"net/netip"
	"slices"
	"time"

	gpb "github.com/openconfig/gnmi/proto/gnmi"

	"github.com/altosdn/altosdn/topology"
)

// ifaceState is what the engine knows of one interface of one target.
type ifaceState struct {
	name    string
	in, out counter
	// oper-status and speeds expire with the TTL like the rates.
	oper      operStatus
	operAt    time.Time
	speed     [3]uint64 // port, negotiated, lag; bits/s, 0 unknown
	speedAt   time.Time
	lastClear uint64
	clearSeen bool                     // lastClear was received at least once
	addrs     map[netip.Addr]time.Time // address → last seen
	links     []topology.LinkID        // links this interface feeds
}

// capacity returns the interface's speed in bits/s, 0 when unknown:
// negotiated beats configured port speed, and a LAG has only lag-speed.
func (f *ifaceState) capacity() float64 {
	switch {
	case f.speed[1] > 0:
		return float64(f.speed[1])
	case f.speed[0] > 0:
		return float64(f.speed[0])
	}
	return float64(f.speed[2])
}

// targetState is what the engine knows of one target.
type targetState struct {
	i      int
	cfg    TargetConfig
	ttl    time.Duration
	ifaces map[string]*ifaceState
	links  int // links bound, for logs and status
}

func (t *targetState) iface(name string) *ifaceState {
	f, ok := t.ifaces[name]
	if !ok {
		f = &ifaceState{name: name, addrs: map[netip.Addr]time.Time{}}
		t.ifaces[name] = f
	}
	return f
}

// engine owns all telemetry state; only the Run goroutine touches it, so
// it needs no locks. It turns notifications into per-interface rates and
// states, binds interfaces to links, and produces overlay updates.
type engine struct {
	cfg     Config
	logger  *slog.Logger
	board   *board
	targets []*targetState
	dec     decoder

	graph    GraphSource
	index    *linkIndex
	indexAt  time.Time
	rebind   bool                                     // interfaces or addresses changed
	bindings map[topology.LinkID]binding              // link → the interfaces that feed it
	sent     map[topology.LinkID]topology.LinkOverlay // what the store has from us
	dirty    map[topology.LinkID]struct{}
	warned   map[string]bool // interface_links problems already logged
	resets   []*ifaceState   // interfaces reset in the notification being applied

	telemetry      map[topology.LinkID]LinkTelemetry // links with an overlay
	telemetryDirty bool                              // changed since last published
}

func newEngine(cfg Config, graph GraphSource, b *board, logger *slog.Logger) *engine {
	e := &engine{
		cfg: cfg, logger: logger, board: b, graph: graph,
		bindings: map[topology.LinkID]binding{},
		sent:     map[topology.LinkID]topology.LinkOverlay{},
		dirty:    map[topology.LinkID]struct{}{},

		telemetry: map[topology.LinkID]LinkTelemetry{},
	}
	for i, tc := range cfg.Targets {
		e.targets = append(e.targets, &targetState{
			i: i, cfg: tc.withDefaults(), ttl: cfg.ttl(tc), ifaces: map[string]*ifaceState{},
		})
	}
	return e
}

// handle applies one session event.
func (e *engine) handle(ev event) {
	t := e.targets[ev.target]
	switch ev.kind {
	case evStream:
		for _, f := range t.ifaces {
			f.in.clear()
			f.out.clear()
		}
	case evData:
		e.board.received(t.i, ev.at)
		e.apply(t, ev.n, ev.at)
	}
}

// apply folds one notification into the target's state.
func (e *engine) apply(t *targetState, n *gpb.Notification, now time.Time) {
	errsBefore := e.dec.errs
	samples := e.dec.decode(n)
	e.board.count(t.i, cntDecodeErrors, uint64(e.dec.errs-errsBefore))
	ts := n.GetTimestamp()
	// last-clear first: a clear the counters themselves may not show (they
	// grew past the old value before the next sample) must re-baseline
	// before this notification's counters are used.
	for k := range samples {
		if s := &samples[k]; s.kind == leafLastClear && !s.deleted {
			f := t.iface(s.iface)
			if f.clearSeen && s.u != f.lastClear {
				f.in.clear()
				f.out.clear()
				e.noteReset(f)
			}
			f.lastClear, f.clearSeen = s.u, true
		}
	}
	noTS := false
	for k := range samples {
		s := &samples[k]
		if s.deleted {
			e.deleteSample(t, s)
			continue
		}
		f := t.iface(s.iface)
		switch s.kind {
		case leafInOctets, leafOutOctets:
			c := &f.in
			if s.kind == leafOutOctets {
				c = &f.out
			}
			// The capacity check uses the interface speed only: the link's
			// BGP-LS bandwidth is unknown until the interface is bound.
			res := c.update(s.u, ts, now, f.capacity(), t.ttl)
			switch res {
			case rateOK, rateWrapped:
				e.markIface(f)
				if res == rateWrapped {
					e.board.count(t.i, cntWraps, 1)
				}
			case rateReset:
				e.noteReset(f)
				e.logger.Debug("gnmi counter went down, re-baselined", "target", t.cfg.Name, "interface", f.name, "leaf", s.kind.String())
			case rateStale:
				e.board.count(t.i, cntStale, 1)
			case rateImplausible:
				e.board.count(t.i, cntImplausible, 1)
				e.logger.Debug("gnmi rate above port speed dropped", "target", t.cfg.Name, "interface", f.name, "leaf", s.kind.String())
			case rateNoTimestamp:
				noTS = true
			}
		case leafLastClear:
			// handled above
		case leafOperStatus:
			if f.oper != s.oper {
				// First news after startup or expiry is routine; a flap is not.
				level := slog.LevelDebug
				if f.oper != operUnknown && s.oper != operUnknown {
					level = slog.LevelInfo
				}
				e.logger.Log(context.Background(), level, "gnmi interface oper-status changed", "target", t.cfg.Name,
					"interface", f.name, "from", f.oper.String(), "to", s.oper.String())
				e.markIface(f)
			}
			f.oper, f.operAt = s.oper, now
		case leafPortSpeed, leafNegotiatedSpeed, leafLagSpeed:
			idx := int(s.kind - leafPortSpeed) // port, negotiated, lag are consecutive
			if f.speed[idx] != s.u {
				e.markIface(f)
			}
			f.speed[idx], f.speedAt = s.u, now
		case leafAddress:
			if _, ok := f.addrs[s.addr]; !ok {
				e.rebind = true
			}
			f.addrs[s.addr] = now
		}
	}
	if noTS {
		e.board.count(t.i, cntNoTimestamp, 1)
	}
	e.board.count(t.i, cntResets, uint64(len(e.resets)))
	e.resets = e.resets[:0]
}

// noteReset records that an interface's counters were reset in the
// notification being applied; in and out resetting together count once.
func (e *engine) noteReset(f *ifaceState) {
	if !slices.Contains(e.resets, f) {
		e.resets = append(e.resets, f)
	}
}

func (e *engine) deleteSample(t *targetState, s *sample) {
	f, ok := t.ifaces[s.iface]
	if !ok {
		return
	}
	switch s.kind {
	case leafInterface:
		e.markIface(f)
		delete(t.ifaces, s.iface)
		e.rebind = true
	case leafAddress:
		if _, ok := f.addrs[s.addr]; ok {
			delete(f.addrs, s.addr)
			e.rebind = true
		}
	}
}

// markIface marks the links an interface feeds for recomputation.
func (e *engine) markIface(f *ifaceState) {
	for _, id := range f.links {
		e.dirty[id] = struct{}{}
	}
}

// expire drops telemetry older than each target's TTL, so that links fall
// back to their nominal metrics instead of keeping old measurements.
func (e *engine) expire(now time.Time) {
	for _, t := range e.targets {
		expired := false
		for name, f := range t.ifaces {
			changed := f.in.expire(now, t.ttl)
			changed = f.out.expire(now, t.ttl) || changed
			if f.oper != operUnknown && now.Sub(f.operAt) > t.ttl {
				f.oper, changed = operUnknown, true
			}
			if f.speed != [3]uint64{} && now.Sub(f.speedAt) > t.ttl {
				f.speed, changed = [3]uint64{}, true
			}
			for a, seen := range f.addrs {
				if now.Sub(seen) > t.ttl {
					delete(f.addrs, a)
					e.rebind = true
				}
			}
			if changed {
				e.markIface(f)
				expired = true
			}
			if !f.in.hasRate && !f.out.hasRate && f.oper == operUnknown && f.speed == [3]uint64{} && len(f.addrs) == 0 {
				delete(t.ifaces, name) // forget interfaces that went quiet for good
				e.rebind = true
			}
		}
		if expired {
			e.board.count(t.i, cntExpired, 1)
			e.logger.Info("gnmi telemetry expired, links fall back to nominal metrics", "target", t.cfg.Name, "ttl", t.ttl)
		}
	}
}
