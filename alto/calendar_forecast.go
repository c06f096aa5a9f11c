package alto

import (
	"slices"
	"sync"
	"time"

	"github.com/altosdn/altosdn/topology"
)

// forecast is the calendar of one maps version from one start: for each
// interval, the graph with the links' recorded values (nil where there is
// no history: the current costs apply). The costs of a cost type are
// computed on first demand, so a calendar costs what is asked of it:
// intervals × PIDs² numbers per calendared type in use.
type forecast struct {
	maps        *Maps
	start       time.Time
	interval    time.Duration
	intervals   int
	aggregation string
	graphs      []*topology.Graph

	mu    sync.Mutex
	costs map[string][][]float64 // by cost type key: per interval, PID×PID
}

// costsOf returns the costs of a calendared type, per interval.
func (f *forecast) costsOf(ct CostType) [][]float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c, ok := f.costs[ct.Key()]; ok {
		return c
	}
	cm, ok := f.maps.CostMapOf(ct)
	if !ok { // the resource offers the type, so the engine computed it
		return nil
	}
	out := make([][]float64, f.intervals)
	for k, g := range f.graphs {
		if g == nil {
			out[k] = cm.costs
			continue
		}
		out[k] = costMatrices(g, f.maps.NetworkMap.PIDs, []CostType{ct}, f.aggregation)[ct.Key()]
	}
	f.costs[ct.Key()] = out
	return out
}

// forecast returns the calendar of m's version for attrs, starting at the
// current interval.
func (m *Maps) forecast(attrs *CalendarAttributes) *forecast {
	if m.planning == nil {
		return newForecast(m, attrs, time.Now().Truncate(attrs.Interval), AggregateMin)
	}
	return m.planning.forecast(m, attrs)
}

func newForecast(m *Maps, attrs *CalendarAttributes, start time.Time, aggregation string) *forecast {
	return &forecast{maps: m, start: start, interval: attrs.Interval, intervals: attrs.Intervals, aggregation: aggregation,
		graphs: make([]*topology.Graph, attrs.Intervals), costs: map[string][][]float64{}}
}

// forecast reads the history at most once per maps version and start;
// concurrent requests for the same one wait for the first.
func (p *Planning) forecast(m *Maps, attrs *CalendarAttributes) *forecast {
	now := p.now()
	start := now.Truncate(attrs.Interval)
	p.calMu.Lock()
	defer p.calMu.Unlock()
	if f := p.cal; f != nil && f.maps == m && f.start.Equal(start) && f.interval == attrs.Interval && f.intervals == attrs.Intervals {
		return f
	}
	began := time.Now()
	f, withHistory := p.readHistory(m, attrs, start, now)
	p.cal = f
	p.logger.Debug("calendar history read", "generation", m.Generation, "start", start, "intervals", attrs.Intervals,
		"intervals_with_history", withHistory, "duration", time.Since(began))
	return f
}

// readHistory builds, for each interval, the graph with the links' means
// over the same interval of the same weekday in the recorded weeks.
func (p *Planning) readHistory(m *Maps, attrs *CalendarAttributes, start, now time.Time) (*forecast, int) {
	f := newForecast(m, attrs, start, p.cfg.NetworkMap.CostAggregation)
	if p.hist == nil || m.graph.NumLinks() == 0 {
		return f, 0
	}
	weeks := max(int(p.cfg.Planning.History.Retention/week), 1)
	oldest := now.Add(-p.cfg.Planning.History.Retention)
	withHistory := 0
	for k := range attrs.Intervals {
		t := start.Add(time.Duration(k) * attrs.Interval)
		var starts []time.Time
		for w := 1; w <= weeks+1; w++ {
			if s := t.Add(-time.Duration(w) * week); s.Add(attrs.Interval).After(oldest) {
				starts = append(starts, s)
			}
		}
		means, err := p.hist.Means(starts, attrs.Interval)
		if err != nil {
			p.logger.Warn("link history unreadable; the calendar repeats current values", "err", err)
			return newForecast(m, attrs, start, f.aggregation), 0
		}
		if len(means) == 0 {
			continue
		}
		g, err := graphWithHistory(m.graph, means)
		if err != nil {
			p.logger.Warn("link history unusable for a calendar interval; it repeats current values", "interval_start", t, "err", err)
			continue
		}
		f.graphs[k] = g
		withHistory++
	}
	return f, withHistory
}

// graphWithHistory returns g with each link's metrics replaced by its
// recorded means where it has them. The node and link order, and so every
// index in the maps, is g's: both graphs sort by identity.
func graphWithHistory(g *topology.Graph, means map[topology.LinkID]topology.Metrics) (*topology.Graph, error) {
	links := slices.Clone(g.Links())
	for i := range links {
		h, ok := means[links[i].ID]
		if !ok {
			continue
		}
		for k := range h {
			if h[k].Set {
				links[i].Metrics[k] = h[k]
			}
		}
	}
	return topology.NewGraph(slices.Clone(g.Nodes()), links, nil)
}

// costMatrices computes the PID×PID costs of some numerical cost types on
// g, as Build does for the full maps, keyed by cost type key.
func costMatrices(g *topology.Graph, pids []PID, types []CostType, aggregation string) map[string][]float64 {
	mats := seriesMatrices(g, pids, types, aggregation)
	out := make(map[string][]float64, len(types))
	for _, ct := range types {
		out[ct.Key()] = mats[series{ct.Metric, ct.nominal()}]
	}
	return out
}
