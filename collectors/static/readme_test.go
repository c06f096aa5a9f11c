package static

import (
	"bytes"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/collectortest"
)

// TestREADME parses every YAML block of README.md, so the documentation
// cannot drift from the code: the configuration block decodes strictly into
// Config, the topology example parses in the native format.
func TestREADME(t *testing.T) {
	var sawConfig, sawTopology bool
	for _, block := range collectortest.YAMLBlocks(t, "README.md") {
		if bytes.HasPrefix(block, []byte("collectors:")) {
			sawConfig = true
			cfg, err := collectortest.DecodeSection(block, "static", DefaultConfig())
			if err != nil {
				t.Fatalf("configuration block: %v", err)
			}
			if err := cfg.Validate(); err != nil {
				t.Errorf("configuration block: %v", err)
			}
			if cfg.File == "" || cfg.ReloadInterval != 5*time.Second || !cfg.Enabled {
				t.Errorf("configuration block decoded to %+v", cfg)
			}
			continue
		}
		sawTopology = true
		topo, err := Parse(block, "README.md", FormatNative)
		if err != nil {
			t.Fatalf("topology example: %v", err)
		}
		checkValid(t, topo)
		if len(topo.Nodes) != 3 || len(topo.Links) != 5 || len(topo.Prefixes) != 5 {
			t.Errorf("example has %d nodes, %d links, %d prefixes; want 3, 5, 5",
				len(topo.Nodes), len(topo.Links), len(topo.Prefixes))
		}
		nyc := topo.Nodes[0]
		if nyc.Name != "nyc-core-1" || nyc.Key.AS != 64500 || nyc.Key.Area != "49.0001" || nyc.RouterIDv4.String() != "192.0.2.1" {
			t.Errorf("example node nyc = %+v", nyc)
		}
		l := topo.Links[0] // nyc->chi shows every link metric of the format
		for _, m := range linkMetrics {
			if !l.Metrics[m.metric].Set {
				t.Errorf("example link %s does not show %s", l.ID, m.key)
			}
		}
	}
	if !sawConfig || !sawTopology {
		t.Errorf("README.md: found config block %v, topology block %v; want both", sawConfig, sawTopology)
	}
}
