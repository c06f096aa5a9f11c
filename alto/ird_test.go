package alto

import (
	"strings"
	"testing"
)

func TestDirectoryResolves(t *testing.T) {
	cfg := DefaultConfig()
	d, enc, err := NewDirectory(cfg.Resources(), cfg.NetworkMap.ResourceID, func(r Resource) string { return "/" + r.ID })
	if err != nil {
		t.Fatal(err)
	}
	if enc.MediaType != MediaTypeDirectory || len(enc.Body) == 0 {
		t.Errorf("encoded directory %q, %d bytes", enc.MediaType, len(enc.Body))
	}
	for id, e := range d.Resources {
		for _, u := range e.Uses {
			if _, ok := d.Resources[u]; !ok {
				t.Errorf("%s uses unknown %s", id, u)
			}
		}
		if e.Capabilities == nil {
			continue
		}
		for _, n := range append(e.Capabilities.CostTypeNames, e.Capabilities.TestableCostTypeNames...) {
			if _, ok := d.Meta.CostTypes[n]; !ok {
				t.Errorf("%s names cost type %s, not in meta.cost-types", id, n)
			}
		}
		if e.Capabilities.CostConstraints && len(e.Capabilities.TestableCostTypeNames) > 0 {
			t.Errorf("%s: cost-constraints with testable-cost-type-names", id)
		}
		if e.MediaType == MediaTypeCostMap && e.Accepts == "" && len(e.Capabilities.CostTypeNames) != 1 {
			t.Errorf("full cost map %s names %d cost types; want 1", id, len(e.Capabilities.CostTypeNames))
		}
	}
	if len(d.Resources) != len(cfg.Resources()) {
		t.Errorf("directory lists %d resources; the config yields %d", len(d.Resources), len(cfg.Resources()))
	}
}

func TestDirectoryRejectsBrokenGraphs(t *testing.T) {
	nm := Resource{ID: "nm", Kind: KindNetworkMap, MediaType: MediaTypeNetworkMap}
	ct := CostType{Metric: MetricRoutingCost, Mode: ModeNumerical}
	tests := []struct {
		name      string
		resources []Resource
		def, want string
	}{
		{"dangling uses", []Resource{nm, {ID: "cm", MediaType: MediaTypeCostMap, CostTypes: []CostType{ct}, Uses: []string{"other"}}}, "nm", `uses unknown resource "other"`},
		{"duplicate id", []Resource{nm, nm}, "nm", "used twice"},
		{"bad id", []Resource{nm, {ID: "a.b", MediaType: MediaTypeCostMap}}, "nm", "invalid resource id"},
		{"default map missing", []Resource{nm}, "other", "default network map"},
		{"constraints and testable", []Resource{nm, {ID: "f", MediaType: MediaTypeCostMap, CostTypes: []CostType{ct}, Constraints: true, Testable: []CostType{ct}}}, "nm", "exclude each other"},
		{"testable not offered", []Resource{nm, {ID: "f", MediaType: MediaTypeCostMap, CostTypes: []CostType{ct}, Testable: []CostType{{Metric: MetricHopCount, Mode: ModeNumerical}}}}, "nm", "not offered"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := NewDirectory(tc.resources, tc.def, func(r Resource) string { return "/" + r.ID })
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v; want an error mentioning %q", err, tc.want)
			}
		})
	}
}
