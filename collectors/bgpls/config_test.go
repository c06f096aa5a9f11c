package bgpls

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/collectortest"
)

func validConfig() Config {
	c := DefaultConfig()
	c.LocalASN = 65000
	c.RouterID = netip.MustParseAddr("192.0.2.1")
	c.Peers = []PeerConfig{{Address: netip.MustParseAddr("192.0.2.10"), ASN: 65000}}
	return c
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Config)
		want []string // substrings of the error; none means valid
	}{
		{name: "valid", mod: func(*Config) {}},
		{name: "never listen, active peers", mod: func(c *Config) { c.ListenPort = -1 }},
		{name: "missing identity", mod: func(c *Config) { c.LocalASN, c.RouterID = 0, netip.Addr{} },
			want: []string{"local_asn: required", "router_id: required"}},
		{name: "ipv6 router-id", mod: func(c *Config) { c.RouterID = netip.MustParseAddr("2001:db8::1") },
			want: []string{"router_id: 2001:db8::1 is not a usable IPv4 address"}},
		{name: "bad port", mod: func(c *Config) { c.ListenPort = 0 }, want: []string{"listen_port"}},
		{name: "negative durations", mod: func(c *Config) { c.StaleHold, c.ConvergenceQuiet, c.UpdateInterval = -1, -1, 0 },
			want: []string{"stale_hold", "convergence_quiet", "update_interval"}},
		{name: "backoff", mod: func(c *Config) { c.BackoffMin, c.BackoffMax = time.Minute, time.Second },
			want: []string{"backoff_max: must be at least backoff_min"}},
		{name: "no peers", mod: func(c *Config) { c.Peers = nil }, want: []string{"peers: at least one"}},
		{name: "peer fields", mod: func(c *Config) {
			c.ListenPort = -1
			c.Peers = []PeerConfig{
				{Passive: true, Port: 179},
				{Address: netip.MustParseAddr("192.0.2.10"), ASN: 1, LocalAddress: netip.MustParseAddr("::1"), HoldTime: 2 * time.Second},
				{Address: netip.MustParseAddr("192.0.2.10"), ASN: 65000, ConnectRetry: 1500 * time.Millisecond, EBGPMultihopTTL: 2},
			}
		}, want: []string{
			"peers[0].address: required", "peers[0].asn: required", "peers[0].passive: needs a listener",
			"peers[0]: port and local_address apply to active sessions only",
			"peers[1].local_address: ::1 is not of the same family", "peers[1].hold_time",
			"peers[2].address: 192.0.2.10 is also peers[1]", "peers[2].connect_retry", "peers[2].ebgp_multihop_ttl: only for eBGP",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validConfig()
			tt.mod(&c)
			err := c.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v; want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil; want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestNewPasswordFile(t *testing.T) {
	dir := t.TempDir()
	good, empty := filepath.Join(dir, "good"), filepath.Join(dir, "empty")
	os.WriteFile(good, []byte("s3cret\n"), 0o600)
	os.WriteFile(empty, []byte("\n"), 0o600)
	for _, tc := range []struct {
		file    string
		wantErr string
	}{
		{good, ""},
		{empty, "peers[0].password_file: password file " + empty + ": empty"},
		{filepath.Join(dir, "missing"), "peers[0].password_file"},
	} {
		c := validConfig()
		c.Peers[0].PasswordFile = tc.file
		col, err := New(c, nil)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.file, err)
		case tc.wantErr == "" && col.passwords[0] != "s3cret":
			t.Errorf("%s: password %q", tc.file, col.passwords[0])
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: err %v; want %q", tc.file, err, tc.wantErr)
		}
	}
}

// TestREADME decodes every configuration block of README.md strictly on
// top of the defaults and validates it, so the documentation cannot drift
// from the code.
func TestREADME(t *testing.T) {
	blocks := collectortest.YAMLBlocks(t, "README.md")
	if len(blocks) < 3 {
		t.Fatalf("found %d yaml blocks; want the configuration and two examples", len(blocks))
	}
	for i, b := range blocks {
		cfg, err := collectortest.DecodeSection(b, "bgpls", DefaultConfig())
		if err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
		if err := cfg.Validate(); err != nil {
			t.Errorf("block %d: %v", i, err)
		}
		if i == 0 {
			want := DefaultConfig()
			want.Enabled, want.LocalASN, want.RouterID = true, 65000, netip.MustParseAddr("192.0.2.1")
			want.Peers = cfg.Peers
			if cfg.ListenAddress.IsValid() || cfg.StaleHold != want.StaleHold || cfg.BackoffMax != want.BackoffMax ||
				cfg.UpdateInterval != want.UpdateInterval || cfg.ListenPort != want.ListenPort {
				t.Errorf("the configuration block does not show the defaults: %+v", cfg)
			}
			if p := cfg.Peers[0]; p.HoldTime != 90*time.Second || p.PasswordFile == "" || p.Port != 179 {
				t.Errorf("peer in the configuration block: %+v", p)
			}
		}
	}
}
