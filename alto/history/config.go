package history

import (
	"errors"
	"fmt"
	"time"
)

// Config configures the recorder. alto.HistoryConfig has the same fields,
// so the daemon converts one into the other.
type Config struct {
	// Path is the bbolt file; empty keeps the history in memory only.
	Path string `yaml:"path"`
	// SampleInterval is the time between two samples.
	SampleInterval time.Duration `yaml:"sample_interval"`
	// Retention is how long samples are kept.
	Retention time.Duration `yaml:"retention"`
}

// maxSamples bounds Retention/SampleInterval, and so the store.
const maxSamples = 1 << 20

// DefaultConfig samples every 5 minutes and keeps two weeks, so each hour
// of each weekday has up to 24 samples.
func DefaultConfig() Config {
	return Config{SampleInterval: 5 * time.Minute, Retention: 14 * 24 * time.Hour}
}

// Validate checks the configuration; messages name the field.
func (c Config) Validate() error {
	var errs []error
	if c.SampleInterval < time.Second {
		errs = append(errs, fmt.Errorf("sample_interval: must be at least 1s (got %s)", c.SampleInterval))
	}
	if c.Retention < c.SampleInterval {
		errs = append(errs, fmt.Errorf("retention: must be at least sample_interval (got %s)", c.Retention))
	} else if c.SampleInterval > 0 && c.Retention/c.SampleInterval > maxSamples {
		errs = append(errs, fmt.Errorf("retention: %s holds more than %d samples of %s", c.Retention, maxSamples, c.SampleInterval))
	}
	return errors.Join(errs...)
}
