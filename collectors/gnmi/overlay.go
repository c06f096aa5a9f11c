package gnmi

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/altosdn/altosdn/collectors"
	"github.com/altosdn/altosdn/topology"
)

// LinkTelemetry is what the collector currently says about one link, for
// status pages and debugging. Utilisation has no topology metric, so it
// lives here and in the logs.
type LinkTelemetry struct {
	Link      topology.LinkID `json:"link"`
	Target    string          `json:"target"`
	Interface string          `json:"interface"`
	// Direction is "out" when the rate is the local interface's
	// out-octets, "in" when it is the remote interface's in-octets.
	Direction string `json:"direction,omitempty"`
	// UtilizedBps is the measured rate in bits/s; valid when HasRate.
	UtilizedBps float64 `json:"utilized_bps"`
	HasRate     bool    `json:"has_rate"`
	// CapacityBps is the smaller of the port speed and the link's BGP-LS
	// maximum bandwidth; 0 when neither is known.
	CapacityBps float64 `json:"capacity_bps,omitempty"`
	// Utilization is UtilizedBps / CapacityBps (0 to about 1); 0 when the
	// capacity or the rate is unknown.
	Utilization float64 `json:"utilization"`
	// OperStatus is "up", "down" or "unknown", combined over both ends.
	OperStatus string `json:"oper_status"`
}

// compute derives a link's overlay from the interfaces bound to it; ok is
// false when telemetry has nothing (fresh) to say about the link.
func (e *engine) compute(id topology.LinkID, b binding) (topology.LinkOverlay, LinkTelemetry, bool) {
	li, inGraph := e.index.g.LinkIndex(id)
	if !inGraph {
		return topology.LinkOverlay{}, LinkTelemetry{}, false
	}
	l := e.index.g.Link(li)
	lt := LinkTelemetry{Link: id}
	switch {
	case b.out != nil && b.out.out.hasRate:
		lt.UtilizedBps, lt.HasRate, lt.Direction = b.out.out.rate, true, "out"
		lt.Target, lt.Interface = b.outT.cfg.Name, b.out.name
	case b.in != nil && b.in.in.hasRate:
		lt.UtilizedBps, lt.HasRate, lt.Direction = b.in.in.rate, true, "in"
		lt.Target, lt.Interface = b.inT.cfg.Name, b.in.name
	case b.out != nil:
		lt.Target, lt.Interface = b.outT.cfg.Name, b.out.name
	default:
		lt.Target, lt.Interface = b.inT.cfg.Name, b.in.name
	}

	// Capacity: the port speed, capped by the link's nominal bandwidth
	// (BGP-LS max bandwidth is often configured below the port speed for
	// sub-rate services); either alone when only one is known.
	for _, f := range []*ifaceState{b.out, b.in} {
		if f != nil && f.capacity() > 0 {
			lt.CapacityBps = f.capacity()
			break
		}
	}
	if mb, ok := l.Metrics.Get(topology.MetricMaxBandwidth); ok && mb > 0 && (lt.CapacityBps == 0 || mb < lt.CapacityBps) {
		lt.CapacityBps = mb
	}

	oper := operUnknown
	for _, f := range []*ifaceState{b.out, b.in} {
		switch {
		case f == nil:
		case f.oper == operDown:
			oper = operDown
		case f.oper == operUp && oper == operUnknown:
			oper = operUp
		}
	}
	lt.OperStatus = oper.String()

	o := topology.LinkOverlay{Link: id}
	if lt.HasRate {
		o.Metrics = o.Metrics.With(topology.MetricUtilizedBandwidth, lt.UtilizedBps, topology.SourceGNMI)
		if lt.CapacityBps > 0 {
			o.Metrics = o.Metrics.With(topology.MetricAvailableBandwidth, max(0, lt.CapacityBps-lt.UtilizedBps), topology.SourceGNMI)
			lt.Utilization = lt.UtilizedBps / lt.CapacityBps
			o.Metrics = o.Metrics.With(topology.MetricUtilization, min(100, 100*lt.Utilization), topology.SourceGNMI)
		}
	}
	if e.cfg.DownMeansDown {
		switch oper {
		case operDown:
			o.Status = topology.StatusDown
		case operUp:
			o.Status = topology.StatusUp
		}
	}
	if !lt.HasRate && o.Status == topology.StatusUnknown {
		return topology.LinkOverlay{}, lt, false
	}
	return o, lt, true
}

// flush recomputes the dirty links and sends what changed: one upsert of
// the new overlays, one withdrawal of those telemetry no longer supports.
// It reports false when ctx ended during a send.
func (e *engine) flush(ctx context.Context, out chan<- topology.Update, now time.Time) bool {
	e.refreshIndex(now)
	if e.rebind {
		e.rebind = false
		e.bind()
	}
	if len(e.dirty) == 0 || e.index == nil {
		return true
	}
	var ups, wds []topology.LinkOverlay
	for id := range e.dirty {
		var o topology.LinkOverlay
		var lt LinkTelemetry
		ok := false
		if b, bound := e.bindings[id]; bound {
			o, lt, ok = e.compute(id, b)
		}
		old, had := e.sent[id]
		switch {
		case ok:
			e.telemetry[id] = lt
			if !had || old != o {
				ups = append(ups, o)
				e.sent[id] = o
				e.logger.Debug("gnmi link overlay", "link", id, "target", lt.Target, "interface", lt.Interface,
					"utilized_bps", lt.UtilizedBps, "capacity_bps", lt.CapacityBps, "utilization", lt.Utilization,
					"oper_status", lt.OperStatus)
			}
		case had:
			wds = append(wds, topology.LinkOverlay{Link: id})
			delete(e.sent, id)
			delete(e.telemetry, id)
		default:
			delete(e.telemetry, id)
		}
	}
	clear(e.dirty)
	e.telemetryDirty = true
	byLink := func(a, b topology.LinkOverlay) int { return cmp.Compare(a.Link, b.Link) }
	if len(ups) > 0 {
		slices.SortFunc(ups, byLink)
		if !collectors.Send(ctx, out, topology.Update{Source: topology.SourceGNMI, Op: topology.OpUpsert, Overlays: ups}) {
			return false
		}
	}
	if len(wds) > 0 {
		slices.SortFunc(wds, byLink)
		e.logger.Debug("gnmi link overlays withdrawn", "links", len(wds))
		if !collectors.Send(ctx, out, topology.Update{Source: topology.SourceGNMI, Op: topology.OpWithdraw, Overlays: wds}) {
			return false
		}
	}
	return true
}

// snapshotTelemetry returns the per-link telemetry sorted by link.
func (e *engine) snapshotTelemetry() []LinkTelemetry {
	out := make([]LinkTelemetry, 0, len(e.telemetry))
	for _, lt := range e.telemetry {
		out = append(out, lt)
	}
	slices.SortFunc(out, func(a, b LinkTelemetry) int { return cmp.Compare(a.Link, b.Link) })
	return out
}
