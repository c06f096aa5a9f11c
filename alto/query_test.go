package alto

import (
	"encoding/json"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

// served returns the maps of ecmpNet and the resources the default
// configuration serves, by ID.
func served(t testing.TB) (*Maps, map[string]Resource) {
	t.Helper()
	cfg := DefaultConfig()
	m := mustBuild(t, ecmpNet().graph(t), cfg)
	rs := map[string]Resource{}
	for _, r := range cfg.Resources() {
		rs[r.ID] = r
	}
	return m, rs
}

// query sends body to the resource with the given ID.
func query(m *Maps, res Resource, body string) ([]byte, error) {
	limits := Limits{MaxPIDs: 3, MaxEndpoints: 3}
	switch res.Kind {
	case KindFilteredNetworkMap:
		return m.FilteredNetworkMap([]byte(body), limits)
	case KindFilteredCostMap:
		return m.FilteredCostMap(res, []byte(body), limits)
	case KindEndpointProp:
		return m.EndpointProperties(res, []byte(body), limits)
	case KindEndpointCost:
		return m.EndpointCost(res, []byte(body), netip.MustParseAddr("10.0.4.7"), limits)
	}
	panic("not a query resource")
}

func TestQueries(t *testing.T) {
	m, rs := served(t)
	tests := []struct {
		name, res, body, want string
	}{
		{"filtered network map by pid and family", FilteredNetworkMapID, `{"pids":["d","a","nope"],"address-types":["ipv4","mac"]}`,
			`{"meta":{"vtag":{"resource-id":"default-network-map","tag":"T"}},"network-map":{"a":{"ipv4":["10.0.1.0/24"]},"d":{"ipv4":["10.0.4.0/24"]}}}`},
		{"filtered network map, ipv6 only", FilteredNetworkMapID, `{"pids":["a","default"],"address-types":["ipv6"]}`,
			`{"meta":{"vtag":{"resource-id":"default-network-map","tag":"T"}},"network-map":{"a":{},"default":{"ipv6":["::/0"]}}}`},
		{"filtered cost map with a constraint", FilteredCostMapID,
			`{"cost-type":{"cost-metric":"routingcost","cost-mode":"numerical","description":"ignored"},"pids":{"srcs":["a"],"dsts":[]},"constraints":["gt 0"]}`,
			`{"meta":{"dependent-vtags":[{"resource-id":"default-network-map","tag":"T"}],"cost-type":{"cost-mode":"numerical","cost-metric":"routingcost"}},"cost-map":{"a":{"d":2}}}`},
		{"no pids filter means all pairs", FilteredCostMapID,
			`{"cost-type":{"cost-metric":"hopcount","cost-mode":"numerical"},"constraints":["le 0"]}`,
			`{"meta":{"dependent-vtags":[{"resource-id":"default-network-map","tag":"T"}],"cost-type":{"cost-mode":"numerical","cost-metric":"hopcount"}},"cost-map":{"a":{"a":0},"d":{"d":0},"default":{"default":0},"island":{"island":0}}}`},
		{"multi-cost with indexed or-constraints", FilteredMultiCostID,
			`{"multi-cost-types":[{"cost-metric":"routingcost","cost-mode":"numerical"},{"cost-metric":"hopcount","cost-mode":"ordinal"}],
			  "testable-cost-types":[{"cost-metric":"hopcount","cost-mode":"numerical"}],
			  "or-constraints":[["[0] ge 3"],["eq 0"]],"pids":{"srcs":["a","d"],"dsts":["a","d","island"]}}`,
			`{"meta":{"dependent-vtags":[{"resource-id":"default-network-map","tag":"T"}],"cost-type":{},"multi-cost-types":[{"cost-mode":"numerical","cost-metric":"routingcost"},{"cost-mode":"ordinal","cost-metric":"hopcount"}]},
			  "cost-map":{"a":{"a":[0,0],"d":[2,1]},"d":{"a":[2,1],"d":[0,0]}}}`},
		{"endpoint properties", EndpointPropID,
			`{"properties":["default-network-map.pid","priv:altosdn-node-name","priv:altosdn-as"],"endpoints":["ipv4:10.0.4.200","ipv6:2001:db8::1"]}`,
			`{"meta":{"dependent-vtags":[{"resource-id":"default-network-map","tag":"T"}]},"endpoint-properties":{
			  "ipv4:10.0.4.200":{"default-network-map.pid":"d","priv:altosdn-node-name":"d"},"ipv6:2001:db8::1":{"default-network-map.pid":"default"}}}`},
		{"endpoint cost, srcs default to the client", EndpointCostID,
			`{"cost-type":{"cost-metric":"routingcost","cost-mode":"numerical"},"endpoints":{"dsts":["ipv4:10.0.1.1","ipv4:10.0.9.9","ipv4:10.0.4.1"]}}`,
			`{"meta":{"cost-type":{"cost-mode":"numerical","cost-metric":"routingcost"}},"endpoint-cost-map":{"ipv4:10.0.4.7":{"ipv4:10.0.1.1":2,"ipv4:10.0.4.1":0}}}`},
		{"multi-cost endpoint cost", EndpointMultiCostID,
			`{"multi-cost-types":[{"cost-metric":"hopcount","cost-mode":"numerical"},{"cost-metric":"routingcost","cost-mode":"ordinal"}],"constraints":["[0] le 3"],
			  "endpoints":{"srcs":["ipv4:10.0.1.1"],"dsts":["ipv4:10.0.4.1","ipv6:2001:db8::1"]}}`,
			`{"meta":{"cost-type":{},"multi-cost-types":[{"cost-mode":"numerical","cost-metric":"hopcount"},{"cost-mode":"ordinal","cost-metric":"routingcost"}]},"endpoint-cost-map":{"ipv4:10.0.1.1":{"ipv4:10.0.4.1":[3,1]}}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := query(m, rs[tc.res], tc.body)
			if err != nil {
				t.Fatal(err)
			}
			jsonEqual(t, tc.name, got, []byte(tc.want), m.NetworkMap.Tag)
		})
	}
}

func TestQueryErrors(t *testing.T) {
	m, rs := served(t)
	const rc = `{"cost-metric":"routingcost","cost-mode":"numerical"}`
	tests := []struct {
		name, res, body string
		code            ErrorCode
		field, value    string
	}{
		{"not json", FilteredCostMapID, `{"cost-type":`, CodeSyntax, "", ""},
		{"trailing garbage", FilteredNetworkMapID, `{"pids":[]} x`, CodeSyntax, "", ""},
		{"not an object", FilteredNetworkMapID, `["pids"]`, CodeSyntax, "", ""},
		{"pids missing", FilteredNetworkMapID, `{}`, CodeMissingField, "pids", ""},
		{"pids not an array", FilteredNetworkMapID, `{"pids":"a"}`, CodeInvalidFieldType, "pids", ""},
		{"pid element not a string", FilteredNetworkMapID, `{"pids":[7]}`, CodeInvalidFieldValue, "pids", "7"},
		{"bad pid name", FilteredNetworkMapID, `{"pids":["a.b"]}`, CodeInvalidFieldValue, "pids", "a.b"},
		{"too many pids", FilteredNetworkMapID, `{"pids":["a","b","c","d"]}`, CodeInvalidFieldValue, "pids", "4 PIDs"},
		{"cost type missing", FilteredCostMapID, `{"pids":{}}`, CodeMissingField, "cost-type", ""},
		{"cost metric missing", FilteredCostMapID, `{"cost-type":{"cost-mode":"numerical"}}`, CodeMissingField, "cost-type/cost-metric", ""},
		{"cost mode wrong type", FilteredCostMapID, `{"cost-type":{"cost-metric":"routingcost","cost-mode":1}}`, CodeInvalidFieldType, "cost-type/cost-mode", ""},
		{"unknown metric", FilteredCostMapID, `{"cost-type":{"cost-metric":"shoesize","cost-mode":"numerical"}}`, CodeInvalidFieldValue, "cost-type/cost-metric", "shoesize"},
		{"metric not offered in that mode", FilteredCostMapID, `{"cost-type":{"cost-metric":"delay-ow","cost-mode":"ordinal"}}`, CodeInvalidFieldValue, "cost-type/cost-mode", "ordinal"},
		{"other cost source", FilteredCostMapID, `{"cost-type":{"cost-metric":"delay-ow","cost-mode":"numerical","cost-context":{"cost-source":"nominal"}}}`, CodeInvalidFieldValue, "cost-type/cost-context/cost-source", "nominal"},
		{"unknown mode", FilteredCostMapID, `{"cost-type":{"cost-metric":"routingcost","cost-mode":"array"}}`, CodeInvalidFieldValue, "cost-type/cost-mode", "array"},
		{"bad src pid", FilteredCostMapID, `{"cost-type":` + rc + `,"pids":{"srcs":["no way"]}}`, CodeInvalidFieldValue, "pids/srcs", "no way"},
		{"pids not an object", FilteredCostMapID, `{"cost-type":` + rc + `,"pids":[]}`, CodeInvalidFieldType, "pids", ""},
		{"bad operator", FilteredCostMapID, `{"cost-type":` + rc + `,"constraints":["ne 3"]}`, CodeInvalidFieldValue, "constraints", "ne 3"},
		{"bad constraint value", FilteredCostMapID, `{"cost-type":` + rc + `,"constraints":["le x"]}`, CodeInvalidFieldValue, "constraints", "le x"},
		{"index on a single cost type", FilteredCostMapID, `{"cost-type":` + rc + `,"constraints":["[1] le 3"]}`, CodeInvalidFieldValue, "constraints", "[1] le 3"},
		{"multi-cost on a legacy resource", FilteredCostMapID, `{"multi-cost-types":[` + rc + `]}`, CodeInvalidFieldValue, "multi-cost-types", ""},
		{"or-constraints on a legacy resource", FilteredCostMapID, `{"cost-type":` + rc + `,"or-constraints":[["le 1"]]}`, CodeInvalidFieldValue, "or-constraints", ""},
		{"cost-type and multi-cost-types", FilteredMultiCostID, `{"cost-type":` + rc + `,"multi-cost-types":[` + rc + `]}`, CodeInvalidFieldValue, "multi-cost-types", ""},
		{"empty multi-cost-types", FilteredMultiCostID, `{"multi-cost-types":[]}`, CodeInvalidFieldValue, "multi-cost-types", "0"},
		{"too many cost types", FilteredMultiCostID, `{"multi-cost-types":[` + strings.Repeat(rc+",", len(DefaultConfig().CostTypes)) + rc + `]}`, CodeInvalidFieldValue, "multi-cost-types", strconv.Itoa(len(DefaultConfig().CostTypes) + 1)},
		{"constraints and or-constraints", FilteredMultiCostID, `{"cost-type":` + rc + `,"constraints":["le 1"],"or-constraints":[["le 1"]]}`, CodeInvalidFieldValue, "or-constraints", ""},
		{"empty or group", FilteredMultiCostID, `{"cost-type":` + rc + `,"or-constraints":[[]]}`, CodeInvalidFieldValue, "or-constraints", "[]"},
		{"ordinal not testable", FilteredMultiCostID, `{"cost-type":{"cost-metric":"routingcost","cost-mode":"ordinal"},"constraints":["le 1"]}`, CodeInvalidFieldValue, "constraints", "le 1"},
		{"testable type not testable", FilteredMultiCostID, `{"cost-type":` + rc + `,"testable-cost-types":[{"cost-metric":"hopcount","cost-mode":"ordinal"}]}`, CodeInvalidFieldValue, "testable-cost-types", "hopcount/ordinal"},
		{"index beyond testable types", FilteredMultiCostID, `{"multi-cost-types":[` + rc + `],"constraints":["[1] le 1"]}`, CodeInvalidFieldValue, "constraints", "[1] le 1"},
		{"properties missing", EndpointPropID, `{"endpoints":["ipv4:10.0.0.1"]}`, CodeMissingField, "properties", ""},
		{"property not offered", EndpointPropID, `{"properties":["priv:colour"],"endpoints":["ipv4:10.0.0.1"]}`, CodeInvalidFieldValue, "properties", "priv:colour"},
		{"no endpoints", EndpointPropID, `{"properties":["default-network-map.pid"],"endpoints":[]}`, CodeInvalidFieldValue, "endpoints", ""},
		{"bad endpoint", EndpointPropID, `{"properties":["default-network-map.pid"],"endpoints":["ipv4:300.1.1.1"]}`, CodeInvalidFieldValue, "endpoints", "ipv4:300.1.1.1"},
		{"family mismatch", EndpointPropID, `{"properties":["default-network-map.pid"],"endpoints":["ipv6:10.0.0.1"]}`, CodeInvalidFieldValue, "endpoints", "ipv6:10.0.0.1"},
		{"too many endpoints", EndpointPropID, `{"properties":["default-network-map.pid"],"endpoints":["ipv4:10.0.0.1","ipv4:10.0.0.2","ipv4:10.0.0.3","ipv4:10.0.0.4"]}`, CodeInvalidFieldValue, "endpoints", "4 endpoints"},
		{"ecs endpoints missing", EndpointCostID, `{"cost-type":` + rc + `}`, CodeMissingField, "endpoints", ""},
		{"ecs both lists empty", EndpointCostID, `{"cost-type":` + rc + `,"endpoints":{"srcs":[],"dsts":[]}}`, CodeInvalidFieldValue, "endpoints", ""},
		{"ecs bad dst", EndpointCostID, `{"cost-type":` + rc + `,"endpoints":{"dsts":["mac:00:11"]}}`, CodeInvalidFieldValue, "endpoints/dsts", "mac:00:11"},
		{"ecs srcs wrong type", EndpointCostID, `{"cost-type":` + rc + `,"endpoints":{"srcs":{}}}`, CodeInvalidFieldType, "endpoints/srcs", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := query(m, rs[tc.res], tc.body)
			var ae *Error
			if !errors.As(err, &ae) {
				t.Fatalf("got %v; want an ALTO error", err)
			}
			if ae.Code != tc.code || ae.Field != tc.field || ae.Value != tc.value {
				t.Errorf("got %s field=%q value=%q; want %s field=%q value=%q", ae.Code, ae.Field, ae.Value, tc.code, tc.field, tc.value)
			}
			if ae.Code == CodeSyntax && ae.SyntaxError == "" {
				t.Error("E_SYNTAX does not say where")
			}
		})
	}
}

func TestSyntaxErrorPosition(t *testing.T) {
	m, rs := served(t)
	_, err := query(m, rs[FilteredNetworkMapID], "{\n  \"pids\": [\"a\",,]\n}")
	var ae *Error
	if !errors.As(err, &ae) || !strings.Contains(ae.SyntaxError, "line 2, column 16") {
		t.Errorf("got %v; want the position line 2, column 16", err)
	}
}

// fuzzQuery checks the contract of every request decoder: no panic, and
// either a JSON response or an ALTO error (never anything else).
func fuzzQuery(f *testing.F, id string, seeds ...string) {
	m, rs := served(f)
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		out, err := query(m, rs[id], string(body))
		if err != nil {
			var ae *Error
			if !errors.As(err, &ae) {
				t.Fatalf("non-ALTO error %v", err)
			}
			if ae.Value != "" && ae.Field == "" {
				t.Fatalf("error with a value but no field: %+v", ae)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON response %s", out)
		}
	})
}

func FuzzFilteredNetworkMap(f *testing.F) {
	fuzzQuery(f, FilteredNetworkMapID, `{"pids":["a"],"address-types":["ipv6"]}`, `{"pids":[]}`, `{"pids":[1,null]}`)
}

func FuzzFilteredCostMap(f *testing.F) {
	fuzzQuery(f, FilteredMultiCostID,
		`{"cost-type":{"cost-metric":"routingcost","cost-mode":"numerical"},"pids":{"srcs":["a"],"dsts":[]},"constraints":["le 5"]}`,
		`{"multi-cost-types":[{"cost-metric":"routingcost","cost-mode":"numerical"}],"or-constraints":[["[0] ge 1"]]}`)
}

func FuzzEndpointProperties(f *testing.F) {
	fuzzQuery(f, EndpointPropID, `{"properties":["default-network-map.pid"],"endpoints":["ipv4:10.0.1.1","ipv6:::1"]}`)
}

func FuzzEndpointCost(f *testing.F) {
	fuzzQuery(f, EndpointMultiCostID,
		`{"multi-cost-types":[{"cost-metric":"hopcount","cost-mode":"numerical"}],"endpoints":{"srcs":["ipv4:10.0.1.1"],"dsts":["ipv4:10.0.4.1"]},"testable-cost-types":[{"cost-metric":"routingcost","cost-mode":"numerical"}],"constraints":["[0] le 9"]}`)
}
