package gnmi

import (
	"cmp"
	"net/netip"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	gpb "github.com/openconfig/gnmi/proto/gnmi"
)

var sampleCmp = []gocmp.Option{
	gocmp.AllowUnexported(sample{}),
	gocmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
}

// decodeSorted decodes n with a fresh decoder and sorts the samples, since
// JSON containers come out in map order.
func decodeSorted(n *gpb.Notification) ([]sample, int) {
	var d decoder
	out := slices.Clone(d.decode(n))
	slices.SortFunc(out, func(a, b sample) int {
		return cmp.Or(cmp.Compare(a.iface, b.iface), cmp.Compare(a.kind, b.kind), a.addr.Compare(b.addr))
	})
	return out, d.errs
}

func pe(name string, kv ...string) *gpb.PathElem {
	e := &gpb.PathElem{Name: name}
	if len(kv) == 2 {
		e.Key = map[string]string{kv[0]: kv[1]}
	}
	return e
}

func path(es ...*gpb.PathElem) *gpb.Path { return &gpb.Path{Elem: es} }

func uintV(v uint64) *gpb.TypedValue {
	return &gpb.TypedValue{Value: &gpb.TypedValue_UintVal{UintVal: v}}
}
func strV(s string) *gpb.TypedValue {
	return &gpb.TypedValue{Value: &gpb.TypedValue_StringVal{StringVal: s}}
}
func ietfV(s string) *gpb.TypedValue {
	return &gpb.TypedValue{Value: &gpb.TypedValue_JsonIetfVal{JsonIetfVal: []byte(s)}}
}

var ifPrefix = path(pe("interfaces"), pe("interface", "name", "eth0"))

func TestDecode(t *testing.T) {
	ip := netip.MustParseAddr
	tests := []struct {
		name     string
		n        *gpb.Notification
		want     []sample
		wantErrs int
	}{
		{"proto counters under a keyed prefix", &gpb.Notification{Prefix: ifPrefix, Update: []*gpb.Update{
			{Path: path(pe("state"), pe("counters"), pe("in-octets")), Val: uintV(10)},
			{Path: path(pe("state"), pe("counters"), pe("out-octets")), Val: uintV(20)},
			{Path: path(pe("state"), pe("counters"), pe("in-pkts")), Val: uintV(1)}, // not used
			{Path: path(pe("state"), pe("counters"), pe("last-clear")), Val: uintV(7)},
			{Path: path(pe("state"), pe("oper-status")), Val: strV("UP")},
			{Path: path(pe("ethernet"), pe("state"), pe("port-speed")), Val: strV("openconfig-if-ethernet:SPEED_100GB")},
			{Path: path(pe("ethernet"), pe("state"), pe("negotiated-port-speed")), Val: strV("SPEED_2500MB")},
			{Path: path(pe("aggregation"), pe("state"), pe("lag-speed")), Val: uintV(20000)},
		}}, []sample{
			{iface: "eth0", kind: leafInOctets, u: 10},
			{iface: "eth0", kind: leafOutOctets, u: 20},
			{iface: "eth0", kind: leafLastClear, u: 7},
			{iface: "eth0", kind: leafOperStatus, oper: operUp},
			{iface: "eth0", kind: leafPortSpeed, u: 100e9},
			{iface: "eth0", kind: leafNegotiatedSpeed, u: 2.5e9},
			{iface: "eth0", kind: leafLagSpeed, u: 20e9},
		}, 0},
		{"full paths, module prefixes, other encodings", &gpb.Notification{Update: []*gpb.Update{
			{Path: path(pe("openconfig-interfaces:interfaces"), pe("interface", "name", "et-0/0/1"), pe("state"), pe("counters"), pe("in-octets")),
				Val: ietfV(`"18446744073709551615"`)},
			{Path: path(pe("interfaces"), pe("interface", "name", "et-0/0/1"), pe("state"), pe("counters"), pe("out-errors")),
				Val: &gpb.TypedValue{Value: &gpb.TypedValue_IntVal{IntVal: 3}}},
			{Path: path(pe("interfaces"), pe("interface", "name", "et-0/0/1"), pe("state"), pe("oper-status")),
				Val: &gpb.TypedValue{Value: &gpb.TypedValue_JsonVal{JsonVal: []byte(`"lower_layer_down"`)}}},
		}}, []sample{
			{iface: "et-0/0/1", kind: leafInOctets, u: 18446744073709551615},
			{iface: "et-0/0/1", kind: leafOutErrors, u: 3},
			{iface: "et-0/0/1", kind: leafOperStatus, oper: operDown},
		}, 0},
		{"addresses from keys and from the ip leaf", &gpb.Notification{Prefix: ifPrefix, Update: []*gpb.Update{
			{Path: path(pe("subinterfaces"), pe("subinterface", "index", "0"), pe("ipv4"), pe("addresses"), pe("address", "ip", "10.0.0.1"), pe("state"), pe("prefix-length")), Val: uintV(31)},
			{Path: path(pe("subinterfaces"), pe("subinterface", "index", "0"), pe("ipv6"), pe("addresses"), pe("address"), pe("state"), pe("ip")), Val: strV("2001:db8::1")},
			{Path: path(pe("subinterfaces"), pe("subinterface", "index", "0"), pe("ipv6"), pe("addresses"), pe("address", "ip", "fe80::1"), pe("state"), pe("ip")), Val: strV("fe80::1")},
		}}, []sample{
			{iface: "eth0", kind: leafAddress, addr: ip("10.0.0.1")},
			{iface: "eth0", kind: leafAddress, addr: ip("2001:db8::1")},
		}, 0},
		{"json_ietf container", &gpb.Notification{Update: []*gpb.Update{
			{Path: path(pe("interfaces")), Val: ietfV(`{"openconfig-interfaces:interface": [{"name": "Ethernet1",
				"state": {"oper-status": "DOWN", "counters": {"in-octets": "5", "out-octets": "6", "in-pkts": "1"}},
				"subinterfaces": {"subinterface": [{"index": 0, "openconfig-if-ip:ipv4": {"addresses": {"address": [{"ip": "192.0.2.9", "state": {"prefix-length": 31}}]}}}]}}]}`)},
		}}, []sample{
			{iface: "Ethernet1", kind: leafInOctets, u: 5},
			{iface: "Ethernet1", kind: leafOutOctets, u: 6},
			{iface: "Ethernet1", kind: leafOperStatus, oper: operDown},
			{iface: "Ethernet1", kind: leafAddress, addr: ip("192.0.2.9")},
		}, 0},
		{"deprecated string path", &gpb.Notification{Update: []*gpb.Update{
			//lint:ignore SA1019 the test feeds the deprecated form on purpose
			{Path: &gpb.Path{Element: []string{"interfaces", "interface", "eth3", "state", "counters", "out-octets"}}, Val: uintV(9)},
		}}, []sample{{iface: "eth3", kind: leafOutOctets, u: 9}}, 0},
		{"deletes", &gpb.Notification{Prefix: ifPrefix, Delete: []*gpb.Path{
			path(),
			path(pe("subinterfaces"), pe("subinterface", "index", "0"), pe("ipv4"), pe("addresses"), pe("address", "ip", "10.0.0.1")),
			path(pe("state"), pe("counters")),
		}}, []sample{
			{iface: "eth0", kind: leafAddress, addr: ip("10.0.0.1"), deleted: true},
			{iface: "eth0", kind: leafInterface, deleted: true},
		}, 0},
		{"unreadable values are counted", &gpb.Notification{Prefix: ifPrefix, Update: []*gpb.Update{
			{Path: path(pe("state"), pe("counters"), pe("in-octets")), Val: strV("lots")},
			{Path: path(pe("state"), pe("counters"), pe("out-octets")), Val: &gpb.TypedValue{Value: &gpb.TypedValue_IntVal{IntVal: -1}}},
			{Path: path(pe("state"), pe("oper-status")), Val: uintV(1)},
			{Path: path(pe("state"), pe("counters"), pe("in-errors")), Val: nil},
			{Path: path(pe("ethernet"), pe("state"), pe("port-speed")), Val: strV("SPEED_UNKNOWN")}, // not an error: no speed
			{Path: path(pe("state")), Val: ietfV(`{"counters": `)},
		}}, nil, 5},
		{"other trees are ignored", &gpb.Notification{Update: []*gpb.Update{
			{Path: path(pe("network-instances"), pe("network-instance", "name", "default")), Val: strV("x")},
			{Path: path(pe("components"), pe("component", "name", "PSU1"), pe("state"), pe("temperature")), Val: uintV(40)},
		}}, nil, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := decodeSorted(tc.n)
			if diff := gocmp.Diff(tc.want, got, sampleCmp...); diff != "" {
				t.Errorf("decode mismatch (-want +got):\n%s", diff)
			}
			if errs != tc.wantErrs {
				t.Errorf("decode errors = %d, want %d", errs, tc.wantErrs)
			}
		})
	}
}

func TestParseSpeed(t *testing.T) {
	tests := []struct {
		in    string
		want  uint64
		known bool
	}{
		{"SPEED_10MB", 10e6, true},
		{"openconfig-if-ethernet:SPEED_400GB", 400e9, true},
		{"oc-eth:SPEED_2500MB", 2.5e9, true},
		{"SPEED_1600GB", 1.6e12, true},
		{"SPEED_UNKNOWN", 0, false},
		{"SPEED_0GB", 0, false},
		{"10G", 0, false},
	}
	for _, tc := range tests {
		got, known := parseSpeed(tc.in)
		if got != tc.want || known != tc.known {
			t.Errorf("parseSpeed(%q) = %d, %v; want %d, %v", tc.in, got, known, tc.want, tc.known)
		}
	}
}

func TestStripModule(t *testing.T) {
	for in, want := range map[string]string{
		"oc-if:counters": "counters", "counters": "counters", ":x": ":x",
		"01:00:5e:1e:1e:1e": "01:00:5e:1e:1e:1e", // a MAC address as an element (Arista issue_17279)
	} {
		if got := stripModule(in); got != want {
			t.Errorf("stripModule(%q) = %q, want %q", in, got, want)
		}
	}
}
