package bgpls

import (
	"context"
	"log/slog"
	"time"

	gobgpapi "github.com/osrg/gobgp/v4/api"
	gobgp "github.com/osrg/gobgp/v4/pkg/server"

	"github.com/altosdn/altosdn/collectors"
	"github.com/altosdn/altosdn/topology"
)

// maxDeriveGap caps the pause between derivations that a slow derivation
// imposes (ten times its duration).
const maxDeriveGap = 5 * time.Second

// loop is the state of one Run: the rib and everything derived from it.
// Only the Run goroutine touches it.
type loop struct {
	c      *Collector
	out    chan<- topology.Update
	server *gobgp.BgpServer
	events chan *event
	rib    *rib

	prev      *graph        // what the store holds from us
	spare     *graph        // the graph before prev, reused by the next derivation
	deriver   *deriver      // scratch space for derivations
	lastTook  time.Duration // how long the last derivation and diff took
	lastEvent time.Time     // when the last event arrived
	dirty     bool          // rib changed since prev was derived
	sentFirst bool          // the initial replace has been sent
	lastSend  time.Time     // when updates were last derived and sent
}

func (l *loop) run(ctx context.Context) error {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev := <-l.events:
			now := time.Now()
			l.lastEvent = now
			l.handle(ev, now)
			// Take what else is queued before looking at timers, so a
			// burst of updates costs one derivation.
		drain:
			for range 256 {
				select {
				case ev := <-l.events:
					l.handle(ev, now)
				default:
					break drain
				}
			}
		case now := <-t.C:
			l.housekeep(now)
			if !l.flush(ctx, now) {
				return nil
			}
		}
	}
}

func (l *loop) handle(ev *event, now time.Time) {
	p := l.c.peers[ev.peer]
	switch ev.kind {
	case evPaths:
		l.onPaths(p, ev, now)
	case evTap:
		for _, it := range ev.tap {
			l.rib.setExtras(p.idx, it.key, it.x)
		}
		l.dirty = l.dirty || len(ev.tap) > 0
		l.onDecodeErrors(p, ev, now, "bgp-ls attribute did not decode")
	case evEoR:
		if p.up {
			p.eor |= ev.eor
			l.c.logger.Debug("end-of-rib received", "peer", p.name, "family", ev.eor.String())
		}
	case evState:
		l.onState(p, ev.state, now)
	}
}

func (l *loop) onPaths(p *peer, ev *event, now time.Time) {
	var received, withdrawn uint64
	for _, it := range ev.paths {
		received++
		if it.withdraw {
			withdrawn++
			l.rib.withdraw(p.idx, it.key)
			continue
		}
		if e, ok := l.rib.tables[p.idx][it.key]; !ok || e.gen < l.rib.sessions[p.idx].gen {
			p.lastNew = now
		}
		l.rib.update(p.idx, it.key, it.r)
	}
	l.dirty = l.dirty || received > 0
	l.status(func() {
		p.counters[counterReceived] += received
		p.counters[counterWithdrawn] += withdrawn
		p.counters[counterUnsupported] += uint64(ev.unsupported)
		p.counters[counterCurrent] = uint64(len(l.rib.tables[p.idx]))
		if received > 0 {
			p.lastUpdate = now
		}
	})
	l.onDecodeErrors(p, ev, now, "bgp-ls nlri did not decode")
}

// onDecodeErrors counts and logs what did not decode. The session stays
// up and the rest of the update is used.
func (l *loop) onDecodeErrors(p *peer, ev *event, now time.Time, msg string) {
	if ev.decodeErrs == 0 {
		return
	}
	l.status(func() {
		p.counters[counterDecodeErr] += uint64(ev.decodeErrs)
		p.lastError = ev.lastErr.Error()
	})
	level := slog.LevelDebug
	if now.Sub(p.lastWarn) >= decodeWarnEvery {
		level, p.lastWarn = slog.LevelWarn, now
	}
	l.c.logger.Log(context.Background(), level, msg, "peer", p.name, "count", ev.decodeErrs, "err", ev.lastErr)
}

func (l *loop) onState(p *peer, sc stateChange, now time.Time) {
	cfg := &l.c.cfg
	l.status(func() {
		if sc.state != p.state && (p.state != "backoff" || sc.established) {
			p.state, p.since = sc.state, now
		}
	})
	switch {
	case sc.established && !p.up:
		p.upAt, p.lastNew = now, now
		p.eor, p.synced = 0, false
		p.families = sc.families & l.configured()
		if p.families == 0 {
			p.families = l.configured()
		}
		s := &l.rib.sessions[p.idx]
		s.up, s.gen = true, s.gen+1
		if l.rib.staleCount(p.idx) > 0 {
			// Give the new session a whole stale hold to re-advertise.
			p.staleUntil = now.Add(cfg.StaleHold)
		}
		l.status(func() { p.up = true })
		l.dirty = true
		l.c.logger.Info("peer session up", "peer", p.name, "families", familyNames(p.families))
	case !sc.established && p.up:
		l.rib.sessions[p.idx].up = false
		n := l.rib.staleCount(p.idx)
		l.status(func() {
			p.up = false
			p.counters[counterResets]++
			p.counters[counterStale] = uint64(n)
			if sc.reason != "" {
				p.lastError = "session down: " + sc.reason
			}
		})
		l.dirty = true
		l.c.logger.Warn("peer session down", "peer", p.name, "reason", sc.reason,
			"routes_held", n, "stale_hold", cfg.StaleHold)
		if cfg.StaleHold == 0 {
			l.sweep(p, "stale hold is 0")
		} else if n > 0 {
			p.staleUntil = now.Add(cfg.StaleHold)
		}
		l.backoff(p, now)
	}
}

// status runs f with the collector's status lock held; f changes fields
// that Status reads.
func (l *loop) status(f func()) {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	f()
}

func (l *loop) configured() family {
	f := famLS
	if l.c.cfg.IPv4Unicast {
		f |= famIPv4
	}
	if l.c.cfg.IPv6Unicast {
		f |= famIPv6
	}
	return f
}

func familyNames(f family) []string {
	var out []string
	for _, x := range []family{famLS, famIPv4, famIPv6} {
		if f&x != 0 {
			out = append(out, x.String())
		}
	}
	return out
}

// backoff holds a peer down after repeated short-lived sessions. GoBGP on
// its own retries at a fixed interval; a peer that accepts a session and
// then resets it (for example over an NLRI type GoBGP cannot decode) would
// otherwise flap every few seconds.
func (l *loop) backoff(p *peer, now time.Time) {
	cfg := &l.c.cfg
	if now.Sub(p.upAt) < cfg.BackoffMax {
		p.flaps++
	} else {
		p.flaps = 1
	}
	d := backoffDelay(p.flaps, cfg.BackoffMin, cfg.BackoffMax)
	if d == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := l.server.DisablePeer(ctx, &gobgpapi.DisablePeerRequest{
		Address: p.cfg.Address.String(), Communication: "altosdn: backing off after repeated resets",
	})
	if err != nil {
		l.c.logger.Warn("cannot hold peer down for backoff", "peer", p.name, "err", err)
		return
	}
	p.backoff = now.Add(d)
	l.status(func() { p.state, p.since = "backoff", now })
	l.c.logger.Warn("peer reset repeatedly; backing off", "peer", p.name, "resets", p.flaps, "retry_in", d)
}

// housekeep runs the timers: backoff expiry, initial convergence and
// stale-route withdrawal.
func (l *loop) housekeep(now time.Time) {
	cfg := &l.c.cfg
	for _, p := range l.c.peers {
		if !p.backoff.IsZero() && !now.Before(p.backoff) {
			l.enable(p)
		}
		if p.up && !p.synced {
			eor := p.eor&p.families == p.families
			if eor || now.Sub(p.lastNew) >= cfg.ConvergenceQuiet {
				p.synced = true
				how := "quiet period"
				if eor {
					how = "end-of-rib"
				}
				l.c.logger.Info("initial table received", "peer", p.name, "by", how,
					"routes", len(l.rib.tables[p.idx]), "took", now.Sub(p.upAt).Round(time.Millisecond))
				if l.rib.staleCount(p.idx) > 0 {
					l.sweep(p, "not re-advertised after the session came back")
				}
			}
		}
		if !p.staleUntil.IsZero() && !now.Before(p.staleUntil) {
			l.sweep(p, "stale hold expired")
		}
	}
}

func (l *loop) enable(p *peer) {
	p.backoff = time.Time{}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := l.server.EnablePeer(ctx, &gobgpapi.EnablePeerRequest{Address: p.cfg.Address.String()}); err != nil {
		l.c.logger.Warn("cannot enable peer after backoff", "peer", p.name, "err", err)
		return
	}
	l.status(func() { p.state, p.since = "idle", time.Now() })
}

// sweep withdraws p's stale routes.
func (l *loop) sweep(p *peer, why string) {
	p.staleUntil = time.Time{}
	n := l.rib.sweep(p.idx)
	if n == 0 {
		return
	}
	l.dirty = true
	stale, current := l.rib.staleCount(p.idx), len(l.rib.tables[p.idx])
	l.status(func() {
		p.counters[counterSwept] += uint64(n)
		p.counters[counterStale] = uint64(stale)
		p.counters[counterCurrent] = uint64(current)
	})
	l.c.logger.Info("stale routes withdrawn", "peer", p.name, "routes", n, "why", why)
}

// flush derives the graph and sends what changed, at most once per
// UpdateInterval. Nothing is sent before the initial convergence; then the
// whole topology goes as one replace. It reports false if ctx ended first.
func (l *loop) flush(ctx context.Context, now time.Time) bool {
	if !l.sentFirst {
		if !l.anySynced() {
			return true
		}
	} else if !l.dirty || !l.due(now) {
		return true
	}
	start := time.Now()
	next := l.spare
	if next == nil {
		next = newGraph()
	}
	next.reset()
	l.deriver.derive(l.rib, next)
	us := l.updates(next)
	took := time.Since(start)
	for _, u := range us {
		if err := u.Validate(); err != nil {
			// derive filters what the store would reject, so this is a
			// bug; drop the offending elements rather than the update.
			n, first := next.dropInvalid()
			l.c.logger.Error("derived topology had invalid elements; left out", "count", n, "err", first)
			us = l.updates(next)
			break
		}
	}
	for _, u := range us {
		if !collectors.Send(ctx, l.out, *u) {
			return false
		}
	}
	l.spare, l.prev, l.dirty, l.lastSend, l.lastTook = l.prev, next, false, now, took
	if !l.sentFirst {
		l.sentFirst = true
		l.c.ready.Store(true)
		l.c.logger.Info("initial topology sent", "nodes", len(next.nodes), "links", len(next.links),
			"prefixes", len(next.prefixes), "took", time.Since(start).Round(time.Millisecond))
	} else if len(us) > 0 {
		l.c.logger.Debug("topology changes sent", "nodes", len(next.nodes), "links", len(next.links),
			"prefixes", len(next.prefixes), "took", time.Since(start).Round(time.Millisecond))
	}
	if next.loops > 0 || next.unattached > 0 {
		l.c.logger.Debug("topology elements left out", "self_links", next.loops, "unattached_prefixes", next.unattached)
	}
	return true
}

// due reports whether changes should be sent now: at most every
// UpdateInterval, and while updates keep arriving, no more often than ten
// times what the last derivation took, because deriving a large topology
// takes a while and under constant churn it should not take all the time.
// Once the updates stop for half an UpdateInterval, they are sent.
func (l *loop) due(now time.Time) bool {
	gap := now.Sub(l.lastSend)
	if gap < l.c.cfg.UpdateInterval {
		return false
	}
	return now.Sub(l.lastEvent) >= l.c.cfg.UpdateInterval/2 || gap >= min(10*l.lastTook, maxDeriveGap)
}

// updates returns what to send to move the store from l.prev to next.
func (l *loop) updates(next *graph) []*topology.Update {
	if !l.sentFirst {
		return []*topology.Update{full(next)}
	}
	var us []*topology.Update
	w, u := diff(l.prev, next)
	for _, x := range []*topology.Update{w, u} {
		if x != nil {
			us = append(us, x)
		}
	}
	return us
}

func (l *loop) anySynced() bool {
	for _, p := range l.c.peers {
		if p.synced {
			return true
		}
	}
	return false
}
