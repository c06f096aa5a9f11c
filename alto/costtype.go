package alto

import "fmt"

// Cost modes (RFC 7285 §6.1.2, RFC 9274).
const (
	ModeNumerical = "numerical"
	ModeOrdinal   = "ordinal"
)

// Cost metrics this server computes. Metric names follow the IANA ALTO
// cost metric registry.
const (
	MetricRoutingCost = "routingcost"
	MetricHopCount    = "hopcount"
)

// CostType is an RFC 7285 §10.7 cost type.
type CostType struct {
	Metric      string `json:"cost-metric" yaml:"metric"`
	Mode        string `json:"cost-mode" yaml:"mode"`
	Description string `json:"description,omitempty" yaml:"description"`
}

// Key identifies the cost type without its description, which RFC 7285
// says carries no meaning.
func (c CostType) Key() string { return c.Metric + "/" + c.Mode }

// supportedMetrics maps each computable metric to the modes it supports.
var supportedMetrics = map[string][]string{
	MetricRoutingCost: {ModeNumerical, ModeOrdinal},
	MetricHopCount:    {ModeNumerical, ModeOrdinal},
}

func (c CostType) validate() error {
	modes, ok := supportedMetrics[c.Metric]
	if !ok {
		return fmt.Errorf("metric: unsupported cost metric %q (want routingcost or hopcount)", c.Metric)
	}
	for _, m := range modes {
		if m == c.Mode {
			return nil
		}
	}
	return fmt.Errorf("mode: unsupported cost mode %q for %s (want numerical or ordinal)", c.Mode, c.Metric)
}

// name is the cost type's name in the IRD's meta.cost-types.
func (c CostType) name() string {
	prefix := "num"
	if c.Mode == ModeOrdinal {
		prefix = "ord"
	}
	return prefix + "-" + c.Metric
}

// resourceID is the ID of the full cost map of this type.
func (c CostType) resourceID() string { return "costmap-" + c.Metric + "-" + c.Mode }
