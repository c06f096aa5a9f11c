package main

import (
	"fmt"
	"io"
	"log/slog"
)

// LogConfig configures the daemon's one logger.
type LogConfig struct {
	Level  slog.Level `yaml:"level"`  // debug, info, warn or error
	Format string     `yaml:"format"` // text or json
}

func newLogger(w io.Writer, cfg LogConfig) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: cfg.Level}
	switch cfg.Format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log.format: unknown format %q (want text or json)", cfg.Format)
}
