package topology

import (
	"errors"
	"fmt"
)

// Config tunes the [Store].
type Config struct {
	// UpdateBuffer is the capacity of the channel collectors send on.
	UpdateBuffer int `yaml:"update_buffer"`
	// SourcePriority lists sources from highest to lowest priority. Where
	// two sources describe the same node, link or metric, the higher one wins.
	// Sources not listed rank below all listed ones, in name order.
	SourcePriority []Source `yaml:"source_priority"`
}

// DefaultConfig returns the defaults: a controller's push beats BGP-LS,
// which beats a static file.
func DefaultConfig() Config {
	return Config{
		UpdateBuffer:   1024,
		SourcePriority: []Source{SourceController, SourceBGPLS, SourceStatic},
	}
}

// Validate checks the configuration.
func (c Config) Validate() error {
	var errs []error
	if c.UpdateBuffer < 1 {
		errs = append(errs, fmt.Errorf("update_buffer: must be at least 1 (got %d)", c.UpdateBuffer))
	}
	seen := map[Source]bool{}
	for i, s := range c.SourcePriority {
		if s == "" {
			errs = append(errs, fmt.Errorf("source_priority[%d]: empty source name", i))
		}
		if seen[s] {
			errs = append(errs, fmt.Errorf("source_priority[%d]: %q listed twice", i, s))
		}
		seen[s] = true
	}
	return errors.Join(errs...)
}
