package httpapi

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/altosdn/altosdn/alto/updates"
)

// Config configures the HTTP server.
type Config struct {
	// Listen is the TCP address to serve on, host:port.
	Listen            string        `yaml:"listen"`
	ReadHeaderTimeout time.Duration `yaml:"read_header_timeout"`
	// ShutdownDelay is how long /readyz fails before connections drain.
	ShutdownDelay   time.Duration `yaml:"shutdown_delay"`
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	// BaseURL, when set, makes the URIs in the directory absolute
	// (e.g. https://alto.example.net). When empty they are relative
	// references, resolved by clients against the directory's own URI.
	BaseURL string `yaml:"base_url"`
	// AccessLog logs every request at Info; otherwise requests log at Debug.
	AccessLog bool `yaml:"access_log"`
	// MaxBodyBytes caps a request body; larger ones get 413.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// Updates bounds the RFC 8895 update streams.
	Updates updates.Config `yaml:"updates"`
}

// DefaultConfig returns the defaults: port 8080 on all interfaces.
func DefaultConfig() Config {
	return Config{
		Listen:            ":8080",
		ReadHeaderTimeout: 5 * time.Second,
		ShutdownDelay:     5 * time.Second,
		ShutdownTimeout:   15 * time.Second,
		MaxBodyBytes:      1 << 20,
		Updates:           updates.DefaultConfig(),
	}
}

// Validate checks the configuration; messages name the field.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("listen: %q is not host:port: %w", c.Listen, err))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"read_header_timeout", c.ReadHeaderTimeout}, {"shutdown_delay", c.ShutdownDelay}, {"shutdown_timeout", c.ShutdownTimeout}} {
		if d.v < 0 {
			errs = append(errs, fmt.Errorf("%s: must not be negative (got %s)", d.name, d.v))
		}
	}
	if c.MaxBodyBytes < 1 {
		errs = append(errs, fmt.Errorf("max_body_bytes: must be at least 1 (got %d)", c.MaxBodyBytes))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("base_url: %q is not an absolute http(s) URL", c.BaseURL))
		}
	}
	if err := c.Updates.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("updates.%w", err))
	}
	return errors.Join(errs...)
}
