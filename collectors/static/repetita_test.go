package static

import (
	"testing"

	"github.com/altosdn/altosdn/topology"
)

func TestParseRepetitaDatasets(t *testing.T) {
	tests := []struct {
		file         string
		nodes, links int
	}{
		{"Abilene.graph", 11, 28},
		{"rf1239_real_hard.graph", 315, 1944},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			topo, err := parseRepetita(tc.file, readTestdata(t, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			checkValid(t, topo)
			if len(topo.Nodes) != tc.nodes || len(topo.Links) != tc.links {
				t.Errorf("got %d nodes, %d links; want %d, %d", len(topo.Nodes), len(topo.Links), tc.nodes, tc.links)
			}
			if len(topo.Prefixes) != 2*tc.nodes || !topo.SyntheticPrefixes {
				t.Errorf("got %d prefixes (synthetic %v), want %d synthetic", len(topo.Prefixes), topo.SyntheticPrefixes, 2*tc.nodes)
			}
			if topo.Format != FormatRepetita {
				t.Errorf("Format = %q", topo.Format)
			}
		})
	}
}

func TestParseRepetitaAbileneMetrics(t *testing.T) {
	topo, err := parseRepetita("Abilene.graph", readTestdata(t, "Abilene.graph"))
	if err != nil {
		t.Fatal(err)
	}
	ny := nodeByName(t, topo, "0_New_York")
	if want := (topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: "0_New_York"}).ID(); ny.ID != want {
		t.Errorf("node id = %q, want %q", ny.ID, want)
	}
	// edge_0 0 1 10 9953280 1913
	l := linkBetween(t, topo, "0_New_York", "1_Chicago", 0)
	for _, c := range []struct {
		m    topology.Metric
		want float64
	}{
		{topology.MetricIGP, 10},
		{topology.MetricMaxBandwidth, 9.95328e9}, // kbit/s → bit/s
		{topology.MetricDelay, 1913},             // µs
	} {
		if got := metric(t, l, c.m); got != c.want {
			t.Errorf("%s = %g, want %g", c.m, got, c.want)
		}
	}
	if l.Metrics[topology.MetricTE].Set || l.Metrics[topology.MetricLoss].Set {
		t.Error("metrics the file does not carry are set")
	}
}

func TestParseRepetitaParallelAndLoops(t *testing.T) {
	const in = `NODES 2
label x y
a 0 0
b 0 0

EDGES 5
label src dest weight bw delay
e0 0 1 1 1000 10
e1 1 0 1 1000 10
e2 0 1 2 1000 20
e3 1 0 2 1000 20
e4 1 1 1 1 1
`
	topo, err := parseRepetita("p.graph", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	checkValid(t, topo)
	if len(topo.Links) != 4 {
		t.Fatalf("got %d links, want 4 (self-loop skipped)", len(topo.Links))
	}
	if got := metric(t, linkBetween(t, topo, "a", "b", 1), topology.MetricIGP); got != 2 {
		t.Errorf("second parallel link IGP = %g, want 2", got)
	}
	if len(topo.Notes) != 1 {
		t.Errorf("notes = %q, want one about the self-loop", topo.Notes)
	}
}

func TestParseRepetitaErrors(t *testing.T) {
	const head = "NODES 2\nlabel x y\na 0 0\nb 0 0\n\nEDGES 1\nlabel src dest weight bw delay\n"
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"x.graph:1: missing NODES section"}},
		{"not repetita", "hello world\n", []string{`x.graph:1: want "NODES <count>"`}},
		{"bad count", "NODES -1\n", []string{"x.graph:1: NODES: bad count"}},
		{"short nodes", "NODES 3\nlabel x y\na 0 0\nEDGES 0\n", []string{"x.graph:4: NODES declares 3 nodes but 1 follow"}},
		{"dup label", "NODES 2\na 0 0\na 1 1\nEDGES 0\n", []string{"x.graph:3: node a: duplicate label"}},
		{"bad coord", "NODES 1\na x 0\nEDGES 0\n", []string{"x.graph:2: node a: x: not a number"}},
		{"unknown node", head + "e0 0 2 1 1 1\n", []string{`x.graph:8: edge e0: no node "2"`}},
		{"negative weight", head + "e0 0 1 -1 1 1\n", []string{"x.graph:8: edge e0: weight: negative number"}},
		{"nan delay", head + "e0 0 1 1 1 NaN\n", []string{"x.graph:8: edge e0: delay: not a finite number"}},
		{"huge bw", head + "e0 0 1 1 1e308 1\n", []string{"x.graph:8: edge e0: bw: 1e308 is too large"}},
		{"short edge", head + "e0 0 1 1\n", []string{"x.graph:8: edge: want"}},
		{"missing edges", head, []string{"EDGES declares 1 edges but 0 follow"}},
		{"trailing", head + "e0 0 1 1 1 1\ngarbage\n", []string{"x.graph:9: unexpected line"}},
		{"no nodes", "NODES 0\nEDGES 0\n", []string{"x.graph: no nodes"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseRepetita("x.graph", []byte(tc.in))
			wantErr(t, err, tc.want...)
		})
	}
}
