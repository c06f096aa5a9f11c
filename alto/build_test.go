package alto

import (
	"encoding/json"
	"maps"
	"math"
	"strings"
	"testing"
)

// ecmpNet: two equal-cost paths from a to d, one of 2 hops and one of 3;
// island is unreachable. Only a, d and island attach endpoints.
func ecmpNet() *testNet {
	return new(testNet).
		node("a", "10.0.1.0/24").node("b").node("c").node("e").node("d", "10.0.4.0/24").node("island", "10.0.9.0/24").
		link("a", "b", 1).link("b", "d", 1).
		link("a", "c", 1).link("c", "e", 0.5).link("e", "d", 0.5)
}

func TestBuildCosts(t *testing.T) {
	m := mustBuild(t, ecmpNet().graph(t), DefaultConfig())
	tests := []struct {
		id   string
		want map[string]map[string]float64
	}{
		{"costmap-routingcost-numerical", map[string]map[string]float64{
			"a": {"a": 0, "d": 2}, "d": {"a": 2, "d": 0}, "island": {"island": 0}, "default": {"default": 0}}},
		// hopcount follows the IGP path; of the equal-cost paths the longest counts.
		{"costmap-hopcount-numerical", map[string]map[string]float64{
			"a": {"a": 0, "d": 3}, "d": {"a": 3, "d": 0}, "island": {"island": 0}, "default": {"default": 0}}},
		{"costmap-routingcost-ordinal", map[string]map[string]float64{
			"a": {"a": 0, "d": 1}, "d": {"a": 1, "d": 0}, "island": {"island": 0}, "default": {"default": 0}}},
	}
	for _, tc := range tests {
		cm, ok := m.CostMap(tc.id)
		if !ok {
			t.Fatalf("no cost map %s", tc.id)
		}
		if got := costs(cm); !maps.EqualFunc(got, tc.want, maps.Equal) {
			t.Errorf("%s = %v; want %v", tc.id, got, tc.want)
		}
	}
}

func TestBuildSkipsDownLinks(t *testing.T) {
	n := new(testNet).node("a", "10.0.1.0/24").node("b", "10.0.2.0/24").node("c").
		link("a", "b", 1).link("a", "c", 5).link("c", "b", 5)
	n.links[0].Down = true // a->b
	m := mustBuild(t, n.graph(t), DefaultConfig())
	cm, _ := m.CostMap("costmap-routingcost-numerical")
	if got := costs(cm)["a"]["b"]; got != 10 {
		t.Errorf("a->b = %v; want 10 around the down link", got)
	}
	if got := costs(cm)["b"]["a"]; got != 1 {
		t.Errorf("b->a = %v; want 1 (only a->b is down)", got)
	}
}

func TestBuildAggregation(t *testing.T) {
	// Two groups: x = {x1, x2}, y = {y1}. x1-y1 costs 1, x2-y1 costs 3.
	n := new(testNet).node("x1", "10.1.0.0/16").node("x2", "10.2.0.0/16").node("y1", "10.3.0.0/16").
		link("x1", "y1", 1).link("x2", "y1", 3)
	for agg, want := range map[string]float64{AggregateMin: 1, AggregateMean: 2, AggregateMax: 3} {
		cfg := DefaultConfig()
		cfg.NetworkMap.Grouping, cfg.NetworkMap.NamePattern = GroupNamePattern, `^[a-z]`
		cfg.NetworkMap.CostAggregation = agg
		m := mustBuild(t, n.graph(t), cfg)
		cm, _ := m.CostMap("costmap-routingcost-numerical")
		c := costs(cm)
		if c["x"]["y"] != want || c["y"]["x"] != want {
			t.Errorf("%s: x->y = %v, y->x = %v; want %v", agg, c["x"]["y"], c["y"]["x"], want)
		}
		if c["x"]["x"] != 0 {
			t.Errorf("%s: x->x = %v; want 0", agg, c["x"]["x"])
		}
	}
}

func TestVersionTags(t *testing.T) {
	cfg := DefaultConfig()
	base := mustBuild(t, ecmpNet().graph(t), cfg)

	// The same content built again, nodes listed in another order.
	n := ecmpNet()
	for i, j := 0, len(n.nodes)-1; i < j; i, j = i+1, j-1 {
		n.nodes[i], n.nodes[j] = n.nodes[j], n.nodes[i]
	}
	again := mustBuild(t, n.graph(t), cfg)
	if base.NetworkMap.Tag != again.NetworkMap.Tag {
		t.Errorf("same content, different network map tags %s and %s", base.NetworkMap.Tag, again.NetworkMap.Tag)
	}
	for i := range base.CostMaps {
		if string(base.CostMaps[i].Response.Body) != string(again.CostMaps[i].Response.Body) {
			t.Errorf("%s: same content, different bodies", base.CostMaps[i].ResourceID)
		}
	}

	// A metric change keeps the network map's tag but changes routing costs.
	n = ecmpNet()
	for _, i := range []int{0, 4} { // a->b and a->c: a->d now costs 8
		n.links[i].Metrics = n.links[i].Metrics.With(0, 7, "test")
	}
	costChange := mustBuild(t, n.graph(t), cfg)
	if costChange.NetworkMap.Tag != base.NetworkMap.Tag {
		t.Error("a cost-only change changed the network map tag")
	}
	rc := func(m *Maps) *CostMap { c, _ := m.CostMap("costmap-routingcost-numerical"); return c }
	if rc(costChange).Response.Tag == rc(base).Response.Tag {
		t.Error("a cost change left the cost map's entity tag unchanged")
	}

	// A new prefix changes the network map tag and every dependent vtag.
	n = ecmpNet().node("new", "10.0.10.0/24")
	grown := mustBuild(t, n.graph(t), cfg)
	if grown.NetworkMap.Tag == base.NetworkMap.Tag {
		t.Error("a new PID left the network map tag unchanged")
	}
	for _, c := range grown.CostMaps {
		if c.DependentVTag != grown.NetworkMap.VersionTag() {
			t.Errorf("%s depends on %v; want %v", c.ResourceID, c.DependentVTag, grown.NetworkMap.VersionTag())
		}
	}
	if len(base.NetworkMap.Tag) != 40 || strings.Trim(base.NetworkMap.Tag, "0123456789abcdef") != "" {
		t.Errorf("tag %q is not 40 hex characters", base.NetworkMap.Tag)
	}
}

func TestEncodedBodiesAreValidALTO(t *testing.T) {
	m := mustBuild(t, ecmpNet().graph(t), DefaultConfig())
	var nm struct {
		Meta struct {
			VTag VersionTag `json:"vtag"`
		} `json:"meta"`
		NetworkMap map[string]map[string][]string `json:"network-map"`
	}
	if err := json.Unmarshal(m.NetworkMap.Response.Body, &nm); err != nil {
		t.Fatalf("network map body: %v\n%s", err, m.NetworkMap.Response.Body)
	}
	if nm.Meta.VTag != m.NetworkMap.VersionTag() || len(nm.NetworkMap) != 4 {
		t.Errorf("network map body = %+v", nm)
	}
	for _, c := range m.CostMaps {
		var cm struct {
			Meta struct {
				Dependent []VersionTag `json:"dependent-vtags"`
				CostType  CostType     `json:"cost-type"`
			} `json:"meta"`
			CostMap map[string]map[string]json.Number `json:"cost-map"`
		}
		dec := json.NewDecoder(strings.NewReader(string(c.Response.Body)))
		dec.UseNumber()
		if err := dec.Decode(&cm); err != nil {
			t.Fatalf("%s body: %v", c.ResourceID, err)
		}
		if len(cm.Meta.Dependent) != 1 || cm.Meta.Dependent[0] != m.NetworkMap.VersionTag() || cm.Meta.CostType.Key() != c.Type.Key() || cm.Meta.CostType.Context.Source != c.Type.Context.Source {
			t.Errorf("%s meta = %+v", c.ResourceID, cm.Meta)
		}
		for src, row := range cm.CostMap {
			for dst, v := range row {
				f, err := v.Float64()
				if err != nil || math.IsNaN(f) {
					t.Errorf("%s %s->%s = %q is not a number", c.ResourceID, src, dst, v)
				}
			}
		}
	}
}

func TestAppendCost(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 10: "10", 1.5: "1.5", 1913: "1913", 0.1: "0.1", 1e20: "1e+20", 2.5e-7: "2.5e-07"} {
		if got := string(appendCost(nil, v)); got != want {
			t.Errorf("appendCost(%v) = %s; want %s", v, got, want)
		}
	}
}
