package main

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/altosdn/altosdn/collectors"
	"github.com/altosdn/altosdn/collectors/bgpls"
	"github.com/altosdn/altosdn/collectors/emulator"
	"github.com/altosdn/altosdn/collectors/gnmi"
	"github.com/altosdn/altosdn/collectors/static"
	"github.com/altosdn/altosdn/topology"
)

// CollectorsConfig holds one section per kind of topology source.
type CollectorsConfig struct {
	Static static.Config `yaml:"static"`
	BGPLS  bgpls.Config  `yaml:"bgpls"`
	GNMI   gnmi.Config   `yaml:"gnmi"`
}

func defaultCollectorsConfig() CollectorsConfig {
	return CollectorsConfig{Static: static.DefaultConfig(), BGPLS: bgpls.DefaultConfig(), GNMI: gnmi.DefaultConfig()}
}

// validate checks the enabled collectors' sections; a disabled section
// may stay incomplete.
func (c CollectorsConfig) validate() error {
	var errs []error
	if c.Static.Enabled {
		errs = append(errs, prefixErr("collectors.static", c.Static.Validate()))
	}
	if c.BGPLS.Enabled {
		errs = append(errs, prefixErr("collectors.bgpls", c.BGPLS.Validate()))
	}
	if c.GNMI.Enabled {
		errs = append(errs, prefixErr("collectors.gnmi", c.GNMI.Validate()))
	}
	return errors.Join(errs...)
}

// collectorSet is the enabled collectors, wired explicitly: no registry.
type collectorSet []collectors.Collector

func newCollectors(cfg CollectorsConfig, store *topology.Store, logger *slog.Logger) (collectorSet, error) {
	var cs collectorSet
	if cfg.Static.Enabled {
		c, err := static.New(cfg.Static, logger.With("component", "static"))
		if err != nil {
			return nil, err // already names the collector and the file
		}
		cs = append(cs, c)
	}
	if cfg.BGPLS.Enabled {
		c, err := bgpls.New(cfg.BGPLS, logger.With("component", "bgpls"))
		if err != nil {
			return nil, fmt.Errorf("collectors.bgpls: %w", err)
		}
		cs = append(cs, c)
	}
	if cfg.GNMI.Enabled {
		// gNMI annotates links: it reads the graph to match interfaces.
		c, err := gnmi.New(cfg.GNMI, store, logger.With("component", "gnmi"))
		if err != nil {
			return nil, fmt.Errorf("collectors.gnmi: %w", err)
		}
		cs = append(cs, c)
	}
	return cs, nil
}

// ready reports whether every collector has delivered its initial view.
func (cs collectorSet) ready() bool {
	for _, c := range cs {
		if !c.Ready() {
			return false
		}
	}
	return true
}

func (cs collectorSet) names() []string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name()
	}
	return names
}

// newEmulator returns the demo network emulator, or nil when it is off.
func newEmulator(cfg emulator.Config, logger *slog.Logger) (*emulator.Emulator, error) {
	if !cfg.Enabled {
		return nil, nil
	}
	return emulator.New(cfg, logger.With("component", "emulator"))
}
