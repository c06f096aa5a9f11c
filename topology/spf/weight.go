package spf

import "github.com/altosdn/altosdn/topology"

// Weight returns a link's cost and whether the link may be used at all.
// Costs must be finite and non-negative; others make the link unusable.
type Weight func(l *topology.Link) (float64, bool)

// MetricWeight routes on metric m. Links that lack m or are Down are
// skipped rather than given cost 0, which would attract all traffic.
func MetricWeight(m topology.Metric) Weight {
	return func(l *topology.Link) (float64, bool) {
		if l.Down {
			return 0, false
		}
		return l.Metrics.Get(m)
	}
}
