package alto

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/altosdn/altosdn/topology"
)

// pvParts splits a multipart response into its parts by Content-ID.
func pvParts(t *testing.T, mp Multipart) (root string, parts map[string][]byte, types map[string]string) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(mp.ContentType)
	if err != nil || mt != "multipart/related" || params["boundary"] == "" {
		t.Fatalf("Content-Type %q: %v", mp.ContentType, err)
	}
	parts, types = map[string][]byte{}, map[string]string{}
	r := multipart.NewReader(strings.NewReader(string(mp.Body)), params["boundary"])
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		id := p.Header.Get("Content-ID")
		parts[id] = b
		types[id] = p.Header.Get("Content-Type")
	}
	if len(parts) != 2 {
		t.Fatalf("%d parts; want 2", len(parts))
	}
	return params["type"], parts, types
}

// pvNet is a triangle a-b-c plus a two-hop ECMP pair a-x-c, with
// reservable bandwidths.
func pvNet(t testing.TB) *Maps {
	t.Helper()
	n := new(testNet).node("a", "192.0.2.0/28").node("b", "192.0.2.16/28").node("c", "10.3.0.0/16").node("x").
		link("a", "b", 10).link("b", "c", 10).link("a", "x", 10).link("x", "c", 10)
	for i := range n.links {
		n.links[i].Metrics = n.links[i].Metrics.With(topology.MetricMaxReservableBandwidth, float64(100e6*(i+1)), "test")
	}
	cfg := DefaultConfig()
	cfg.NetworkMap.ResourceID = "my-default-networkmap"
	return mustBuild(t, n.graph(t), cfg)
}

func pvResource(m *Maps, id string) Resource {
	cfg := DefaultConfig()
	cfg.NetworkMap.ResourceID = m.NetworkMap.ResourceID
	for _, r := range cfg.Resources() {
		if r.ID == id {
			return r
		}
	}
	panic(id)
}

// The RFC 9275 §7.3.3 request, sent as written: 192.0.2.2 (PID a) to
// 192.0.2.18 (PID b) crosses one link.
func TestRFC9275EndpointCost(t *testing.T) {
	m := pvNet(t)
	mp, err := m.PathVectorEndpointCost(pvResource(m, PathVectorECSID), rfcFile(t, "rfc9275-7.3.3-pv-ecs-request"), netip.Addr{}, DefaultConfig().Limits, false)
	if err != nil {
		t.Fatal(err)
	}
	root, parts, types := pvParts(t, mp)
	if root != MediaTypeEndpointCost {
		t.Errorf("type parameter %q", root)
	}
	ecsID, propID := contentID(PathVectorECSID, "ecs"), contentID(PathVectorECSID, "propmap")
	if types["<"+ecsID+">"] != MediaTypeEndpointCost || types["<"+propID+">"] != MediaTypePropMap {
		t.Fatalf("part types %v", types)
	}
	var ecs struct {
		Meta struct {
			VTag     VersionTag `json:"vtag"`
			CostType CostType   `json:"cost-type"`
		} `json:"meta"`
		Map map[string]map[string][]string `json:"endpoint-cost-map"`
	}
	if err := json.Unmarshal(parts["<"+ecsID+">"], &ecs); err != nil {
		t.Fatal(err)
	}
	// The RFC's example writes "cost-map" in an endpoint cost part; RFC
	// 7285 names that member "endpoint-cost-map", which we keep.
	path := ecs.Map["ipv4:192.0.2.2"]["ipv4:192.0.2.18"]
	if len(path) != 1 || ecs.Meta.VTag.ResourceID != "endpoint-cost-pv.ecs" || ecs.Meta.CostType.Key() != PathVectorType.Key() {
		t.Fatalf("ECS part %s", parts["<"+ecsID+">"])
	}
	var pm struct {
		Meta struct {
			Dependent []VersionTag `json:"dependent-vtags"`
		} `json:"meta"`
		Map map[string]map[string]float64 `json:"property-map"`
	}
	if err := json.Unmarshal(parts["<"+propID+">"], &pm); err != nil {
		t.Fatal(err)
	}
	if len(pm.Meta.Dependent) != 1 || pm.Meta.Dependent[0] != ecs.Meta.VTag {
		t.Errorf("property map depends on %v; want the ECS part's vtag %v", pm.Meta.Dependent, ecs.Meta.VTag)
	}
	props, ok := pm.Map[".ane:"+path[0]]
	if !ok || props[PropMaxReservableBandwidth] <= 0 || len(pm.Map) != 1 {
		t.Errorf("property map %s", parts["<"+propID+">"])
	}
	if strings.Contains(string(mp.Body), "static/") || strings.Contains(string(mp.Body), "192.0.2.16") {
		t.Error("ANE names leak internal identities")
	}
}

func TestRFC9275FilteredCostMap(t *testing.T) {
	m := pvNet(t)
	req := strings.NewReplacer(`"PID1"`, `"a"`, `"PID2"`, `"c"`).Replace(string(rfcFile(t, "rfc9275-7.2.3-pv-fcm-request")))
	mp, err := m.PathVectorCostMap(pvResource(m, PathVectorCostMapID), []byte(req), DefaultConfig().Limits, true)
	if err != nil {
		t.Fatal(err)
	}
	_, parts, _ := pvParts(t, mp)
	var cm struct {
		Meta struct {
			VTag      VersionTag   `json:"vtag"`
			Dependent []VersionTag `json:"dependent-vtags"`
		} `json:"meta"`
		Map map[string]map[string][]string `json:"cost-map"`
	}
	json.Unmarshal(parts["<"+contentID(PathVectorCostMapID, "costmap")+">"], &cm)
	// a->c ties over b and over x; walking back from c takes the link with
	// the lowest ID at each hop: b->c (node b sorts before x), then a->b.
	if got := strings.Join(cm.Map["a"]["c"], " "); got != "a--b b--c" {
		t.Errorf("a->c path %q; want the deterministic choice \"a--b b--c\"", got)
	}
	if cm.Meta.VTag.ResourceID != "filtered-cost-map-pv.costmap" || len(cm.Meta.Dependent) != 1 || cm.Meta.Dependent[0] != m.NetworkMap.VersionTag() {
		t.Errorf("meta %+v", cm.Meta)
	}
}

func TestPathVectorErrors(t *testing.T) {
	m := pvNet(t)
	res := pvResource(m, PathVectorECSID)
	pv := `{"cost-mode":"array","cost-metric":"ane-path"}`
	eps := `"endpoints":{"srcs":["ipv4:192.0.2.1"],"dsts":["ipv4:10.3.0.1"]}`
	for _, tc := range []struct{ body, field, value string }{
		{`{"cost-type":{"cost-mode":"numerical","cost-metric":"routingcost"},` + eps + `}`, "cost-type/cost-metric", "routingcost"},
		{`{"cost-type":` + pv + `,"constraints":["le 1"],` + eps + `}`, "constraints", ""},
		{`{"cost-type":` + pv + `,"ane-property-names":["cpu"],` + eps + `}`, "ane-property-names", "cpu"},
		{`{"multi-cost-types":[` + pv + `],` + eps + `}`, "multi-cost-types", ""},
	} {
		_, err := m.PathVectorEndpointCost(res, []byte(tc.body), netip.Addr{}, DefaultConfig().Limits, false)
		var ae *Error
		if !errors.As(err, &ae) || ae.Code != CodeInvalidFieldValue || ae.Field != tc.field || ae.Value != tc.value {
			t.Errorf("%s: got %v; want E_INVALID_FIELD_VALUE %s %q", tc.body, err, tc.field, tc.value)
		}
	}
}

// With the property map on, every ANE is also a persistent entity there.
func TestPathVectorPersistentEntityID(t *testing.T) {
	m := pvNet(t)
	res := pvResource(m, PathVectorECSID)
	if !slices.Contains(res.PropTypes, PropPersistentEntityID) || !slices.Contains(res.Uses, PropertyMapID) {
		t.Fatalf("resource %+v does not offer persistent-entity-id with its property map", res)
	}
	body := `{"cost-type":{"cost-mode":"array","cost-metric":"ane-path"},"endpoints":{"srcs":["ipv4:192.0.2.1"],"dsts":["ipv4:192.0.2.17"]},"ane-property-names":["persistent-entity-id"]}`
	mp, err := m.PathVectorEndpointCost(res, []byte(body), netip.Addr{}, DefaultConfig().Limits, false)
	if err != nil {
		t.Fatal(err)
	}
	_, parts, _ := pvParts(t, mp)
	var pm struct {
		Map map[string]map[string]string `json:"property-map"`
	}
	json.Unmarshal(parts["<"+contentID(PathVectorECSID, "propmap")+">"], &pm)
	for ane, props := range pm.Map {
		if want := PropertyMapID + "." + strings.TrimPrefix(ane, "."); props[PropPersistentEntityID] != want {
			t.Errorf("%s: persistent-entity-id %q; want %q", ane, props[PropPersistentEntityID], want)
		}
	}
	if len(pm.Map) != 1 {
		t.Errorf("property map %v; want the one ANE", pm.Map)
	}
}

func FuzzPathVectorEndpointCost(f *testing.F) {
	m := pvNet(f)
	res := pvResource(m, PathVectorECSID)
	f.Add([]byte(`{"cost-type":{"cost-mode":"array","cost-metric":"ane-path"},"endpoints":{"srcs":["ipv4:192.0.2.1"],"dsts":["ipv4:10.3.0.1"]},"ane-property-names":["max-reservable-bandwidth"]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		mp, err := m.PathVectorEndpointCost(res, body, netip.MustParseAddr("192.0.2.5"), DefaultConfig().Limits, false)
		if err != nil {
			var ae *Error
			if !errors.As(err, &ae) {
				t.Fatalf("non-ALTO error %v", err)
			}
			return
		}
		pvParts(t, mp)
	})
}
