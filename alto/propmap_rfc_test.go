package alto

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The RFC 9240 §10 examples, served from a network and an inventory shaped
// like the RFC's. The examples' defects and this server's deliberate
// differences are handled in each test:
//
//   - The RFC's server has two network maps; this one has one, so
//     alt-network-map.pid is not offered: requests naming it are rejected,
//     and the test asks for default-network-map.pid alone.
//   - §10.9 names ANE properties "storage-capacity", "ram" and "cpu",
//     which are not registered (RFC 9240 §12.3 registers only "pid"), so
//     they must be self-defined or private. This server serves inventory
//     properties as ".storage-capacity" etc.: the verbatim request is
//     rejected and the dotted one answered.
//   - §10.6 gives .ASN on two /28s where the value is defined on their
//     /27; the answers are compared by what every address inherits.
//   - The property maps depend on the network map, so their meta carries
//     its vtag (the RFC's ANE map depends on nothing and has an empty meta).

const rfc9240Inventory = `
pids:
  pid1: {region: us-west}
  pid2: {region: us-east}
prefixes:
  192.0.2.0/23:  {ISP: BitsRus, countrycode: us}
  192.0.2.0/27:  {ASN: "65543"}
  192.0.3.0/27:  {ASN: "65544"}
  192.0.2.0/28:  {state: NJ}
  192.0.2.1:     {state: PA}
  192.0.2.16/28: {state: CT}
  192.0.3.0/28:  {state: TX}
  192.0.3.16/28: {state: MN}
anes:
  dc21:            {storage-capacity: 40000, cpu: 500}
  dc45-srv9:       {storage-capacity: 100, cpu: 20}
  dc6-srvcluster8: {storage-capacity: 6000, cpu: 100}
`

func rfc9240Maps(t *testing.T) (*Maps, map[string]Resource, Config) {
	t.Helper()
	n := new(testNet).
		node("pid1", "198.51.100.0/24").
		node("pid2", "192.0.2.0/25").
		node("pid3", "192.0.3.0/28").
		node("pid4", "192.0.3.16/28").
		link("pid1", "pid2", 1).link("pid2", "pid3", 1).link("pid3", "pid4", 1)
	cfg := DefaultConfig()
	cfg.NetworkMap.DefaultPID = "defaultpid"
	cfg.Planning.Inventory.Properties = []string{"ISP", "ASN", "countrycode", "state", "region", "storage-capacity", "ram", "cpu"}
	m, rs, _ := planned(t, n.graph(t), cfg, mustInventory(t, rfc9240Inventory, cfg.Planning.Inventory.Properties...))
	return m, rs, cfg
}

// project keeps the given properties and drops entities left empty.
func project(pm map[string]any, props ...string) map[string]any {
	out := map[string]any{}
	for id, v := range pm {
		sel := map[string]any{}
		for p, val := range v.(map[string]any) {
			if slices.Contains(props, p) {
				sel[p] = val
			}
		}
		if len(sel) > 0 {
			out[id] = sel
		}
	}
	return out
}

func TestRFC9240Directory(t *testing.T) {
	_, _, cfg := rfc9240Maps(t)
	d, _, err := NewDirectory(cfg.Resources(), cfg.NetworkMap.ResourceID, func(r Resource) string { return "/" + r.ID })
	if err != nil {
		t.Fatal(err)
	}
	ours, _ := json.Marshal(d)
	var got, rfc struct {
		Resources map[string]map[string]any `json:"resources"`
	}
	if err := json.Unmarshal(ours, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(rfcFile(t, "rfc9240-10.3-ird-response"), &rfc); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			if k != "uri" {
				ks = append(ks, k)
			}
		}
		slices.Sort(ks)
		return ks
	}
	// The RFC's GET map and its POST maps against ours: same members,
	// the same media types, capabilities with mappings alone.
	for rid, re := range rfc.Resources {
		if re["media-type"] != MediaTypePropMap {
			continue
		}
		id := FilteredPropertyMapID
		if re["accepts"] == nil {
			id = PropertyMapID
		}
		oe := got.Resources[id]
		for _, k := range []string{"media-type", "accepts"} {
			if oe[k] != re[k] {
				t.Errorf("%s vs RFC %s: %s %v; RFC %v", id, rid, k, oe[k], re[k])
			}
		}
		if caps := oe["capabilities"].(map[string]any); !cmp.Equal(keys(caps), []string{"mappings"}) {
			t.Errorf("%s capabilities %v; want mappings alone", id, keys(caps))
		}
		if re["uses"] != nil && !cmp.Equal(oe["uses"], []any{"default-network-map"}) {
			t.Errorf("%s uses %v", id, oe["uses"])
		}
	}
	mappings := got.Resources[FilteredPropertyMapID]["capabilities"].(map[string]any)["mappings"].(map[string]any)
	for _, domain := range []string{"ipv4", "ipv6", "default-network-map.pid", ".ane"} {
		if mappings[domain] == nil {
			t.Errorf("no mapping for the %s domain: %v", domain, mappings)
		}
	}
	want := []any{"default-network-map.pid", ".ISP", ".ASN", ".countrycode", ".state", ".region", ".storage-capacity", ".ram", ".cpu"}
	if !cmp.Equal(mappings["ipv4"], want) {
		t.Errorf("ipv4 mapping %v; want %v", mappings["ipv4"], want)
	}
	// The RFC's legacy EPS entry writes its capability as "properties"
	// (RFC 7285 names it prop-types); ours follows RFC 7285.
	if caps := got.Resources[EndpointPropID]["capabilities"].(map[string]any); caps["prop-types"] == nil || caps["properties"] != nil {
		t.Errorf("endpoint property capabilities %v", caps)
	}
}

func TestRFC9240FullPropertyMap(t *testing.T) {
	m, _, _ := rfc9240Maps(t)
	enc, err := m.PropertyMap()
	if err != nil {
		t.Fatal(err)
	}
	want := decode(t, rfcFile(t, "rfc9240-10.4-full-propmap-response"))
	// The RFC's ia-property-map maps ipv4 and ipv6 to .ISP and .ASN.
	if diff := cmp.Diff(want["property-map"], any(project(propertyMapOf(t, enc.Body), ".ISP", ".ASN"))); diff != "" {
		t.Errorf("§10.4 (-rfc +ours):\n%s", diff)
	}
	meta := decode(t, enc.Body)["meta"].(map[string]any)
	dv := meta["dependent-vtags"].([]any)
	if len(dv) != 1 || dv[0].(map[string]any)["resource-id"] != "default-network-map" {
		t.Errorf("dependent-vtags %v", dv)
	}
}

func TestRFC9240FilteredExact(t *testing.T) {
	m, rs, _ := rfc9240Maps(t)
	tests := []struct{ name, req, resp string }{
		{"§10.5 addresses", "rfc9240-10.5-filtered-propmap-request", "rfc9240-10.5-filtered-propmap-response"},
		{"§10.8 pids", "rfc9240-10.8-filtered-propmap-region-request", "rfc9240-10.8-filtered-propmap-region-response"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := m.FilteredPropertyMap(rs[FilteredPropertyMapID], rfcFile(t, tc.req), DefaultConfig().Limits)
			if err != nil {
				t.Fatal(err)
			}
			want := decode(t, rfcFile(t, tc.resp))
			if diff := cmp.Diff(want["property-map"], any(propertyMapOf(t, out))); diff != "" {
				t.Errorf("(-rfc +ours):\n%s", diff)
			}
			got := decode(t, out)
			replaceTags(got, "T")
			replaceTags(want, "T")
			wdv := want["meta"].(map[string]any)["dependent-vtags"].([]any)
			if diff := cmp.Diff(wdv[:1], got["meta"].(map[string]any)["dependent-vtags"]); diff != "" {
				t.Errorf("dependent-vtags (-rfc +ours):\n%s", diff)
			}
		})
	}
}

// inheritFrom is what a client reads from a property map for address a:
// the value of the longest prefix entity covering a that has prop.
func inheritFrom(pm map[string]any, prop string, a netip.Addr) any {
	best, val := -1, any(nil)
	for id, v := range pm {
		text, ok := strings.CutPrefix(id, "ipv4:")
		if !ok {
			continue
		}
		p, err := parseEntityPrefix(text, true)
		if err != nil {
			continue
		}
		if pv, has := v.(map[string]any)[prop]; has && p.Contains(a) && p.Bits() > best {
			best, val = p.Bits(), pv
		}
	}
	return val
}

func TestRFC9240FilteredPrefixes(t *testing.T) {
	m, rs, _ := rfc9240Maps(t)
	req := rfcFile(t, "rfc9240-10.6-filtered-propmap-request")
	out, err := m.FilteredPropertyMap(rs[FilteredPropertyMapID], req, DefaultConfig().Limits)
	if err != nil {
		t.Fatal(err)
	}
	ours := propertyMapOf(t, out)
	rfc := decode(t, rfcFile(t, "rfc9240-10.6-filtered-propmap-response"))["property-map"].(map[string]any)
	var r struct{ Entities, Properties []string }
	if err := json.Unmarshal(req, &r); err != nil {
		t.Fatal(err)
	}
	for _, e := range r.Entities {
		q, _ := parseEntityPrefix(strings.TrimPrefix(e, "ipv4:"), true)
		for _, prop := range r.Properties {
			for a := q.Addr(); q.Contains(a); a = a.Next() {
				if got, want := inheritFrom(ours, prop, a), inheritFrom(rfc, prop, a); got != want {
					t.Errorf("%s %s: ours %v, RFC %v", a, prop, got, want)
				}
			}
		}
	}
	// Our answer is the smaller one: .ASN once on the /27.
	if len(ours) > len(rfc)+2 {
		t.Errorf("answer of %d entities: %v", len(ours), ours)
	}
	if _, ok := ours["ipv4:192.0.4.0/26"]; ok {
		t.Error("an entity without properties was answered")
	}
}

func TestRFC9240FilteredPIDs(t *testing.T) {
	m, rs, _ := rfc9240Maps(t)
	res := rs[FilteredPropertyMapID]
	verbatim := rfcFile(t, "rfc9240-10.7-filtered-propmap-pid-request")
	var ae *Error
	if _, err := m.FilteredPropertyMap(res, verbatim, DefaultConfig().Limits); !asError(err, &ae) ||
		ae.Code != CodeInvalidFieldValue || ae.Field != "properties" || ae.Value != "alt-network-map.pid" {
		t.Fatalf("the request naming a network map this server lacks: %v", err)
	}
	req := strings.Replace(string(verbatim), `,
                   "alt-network-map.pid"`, "", 1)
	out, err := m.FilteredPropertyMap(res, []byte(req), DefaultConfig().Limits)
	if err != nil {
		t.Fatalf("%v\n%s", err, req)
	}
	rfc := decode(t, rfcFile(t, "rfc9240-10.7-filtered-propmap-pid-response"))["property-map"].(map[string]any)
	if diff := cmp.Diff(project(rfc, "default-network-map.pid"), propertyMapOf(t, out)); diff != "" {
		t.Errorf("§10.7, default-network-map.pid (-rfc +ours):\n%s", diff)
	}
}

func TestRFC9240FilteredANEs(t *testing.T) {
	m, rs, _ := rfc9240Maps(t)
	res := rs[FilteredPropertyMapID]
	verbatim := rfcFile(t, "rfc9240-10.9-filtered-propmap-ane-request")
	var ae *Error
	if _, err := m.FilteredPropertyMap(res, verbatim, DefaultConfig().Limits); !asError(err, &ae) ||
		ae.Field != "properties" || ae.Value != "storage-capacity" {
		t.Fatalf("unregistered property names: %v", err)
	}
	req := strings.NewReplacer(`"storage-capacity"`, `".storage-capacity"`, `"cpu"`, `".cpu"`).Replace(string(verbatim))
	out, err := m.FilteredPropertyMap(res, []byte(req), DefaultConfig().Limits)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.NewReplacer(`"storage-capacity"`, `".storage-capacity"`, `"cpu"`, `".cpu"`).
		Replace(string(rfcFile(t, "rfc9240-10.9-filtered-propmap-ane-response")))
	if diff := cmp.Diff(decode(t, []byte(want))["property-map"], any(propertyMapOf(t, out))); diff != "" {
		t.Errorf("§10.9 (-rfc +ours):\n%s", diff)
	}
}
