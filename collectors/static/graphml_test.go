package static

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/altosdn/altosdn/topology"
)

func TestParseGraphMLAbilene(t *testing.T) {
	topo, err := parseGraphML("Abilene.graphml", readTestdata(t, "Abilene.graphml"))
	if err != nil {
		t.Fatal(err)
	}
	checkValid(t, topo)
	if len(topo.Nodes) != 11 || len(topo.Links) != 28 {
		t.Fatalf("got %d nodes, %d links; want 11, 28 (14 undirected edges)", len(topo.Nodes), len(topo.Links))
	}
	if len(topo.Prefixes) != 22 || !topo.SyntheticPrefixes {
		t.Errorf("got %d prefixes, synthetic %v", len(topo.Prefixes), topo.SyntheticPrefixes)
	}
	ny := nodeByName(t, topo, "New York")
	if ny.Key.RouterID != "0" {
		t.Errorf("New York router-ID = %q, want the GraphML id 0", ny.Key.RouterID)
	}
	for _, dir := range [][2]string{{"New York", "Chicago"}, {"Chicago", "New York"}} {
		l := linkBetween(t, topo, dir[0], dir[1], 0)
		if got := metric(t, l, topology.MetricIGP); got != 1 {
			t.Errorf("%s IGP = %g, want 1", l.ID, got)
		}
		// 1145.8 km of great circle at 5 µs/km.
		if got := metric(t, l, topology.MetricDelay); got != 5729 {
			t.Errorf("%s delay = %g µs, want 5729", l.ID, got)
		}
		if l.Metrics[topology.MetricMaxBandwidth].Set {
			t.Errorf("%s: bandwidth set, but Abilene.graphml has no LinkSpeedRaw", l.ID)
		}
	}
}

// gml builds a small GraphML document: nodes are "id:label[:lat:lon]",
// edges are raw <edge> elements.
func gml(edgedefault string, nodes []string, edges ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key attr.name="label" attr.type="string" for="node" id="d0" />
  <key attr.name="Latitude" attr.type="double" for="node" id="d1" />
  <key attr.name="Longitude" attr.type="double" for="node" id="d2" />
  <key attr.name="LinkSpeedRaw" attr.type="double" for="edge" id="d3" />
`)
	fmt.Fprintf(&b, "  <graph edgedefault=%q>\n", edgedefault)
	for _, n := range nodes {
		f := strings.Split(n, ":")
		fmt.Fprintf(&b, "    <node id=%q><data key=\"d0\">%s</data>", f[0], f[1])
		if len(f) == 4 {
			fmt.Fprintf(&b, "<data key=\"d1\">%s</data><data key=\"d2\">%s</data>", f[2], f[3])
		}
		b.WriteString("</node>\n")
	}
	for _, e := range edges {
		b.WriteString("    " + e + "\n")
	}
	b.WriteString("  </graph>\n</graphml>\n")
	return b.String()
}

func TestParseGraphMLRules(t *testing.T) {
	nodes := []string{"0:A:40.71427:-74.00597", "1:B:41.85003:-87.65005", "2:C"}
	in := gml("undirected", nodes,
		`<edge source="0" target="1"><data key="d3">10000000000</data></edge>`,
		`<edge source="0" target="1" />`,
		`<edge source="1" target="2" />`,
		`<edge source="2" target="2" />`,
		`<edge source="0" target="2" directed="true" />`,
	)
	topo, err := parseGraphML("t.graphml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	checkValid(t, topo)
	// 2 parallel edges × 2 + 1 × 2 + 1 directed; the self-loop is skipped.
	if len(topo.Links) != 7 {
		t.Fatalf("got %d links, want 7", len(topo.Links))
	}
	first, second := linkBetween(t, topo, "A", "B", 0), linkBetween(t, topo, "A", "B", 1)
	if got := metric(t, first, topology.MetricMaxBandwidth); got != 1e10 {
		t.Errorf("LinkSpeedRaw: bandwidth = %g, want 1e10", got)
	}
	if second.Metrics[topology.MetricMaxBandwidth].Set {
		t.Error("edge without LinkSpeedRaw has a bandwidth")
	}
	if metric(t, second, topology.MetricDelay) != 5729 {
		t.Error("parallel edge lost its delay")
	}
	if l := linkBetween(t, topo, "B", "C", 0); l.Metrics[topology.MetricDelay].Set {
		t.Error("delay set although C has no coordinates (must be unset, never 0)")
	}
	for _, l := range topo.Links {
		if l.Key.Local == nodeByName(t, topo, "C").ID && l.Key.Remote == nodeByName(t, topo, "A").ID {
			t.Error("directed edge A->C produced a reverse link")
		}
	}
	wantNotes := []string{
		"4 of 5 edges have no LinkSpeedRaw: max bandwidth left unset",
		"3 of 5 edges lack coordinates at an end: delay left unset",
		"self-loops skipped: 1",
	}
	if diff := cmp.Diff(wantNotes, topo.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}

func TestParseGraphMLDirected(t *testing.T) {
	in := gml("directed", []string{"a:A", "b:B"}, `<edge source="a" target="b" />`, `<edge source="b" target="a" directed="false"/>`)
	topo, err := parseGraphML("d.graphml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(topo.Links) != 3 {
		t.Errorf("got %d links, want 3", len(topo.Links))
	}
}

func TestParseGraphMLErrors(t *testing.T) {
	two := []string{"0:A", "1:B"}
	tests := []struct {
		name, in string
		want     []string
	}{
		{"not xml", "hello", []string{"x.graphml: not a GraphML document"}},
		{"not graphml", `<svg></svg>`, []string{"x.graphml:1: not a GraphML document: root element is <svg>"}},
		{"no graph", `<graphml></graphml>`, []string{"x.graphml: no <graph> element"}},
		{"syntax", "<graphml>\n<graph>\n<node id=\"1\">\n</graph>", []string{"x.graphml:4:"}},
		{"unknown node", gml("undirected", two, `<edge source="0" target="9" />`), []string{"x.graphml:10: edge 0-9: unknown node \"9\""}},
		{"dup node", gml("undirected", []string{"0:A", "0:B"}), []string{"x.graphml:9: node 0: duplicate id"}},
		{"node without id", gml("undirected", []string{":A"}), []string{"x.graphml:8: node without id"}},
		{"bad speed", gml("undirected", two, `<edge source="0" target="1"><data key="d3">-5</data></edge>`), []string{"x.graphml:10: edge 0-1: LinkSpeedRaw: negative number"}},
		{"bad latitude", gml("undirected", []string{"0:A:north:3"}), []string{"x.graphml:8: node 0: Latitude: not a number"}},
		{"latitude range", gml("undirected", []string{"0:A:91:3"}), []string{"x.graphml:8: node 0: Latitude/Longitude 91/3 out of range"}},
		{"edgedefault", gml("sideways", two), []string{`x.graphml:7: graph: edgedefault="sideways"`}},
		{"directed attr", gml("undirected", two, `<edge source="0" target="1" directed="yes"/>`), []string{`directed="yes"`}},
		{"two graphs", `<graphml><graph></graph><graph></graph></graphml>`, []string{"more than one graph"}},
		{"nested", gml("undirected", nil, `<node id="n"><graph/></node>`), []string{"nested graphs are not supported"}},
		{"empty graph", gml("undirected", nil), []string{"x.graphml: no nodes"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseGraphML("x.graphml", []byte(tc.in))
			wantErr(t, err, tc.want...)
		})
	}
}
