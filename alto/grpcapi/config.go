package grpcapi

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/altosdn/altosdn/topology"
)

// Config configures the gRPC server.
type Config struct {
	// Enabled starts the server. It is off by default: the push changes the
	// topology and has no authentication of its own, so an operator turns it
	// on deliberately and binds it where only the controller reaches it.
	Enabled bool `yaml:"enabled"`
	// Listen is the TCP address to serve on, host:port.
	Listen string `yaml:"listen"`
	// ShutdownTimeout bounds the graceful stop; open streams are then cut.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	// MaxRecvMessageBytes caps one incoming message (a push request).
	MaxRecvMessageBytes int        `yaml:"max_recv_message_bytes"`
	Push                PushConfig `yaml:"push"`
}

// PushConfig configures the controller topology push.
type PushConfig struct {
	// Enabled accepts PushTopology calls; when false they fail with
	// PERMISSION_DENIED and the server only reads.
	Enabled bool `yaml:"enabled"`
	// Sources lists the source names a push may use; a request without one
	// uses the first. Each has its own contribution and priority
	// (topology.source_priority).
	Sources []topology.Source `yaml:"sources"`
	// MaxReplaceElements caps the elements of one REPLACE held in memory
	// across its chunks.
	MaxReplaceElements int `yaml:"max_replace_elements"`
}

// DefaultConfig returns the defaults: disabled; when enabled, port 9090 and
// a push that accepts the source "controller".
func DefaultConfig() Config {
	return Config{
		Listen:              ":9090",
		ShutdownTimeout:     15 * time.Second,
		MaxRecvMessageBytes: 16 << 20,
		Push: PushConfig{
			Enabled:            true,
			Sources:            []topology.Source{topology.SourceController},
			MaxReplaceElements: 1_000_000,
		},
	}
}

// Validate checks the configuration; messages name the field.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("listen: %q is not host:port: %w", c.Listen, err))
	}
	if c.ShutdownTimeout < 0 {
		errs = append(errs, fmt.Errorf("shutdown_timeout: must not be negative (got %s)", c.ShutdownTimeout))
	}
	if c.MaxRecvMessageBytes < 1024 {
		errs = append(errs, fmt.Errorf("max_recv_message_bytes: must be at least 1024 (got %d)", c.MaxRecvMessageBytes))
	}
	if c.Push.Enabled && len(c.Push.Sources) == 0 {
		errs = append(errs, errors.New("push.sources: at least one source name is needed"))
	}
	seen := map[topology.Source]bool{}
	for i, s := range c.Push.Sources {
		switch {
		case s == "":
			errs = append(errs, fmt.Errorf("push.sources[%d]: empty source name", i))
		case seen[s]:
			errs = append(errs, fmt.Errorf("push.sources[%d]: %q listed twice", i, s))
		case s == topology.SourceStatic || s == topology.SourceBGPLS || s == topology.SourceGNMI:
			// A push under a collector's name would overwrite what that
			// collector contributes.
			errs = append(errs, fmt.Errorf("push.sources[%d]: %q is a collector's source name", i, s))
		}
		seen[s] = true
	}
	if c.Push.MaxReplaceElements < 1 {
		errs = append(errs, fmt.Errorf("push.max_replace_elements: must be at least 1 (got %d)", c.Push.MaxReplaceElements))
	}
	return errors.Join(errs...)
}
