package static

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/altosdn/altosdn/topology"
)

func TestSynthesizePrefixes(t *testing.T) {
	// Names out of order, one tie broken by ID.
	nodes := []topology.Node{
		{ID: "n/c", Name: "charlie"},
		{ID: "n/a2", Name: "alpha"},
		{ID: "n/b", Name: "bravo"},
		{ID: "n/a1", Name: "alpha"},
	}
	ps, err := SynthesizePrefixes(nodes)
	if err != nil {
		t.Fatal(err)
	}
	want := map[topology.NodeID][2]string{
		"n/a1": {"10.0.0.0/24", "2001:db8::/48"},
		"n/a2": {"10.0.1.0/24", "2001:db8:1::/48"},
		"n/b":  {"10.0.2.0/24", "2001:db8:2::/48"},
		"n/c":  {"10.0.3.0/24", "2001:db8:3::/48"},
	}
	if len(ps) != 8 {
		t.Fatalf("got %d prefixes, want 8", len(ps))
	}
	for i := 0; i < len(ps); i += 2 {
		w := want[ps[i].Node]
		if ps[i].Node != ps[i+1].Node || ps[i].Prefix.String() != w[0] || ps[i+1].Prefix.String() != w[1] {
			t.Errorf("node %s got %s, %s; want %s, %s", ps[i].Node, ps[i].Prefix, ps[i+1].Prefix, w[0], w[1])
		}
	}
}

func TestSynthesizePrefixesRange(t *testing.T) {
	tests := []struct {
		i      int
		v4, v6 string
	}{
		{255, "10.0.255.0/24", "2001:db8:ff::/48"},
		{256, "10.1.0.0/24", "2001:db8:100::/48"},
		{4660, "10.18.52.0/24", "2001:db8:1234::/48"},
		{65535, "10.255.255.0/24", "2001:db8:ffff::/48"},
	}
	nodes := make([]topology.Node, MaxSyntheticNodes)
	for i := range nodes {
		nodes[i] = topology.Node{ID: topology.NodeID(fmt.Sprintf("n%05d", i)), Name: fmt.Sprintf("n%05d", i)}
	}
	ps, err := SynthesizePrefixes(nodes)
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[netip.Prefix]bool, len(ps))
	for _, p := range ps {
		if seen[p.Prefix] || p.Prefix != p.Prefix.Masked() {
			t.Fatalf("prefix %s repeated or not masked", p.Prefix)
		}
		seen[p.Prefix] = true
	}
	for _, tc := range tests {
		if got := ps[2*tc.i].Prefix.String(); got != tc.v4 {
			t.Errorf("node %d: v4 %s, want %s", tc.i, got, tc.v4)
		}
		if got := ps[2*tc.i+1].Prefix.String(); got != tc.v6 {
			t.Errorf("node %d: v6 %s, want %s", tc.i, got, tc.v6)
		}
	}
	if _, err := SynthesizePrefixes(append(nodes, topology.Node{ID: "one-too-many"})); err == nil {
		t.Error("65,537 nodes: want an error")
	}
}
