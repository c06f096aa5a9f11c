package alto

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/altosdn/altosdn/alto/inventory"
)

// PlanningConfig configures what applications use to plan where and when
// to run: RFC 9240 entity property maps (with the operator's inventory of
// data-centre resources) and RFC 8896 cost calendars (forecast from the
// recorded link history).
type PlanningConfig struct {
	PropertyMap PropertyMapConfig `yaml:"property_map"`
	// Inventory is the operator's file of data-centre properties.
	Inventory inventory.Config `yaml:"inventory"`
	// History is where link metrics are recorded for the calendars.
	History  HistoryConfig  `yaml:"history"`
	Calendar CalendarConfig `yaml:"calendar"`
}

// PropertyMapConfig configures the property map resources.
type PropertyMapConfig struct {
	// Enabled offers the full and the filtered property map.
	Enabled bool `yaml:"enabled"`
}

// HistoryConfig configures the link metric history. It has the fields of
// history.Config, which alto does not import (the history package brings
// a storage engine): the daemon converts one into the other.
type HistoryConfig struct {
	// Path is the history's file; empty keeps it in memory only.
	Path string `yaml:"path"`
	// SampleInterval is the time between two samples of every link.
	SampleInterval time.Duration `yaml:"sample_interval"`
	// Retention is how long samples are kept.
	Retention time.Duration `yaml:"retention"`
}

// CalendarConfig configures the cost calendars (RFC 8896).
type CalendarConfig struct {
	// Enabled offers calendar resources (a filtered cost map and an
	// endpoint cost service) for the metrics a forecast suits.
	Enabled bool `yaml:"enabled"`
	// Interval is the time-interval-size: the span of one value.
	Interval time.Duration `yaml:"interval"`
	// Intervals is the number-of-intervals of a calendar.
	Intervals int `yaml:"intervals"`
}

// maxCalendarIntervals bounds a calendar: each pair's value is an array of
// this many numbers.
const maxCalendarIntervals = 1000

// DefaultPlanningConfig offers both property maps and a calendar of 24
// hourly values forecast from two weeks of history sampled every 5
// minutes, kept in memory.
func DefaultPlanningConfig() PlanningConfig {
	return PlanningConfig{
		PropertyMap: PropertyMapConfig{Enabled: true},
		Inventory:   inventory.DefaultConfig(),
		History:     HistoryConfig{SampleInterval: 5 * time.Minute, Retention: 14 * 24 * time.Hour},
		Calendar:    CalendarConfig{Enabled: true, Interval: time.Hour, Intervals: 24},
	}
}

// validatePlanning checks the planning section; messages carry the full
// field path.
func (c Config) validatePlanning() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf("planning."+format, args...)) }
	pc := c.Planning
	if err := pc.Inventory.Validate(); err != nil {
		for _, e := range unjoin(err) {
			add("inventory.%w", e)
		}
	}
	for i, p := range pc.Inventory.Properties {
		if slices.Contains(derivedProperties, inventoryPropertyName(p)) {
			add("inventory.properties[%d]: %q is derived from the topology (as %s) and cannot come from the inventory", i, p, inventoryPropertyName(p))
		}
	}
	h := pc.History
	if h.SampleInterval < time.Second {
		add("history.sample_interval: must be at least 1s (got %s)", h.SampleInterval)
	}
	if h.Retention < h.SampleInterval {
		add("history.retention: must be at least sample_interval (got %s)", h.Retention)
	} else if h.SampleInterval > 0 && h.Retention/h.SampleInterval > 1<<20 {
		add("history.retention: %s holds more than %d samples of %s", h.Retention, 1<<20, h.SampleInterval)
	}
	cal := pc.Calendar
	if cal.Interval < time.Second || cal.Interval > week {
		add("calendar.interval: must be between 1s and 168h (got %s)", cal.Interval)
	} else if cal.Interval%time.Millisecond != 0 {
		add("calendar.interval: must be a whole number of milliseconds (got %s)", cal.Interval)
	}
	if cal.Intervals < 1 || cal.Intervals > maxCalendarIntervals {
		add("calendar.intervals: must be between 1 and %d (got %d)", maxCalendarIntervals, cal.Intervals)
	}
	return errs
}

// unjoin splits errors.Join's result into its parts.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// inventoryPropertyName is the property name an inventory property type is
// served under. Types starting with "priv:" are private (RFC 7285 §10.8.2)
// and served as given; every other type is unregistered, so it is served
// as a self-defined property of the property map, "." + type (RFC 9240
// §5.2.2): "cpu" becomes ".cpu".
func inventoryPropertyName(t string) string {
	if strings.HasPrefix(t, "priv:") {
		return t
	}
	return "." + t
}
