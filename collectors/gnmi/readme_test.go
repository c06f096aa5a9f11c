package gnmi

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/altosdn/altosdn/collectors/collectortest"
)

// TestREADME decodes every YAML block of README.md strictly, as the daemon
// does, so the documentation cannot drift from Config. The first block
// documents the defaults and must match DefaultConfig.
func TestREADME(t *testing.T) {
	blocks := collectortest.YAMLBlocks(t, "README.md")
	if len(blocks) < 3 {
		t.Fatalf("README.md has %d YAML blocks, want the configuration and two examples", len(blocks))
	}
	for i, b := range blocks {
		cfg, err := collectortest.DecodeSection(b, "gnmi", DefaultConfig())
		if err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
		if err := cfg.Validate(); err != nil {
			t.Errorf("block %d: %v", i, err)
		}
		if !cfg.Enabled || len(cfg.Targets) == 0 {
			t.Errorf("block %d decoded to %+v", i, cfg)
		}
		if i == 0 {
			got := cfg
			got.Enabled, got.Targets = false, nil
			if diff := cmp.Diff(DefaultConfig(), got); diff != "" {
				t.Errorf("the configuration block does not show the defaults (-want +got):\n%s", diff)
			}
			tc := cfg.Targets[0]
			if tc.RouterID.String() != "192.0.2.1" || len(tc.InterfaceLinks) != 2 || tc.TLS.KeyFile == "" || tc.PasswordFile == "" {
				t.Errorf("the configuration block's target decoded to %+v", tc)
			}
		}
	}
}
