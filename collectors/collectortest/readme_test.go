package collectortest

import (
	"strings"
	"testing"
)

func TestDecodeSection(t *testing.T) {
	type cfg struct {
		Enabled bool `yaml:"enabled"`
		Port    int  `yaml:"port"`
	}
	def := cfg{Port: 7}
	got, err := DecodeSection([]byte("collectors:\n  x:\n    enabled: true\n"), "x", def)
	if err != nil || got != (cfg{Enabled: true, Port: 7}) {
		t.Errorf("got %+v, %v; want the default port kept", got, err)
	}
	for block, want := range map[string]string{
		"collectors:\n  x:\n    colour: red\n": "colour",
		"collectors:\n  y: {}\n":               "no collectors.x",
		"other: 1\n":                           "other",
	} {
		if _, err := DecodeSection([]byte(block), "x", def); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want an error mentioning %q", block, err, want)
		}
	}
}
