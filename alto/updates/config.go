package updates

import (
	"errors"
	"fmt"
	"time"
)

// Config bounds what update streams may cost the server.
type Config struct {
	// KeepAlive is the longest silence on a stream; RFC 8895 §5 asks for
	// a comment or an event at least every 15 s.
	KeepAlive time.Duration `yaml:"keep_alive"`
	// WriteTimeout is how long one write to a client may block before the
	// client is dropped as dead.
	WriteTimeout time.Duration `yaml:"write_timeout"`
	// MaxStreams caps the open streams of the server.
	MaxStreams int `yaml:"max_streams"`
	// MaxSubstreams caps the resources one stream updates.
	MaxSubstreams int `yaml:"max_substreams"`
	// MaxInputs caps the distinct POST inputs (filtered maps, endpoint
	// queries) one stream holds; each is recomputed on every map change.
	MaxInputs int `yaml:"max_inputs"`
	// MaxInputsTotal caps the distinct inputs of all streams together.
	MaxInputsTotal int `yaml:"max_inputs_total"`
	// QueueChanges and QueueBytes bound the changes a stream may hold
	// unsent (and the bytes of their updates). A stream that overflows is
	// re-synchronised: its queue is dropped and it gets a control event
	// and the current full resources once it drains.
	QueueChanges int   `yaml:"queue_changes"`
	QueueBytes   int64 `yaml:"queue_bytes"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		KeepAlive:      15 * time.Second,
		WriteTimeout:   30 * time.Second,
		MaxStreams:     10000,
		MaxSubstreams:  64,
		MaxInputs:      16,
		MaxInputsTotal: 1024,
		QueueChanges:   64,
		QueueBytes:     64 << 20,
	}
}

// Validate checks the configuration; messages name the field.
func (c Config) Validate() error {
	var errs []error
	pos := func(name string, v int64) {
		if v < 1 {
			errs = append(errs, fmt.Errorf("%s: must be at least 1 (got %d)", name, v))
		}
	}
	pos("keep_alive", int64(c.KeepAlive))
	pos("write_timeout", int64(c.WriteTimeout))
	pos("max_streams", int64(c.MaxStreams))
	pos("max_substreams", int64(c.MaxSubstreams))
	pos("max_inputs", int64(c.MaxInputs))
	pos("max_inputs_total", int64(c.MaxInputsTotal))
	pos("queue_changes", int64(c.QueueChanges))
	pos("queue_bytes", c.QueueBytes)
	return errors.Join(errs...)
}
