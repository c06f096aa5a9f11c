package inventory

import (
	"errors"
	"fmt"
	"time"
)

// Config configures the inventory file.
type Config struct {
	// File is the inventory's path; empty means no inventory.
	File string `yaml:"file"`
	// PollInterval is how often the file is checked for changes; 0
	// disables reloading.
	PollInterval time.Duration `yaml:"poll_interval"`
	// Properties declares the property types the inventory may set
	// (RFC 9240 EntityPropertyType syntax). A file that sets any other
	// property is rejected.
	Properties []string `yaml:"properties"`
}

// DefaultConfig returns no file, a 5 s poll and the usual data-centre
// properties.
func DefaultConfig() Config {
	return Config{
		PollInterval: 5 * time.Second,
		Properties:   []string{"cpu", "ram", "storage-capacity", "site"},
	}
}

// Validate checks the configuration; messages name the field.
func (c Config) Validate() error {
	var errs []error
	if c.PollInterval < 0 {
		errs = append(errs, fmt.Errorf("poll_interval: must not be negative (got %s)", c.PollInterval))
	}
	seen := map[string]bool{}
	for i, p := range c.Properties {
		if err := checkPropertyType(p); err != nil {
			errs = append(errs, fmt.Errorf("properties[%d]: %w", i, err))
		}
		if seen[p] {
			errs = append(errs, fmt.Errorf("properties[%d]: %q listed twice", i, p))
		}
		seen[p] = true
	}
	return errors.Join(errs...)
}
