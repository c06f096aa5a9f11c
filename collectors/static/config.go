package static

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Topology file formats, as named in Config.Format.
const (
	FormatAuto     = "auto"     // from the file name (and, for .txt, the header)
	FormatNative   = "native"   // this package's YAML (or JSON) format
	FormatRepetita = "repetita" // Repetita .graph
	FormatGraphML  = "graphml"  // Internet Topology Zoo GraphML
	FormatSNDlib   = "sndlib"   // SNDlib native format
)

var formats = []string{FormatAuto, FormatNative, FormatRepetita, FormatGraphML, FormatSNDlib}

// Config configures the static collector.
type Config struct {
	// Enabled says whether the daemon runs the collector; New ignores it.
	Enabled bool `yaml:"enabled"`
	// File is the topology file. Empty serves the built-in demo network.
	File string `yaml:"file"`
	// Format is one of auto, native, repetita, graphml or sndlib.
	Format string `yaml:"format"`
	// ReloadInterval is how often the file is checked for changes; 0
	// disables reloading.
	ReloadInterval time.Duration `yaml:"reload_interval"`
}

// DefaultConfig returns the defaults: enabled, serving the demo network,
// format auto, checking the file every 5 seconds.
func DefaultConfig() Config {
	return Config{Enabled: true, Format: FormatAuto, ReloadInterval: 5 * time.Second}
}

// Validate checks the configuration. Messages name the field.
func (c Config) Validate() error {
	var errs []error
	if !slices.Contains(formats, c.format()) {
		errs = append(errs, fmt.Errorf("format: unknown format %q (want %s)", c.Format, strings.Join(formats, ", ")))
	} else if c.File == "" && c.format() != FormatAuto {
		errs = append(errs, fmt.Errorf("format: %q set without a file (the built-in demo network needs none)", c.Format))
	}
	if c.ReloadInterval < 0 {
		errs = append(errs, fmt.Errorf("reload_interval: must not be negative (got %s)", c.ReloadInterval))
	}
	return errors.Join(errs...)
}

// format returns the configured format, reading empty as auto.
func (c Config) format() string {
	if c.Format == "" {
		return FormatAuto
	}
	return c.Format
}
