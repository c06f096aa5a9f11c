package gnmi

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestConfigValidate(t *testing.T) {
	ok := TargetConfig{Name: "r1", Address: "192.0.2.1:57400", TLS: TLSConfig{CAFile: "ca.pem"}}
	tests := []struct {
		name string
		edit func(*Config)
		want []string // substrings; none means valid
	}{
		{"default", func(*Config) {}, nil},
		{"one target", func(c *Config) { c.Targets = []TargetConfig{ok} }, nil},
		{"plaintext target", func(c *Config) {
			c.Targets = []TargetConfig{{Name: "r1", Address: "[2001:db8::1]:6030", TLS: TLSConfig{Insecure: true}}}
		}, nil},
		{"everything", func(c *Config) {
			c.TTL, c.StallTimeout = time.Minute, 30*time.Second
			c.Targets = []TargetConfig{{Name: "r1", Address: "r1.example.net:57400",
				TLS:          TLSConfig{CAFile: "ca", CertFile: "c", KeyFile: "k", ServerName: "r1"},
				UsernameFile: "u", PasswordFile: "p", Encoding: EncodingJSONIETF, SampleInterval: 10 * time.Second,
				Paths: []string{"/interfaces/interface[name=Ethernet1/1]/state/counters"}, PrefixTarget: "r1",
				NodeName: "r1", InterfaceLinks: map[string]string{"Ethernet1/1": "10.0.0.1"}}}
		}, nil},
		{"missing name and address", func(c *Config) { c.Targets = []TargetConfig{{TLS: TLSConfig{Insecure: true}}} },
			[]string{"targets[0].name: required", "targets[0].address: required"}},
		{"address without port", func(c *Config) { c.Targets = []TargetConfig{{Name: "r1", Address: "192.0.2.1"}} },
			[]string{`targets[0] (r1).address: want host:port (got "192.0.2.1")`}},
		{"duplicate name", func(c *Config) { c.Targets = []TargetConfig{ok, ok} },
			[]string{"targets[1] (r1).name: duplicate of targets[0]"}},
		{"insecure with ca", func(c *Config) {
			c.Targets = []TargetConfig{{Name: "r1", Address: "a:1", TLS: TLSConfig{Insecure: true, CAFile: "ca"}}}
		}, []string{"targets[0] (r1).tls.insecure: plaintext cannot be combined"}},
		{"cert without key", func(c *Config) {
			c.Targets = []TargetConfig{{Name: "r1", Address: "a:1", TLS: TLSConfig{CertFile: "c"}}}
		}, []string{"tls.key_file: cert_file and key_file go together"}},
		{"skip verify with ca", func(c *Config) {
			c.Targets = []TargetConfig{{Name: "r1", Address: "a:1", TLS: TLSConfig{SkipVerify: true, CAFile: "ca"}}}
		}, []string{"tls.skip_verify: contradicts ca_file"}},
		{"username without password", func(c *Config) {
			t := ok
			t.UsernameFile = "u"
			c.Targets = []TargetConfig{t}
		}, []string{"password_file: username_file and password_file go together"}},
		{"bad encoding", func(c *Config) {
			t := ok
			t.Encoding = "json"
			c.Targets = []TargetConfig{t}
		}, []string{`encoding: want proto or json_ietf (got "json")`}},
		{"bad path", func(c *Config) {
			t := ok
			t.Paths = []string{"interfaces/interface"}
			c.Targets = []TargetConfig{t}
		}, []string{"paths[0]: path \"interfaces/interface\": must start with /"}},
		{"interval not below ttl", func(c *Config) {
			t := ok
			t.SampleInterval = time.Minute
			c.TTL = time.Minute
			c.Targets = []TargetConfig{t}
		}, []string{"sample_interval: must be shorter than ttl"}},
		{"interval not below stall timeout", func(c *Config) {
			c.StallTimeout = 5 * time.Second
			c.Targets = []TargetConfig{ok} // the default interval is 10s
		}, []string{"sample_interval: must be shorter than stall_timeout (got 10s, stall_timeout 5s)"}},
		{"negative durations", func(c *Config) {
			c.TTL, c.StallTimeout = -1, -1
			t := ok
			t.SampleInterval = -1
			c.Targets = []TargetConfig{t}
		}, []string{"ttl: must not be negative", "stall_timeout: must not be negative", "sample_interval: must not be negative"}},
		{"backoff", func(c *Config) { c.ReconnectMin, c.ReconnectMax = 0, -1 },
			[]string{"reconnect_min: must be positive", "reconnect_max: must not be below reconnect_min"}},
		{"keepalive too often", func(c *Config) { c.KeepaliveTime, c.KeepaliveTimeout = time.Second, 0 },
			[]string{"keepalive_time: must be at least 10s (got 1s)", "keepalive_timeout: must be positive"}},
		{"empty interface link", func(c *Config) {
			t := ok
			t.InterfaceLinks = map[string]string{"eth0": ""}
			c.Targets = []TargetConfig{t}
		}, []string{"interface_links: empty interface name or link"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tc.edit(&cfg)
			err := cfg.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want errors %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v\nwant it to contain %q", err, w)
				}
			}
		})
	}
}

func TestDefaultConfig(t *testing.T) {
	want := Config{DownMeansDown: true, ReconnectMin: time.Second, ReconnectMax: time.Minute,
		KeepaliveTime: 5 * time.Minute, KeepaliveTimeout: 20 * time.Second}
	if diff := cmp.Diff(want, DefaultConfig()); diff != "" {
		t.Errorf("DefaultConfig() mismatch (-want +got):\n%s", diff)
	}
	cfg := DefaultConfig()
	tc := TargetConfig{Name: "r1", Address: "a:1"}
	if got := cfg.ttl(tc); got != 30*time.Second {
		t.Errorf("automatic ttl = %s, want 3 × 10s", got)
	}
	if got := cfg.stallTimeout(tc); got != 25*time.Second {
		t.Errorf("automatic stall timeout = %s, want 2 × 10s + 5s", got)
	}
	if d := tc.withDefaults(); d.Encoding != EncodingProto || d.SampleInterval != DefaultSampleInterval || len(d.Paths) != len(DefaultPaths) {
		t.Errorf("target defaults = %+v", d)
	}
	for i, p := range DefaultPaths {
		if _, err := parsePath(p); err != nil {
			t.Errorf("DefaultPaths[%d]: %v", i, err)
		}
	}
}
