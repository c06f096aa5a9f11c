package alto

import (
	"math"

	"github.com/altosdn/altosdn/topology"
	"github.com/altosdn/altosdn/topology/spf"
)

// How each metric follows the path traffic takes. Every metric is computed
// along the IGP shortest paths, not along the path best for that metric.
// Where several paths tie (ECMP) the worst of them counts: the longest
// delay, the highest loss, the smallest bandwidth. A value missing on any
// link of any of those paths leaves the pair without a value; it never
// counts as 0.

// series is one computed per-pair quantity: a metric in its nominal or
// current form. Cost maps are views of series.
type series struct {
	metric  string
	nominal bool
}

func (s series) additive() bool { return metricInfos[s.metric].additive }

// capacityMetric is the per-link bandwidth tput is capped by: the available
// bandwidth where known, else the maximum bandwidth. Internal only.
const capacityMetric = "_capacity"

// treeSeries are computed from each source's shortest-path tree; the others
// (delay-rt, tput) are derived from them per PID pair.
func treeSeries(metric string) bool {
	return metric != MetricDelayRT && metric != MetricTput
}

// inputs lists the series a series is derived from.
func (s series) inputs() []series {
	switch s.metric {
	case MetricDelayRT:
		return []series{{MetricDelayOW, s.nominal}}
	case MetricTput:
		return []series{{MetricDelayOW, false}, {MetricLossRate, false}, {capacityMetric, false}}
	}
	return nil
}

// nodeEval fills out[v] and ok[v] for every graph node v from one tree.
type nodeEval func(t *spf.Tree, out []float64, ok []bool)

// linkValue reads one link metric, current or nominal, times scale.
func linkValue(g *topology.Graph, m topology.Metric, nominal bool, scale float64) func(int) (float64, bool) {
	return func(i int) (float64, bool) {
		l := g.Link(i)
		ms := &l.Metrics
		if nominal {
			ms = &l.Nominal
		}
		v, ok := ms.Get(m)
		if scale == bytesPerBit {
			return roundBandwidth(v * scale), ok
		}
		return v * scale, ok
	}
}

// bytesPerBit converts the topology's bits/s to RFC 9439's bytes/s.
// Bandwidths are then whole bytes/s (see roundBandwidth).
const bytesPerBit = 1.0 / 8

// roundBandwidth rounds a bandwidth or throughput to whole bytes/s: finer
// digits mean nothing for these metrics and would only lengthen the maps.
func roundBandwidth(v float64) float64 { return math.Round(v) }

func (s series) evaluator(g *topology.Graph) nodeEval {
	agg := func(a spf.Aggregation) nodeEval {
		return func(t *spf.Tree, out []float64, ok []bool) { t.Aggregate(a, out, ok) }
	}
	switch s.metric {
	case MetricRoutingCost:
		return func(t *spf.Tree, out []float64, ok []bool) {
			clear(ok)
			for _, v := range t.Order() {
				out[v], ok[v] = t.Dist(int(v))
			}
		}
	case MetricHopCount:
		// A hop is a router-to-router link: crossing a LAN takes two links,
		// into and out of its pseudonode, but is one hop.
		return agg(spf.Sum(func(i int) (float64, bool) {
			if _, to := g.LinkEnds(i); g.Node(to).Pseudo {
				return 0, true
			}
			return 1, true
		}))
	case MetricDelayOW:
		return agg(spf.Sum(linkValue(g, topology.MetricDelay, s.nominal, 1)))
	case MetricDelayOWMin:
		return agg(spf.Sum(linkValue(g, topology.MetricMinDelay, s.nominal, 1)))
	case MetricDelayOWMax:
		return agg(spf.Sum(linkValue(g, topology.MetricMaxDelay, s.nominal, 1)))
	case MetricDelayVariation:
		return agg(spf.Sum(linkValue(g, topology.MetricDelayVariation, s.nominal, 1)))
	case MetricLossRate:
		return agg(lossAggregation(linkValue(g, topology.MetricLoss, s.nominal, 1)))
	case MetricBWResidual:
		return agg(spf.Bottleneck(linkValue(g, topology.MetricResidualBandwidth, s.nominal, bytesPerBit)))
	case MetricBWResidualMax:
		return agg(spf.Bottleneck(linkValue(g, topology.MetricMaxBandwidth, s.nominal, bytesPerBit)))
	case MetricBWAvailable:
		return agg(spf.Bottleneck(linkValue(g, topology.MetricAvailableBandwidth, s.nominal, bytesPerBit)))
	case capacityMetric:
		avail := linkValue(g, topology.MetricAvailableBandwidth, false, bytesPerBit)
		maxBW := linkValue(g, topology.MetricMaxBandwidth, false, bytesPerBit)
		return agg(spf.Bottleneck(func(i int) (float64, bool) {
			if v, ok := avail(i); ok {
				return v, true
			}
			return maxBW(i)
		}))
	}
	panic("alto: no evaluator for " + s.metric) // metrics are validated at config time
}

// lossAggregation composes per-link loss percentages as independent
// losses: 1−Π(1−lᵢ), in percent (RFC 9439 §4.5 notes plain summing is only
// valid for small, uncorrelated losses).
func lossAggregation(value func(int) (float64, bool)) spf.Aggregation {
	return spf.Aggregation{
		Zero:  0,
		Value: value,
		Combine: func(acc, v float64) float64 {
			// Rounded to 1e-9 percent, far below BGP-LS's 3e-6 % unit, so
			// that float noise does not fill the maps with digits.
			return math.Round(1e11*(1-(1-acc/100)*(1-v/100))) / 1e9
		},
		Worse: func(a, b float64) bool { return a > b },
	}
}

// derive computes delay-rt and tput per PID pair from their inputs.
func derive(s series, p int, in map[series][]float64) []float64 {
	out := make([]float64, p*p)
	switch s.metric {
	case MetricDelayRT:
		// The forward path's delay plus the reverse path's: the two
		// directions may take different routes.
		ow := in[series{MetricDelayOW, s.nominal}]
		for a := range p {
			for b := range p {
				out[a*p+b] = ow[a*p+b] + ow[b*p+a] // NaN if either is missing
			}
		}
	case MetricTput:
		ow := in[series{MetricDelayOW, false}]
		loss := in[series{MetricLossRate, false}]
		capa := in[series{capacityMetric, false}]
		for a := range p {
			for b := range p {
				rtt := ow[a*p+b] + ow[b*p+a]
				out[a*p+b] = tput(capa[a*p+b], rtt, loss[a*p+b])
			}
		}
	}
	return out
}

// tput estimates the throughput of one long-lived TCP flow in bytes/s:
// the Mathis model MSS·C/(RTT·√p), capped by the path's bottleneck
// bandwidth; with no loss the bottleneck alone. rtt is in µs, loss in
// percent. Any missing input, or a zero RTT, gives no estimate.
func tput(bottleneck, rttMicros, lossPercent float64) float64 {
	if math.IsNaN(bottleneck) || math.IsNaN(rttMicros) || math.IsNaN(lossPercent) || rttMicros <= 0 {
		return math.NaN()
	}
	if lossPercent <= 0 {
		return bottleneck
	}
	mathis := tputModel.MSSBytes * tputModel.Constant / (rttMicros / 1e6 * math.Sqrt(lossPercent/100))
	return roundBandwidth(math.Min(bottleneck, mathis))
}
