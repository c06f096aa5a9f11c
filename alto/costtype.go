package alto

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Cost modes (RFC 7285 §6.1.2, RFC 9274).
const (
	ModeNumerical = "numerical"
	ModeOrdinal   = "ordinal"
)

// Cost metrics this server computes: RFC 7285's routingcost and the RFC 9439
// performance metrics, some with a statistical operator.
const (
	MetricRoutingCost    = "routingcost"
	MetricHopCount       = "hopcount"
	MetricDelayOW        = "delay-ow"
	MetricDelayOWMin     = "delay-ow:min"
	MetricDelayOWMax     = "delay-ow:max"
	MetricDelayRT        = "delay-rt"
	MetricDelayVariation = "delay-variation"
	MetricLossRate       = "lossrate"
	MetricBWResidual     = "bw-residual"
	MetricBWResidualMax  = "bw-residual:max"
	MetricBWAvailable    = "bw-available"
	MetricTput           = "tput"
)

// Cost sources of RFC 9439 §5.1.
const (
	SourceNominal    = "nominal"    // configured or advertised values
	SourceEstimation = "estimation" // measured values where there are any
)

// CostType is an RFC 7285 §10.7 cost type, with the RFC 9439 cost context.
type CostType struct {
	Metric      string `json:"cost-metric" yaml:"metric"`
	Mode        string `json:"cost-mode" yaml:"mode"`
	Description string `json:"description,omitempty" yaml:"description"`
	// Source is the configured cost source; on the wire it is Context's.
	Source  string      `json:"-" yaml:"cost_source"`
	Context CostContext `json:"cost-context,omitzero" yaml:"-"`
}

// CostContext says where costs come from (RFC 9439 §5.1).
type CostContext struct {
	Source     string          `json:"cost-source"`
	Parameters *TputParameters `json:"parameters,omitempty"`
}

// Key identifies the cost type by metric and mode. The description carries
// no meaning (RFC 7285) and the context is not part of the identity (RFC
// 9439 §5.1): one resource never offers two types with the same key.
func (c CostType) Key() string { return c.Metric + "/" + c.Mode }

// source is the cost source, "estimation" when none is given (RFC 9439
// §5.1: an absent context means estimation).
func (c CostType) source() string {
	switch {
	case c.Source != "":
		return c.Source
	case c.Context.Source != "":
		return c.Context.Source
	}
	return SourceEstimation
}

// nominal reports whether the costs use only configured or advertised
// values, ignoring measurements.
func (c CostType) nominal() bool { return c.source() == SourceNominal }

// TputParameters advertises the model behind the tput metric (RFC 9439
// §4.8 recommends naming the congestion control and the method).
type TputParameters struct {
	CongestionControl string  `json:"congestion-control-algorithm"`
	Method            string  `json:"method"`
	MSSBytes          float64 `json:"mss-bytes"`
	Constant          float64 `json:"constant"`
	Bandwidth         string  `json:"bandwidth"`
}

// tputModel is the fixed tput estimation model, described in README.md.
var tputModel = &TputParameters{
	CongestionControl: "https://www.rfc-editor.org/rfc/rfc5681",
	Method:            "min(bottleneck bandwidth, MSS*C/(RTT*sqrt(loss))) (Mathis et al. 1997)",
	MSSBytes:          1460,
	Constant:          1.22,
	Bandwidth:         "bw-available per link, else its maximum bandwidth",
}

// metricInfo describes a metric this server can compute.
type metricInfo struct {
	// additive metrics cost 0 from a PID to itself; bandwidths and tput do
	// not (an empty path has no bottleneck), so they have no self pair.
	additive bool
	// nominalOK: the metric has a nominal form; routingcost must be
	// estimation (RFC 9439 §5.1), hopcount and tput are derived.
	nominalOK bool
}

var metricInfos = map[string]metricInfo{
	MetricRoutingCost:    {additive: true},
	MetricHopCount:       {additive: true},
	MetricDelayOW:        {additive: true, nominalOK: true},
	MetricDelayOWMin:     {additive: true, nominalOK: true},
	MetricDelayOWMax:     {additive: true, nominalOK: true},
	MetricDelayRT:        {additive: true, nominalOK: true},
	MetricDelayVariation: {additive: true, nominalOK: true},
	MetricLossRate:       {additive: true, nominalOK: true},
	MetricBWResidual:     {nominalOK: true},
	MetricBWResidualMax:  {nominalOK: true},
	MetricBWAvailable:    {nominalOK: true},
	MetricTput:           {},
}

// MetricNames lists the metrics the server computes.
func MetricNames() []string {
	names := make([]string, 0, len(metricInfos))
	for n := range metricInfos {
		names = append(names, n)
	}
	return names
}

func (c CostType) validate() error {
	info, ok := metricInfos[c.Metric]
	if !ok {
		return fmt.Errorf("metric: unsupported cost metric %q (want one of routingcost, hopcount, delay-ow[:min|:max], delay-rt, delay-variation, lossrate, bw-residual[:max], bw-available, tput)", c.Metric)
	}
	if c.Mode != ModeNumerical && c.Mode != ModeOrdinal {
		return fmt.Errorf("mode: unsupported cost mode %q for %s (want numerical or ordinal)", c.Mode, c.Metric)
	}
	switch c.Source {
	case "", SourceEstimation:
	case SourceNominal:
		if !info.nominalOK {
			return fmt.Errorf("cost_source: %s has no nominal form (want estimation)", c.Metric)
		}
	default:
		return fmt.Errorf("cost_source: unknown cost source %q (want nominal or estimation)", c.Source)
	}
	return nil
}

// withContext returns the cost type as advertised: with its source made
// explicit and, for tput, the model's parameters.
func (c CostType) withContext() CostType {
	if c.Metric == MetricRoutingCost && c.Source == "" {
		return c // RFC 7285 clients know no context; absent means estimation
	}
	c.Context.Source, c.Source = c.source(), ""
	if c.Metric == MetricTput {
		c.Context.Parameters = tputModel
	}
	return c
}

// name is the cost type's name in the IRD's meta.cost-types.
func (c CostType) name() string {
	switch c.Mode {
	case ModeArray:
		return "path-vector"
	case ModeOrdinal:
		return "ord-" + c.Metric
	}
	return "num-" + c.Metric
}

// resourceID is the ID of the full cost map of this type.
func (c CostType) resourceID() string {
	return "costmap-" + strings.ReplaceAll(c.Metric, ":", "-") + "-" + c.Mode
}

// appendCostType writes the cost type as JSON, context included.
func appendCostType(b []byte, ct CostType) []byte {
	b = append(b, `{"cost-mode":`...)
	b = strconv.AppendQuote(b, ct.Mode)
	b = append(b, `,"cost-metric":`...)
	b = strconv.AppendQuote(b, ct.Metric)
	if ct.Context.Source != "" {
		ctx, _ := json.Marshal(ct.Context) // plain strings and numbers
		b = append(b, `,"cost-context":`...)
		b = append(b, ctx...)
	}
	return append(b, '}')
}
