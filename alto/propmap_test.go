package alto

import (
	"encoding/json"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/altosdn/altosdn/alto/inventory"
	"github.com/altosdn/altosdn/topology"
)

// fixedInventory is an InventorySource a test can swap.
type fixedInventory struct{ inv *inventory.Inventory }

func (f *fixedInventory) Current() *inventory.Inventory { return f.inv }

func mustInventory(t testing.TB, doc string, declared ...string) *inventory.Inventory {
	t.Helper()
	inv, err := inventory.Parse([]byte(doc), declared)
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// propNet is two routers with AS and router-IDs, a link with capacities,
// and a default PID.
func propNet(t testing.TB) *topology.Graph {
	n := new(testNet).
		nodeWith(topology.Node{Key: topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: "a", AS: 65001}, Name: "a",
			RouterIDv4: netip.MustParseAddr("192.0.2.1"), RouterIDv6: netip.MustParseAddr("2001:db8::1")},
			"10.1.0.0/16", "2001:db8:1::/48").
		nodeWith(topology.Node{Key: topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: "b", AS: 65002}, Name: "b"},
			"10.2.0.0/16")
	a, b := n.nodes[0].ID, n.nodes[1].ID
	for _, ends := range [][2]topology.NodeID{{a, b}, {b, a}} {
		k := topology.LinkKey{Local: ends[0], Remote: ends[1]}
		n.links = append(n.links, topology.Link{ID: k.ID(), Key: k, Metrics: topology.Metrics{}.
			With(topology.MetricIGP, 10, "test").
			With(topology.MetricMaxBandwidth, 1e10, "test").
			With(topology.MetricMaxReservableBandwidth, 8e9, "test")})
	}
	return n.graph(t)
}

func planned(t testing.TB, g *topology.Graph, cfg Config, inv *inventory.Inventory) (*Maps, map[string]Resource, *fixedInventory) {
	t.Helper()
	src := &fixedInventory{inv: inv}
	m := mustBuild(t, g, cfg).WithPlanning(NewPlanning(cfg, src, nil, nil))
	rs := map[string]Resource{}
	for _, r := range cfg.Resources() {
		rs[r.ID] = r
	}
	return m, rs, src
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return v
}

func propertyMapOf(t *testing.T, b []byte) map[string]any {
	t.Helper()
	pm, ok := decode(t, b)["property-map"].(map[string]any)
	if !ok {
		t.Fatalf("no property-map in %s", b)
	}
	return pm
}

func TestPropertyMapFromTopology(t *testing.T) {
	g := propNet(t)
	cfg := DefaultConfig()
	m, _, _ := planned(t, g, cfg, nil)
	enc, err := m.PropertyMap()
	if err != nil {
		t.Fatal(err)
	}
	if enc.MediaType != MediaTypePropMap {
		t.Errorf("media type %s", enc.MediaType)
	}
	ane := DomainANE + ":" + aneName(g.Link(0), g, false)
	want := map[string]any{
		"ipv4:10.1.0.0/16":          map[string]any{"default-network-map.pid": "a"},
		"ipv6:2001:db8:1::/48":      map[string]any{"default-network-map.pid": "a"},
		"ipv4:10.2.0.0/16":          map[string]any{"default-network-map.pid": "b"},
		"ipv4:0.0.0.0/0":            map[string]any{"default-network-map.pid": "default"},
		"ipv6:::/0":                 map[string]any{"default-network-map.pid": "default"},
		"default-network-map.pid:a": map[string]any{".asn": "65001", ".node-names": []any{"a"}, ".router-ids": []any{"192.0.2.1", "2001:db8::1"}},
		"default-network-map.pid:b": map[string]any{".asn": "65002", ".node-names": []any{"b"}},
		ane:                         map[string]any{"max-reservable-bandwidth": 8e9, ".capacity": 1e10},
		DomainANE + ":" + aneName(g.Link(1), g, false): map[string]any{"max-reservable-bandwidth": 8e9, ".capacity": 1e10},
	}
	got := decode(t, enc.Body)
	if diff := cmp.Diff(want, got["property-map"]); diff != "" {
		t.Errorf("property map (-want +got):\n%s", diff)
	}
	meta := got["meta"].(map[string]any)
	if vt := meta["vtag"].(map[string]any); vt["resource-id"] != PropertyMapID || len(vt["tag"].(string)) != 40 {
		t.Errorf("vtag %v", vt)
	}
	if dv := meta["dependent-vtags"].([]any); len(dv) != 1 || dv[0].(map[string]any)["tag"] != m.NetworkMap.Tag {
		t.Errorf("dependent-vtags %v", dv)
	}
	// Names follow the path vector's: exposed names when configured.
	cfg.PathVector.ExposeLinkNames = true
	m2, _, _ := planned(t, g, cfg, nil)
	enc2, _ := m2.PropertyMap()
	if !strings.Contains(string(enc2.Body), `".ane:a--b"`) {
		t.Errorf("exposed ANE names missing: %s", enc2.Body)
	}
}

const dcInventory = `
pids:
  a: {cpu: 64, site: ams1}
  ghost: {cpu: 1}            # no such PID: not served
prefixes:
  10.1.0.0/16: {site: ams1}
  10.1.2.0/24: {site: null}
  10.1.2.3: {priv:rack: r7}
anes:
  dc1: {storage-capacity: 1.5e3, ram: 256}
`

func TestPropertyMapInventory(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Planning.Inventory.Properties = append(cfg.Planning.Inventory.Properties, "priv:rack")
	m, _, src := planned(t, propNet(t), cfg, mustInventory(t, dcInventory, cfg.Planning.Inventory.Properties...))
	enc, err := m.PropertyMap()
	if err != nil {
		t.Fatal(err)
	}
	pm := propertyMapOf(t, enc.Body)
	checks := map[string]map[string]any{
		"default-network-map.pid:a": {".cpu": 64.0, ".site": "ams1", ".asn": "65001"},
		"ipv4:10.1.0.0/16":          {".site": "ams1", "default-network-map.pid": "a"},
		"ipv4:10.1.2.0/24":          {".site": nil},
		"ipv4:10.1.2.3":             {"priv:rack": "r7"},
		".ane:dc1":                  {".storage-capacity": 1500.0, ".ram": 256.0},
	}
	for id, want := range checks {
		got, ok := pm[id].(map[string]any)
		if !ok {
			t.Errorf("%s missing", id)
			continue
		}
		for p, v := range want {
			if gv, ok := got[p]; !ok || gv != v {
				t.Errorf("%s %s = %v; want %v", id, p, gv, v)
			}
		}
	}
	if _, ok := pm["default-network-map.pid:ghost"]; ok {
		t.Error("a PID that is not in the network map is served")
	}
	// The cached view serves the same body; a new inventory a new one
	// with a new vtag.
	again, _ := m.PropertyMap()
	if again != enc {
		t.Error("the property map was recomputed for the same version")
	}
	src.inv = mustInventory(t, "pids:\n  a: {cpu: 128}\n", cfg.Planning.Inventory.Properties...)
	next, _ := m.PropertyMap()
	if next == enc || next.Tag == enc.Tag || !strings.Contains(string(next.Body), `".cpu":128`) {
		t.Errorf("after an inventory change: %s", next.Body)
	}
}

// filtered runs a filtered property map request.
func filtered(t *testing.T, m *Maps, rs map[string]Resource, body string) ([]byte, error) {
	t.Helper()
	return m.FilteredPropertyMap(rs[FilteredPropertyMapID], []byte(body), Limits{MaxPIDs: 10, MaxEndpoints: 10})
}

func TestFilteredPropertyMap(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Planning.Inventory.Properties = append(cfg.Planning.Inventory.Properties, "priv:rack")
	m, rs, _ := planned(t, propNet(t), cfg, mustInventory(t, dcInventory, cfg.Planning.Inventory.Properties...))
	tests := []struct{ name, body, want string }{
		{"pid entity", `{"entities":["default-network-map.pid:a"],"properties":[".cpu",".node-names"]}`,
			`{"default-network-map.pid:a":{".cpu":64,".node-names":["a"]}}`},
		{"all properties of the domain", `{"entities":[".ane:dc1"],"properties":[]}`,
			`{".ane:dc1":{".ram":256,".storage-capacity":1500}}`},
		{"a property of another domain does not apply", `{"entities":[".ane:dc1","ipv4:10.9.9.9"],"properties":[".asn","default-network-map.pid"]}`,
			`{"ipv4:10.9.9.9":{"default-network-map.pid":"default"}}`},
		{"no properties: each entity maps to {}", `{"entities":["ipv4:10.1.2.3/32","default-network-map.pid:zz",".ane:x"]}`,
			`{"ipv4:10.1.2.3":{},"default-network-map.pid:zz":{},".ane:x":{}}`},
		{"address inherits; null stops it", `{"entities":["ipv4:10.1.9.9","ipv4:10.1.2.3"],"properties":[".site","priv:rack"]}`,
			`{"ipv4:10.1.9.9":{".site":"ams1"},"ipv4:10.1.2.3":{"priv:rack":"r7"}}`},
		{"prefix split where values differ", `{"entities":["ipv4:10.1.0.0/16"],"properties":[".site"]}`,
			`{"ipv4:10.1.0.0/16":{".site":"ams1"},"ipv4:10.1.2.0/24":{".site":null}}`},
		{"unknown entities are left out", `{"entities":["default-network-map.pid:zz",".ane:nope"],"properties":[]}`, `{}`},
		{"duplicates ignored", `{"entities":["default-network-map.pid:b","default-network-map.pid:b"],"properties":[".asn",".asn"]}`,
			`{"default-network-map.pid:b":{".asn":"65002"}}`},
		{"ipv6 prefix", `{"entities":["ipv6:2001:db8:1:0:0:0:0:0/48"],"properties":["default-network-map.pid"]}`,
			`{"ipv6:2001:db8:1::/48":{"default-network-map.pid":"a"}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := filtered(t, m, rs, tc.body)
			if err != nil {
				t.Fatal(err)
			}
			var want any
			if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, any(propertyMapOf(t, out))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	// Empty entities mean every entity; with properties, those that have them.
	out, err := filtered(t, m, rs, `{"entities":[],"properties":[".cpu"]}`)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"default-network-map.pid:a": map[string]any{".cpu": 64.0}}, propertyMapOf(t, out)); diff != "" {
		t.Errorf("all entities with .cpu (-want +got):\n%s", diff)
	}
	out, _ = filtered(t, m, rs, `{"entities":[]}`)
	full, _ := m.PropertyMap()
	if len(propertyMapOf(t, out)) != len(propertyMapOf(t, full.Body)) {
		t.Error("empty entities without properties do not list every entity")
	}
	meta := decode(t, out)["meta"].(map[string]any)
	if meta["vtag"].(map[string]any)["tag"] != full.Tag && meta["vtag"].(map[string]any)["tag"] == "" {
		t.Errorf("meta %v", meta)
	}
}

func TestFilteredPropertyMapErrors(t *testing.T) {
	cfg := DefaultConfig()
	m, rs, _ := planned(t, propNet(t), cfg, nil)
	tests := []struct {
		name, body string
		code       ErrorCode
		field, val string
	}{
		{"not json", `{`, CodeSyntax, "", ""},
		{"no entities", `{"properties":[".cpu"]}`, CodeMissingField, "entities", ""},
		{"entities not an array", `{"entities":"ipv4:10.0.0.1"}`, CodeInvalidFieldType, "entities", ""},
		{"entity not a string", `{"entities":[5]}`, CodeInvalidFieldValue, "entities", "5"},
		{"unknown domain", `{"entities":["asn:65001"]}`, CodeInvalidFieldValue, "entities", "asn:65001"},
		{"other network map", `{"entities":["alt-network-map.pid:a"]}`, CodeInvalidFieldValue, "entities", "alt-network-map.pid:a"},
		{"host bits", `{"entities":["ipv4:10.1.0.1/16"]}`, CodeInvalidFieldValue, "entities", "ipv4:10.1.0.1/16"},
		{"family", `{"entities":["ipv4:2001:db8::1"]}`, CodeInvalidFieldValue, "entities", "ipv4:2001:db8::1"},
		{"bad address", `{"entities":["ipv6:zz"]}`, CodeInvalidFieldValue, "entities", "ipv6:zz"},
		{"bad pid name", `{"entities":["default-network-map.pid:a.b"]}`, CodeInvalidFieldValue, "entities", "default-network-map.pid:a.b"},
		{"unknown property", `{"entities":[],"properties":["cpu"]}`, CodeInvalidFieldValue, "properties", "cpu"},
		{"properties not strings", `{"entities":[],"properties":[null]}`, CodeInvalidFieldValue, "properties", "null"},
		{"too many", `{"entities":["ipv4:1.1.1.1","ipv4:1.1.1.2","ipv4:1.1.1.3","ipv4:1.1.1.4","ipv4:1.1.1.5","ipv4:1.1.1.6","ipv4:1.1.1.7","ipv4:1.1.1.8","ipv4:1.1.1.9","ipv4:1.1.1.10","ipv4:1.1.1.11"]}`,
			CodeInvalidFieldValue, "entities", "11 entities"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := filtered(t, m, rs, tc.body)
			var ae *Error
			if !asError(err, &ae) || ae.Code != tc.code || ae.Field != tc.field || ae.Value != tc.val {
				t.Errorf("got %v; want %s field %q value %q", err, tc.code, tc.field, tc.val)
			}
		})
	}
}

// inherit is what a client computes from an answer (RFC 9240 §6.1.3): the
// value of the longest answer entry covering a; nil for none or null.
func inherit(answer []prefixValue, a netip.Addr) any {
	best, val := -1, any(nil)
	for _, pv := range answer {
		if pv.prefix.Contains(a) && pv.prefix.Bits() > best {
			best, val = pv.prefix.Bits(), pv.val
		}
	}
	return val
}

func table(entries map[string]any) *prefixTable {
	t := &prefixTable{vals: map[netip.Prefix]any{}}
	for p, v := range entries {
		pr, err := netip.ParsePrefix(p)
		if err != nil {
			a := netip.MustParseAddr(p)
			pr = netip.PrefixFrom(a, a.BitLen())
		}
		t.vals[pr] = v
	}
	t.sort()
	return t
}

func TestResolve(t *testing.T) {
	// The vector of RFC 9240 §6.1.3 and more edge cases.
	rfc := table(map[string]any{"192.0.2.0/26": "v1", "192.0.2.0/28": "v2", "192.0.2.0/30": "v3", "192.0.2.0": "v4"})
	tests := []struct {
		name string
		t    *prefixTable
		q    string
		want map[string]any
	}{
		{"rfc .1", rfc, "192.0.2.1/32", map[string]any{"192.0.2.1/32": "v3"}},
		{"rfc .16", rfc, "192.0.2.16/32", map[string]any{"192.0.2.16/32": "v1"}},
		{"rfc .32", rfc, "192.0.2.32/32", map[string]any{"192.0.2.32/32": "v1"}},
		{"rfc .64 undefined", rfc, "192.0.2.64/32", map[string]any{}},
		{"rfc /31", rfc, "192.0.2.0/31", map[string]any{"192.0.2.0/31": "v3", "192.0.2.0/32": "v4"}},
		{"rfc /29", rfc, "192.0.2.0/29", map[string]any{"192.0.2.0/29": "v2", "192.0.2.0/30": "v3", "192.0.2.0/32": "v4"}},
		{"rfc /27", rfc, "192.0.2.0/27", map[string]any{"192.0.2.0/27": "v1", "192.0.2.0/28": "v2", "192.0.2.0/30": "v3", "192.0.2.0/32": "v4"}},
		{"rfc /25", rfc, "192.0.2.0/25", map[string]any{"192.0.2.0/26": "v1", "192.0.2.0/28": "v2", "192.0.2.0/30": "v3", "192.0.2.0/32": "v4"}},
		{"default route", table(map[string]any{"0.0.0.0/0": "all", "10.0.0.0/8": "ten"}), "0.0.0.0/0",
			map[string]any{"0.0.0.0/0": "all", "10.0.0.0/8": "ten"}},
		{"inside the default route", table(map[string]any{"0.0.0.0/0": "all", "10.0.0.0/8": "ten"}), "10.1.0.0/16",
			map[string]any{"10.1.0.0/16": "ten"}},
		{"same value below is dropped", table(map[string]any{"10.0.0.0/8": "x", "10.1.0.0/16": "x", "10.1.1.0/24": "y"}), "10.0.0.0/8",
			map[string]any{"10.0.0.0/8": "x", "10.1.1.0/24": "y"}},
		{"null stops inheritance", table(map[string]any{"10.0.0.0/8": "x", "10.1.0.0/16": nil}), "10.0.0.0/8",
			map[string]any{"10.0.0.0/8": "x", "10.1.0.0/16": nil}},
		{"null under nothing adds nothing", table(map[string]any{"10.1.0.0/16": nil, "10.1.1.0/24": "y"}), "10.0.0.0/8",
			map[string]any{"10.1.1.0/24": "y"}},
		{"covered whole by its halves", table(map[string]any{"0.0.0.0/0": "d", "192.0.3.0/28": "p3", "192.0.3.16/28": "p4"}), "192.0.3.0/27",
			map[string]any{"192.0.3.0/28": "p3", "192.0.3.16/28": "p4"}},
		{"covered in quarters", table(map[string]any{"10.0.0.0/24": "a", "10.0.0.0/26": "b", "10.0.0.64/26": "c", "10.0.0.128/25": "d"}), "10.0.0.0/24",
			map[string]any{"10.0.0.0/26": "b", "10.0.0.64/26": "c", "10.0.0.128/25": "d"}},
		{"ipv6", table(map[string]any{"::/0": "d", "2001:db8::/32": "doc", "2001:db8::1": "one"}), "2001:db8::/127",
			map[string]any{"2001:db8::/127": "doc", "2001:db8::1/128": "one"}},
		{"families apart", table(map[string]any{"0.0.0.0/0": "v4", "::/0": "v6"}), "::/0", map[string]any{"::/0": "v6"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]any{}
			for _, pv := range tc.t.resolve(netip.MustParsePrefix(tc.q)) {
				got[pv.prefix.String()] = pv.val
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestResolveAgainstLookup checks on random tables that every address of
// the query inherits from the answer what it has in the table, and that
// the answer holds no entry its parent in the answer already implies.
func TestResolveAgainstLookup(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	vals := []any{"a", "b", nil}
	for round := range 300 {
		tab := &prefixTable{vals: map[netip.Prefix]any{}}
		for range rng.IntN(12) {
			bits := 24 + rng.IntN(9)
			a := netip.AddrFrom4([4]byte{10, 0, 0, byte(rng.IntN(256))})
			tab.vals[netip.PrefixFrom(a, bits).Masked()] = vals[rng.IntN(len(vals))]
		}
		if rng.IntN(3) == 0 {
			tab.vals[netip.MustParsePrefix("0.0.0.0/0")] = "root"
		}
		tab.sort()
		qb := 24 + rng.IntN(9)
		q := netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, 0, byte(rng.IntN(256))}), qb).Masked()
		answer := tab.resolve(q)
		for a := q.Addr(); q.Contains(a); a = a.Next() {
			want, _ := tab.covering(netip.PrefixFrom(a, 32))
			if got := inherit(answer, a); got != want {
				t.Fatalf("round %d: q %s, table %v: %s inherits %v from %v; want %v", round, q, tab.vals, a, got, answer, want)
			}
		}
		for i, pv := range answer {
			if !q.Contains(pv.prefix.Addr()) || pv.prefix.Bits() < q.Bits() {
				t.Fatalf("round %d: %s is outside %s", round, pv.prefix, q)
			}
			rest := append(append([]prefixValue{}, answer[:i]...), answer[i+1:]...)
			same := true
			for a := pv.prefix.Addr(); pv.prefix.Contains(a); a = a.Next() {
				if inherit(rest, a) != inherit(answer, a) {
					same = false
					break
				}
			}
			if same {
				t.Fatalf("round %d: q %s, table %v: answer %v holds %s, which changes nothing", round, q, tab.vals, answer, pv.prefix)
			}
		}
	}
}

func FuzzFilteredPropertyMap(f *testing.F) {
	cfg := DefaultConfig()
	m, rs, _ := planned(f, propNet(f), cfg, mustInventory(f, "prefixes:\n  10.1.0.0/16: {site: x}\n", cfg.Planning.Inventory.Properties...))
	for _, s := range []string{
		`{"entities":["ipv4:10.0.0.0/8","default-network-map.pid:a",".ane:x"],"properties":[".site"]}`,
		`{"entities":[],"properties":[]}`, `{"entities":["ipv6:::/0"]}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		out, err := m.FilteredPropertyMap(rs[FilteredPropertyMapID], []byte(body), Limits{MaxPIDs: 10, MaxEndpoints: 10})
		if err != nil {
			var ae *Error
			if !asError(err, &ae) {
				t.Fatalf("not an ALTO error: %v", err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON %s", out)
		}
	})
}
