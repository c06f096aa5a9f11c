package alto

import (
	"net/netip"
	"regexp"
	"slices"
	"testing"

	"github.com/altosdn/altosdn/topology"
)

// pidView is a PID with node names instead of indices, for comparison.
type pidView struct {
	Prefixes []string
	Nodes    []string
}

func viewPIDs(g *topology.Graph, pids []PID) map[string]pidView {
	out := map[string]pidView{}
	for _, p := range pids {
		var v pidView
		for _, pr := range p.Prefixes {
			v.Prefixes = append(v.Prefixes, pr.String())
		}
		for _, n := range p.Nodes {
			v.Nodes = append(v.Nodes, g.Node(int(n)).Name)
		}
		out[p.Name] = v
	}
	return out
}

func TestAssignPIDs(t *testing.T) {
	as := func(name string, asn uint32, area string) topology.Node {
		return topology.Node{Key: topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: name, AS: asn, Area: area}, Name: name}
	}
	tests := []struct {
		name string
		net  *testNet
		cfg  func(*NetworkMapConfig)
		want map[string]pidView
	}{
		{
			name: "per node with default",
			net:  new(testNet).node("nyc", "10.0.1.0/24", "2001:db8:1::/48").node("chi", "10.0.2.0/24").node("transit"),
			want: map[string]pidView{
				"nyc":     {Prefixes: []string{"10.0.1.0/24", "2001:db8:1::/48"}, Nodes: []string{"nyc"}},
				"chi":     {Prefixes: []string{"10.0.2.0/24"}, Nodes: []string{"chi"}},
				"default": {Prefixes: []string{"0.0.0.0/0", "::/0"}},
			},
		},
		{
			name: "names are sanitised and unique",
			net:  new(testNet).node("a.b", "10.0.1.0/24").node("a-b", "10.0.2.0/24").node("default", "10.0.3.0/24"),
			want: map[string]pidView{
				"a-b":       {Prefixes: []string{"10.0.2.0/24"}, Nodes: []string{"a-b"}},
				"a-b-2":     {Prefixes: []string{"10.0.1.0/24"}, Nodes: []string{"a.b"}},
				"default-2": {Prefixes: []string{"10.0.3.0/24"}, Nodes: []string{"default"}},
				"default":   {Prefixes: []string{"0.0.0.0/0", "::/0"}},
			},
		},
		{
			name: "anycast prefix goes to one owner",
			net:  new(testNet).node("a", "192.0.2.0/24").node("b", "192.0.2.0/24", "10.0.0.0/8"),
			want: map[string]pidView{
				"a":       {Prefixes: []string{"192.0.2.0/24"}, Nodes: []string{"a"}},
				"b":       {Prefixes: []string{"10.0.0.0/8"}, Nodes: []string{"b"}},
				"default": {Prefixes: []string{"0.0.0.0/0", "::/0"}},
			},
		},
		{
			name: "a node advertising a default route owns it",
			net:  new(testNet).node("gw", "0.0.0.0/0").node("a", "10.0.0.0/8"),
			want: map[string]pidView{
				"gw":      {Prefixes: []string{"0.0.0.0/0"}, Nodes: []string{"gw"}},
				"a":       {Prefixes: []string{"10.0.0.0/8"}, Nodes: []string{"a"}},
				"default": {Prefixes: []string{"::/0"}},
			},
		},
		{
			name: "group by AS",
			net:  new(testNet).nodeWith(as("r1", 65001, ""), "10.1.0.0/16").nodeWith(as("r2", 65001, ""), "10.2.0.0/16").nodeWith(as("r3", 0, ""), "10.3.0.0/16"),
			cfg:  func(c *NetworkMapConfig) { c.Grouping = GroupAS },
			want: map[string]pidView{
				"as65001": {Prefixes: []string{"10.1.0.0/16", "10.2.0.0/16"}, Nodes: []string{"r1", "r2"}},
				"r3":      {Prefixes: []string{"10.3.0.0/16"}, Nodes: []string{"r3"}},
				"default": {Prefixes: []string{"0.0.0.0/0", "::/0"}},
			},
		},
		{
			name: "group by area",
			net:  new(testNet).nodeWith(as("r1", 0, "0.0.0.1"), "10.1.0.0/16").nodeWith(as("r2", 0, "0.0.0.1"), "10.2.0.0/16"),
			cfg:  func(c *NetworkMapConfig) { c.Grouping = GroupArea },
			want: map[string]pidView{
				"area-0-0-0-1": {Prefixes: []string{"10.1.0.0/16", "10.2.0.0/16"}, Nodes: []string{"r1", "r2"}},
				"default":      {Prefixes: []string{"0.0.0.0/0", "::/0"}},
			},
		},
		{
			name: "group by name pattern",
			net:  new(testNet).node("fra-core-1", "10.1.0.0/16").node("fra-edge-7", "10.2.0.0/16").node("ams-core-1", "10.3.0.0/16").node("odd", "10.4.0.0/16"),
			cfg: func(c *NetworkMapConfig) {
				c.Grouping, c.NamePattern = GroupNamePattern, `^([a-z]+)-`
			},
			want: map[string]pidView{
				"fra":     {Prefixes: []string{"10.1.0.0/16", "10.2.0.0/16"}, Nodes: []string{"fra-core-1", "fra-edge-7"}},
				"ams":     {Prefixes: []string{"10.3.0.0/16"}, Nodes: []string{"ams-core-1"}},
				"odd":     {Prefixes: []string{"10.4.0.0/16"}, Nodes: []string{"odd"}},
				"default": {Prefixes: []string{"0.0.0.0/0", "::/0"}},
			},
		},
		{
			name: "explicit prefixes take over and attach by longest match",
			net:  new(testNet).node("a", "10.0.0.0/8", "198.51.100.0/24").node("b", "10.1.0.0/16"),
			cfg: func(c *NetworkMapConfig) {
				c.Explicit = []ExplicitPID{
					{Name: "customers", Prefixes: []netip.Prefix{netip.MustParsePrefix("10.1.2.0/24"), netip.MustParsePrefix("198.51.100.0/24")}},
					{Name: "nowhere", Prefixes: []netip.Prefix{netip.MustParsePrefix("203.0.113.0/24")}},
				}
			},
			want: map[string]pidView{
				"a":         {Prefixes: []string{"10.0.0.0/8"}, Nodes: []string{"a"}},
				"b":         {Prefixes: []string{"10.1.0.0/16"}, Nodes: []string{"b"}},
				"customers": {Prefixes: []string{"10.1.2.0/24", "198.51.100.0/24"}, Nodes: []string{"a", "b"}},
				"nowhere":   {Prefixes: []string{"203.0.113.0/24"}},
				"default":   {Prefixes: []string{"0.0.0.0/0", "::/0"}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig().NetworkMap
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			var re *regexp.Regexp
			if cfg.NamePattern != "" {
				re = regexp.MustCompile(cfg.NamePattern)
			}
			g := tc.net.graph(t)
			pids, _ := assignPIDs(g, cfg, re)
			got := viewPIDs(g, pids)
			if len(got) != len(tc.want) {
				t.Errorf("got %d PIDs %v; want %d", len(got), got, len(tc.want))
			}
			for name, w := range tc.want {
				gv, ok := got[name]
				if !ok {
					t.Errorf("missing PID %q; got %v", name, got)
					continue
				}
				slices.Sort(gv.Nodes)
				slices.Sort(w.Nodes)
				if !slices.Equal(gv.Prefixes, w.Prefixes) || !slices.Equal(gv.Nodes, w.Nodes) {
					t.Errorf("PID %q = %+v; want %+v", name, gv, w)
				}
			}
			checkNoOverlap(t, pids)
		})
	}
}

// checkNoOverlap asserts RFC 7285 §11.2.2: no prefix in two PIDs, and the
// map covers the whole IPv4 and IPv6 space.
func checkNoOverlap(t *testing.T, pids []PID) {
	t.Helper()
	seen := map[netip.Prefix]string{}
	for _, p := range pids {
		if !ValidPIDName(p.Name) {
			t.Errorf("invalid PID name %q", p.Name)
		}
		for _, pr := range p.Prefixes {
			if other, dup := seen[pr]; dup {
				t.Errorf("prefix %s in PIDs %q and %q", pr, other, p.Name)
			}
			seen[pr] = p.Name
		}
	}
	for _, all := range []netip.Prefix{allIPv4, allIPv6} {
		if _, ok := seen[all]; !ok {
			t.Errorf("map does not cover %s", all)
		}
	}
}
