package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/alto/grpcapi"
	"github.com/altosdn/altosdn/alto/httpapi"
	"github.com/altosdn/altosdn/collectors/emulator"
	"github.com/altosdn/altosdn/topology"
)

// Config is the daemon's whole configuration: one YAML file over defaults.
type Config struct {
	Log        LogConfig        `yaml:"log"`
	HTTP       httpapi.Config   `yaml:"http"`
	GRPC       grpcapi.Config   `yaml:"grpc"`
	Topology   topology.Config  `yaml:"topology"`
	ALTO       alto.Config      `yaml:"alto"`
	Collectors CollectorsConfig `yaml:"collectors"`
	// Emulator plays a live demo network to the BGP-LS and gNMI collectors.
	Emulator emulator.Config `yaml:"emulator"`
}

// DefaultConfig composes every package's defaults. With it alone the daemon
// serves the built-in demo network on port 8080.
func DefaultConfig() Config {
	return Config{
		Log:        LogConfig{Level: slog.LevelInfo, Format: "text"},
		HTTP:       httpapi.DefaultConfig(),
		GRPC:       grpcapi.DefaultConfig(),
		Topology:   topology.DefaultConfig(),
		ALTO:       alto.DefaultConfig(),
		Collectors: defaultCollectorsConfig(),
		Emulator:   emulator.DefaultConfig(),
	}
}

// LoadConfig reads the file at path over the defaults; an empty path means
// the defaults alone. Errors name the file and the line or field.
func LoadConfig(path string) (Config, error) {
	if path == "" {
		cfg := DefaultConfig()
		return cfg, cfg.Validate()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	cfg, err := ParseConfig(bytes.NewReader(data))
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// ParseConfig decodes YAML strictly (an unknown key is an error) over the
// defaults and validates the result. An empty document keeps all defaults.
func ParseConfig(r io.Reader) (Config, error) {
	cfg := DefaultConfig()
	data, err := io.ReadAll(r)
	if err != nil {
		return Config{}, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if !strings.Contains(msg, "line ") {
			msg = locate(data, msg) + msg
		}
		return Config{}, errors.New(msg)
	}
	return cfg, cfg.Validate()
}

// locate finds the line of the value a decoding error quotes. Values that
// decode through encoding.TextUnmarshaler (addresses, prefixes, durations)
// fail without a line number; the quoted value leads back to it.
func locate(data []byte, msg string) string {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil {
		return ""
	}
	line := 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if line != 0 {
			return
		}
		if n.Kind == yaml.ScalarNode && n.Value != "" && strings.Contains(msg, `"`+n.Value+`"`) {
			line = n.Line
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&root)
	if line == 0 {
		return ""
	}
	return fmt.Sprintf("line %d: ", line)
}

// Validate reports every problem at once, each prefixed by its field path.
func (c Config) Validate() error {
	var logErr error
	if c.Log.Format != "text" && c.Log.Format != "json" {
		logErr = fmt.Errorf("format: unknown format %q (want text or json)", c.Log.Format)
	}
	return errors.Join(
		prefixErr("log", logErr),
		prefixErr("http", c.HTTP.Validate()),
		prefixErr("grpc", c.GRPC.Validate()),
		prefixErr("topology", c.Topology.Validate()),
		prefixErr("alto", c.ALTO.Validate()),
		c.Collectors.validate(),
		c.emulatorErr(),
	)
}

// prefixErr puts a section name before each of the joined errors in err.
func prefixErr(section string, err error) error {
	if err == nil {
		return nil
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		out[i] = fmt.Errorf("%s.%w", section, e)
	}
	return errors.Join(out...)
}

func (c Config) emulatorErr() error {
	if !c.Emulator.Enabled {
		return nil
	}
	return prefixErr("emulator", c.Emulator.Validate())
}
