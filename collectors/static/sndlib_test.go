package static

import (
	"testing"

	"github.com/altosdn/altosdn/topology"
)

func TestParseSNDlibAbilene(t *testing.T) {
	topo, err := parseSNDlib("abilene.txt", readTestdata(t, "abilene.txt"))
	if err != nil {
		t.Fatal(err)
	}
	checkValid(t, topo)
	if len(topo.Nodes) != 12 || len(topo.Links) != 30 {
		t.Fatalf("got %d nodes, %d links; want 12, 30 (15 undirected links)", len(topo.Nodes), len(topo.Links))
	}
	if len(topo.Prefixes) != 24 || !topo.SyntheticPrefixes {
		t.Errorf("got %d prefixes, synthetic %v", len(topo.Prefixes), topo.SyntheticPrefixes)
	}
	// ATLAM5_ATLAng ( ATLAng ATLAM5 ) 9920.00 0.00 0.00 0.00 ( 40000.00 133.00 ), unit MBITPERSEC.
	for _, dir := range [][2]string{{"ATLAng", "ATLAM5"}, {"ATLAM5", "ATLAng"}} {
		l := linkBetween(t, topo, dir[0], dir[1], 0)
		if got := metric(t, l, topology.MetricMaxBandwidth); got != 9.92e9 {
			t.Errorf("%s bandwidth = %g, want 9.92e9 (9920 Mbit/s)", l.ID, got)
		}
		if got := metric(t, l, topology.MetricIGP); got != 1 {
			t.Errorf("%s IGP = %g, want 1 (routing_cost 0)", l.ID, got)
		}
		// (-84.3833, 33.75) to (-85.50, 34.50): 132.4 km at 5 µs/km.
		if got := metric(t, l, topology.MetricDelay); got != 662 {
			t.Errorf("%s delay = %g, want 662", l.ID, got)
		}
	}
}

func TestParseSNDlibRules(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		igp       float64
		bandwidth float64 // 0: unset
		delay     bool
	}{
		{
			name: "routing cost, no unit, drawing coordinates",
			in: `?SNDlib native format; type: network; version: 1.0
NODES (
  N1 ( 100 400 )  # x/y, not lon/lat
  N2 ( 300 200 )
)
LINKS (
  L1 ( N1 N2 ) 2480.00 0.00 67.80 0.00 ( 1000.00 950000.00 )
)
`,
			igp: 67.8,
		},
		{
			name: "bit/s unit, geographic, no modules, no coordinates block elsewhere",
			in: `META (
  unit  = BITSPERSEC
  origin  = somebody (someone@example.org), with ( unbalanced
)
NODES (
  A ( 13.4 52.5 )
  B ( 11.6 48.1 )
)
LINKS (
  AB ( A B ) 1000.00 0.00 0.00 0.00 ( )
)
DEMANDS (
  D ( A B ) 1 5.0 UNLIMITED
)
ADMISSIBLE_PATHS (
  D (
    P0 ( AB )
  )
)
`,
			igp: 1, bandwidth: 1000, delay: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			topo, err := parseSNDlib("t.txt", []byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			checkValid(t, topo)
			if len(topo.Links) != 2 {
				t.Fatalf("got %d links, want 2", len(topo.Links))
			}
			l := topo.Links[0]
			if got := metric(t, l, topology.MetricIGP); got != tc.igp {
				t.Errorf("IGP = %g, want %g", got, tc.igp)
			}
			if bw := l.Metrics[topology.MetricMaxBandwidth]; bw.Set != (tc.bandwidth > 0) || bw.V != tc.bandwidth {
				t.Errorf("bandwidth = %+v, want %g", bw, tc.bandwidth)
			}
			if l.Metrics[topology.MetricDelay].Set != tc.delay {
				t.Errorf("delay set = %v, want %v", l.Metrics[topology.MetricDelay].Set, tc.delay)
			}
		})
	}
}

func TestParseSNDlibErrors(t *testing.T) {
	const nodes = "NODES (\n  A ( 1 2 )\n  B ( 3 4 )\n)\n"
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"x.txt: no nodes"}},
		{"no paren", "NODES\n", []string{`x.txt:1: want "<SECTION> (", got "NODES"`}},
		{"unknown section", "FOO (\n)\n", []string{`x.txt:1: unknown section "FOO"`}},
		{"unclosed nodes", "NODES (\n  A ( 1 2 )\n", []string{"x.txt:2: NODES: missing closing parenthesis"}},
		{"bad coordinates", "NODES (\n  A ( x 2 )\n)\n", []string{"x.txt:2: node A: coordinates: not a number"}},
		{"short coordinates", "NODES (\n  A ( 1 )\n)\n", []string{"x.txt:2: node A: want"}},
		{"dup node", "NODES (\n  A ( 1 2 )\n  A ( 1 2 )\n)\n", []string{"x.txt:3: node A: duplicate id"}},
		{"unknown node", nodes + "LINKS (\n  L ( A C ) 0 0 0 0 ( )\n)\n", []string{`x.txt:6: link L: unknown node "C"`}},
		{"dup link", nodes + "LINKS (\n  L ( A B ) 0 0 0 0 ( )\n  L ( B A ) 0 0 0 0 ( )\n)\n", []string{"x.txt:7: link L: duplicate id"}},
		{"negative cost", nodes + "LINKS (\n  L ( A B ) 0 0 -3 0 ( )\n)\n", []string{"x.txt:6: link L: routing_cost: negative number"}},
		{"bad module", nodes + "LINKS (\n  L ( A B ) 0 0 0 0 ( 1 x )\n)\n", []string{"x.txt:6: link L: module: not a number"}},
		{"short link", nodes + "LINKS (\n  L ( A B ) 0 0\n)\n", []string{"x.txt:6: link L: want"}},
		{"unclosed meta", "META (\n  unit = BITSPERSEC\n", []string{"META: missing closing parenthesis"}},
		{"bad meta", "META (\n  just words\n)\n", []string{`x.txt:2: META: want "key = value"`}},
		{"repeated section", nodes + "NODES (\n)\n", []string{"x.txt:5: section NODES repeated (first at line 1)"}},
		{"unclosed demands", nodes + "DEMANDS (\n  D ( A B ) 1 1 UNLIMITED\n", []string{"x.txt:5: DEMANDS: missing closing parenthesis"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseSNDlib("x.txt", []byte(tc.in))
			wantErr(t, err, tc.want...)
		})
	}
}
