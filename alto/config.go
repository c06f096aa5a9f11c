package alto

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"time"
)

// Config configures map derivation.
type Config struct {
	// RecomputeMinInterval is the least time between two computations; the
	// changes that arrive meanwhile are folded into the next one.
	RecomputeMinInterval time.Duration    `yaml:"recompute_min_interval"`
	NetworkMap           NetworkMapConfig `yaml:"network_map"`
	// CostTypes lists the cost types offered; each gets a full cost map.
	CostTypes  []CostType       `yaml:"cost_types"`
	PathVector PathVectorConfig `yaml:"path_vector"`
	Limits     Limits           `yaml:"limits"`
	// Planning configures RFC 9240 property maps and RFC 8896 cost
	// calendars (propmap_config.go).
	Planning PlanningConfig `yaml:"planning"`
}

// Limits cap what one request may ask for, so that no client can make the
// server build an unbounded response.
type Limits struct {
	MaxPIDs      int `yaml:"max_pids"`      // PIDs named in one filter
	MaxEndpoints int `yaml:"max_endpoints"` // endpoints named in one EPS or ECS request
}

// NetworkMapConfig says how PIDs are formed.
type NetworkMapConfig struct {
	ResourceID string `yaml:"resource_id"`
	// DefaultPID names the PID that holds 0.0.0.0/0 and ::/0, so that the
	// map covers the whole address space.
	DefaultPID string `yaml:"default_pid"`
	// Grouping is how nodes become PIDs: per-node, as, area or name-pattern.
	Grouping string `yaml:"grouping"`
	// NamePattern is a regular expression on node names for grouping
	// name-pattern; the first capture group (or the whole match) names the PID.
	NamePattern string `yaml:"name_pattern"`
	// Explicit lists PIDs given by prefix lists; they take their prefixes
	// away from the node-derived PIDs.
	Explicit []ExplicitPID `yaml:"explicit"`
	// CostAggregation says how a PID-to-PID cost is formed from the costs
	// between the PIDs' nodes: min, mean or max.
	CostAggregation string `yaml:"cost_aggregation"`
}

// ExplicitPID is a PID defined by configuration.
type ExplicitPID struct {
	Name     string         `yaml:"name"`
	Prefixes []netip.Prefix `yaml:"prefixes"`
}

// Grouping policies.
const (
	GroupPerNode     = "per-node"
	GroupAS          = "as"
	GroupArea        = "area"
	GroupNamePattern = "name-pattern"
)

// Cost aggregations over the node pairs of two PIDs.
const (
	AggregateMin  = "min"
	AggregateMean = "mean"
	AggregateMax  = "max"
)

// DefaultConfig returns a per-node network map with routingcost and
// hopcount cost maps in both modes and the RFC 9439 metrics in numerical
// mode.
func DefaultConfig() Config {
	return Config{
		RecomputeMinInterval: 2 * time.Second,
		NetworkMap: NetworkMapConfig{
			ResourceID:      "default-network-map",
			DefaultPID:      "default",
			Grouping:        GroupPerNode,
			CostAggregation: AggregateMin,
		},
		CostTypes: []CostType{
			{Metric: MetricRoutingCost, Mode: ModeNumerical},
			{Metric: MetricRoutingCost, Mode: ModeOrdinal},
			{Metric: MetricHopCount, Mode: ModeNumerical},
			{Metric: MetricHopCount, Mode: ModeOrdinal},
			{Metric: MetricDelayOW, Mode: ModeNumerical},
			{Metric: MetricDelayRT, Mode: ModeNumerical},
			{Metric: MetricLossRate, Mode: ModeNumerical},
			{Metric: MetricBWResidualMax, Mode: ModeNumerical, Source: SourceNominal},
			{Metric: MetricBWAvailable, Mode: ModeNumerical},
			{Metric: MetricTput, Mode: ModeNumerical},
		},
		PathVector: PathVectorConfig{Enabled: true},
		Limits:     Limits{MaxPIDs: 10000, MaxEndpoints: 10000},
		Planning:   DefaultPlanningConfig(),
	}
}

// Validate checks the configuration; messages name the field.
func (c Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.RecomputeMinInterval < 0 {
		add("recompute_min_interval: must not be negative (got %s)", c.RecomputeMinInterval)
	}
	nm := c.NetworkMap
	if !ValidResourceID(nm.ResourceID) {
		add("network_map.resource_id: %q is not a valid ALTO resource id", nm.ResourceID)
	}
	if !ValidPIDName(nm.DefaultPID) {
		add("network_map.default_pid: %q is not a valid PID name", nm.DefaultPID)
	}
	switch nm.Grouping {
	case GroupPerNode, GroupAS, GroupArea:
		if nm.NamePattern != "" {
			add("network_map.name_pattern: only used with grouping %q", GroupNamePattern)
		}
	case GroupNamePattern:
		if nm.NamePattern == "" {
			add("network_map.name_pattern: required with grouping %q", GroupNamePattern)
		} else if _, err := regexp.Compile(nm.NamePattern); err != nil {
			add("network_map.name_pattern: %v", err)
		}
	default:
		add("network_map.grouping: unknown grouping %q (want per-node, as, area or name-pattern)", nm.Grouping)
	}
	switch nm.CostAggregation {
	case AggregateMin, AggregateMean, AggregateMax:
	default:
		add("network_map.cost_aggregation: unknown aggregation %q (want min, mean or max)", nm.CostAggregation)
	}
	names := map[string]bool{nm.DefaultPID: true}
	prefixes := map[netip.Prefix]string{}
	for i, e := range nm.Explicit {
		f := fmt.Sprintf("network_map.explicit[%d]", i)
		if !ValidPIDName(e.Name) {
			add("%s.name: %q is not a valid PID name", f, e.Name)
		}
		if names[e.Name] {
			add("%s.name: PID %q defined twice", f, e.Name)
		}
		names[e.Name] = true
		if len(e.Prefixes) == 0 {
			add("%s.prefixes: at least one prefix is required", f)
		}
		for j, p := range e.Prefixes {
			if p != p.Masked() {
				add("%s.prefixes[%d]: %s has host bits set", f, j, p)
			}
			if other, dup := prefixes[p]; dup {
				add("%s.prefixes[%d]: %s is already in PID %q", f, j, p, other)
			}
			prefixes[p] = e.Name
		}
	}
	if len(c.CostTypes) == 0 {
		add("cost_types: at least one cost type is required (routingcost must be offered)")
	}
	seen := map[string]bool{}
	hasRouting := false
	for i, ct := range c.CostTypes {
		if err := ct.validate(); err != nil {
			add("cost_types[%d].%v", i, err)
			continue
		}
		if seen[ct.Key()] {
			add("cost_types[%d]: %s listed twice", i, ct.Key())
		}
		seen[ct.Key()] = true
		hasRouting = hasRouting || ct.Metric == MetricRoutingCost
	}
	if len(c.CostTypes) > 0 && !hasRouting {
		add("cost_types: RFC 7285 requires a routingcost cost map")
	}
	if c.Limits.MaxPIDs < 1 {
		add("limits.max_pids: must be at least 1 (got %d)", c.Limits.MaxPIDs)
	}
	if c.Limits.MaxEndpoints < 1 {
		add("limits.max_endpoints: must be at least 1 (got %d)", c.Limits.MaxEndpoints)
	}
	errs = append(errs, c.validatePlanning()...)
	return errors.Join(errs...)
}
