package static

import (
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		want string // "" means valid
	}{
		{"default", func(*Config) {}, ""},
		{"file", func(c *Config) { c.File = "t.yaml"; c.Format = FormatNative }, ""},
		{"empty format", func(c *Config) { c.Format = "" }, ""},
		{"reload off", func(c *Config) { c.ReloadInterval = 0 }, ""},
		{"unknown format", func(c *Config) { c.File = "t"; c.Format = "x" },
			`format: unknown format "x" (want auto, native, repetita, graphml, sndlib)`},
		{"format without file", func(c *Config) { c.Format = FormatGraphML }, `format: "graphml" set without a file`},
		{"negative reload", func(c *Config) { c.ReloadInterval = -time.Second }, "reload_interval: must not be negative (got -1s)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.edit(&cfg)
			err := cfg.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			wantErr(t, err, tc.want)
		})
	}
}

func TestDefaultConfig(t *testing.T) {
	want := Config{Enabled: true, Format: FormatAuto, ReloadInterval: 5 * time.Second}
	if got := DefaultConfig(); got != want {
		t.Errorf("DefaultConfig() = %+v, want %+v", got, want)
	}
}
