package topology

import (
	"fmt"
	"math"
)

// Metric names one link metric. Units are part of the contract.
type Metric uint8

// Link metrics. Bandwidths are in bits per second, delays in microseconds,
// loss and utilisation in percent (0 to 100).
const (
	MetricIGP                    Metric = iota // IGP metric (dimensionless)
	MetricTE                                   // TE default metric (dimensionless)
	MetricMaxBandwidth                         // bits/s
	MetricMaxReservableBandwidth               // bits/s
	MetricUnreservedBandwidth                  // bits/s, at priority 0
	MetricDelay                                // µs, unidirectional average
	MetricMinDelay                             // µs
	MetricMaxDelay                             // µs
	MetricDelayVariation                       // µs
	MetricLoss                                 // percent
	MetricResidualBandwidth                    // bits/s
	MetricAvailableBandwidth                   // bits/s
	MetricUtilizedBandwidth                    // bits/s
	MetricUtilization                          // percent of capacity (0 to 100)
	numMetrics
)

var metricNames = [numMetrics]string{
	"igp-metric", "te-metric", "max-bandwidth", "max-reservable-bandwidth",
	"unreserved-bandwidth", "delay", "min-delay", "max-delay", "delay-variation",
	"loss", "residual-bandwidth", "available-bandwidth", "utilized-bandwidth",
	"utilization",
}

// AllMetrics lists every link metric in a fixed order.
func AllMetrics() []Metric {
	ms := make([]Metric, numMetrics)
	for i := range ms {
		ms[i] = Metric(i)
	}
	return ms
}

// String returns the metric's stable name.
func (m Metric) String() string {
	if m < numMetrics {
		return metricNames[m]
	}
	return fmt.Sprintf("metric(%d)", uint8(m))
}

// ParseMetric is the inverse of [Metric.String].
func ParseMetric(s string) (Metric, bool) {
	for i, n := range metricNames {
		if n == s {
			return Metric(i), true
		}
	}
	return 0, false
}

// Value is an optional metric value that remembers its source. The zero Value
// is "not set", which is different from a set value of 0.
type Value struct {
	V      float64
	Source Source
	Set    bool
}

// Known returns a set value.
func Known(v float64, src Source) Value { return Value{V: v, Source: src, Set: true} }

// Metrics holds every link metric; each may be unset. It is a value type:
// copying it copies all metrics.
type Metrics [numMetrics]Value

// Get returns the metric's value and whether it is set.
func (m *Metrics) Get(k Metric) (float64, bool) {
	v := m[k]
	return v.V, v.Set
}

// With returns a copy of m with metric k set to v from src.
func (m Metrics) With(k Metric, v float64, src Source) Metrics {
	m[k] = Known(v, src)
	return m
}

// overlay returns m with every metric set in o replacing m's value.
func (m Metrics) overlay(o *Metrics) Metrics {
	for i, v := range o {
		if v.Set {
			m[i] = v
		}
	}
	return m
}

func (m *Metrics) validate() error {
	for i, v := range m {
		if !v.Set {
			continue
		}
		if math.IsNaN(v.V) || math.IsInf(v.V, 0) {
			return fmt.Errorf("%s is not a finite number", Metric(i))
		}
		if v.V < 0 {
			return fmt.Errorf("%s is negative (%g)", Metric(i), v.V)
		}
		if (Metric(i) == MetricLoss || Metric(i) == MetricUtilization) && v.V > 100 {
			return fmt.Errorf("%s is above 100 percent (%g)", Metric(i), v.V)
		}
	}
	return nil
}
