package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestGoodConfigs(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.good.yaml")
	if len(files) == 0 {
		t.Fatal("no good configs")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if _, err := LoadConfig(f); err != nil {
				t.Errorf("LoadConfig: %v", err)
			}
		})
	}
}

func TestBadConfigs(t *testing.T) {
	tests := map[string][]string{
		"unknown-key.bad.yaml": {"testdata/unknown-key.bad.yaml", "line 3", "lisen"},
		"bad-values.bad.yaml": {
			`log.format: unknown format "xml"`,
			`http.listen: "8080" is not host:port`,
			`alto.network_map.grouping: unknown grouping "by-color"`,
			`alto.cost_types[1].metric: unsupported cost metric "bandwidth"`,
			"topology.update_buffer: must be at least 1",
		},
		"bad-type.bad.yaml":   {"line 2", "soon"},
		"bad-prefix.bad.yaml": {"line 7", "300.0.0.0/8"},
		"grpc.bad.yaml": {
			`grpc.listen: "9090" is not host:port`,
			`grpc.push.sources[0]: "bgpls" is a collector's source name`,
			"grpc.push.max_replace_elements: must be at least 1",
		},
	}
	for name, wants := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := LoadConfig(filepath.Join("testdata", name))
			if err == nil {
				t.Fatal("bad config accepted")
			}
			for _, w := range wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	// Semantic errors are found after decoding: one more case with the
	// prefix syntax right but the values wrong.
	f := filepath.Join(t.TempDir(), "dup.yaml")
	os.WriteFile(f, []byte("alto:\n  network_map:\n    explicit:\n      - {name: a, prefixes: [10.0.0.1/8]}\n      - {name: a, prefixes: [10.0.0.0/8]}\n"), 0o644)
	_, err := LoadConfig(f)
	for _, w := range []string{"explicit[0].prefixes[0]: 10.0.0.1/8 has host bits set", `explicit[1].name: PID "a" defined twice`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v does not mention %q", err, w)
		}
	}
}

// The example in deploy/ documents every key with its default, so it must
// parse to exactly the defaults.
func TestExampleConfigIsTheDefaults(t *testing.T) {
	cfg, err := LoadConfig("../../deploy/config/altod.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	def := DefaultConfig()
	def.ALTO.NetworkMap.Explicit = cfg.ALTO.NetworkMap.Explicit // [] vs nil
	if len(cfg.ALTO.NetworkMap.Explicit) != 0 || !reflect.DeepEqual(cfg, def) {
		t.Errorf("example config differs from DefaultConfig():\n got %+v\nwant %+v", cfg, def)
	}
}

func TestDefaultsNeedNoFile(t *testing.T) {
	cfg, err := LoadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Collectors.Static.Enabled || cfg.Collectors.Static.File != "" {
		t.Errorf("defaults do not serve the demo network: %+v", cfg.Collectors.Static)
	}
}

// Every config shipped in deploy/ loads: make run uses demo-live.yaml.
func TestDeployConfigsLoad(t *testing.T) {
	files, _ := filepath.Glob("../../deploy/config/*.yaml")
	if len(files) < 2 {
		t.Fatalf("found %d deploy configs", len(files))
	}
	for _, f := range files {
		if _, err := LoadConfig(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
