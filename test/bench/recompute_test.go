package bench

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/collectors/static"
	"github.com/altosdn/altosdn/topology"
)

// datasets are real topologies: the first ships in the repository, the
// others are read from ../shared when it is there.
var datasets = []struct{ name, path string }{
	{"rocketfuel-as1239", "../../collectors/static/testdata/rf1239_real_hard.graph"},
	{"repetita-cogentco", "../../../shared/datasets/repetita/topologyzoo_invcap/Cogentco.graph"},
	{"zoo-kdl", "../../../shared/datasets/topologyzoo/graphml/Kdl.graphml"},
}

func load(tb testing.TB, path string) *topology.Graph {
	tb.Helper()
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("dataset %s not present (optional, from ../shared/datasets): %v", filepath.Base(path), err)
	}
	t, err := static.Load(path, static.FormatAuto)
	if err != nil {
		tb.Fatal(err)
	}
	g, err := topology.NewGraph(t.Nodes, t.Links, t.Prefixes)
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// TestAS1239Shape pins the dataset the headline benchmark runs on.
func TestAS1239Shape(t *testing.T) {
	g := load(t, datasets[0].path)
	if g.NumNodes() != 315 || g.NumLinks() != 1944 {
		t.Errorf("AS1239 has %d nodes and %d links; want 315 and 1944", g.NumNodes(), g.NumLinks())
	}
	m, err := alto.Build(g, alto.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if len(m.NetworkMap.PIDs) != 316 {
		t.Errorf("%d PIDs; want 315 routers plus the default PID", len(m.NetworkMap.PIDs))
	}
}

// BenchmarkRecompute is a full recompute as the engine does it: SPF from
// every router, the network map, the routingcost cost map and the JSON
// encoding of both. Use -cpu 1 for the single-core figure.
func BenchmarkRecompute(b *testing.B) {
	cfg := alto.DefaultConfig()
	cfg.CostTypes = []alto.CostType{{Metric: alto.MetricRoutingCost, Mode: alto.ModeNumerical}}
	for _, ds := range datasets {
		b.Run(ds.name, func(b *testing.B) {
			g := load(b, ds.path)
			b.ReportAllocs()
			var size int
			for b.Loop() {
				m, err := alto.Build(g, cfg)
				if err != nil {
					b.Fatal(err)
				}
				size = len(m.CostMaps[0].Response.Body)
			}
			b.ReportMetric(float64(g.NumNodes()), "nodes")
			b.ReportMetric(float64(size)/1e6, "MB-costmap")
		})
	}
}
