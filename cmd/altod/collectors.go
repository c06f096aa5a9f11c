package main

import (
	"log/slog"

	"github.com/altosdn/altosdn/collectors"
	"github.com/altosdn/altosdn/collectors/static"
)

// CollectorsConfig holds one section per kind of topology source.
type CollectorsConfig struct {
	Static static.Config `yaml:"static"`
}

func defaultCollectorsConfig() CollectorsConfig {
	return CollectorsConfig{Static: static.DefaultConfig()}
}

// collectorSet is the enabled collectors, wired explicitly: no registry.
type collectorSet []collectors.Collector

func newCollectors(cfg CollectorsConfig, logger *slog.Logger) (collectorSet, error) {
	var cs collectorSet
	if cfg.Static.Enabled {
		c, err := static.New(cfg.Static, logger.With("component", "static"))
		if err != nil {
			return nil, err // already names the collector and the file
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
