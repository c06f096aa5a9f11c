package static

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/altosdn/altosdn/topology"
)

func TestParseNativeGood(t *testing.T) {
	files, err := filepath.Glob("testdata/*.good.*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no good files: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			topo, err := Load(f, FormatAuto)
			if err != nil {
				t.Fatal(err)
			}
			checkValid(t, topo)
			if topo.Format != FormatNative || topo.SyntheticPrefixes {
				t.Errorf("format %q, synthetic %v", topo.Format, topo.SyntheticPrefixes)
			}
		})
	}
}

func TestParseNativeMinimal(t *testing.T) {
	topo, err := Load("testdata/minimal.good.json", FormatAuto)
	if err != nil {
		t.Fatal(err)
	}
	r1 := topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: "r1"}
	wantNode := topology.Node{ID: r1.ID(), Key: r1, Name: "r1"}
	if diff := cmp.Diff(wantNode, topo.Nodes[0], cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("node mismatch (-want +got):\n%s", diff)
	}
	if len(topo.Links) != 2 {
		t.Fatalf("got %d links, want 2 (bidirectional by default)", len(topo.Links))
	}
	for _, l := range topo.Links {
		var want topology.Metrics
		want[topology.MetricIGP] = known(1)
		want[topology.MetricMaxBandwidth] = known(1e9)
		want[topology.MetricDelay] = known(2000)
		want[topology.MetricLoss] = known(0.5)
		if diff := cmp.Diff(want, l.Metrics); diff != "" {
			t.Errorf("link %s metrics (-want +got):\n%s", l.ID, diff)
		}
	}
}

func TestParseNativeParallel(t *testing.T) {
	topo, err := Load("testdata/parallel.good.yaml", FormatAuto)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range topo.Links {
		ids = append(ids, strings.ReplaceAll(string(l.ID), "static/0/65000//", ""))
	}
	want := []string{
		"a->b", "b->a", // first unaddressed pair
		"a->b|if1-1", "b->a|if1-1", // second, numbered by order
		"a->b|198.51.100.1-198.51.100.2", "b->a|198.51.100.2-198.51.100.1", // addresses swap in reverse
		"b->a|if2-2", // unidirectional: the third unaddressed b->a
	}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("link IDs (-want +got):\n%s", diff)
	}
	if got := topo.Prefixes[2].Metric; got != known(5) {
		t.Errorf("prefix metric = %+v, want 5", got)
	}
}

func TestParseNativeValues(t *testing.T) {
	tests := []struct {
		value string
		m     topology.Metric
		want  float64
	}{
		{"bandwidth: 10G", topology.MetricMaxBandwidth, 10e9},
		{"bandwidth: 2.5 G", topology.MetricMaxBandwidth, 2.5e9},
		{"bandwidth: 100Mbps", topology.MetricMaxBandwidth, 100e6},
		{"bandwidth: 9953280000", topology.MetricMaxBandwidth, 9953280000},
		{"bandwidth: 1e9", topology.MetricMaxBandwidth, 1e9},
		{"reservable_bandwidth: 1k", topology.MetricMaxReservableBandwidth, 1e3},
		{"unreserved_bandwidth: 3T", topology.MetricUnreservedBandwidth, 3e12},
		{"delay: 1.9ms", topology.MetricDelay, 1900},
		{"delay: 1913", topology.MetricDelay, 1913},
		{`delay: "1913"`, topology.MetricDelay, 1913},
		{"min_delay: 50us", topology.MetricMinDelay, 50},
		{"max_delay: 50µs", topology.MetricMaxDelay, 50},
		{"delay_variation: 0.5", topology.MetricDelayVariation, 0.5},
		{"loss: 0.01", topology.MetricLoss, 0.01},
		{"residual_bandwidth: 2G", topology.MetricResidualBandwidth, 2e9},
		{"available_bandwidth: 1.5G", topology.MetricAvailableBandwidth, 1.5e9},
		{"utilized_bandwidth: 500M", topology.MetricUtilizedBandwidth, 5e8},
		{"loss: 100%", topology.MetricLoss, 100},
		{"metric: 0", topology.MetricIGP, 0},
		{"te_metric: 12", topology.MetricTE, 12},
	}
	for _, tc := range tests {
		t.Run(tc.value, func(t *testing.T) {
			in := "nodes: [{id: a}, {id: b}]\nlinks:\n  - from: a\n    to: b\n    " + tc.value + "\n"
			topo, err := parseNative("v.yaml", []byte(in))
			if err != nil {
				t.Fatal(err)
			}
			if got := metric(t, topo.Links[0], tc.m); got != tc.want {
				t.Errorf("%s = %g, want %g", tc.m, got, tc.want)
			}
		})
	}
}

func TestParseNativeBadFiles(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"unknown_node.bad.yaml", []string{`unknown_node.bad.yaml:14: link nyc->xyz: unknown node "xyz"`}},
		{"many.bad.yaml", []string{
			`many.bad.yaml:4: node "nyc": router_id: 2001:db8::1 is not an IPv4 address`,
			`many.bad.yaml:5: node "nyc": prefix 10.9.9.9/8 has host bits set (did you mean 10.0.0.0/8?)`,
			`many.bad.yaml:7: node "chi": prefix 10.1.0.0/16 is already on node "nyc" (line 5)`,
			`many.bad.yaml:8: node "nyc": duplicate id (first at line 3)`,
			`many.bad.yaml:10: link nyc->chi: bandwidth: negative bandwidth "-1G"`,
			`many.bad.yaml:10: link nyc->chi: loss: loss 101 is above 100 percent`,
			`many.bad.yaml:11: link chi->chi: a link must join two different nodes`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			_, err := Load(filepath.Join("testdata", tc.file), FormatAuto)
			wantErr(t, err, tc.want...)
		})
	}
}

func TestParseNativeErrors(t *testing.T) {
	const ab = "nodes: [{id: a}, {id: b}]\n"
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"topo.yaml: no nodes"}},
		{"comment only", "# nothing\n", []string{"topo.yaml: no nodes"}},
		{"no nodes", "nodes: []\n", []string{"topo.yaml: no nodes"}},
		{"syntax", "nodes:\n  - id: a\n    name: \"x\n", []string{"topo.yaml:3: found unexpected end of stream"}},
		{"tab", "nodes:\n  - id: a\n\tname: x\n", []string{"topo.yaml:2: found a tab character"}},
		{"not a mapping", "- a\n- b\n", []string{"topo.yaml:1: topology: want a mapping, got a list"}},
		{"unknown top key", ab + "routers: []\n", []string{`topo.yaml:2: topology: unknown key "routers"`}},
		{"repeated key", "nodes: [{id: a, id: b}]\n", []string{`topo.yaml:1: node "a": key "id" repeated`}},
		{"unknown node key", "nodes:\n  - id: a\n    routerid: 1.2.3.4\n", []string{`topo.yaml:3: node "a": unknown key "routerid"`}},
		{"missing id", "nodes:\n  - name: x\n", []string{"topo.yaml:2: nodes[0]: missing id"}},
		{"null id", "nodes:\n  - id: ~\n", []string{"topo.yaml:2: nodes[0]: id: want a value, got nothing"}},
		{"nodes not list", "nodes: {id: a}\n", []string{"topo.yaml:1: nodes: want a list, got a mapping"}},
		{"bad as", "nodes: [{id: a, as: -1}]\n", []string{`topo.yaml:1: node "a": as: want a number`}},
		{"bad router_id_v6", "nodes: [{id: a, router_id_v6: 192.0.2.1}]\n", []string{"router_id_v6: 192.0.2.1 is not an IPv6 address"}},
		{"bad prefix", "nodes: [{id: a, prefixes: [10.0.0.0/33]}]\n", []string{`topo.yaml:1: node "a": invalid prefix "10.0.0.0/33"`}},
		{"prefix twice", "nodes: [{id: a, prefixes: [10.0.0.0/8, 10.0.0.0/8]}]\n", []string{`prefix 10.0.0.0/8 is already on node "a"`}},
		{"prefix entry unknown key", "nodes: [{id: a, prefixes: [{prefix: 10.0.0.0/8, cost: 1}]}]\n", []string{`unknown key "cost"`}},
		{"prefix entry without prefix", "nodes: [{id: a, prefixes: [{metric: 1}]}]\n", []string{"prefix entry without prefix"}},
		{"negative prefix metric", "nodes: [{id: a, prefixes: [{prefix: 10.0.0.0/8, metric: -1}]}]\n", []string{"prefix metric: negative number -1"}},
		{"missing to", ab + "links: [{from: a}]\n", []string{"topo.yaml:2: links[0]: missing to"}},
		{"unknown from", ab + "links:\n  - from: x\n    to: b\n", []string{`topo.yaml:3: link x->b: unknown node "x"`}},
		{"unknown link key", ab + "links: [{from: a, to: b, cost: 3}]\n", []string{`topo.yaml:2: link a->b: unknown key "cost"`}},
		{"negative metric", ab + "links: [{from: a, to: b, metric: -1}]\n", []string{"link a->b: metric: negative number -1"}},
		{"infinite metric", ab + "links: [{from: a, to: b, te_metric: .inf}]\n", []string{"te_metric: not a finite number"}},
		{"nan delay", ab + "links: [{from: a, to: b, delay: .nan}]\n", []string{"delay: not a finite number"}},
		{"string metric", ab + "links: [{from: a, to: b, metric: ten}]\n", []string{`metric: want a number, got "ten"`}},
		{"bad bandwidth", ab + "links: [{from: a, to: b, bandwidth: 10Q}]\n", []string{`bandwidth: bad bandwidth "10Q"`}},
		{"milli bandwidth", ab + "links: [{from: a, to: b, bandwidth: 10m}]\n", []string{`bad bandwidth "10m"`}},
		{"negative delay", ab + "links: [{from: a, to: b, delay: -1ms}]\n", []string{`delay: negative delay "-1ms"`}},
		{"bad delay", ab + "links: [{from: a, to: b, delay: soon}]\n", []string{`delay: bad delay "soon"`}},
		{"loss above 100", ab + "links: [{from: a, to: b, loss: 100.5%}]\n", []string{"loss 100.5% is above 100 percent"}},
		{"negative loss", ab + "links: [{from: a, to: b, loss: -1}]\n", []string{"loss: negative number -1"}},
		{"min above max", ab + "links: [{from: a, to: b, min_delay: 2ms, max_delay: 1ms}]\n", []string{"min_delay (2000µs) is above max_delay (1000µs)"}},
		{"mixed families", ab + "links: [{from: a, to: b, local_addr: 192.0.2.1, remote_addr: '2001:db8::1'}]\n", []string{"are of different families"}},
		{"bad addr", ab + "links: [{from: a, to: b, local_addr: fe80::1%eth0}]\n", []string{`local_addr: invalid IP address "fe80::1%eth0"`}},
		{"bad bidirectional", ab + "links: [{from: a, to: b, bidirectional: yes}]\n", []string{`bidirectional: want true or false, got "yes"`}},
		{"reverse listed", ab + "links:\n  - {from: a, to: b, local_addr: 192.0.2.1, remote_addr: 192.0.2.2}\n  - {from: b, to: a, local_addr: 192.0.2.2, remote_addr: 192.0.2.1}\n",
			[]string{"topo.yaml:4: link b->a: duplicate link", "first at line 3"}},
		{"alias", "base: &b {id: a}\nnodes: [*b]\n", []string{"topo.yaml:2: aliases (*b) are not supported"}},
		{"two documents", ab + "---\n" + ab, []string{"topo.yaml:3: a second YAML document"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseNative("topo.yaml", []byte(tc.in))
			wantErr(t, err, tc.want...)
		})
	}
}
