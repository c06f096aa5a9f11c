package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/alto/inventory"
)

type fixedInventory struct{ inv *inventory.Inventory }

func (f fixedInventory) Current() *inventory.Inventory { return f.inv }

const testInventory = `
pids:
  nyc: {cpu: 64, site: nyc-dc1}
prefixes:
  10.0.0.0/16: {site: nyc-dc1}
  10.0.7.0/24: {site: null}
anes:
  dc-nyc: {storage-capacity: 40000}
`

// newPlannedServer serves the triangle through a planning with the test
// inventory, as the daemon wires it.
func newPlannedServer(t *testing.T) *httptest.Server {
	t.Helper()
	altoCfg := alto.DefaultConfig()
	m, err := alto.Build(triangle(t), altoCfg)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := inventory.Parse([]byte(testInventory), altoCfg.Planning.Inventory.Properties)
	if err != nil {
		t.Fatal(err)
	}
	p := alto.NewPlanning(altoCfg, fixedInventory{inv}, nil, nil)
	fm := &fakeMaps{}
	fm.m.Store(m.WithPlanning(p))
	s, err := New(DefaultConfig(), altoCfg, fm, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func TestPropertyMapOverHTTP(t *testing.T) {
	ts := newPlannedServer(t)
	resp, body := get(t, ts.URL+"/propmap/property-map", "Accept", alto.MediaTypePropMap+","+alto.MediaTypeError)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != alto.MediaTypePropMap {
		t.Fatalf("GET: %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	golden(t, "propmap-full", body)
	if resp2, body2 := get(t, ts.URL+"/propmap/property-map", "If-None-Match", resp.Header.Get("ETag")); resp2.StatusCode != http.StatusNotModified || len(body2) != 0 {
		t.Errorf("If-None-Match: %d", resp2.StatusCode)
	}
	if resp, _ := do(t, http.MethodHead, ts.URL+"/propmap/property-map"); resp.StatusCode != http.StatusOK {
		t.Errorf("HEAD: %d", resp.StatusCode)
	}

	req := `{"entities":["ipv4:10.0.0.0/16","default-network-map.pid:nyc",".ane:dc-nyc"],"properties":[".site",".cpu",".storage-capacity","default-network-map.pid"]}`
	resp, body = post(t, ts.URL+"/propmap/filtered-property-map", alto.MediaTypePropMapParams, req,
		"Accept", alto.MediaTypePropMap+","+alto.MediaTypeError)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != alto.MediaTypePropMap {
		t.Fatalf("POST: %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	golden(t, "propmap-filtered", body)

	tests := []struct {
		name, method, path, ctype, body, accept string
		status                                  int
		want                                    string
	}{
		{"bad request", http.MethodPost, "/propmap/filtered-property-map", alto.MediaTypePropMapParams, `{"entities":["ipv4:10.0.0.1/8"]}`, "",
			http.StatusBadRequest, `{"meta":{"code":"E_INVALID_FIELD_VALUE","field":"entities","value":"ipv4:10.0.0.1/8"}}`},
		{"missing entities", http.MethodPost, "/propmap/filtered-property-map", alto.MediaTypePropMapParams, `{}`, "",
			http.StatusBadRequest, `{"meta":{"code":"E_MISSING_FIELD","field":"entities"}}`},
		{"wrong content type", http.MethodPost, "/propmap/filtered-property-map", "application/json", `{}`, "", http.StatusUnsupportedMediaType, ""},
		{"wrong accept", http.MethodPost, "/propmap/filtered-property-map", alto.MediaTypePropMapParams, `{}`, alto.MediaTypeCostMap, http.StatusNotAcceptable, ""},
		{"POST to the full map", http.MethodPost, "/propmap/property-map", alto.MediaTypePropMapParams, `{"entities":[]}`, "", http.StatusNotFound, ""},
		{"GET of the filtered map", http.MethodGet, "/propmap/filtered-property-map", "", "", "", http.StatusNotFound, ""},
		{"unknown", http.MethodGet, "/propmap/nope", "", "", "", http.StatusNotFound, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var resp *http.Response
			var body []byte
			var headers []string
			if tc.accept != "" {
				headers = []string{"Accept", tc.accept}
			}
			if tc.method == http.MethodPost {
				resp, body = post(t, ts.URL+tc.path, tc.ctype, tc.body, headers...)
			} else {
				resp, body = get(t, ts.URL+tc.path)
			}
			if resp.StatusCode != tc.status || tc.want != "" && string(body) != tc.want {
				t.Errorf("%d %s; want %d %s", resp.StatusCode, body, tc.status, tc.want)
			}
		})
	}
}

func TestPropertyMapWithoutPlanning(t *testing.T) {
	// A map source not wrapped by a planning still serves the
	// topology's properties.
	ts, _ := newTestServer(t, DefaultConfig(), true)
	resp, body := post(t, ts.URL+"/propmap/filtered-property-map", alto.MediaTypePropMapParams,
		`{"entities":["ipv4:10.2.3.4"],"properties":["default-network-map.pid"]}`)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"property-map":{"ipv4:10.2.3.4":{"default-network-map.pid":"sea"}}`) {
		t.Errorf("%d %s", resp.StatusCode, body)
	}
	ts, _ = newTestServer(t, DefaultConfig(), false)
	if resp, _ := get(t, ts.URL+"/propmap/property-map"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("before the first maps: %d", resp.StatusCode)
	}
}

func TestCalendarOverHTTP(t *testing.T) {
	ts := newPlannedServer(t)
	resp, body := post(t, ts.URL+"/filtered/filtered-cost-map-calendar", alto.MediaTypeCostMapFilter,
		`{"cost-type":{"cost-mode":"numerical","cost-metric":"hopcount"},"calendared":[true],"pids":{"srcs":["nyc"],"dsts":["sea"]}}`)
	// hopcount has no calendar: single values.
	if resp.StatusCode != http.StatusOK || !strings.HasSuffix(string(body), `"cost-map":{"nyc":{"sea":2}}}`) {
		t.Errorf("hopcount: %d %s", resp.StatusCode, body)
	}
	resp, body = post(t, ts.URL+"/endpointcost/endpoint-cost-calendar", alto.MediaTypeEndpointCostParams,
		`{"cost-type":{"cost-mode":"numerical","cost-metric":"delay-ow"},"calendared":[true],"endpoints":{"srcs":["ipv4:10.0.0.1"],"dsts":["ipv4:10.2.0.1"]}}`)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"calendar-response-attributes":[{"calendar-start-time":`) {
		t.Errorf("delay-ow: %d %s", resp.StatusCode, body)
	}
	resp, body = post(t, ts.URL+"/filtered/filtered-cost-map", alto.MediaTypeCostMapFilter,
		`{"cost-type":{"cost-mode":"numerical","cost-metric":"delay-ow"},"calendared":[true]}`)
	if resp.StatusCode != http.StatusBadRequest || string(body) != `{"meta":{"code":"E_INVALID_FIELD_VALUE","field":"calendared"}}` {
		t.Errorf("calendared on a resource without calendars: %d %s", resp.StatusCode, body)
	}
}

func TestDirectoryListsPlanningResources(t *testing.T) {
	ts := newPlannedServer(t)
	_, body := get(t, ts.URL+"/directory")
	var d alto.Directory
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		alto.PropertyMapID:          "/propmap/property-map",
		alto.FilteredPropertyMapID:  "/propmap/filtered-property-map",
		alto.CalendarCostMapID:      "/filtered/filtered-cost-map-calendar",
		alto.CalendarEndpointCostID: "/endpointcost/endpoint-cost-calendar",
	}
	for id, uri := range want {
		e, ok := d.Resources[id]
		if !ok || e.URI != uri || e.Capabilities == nil {
			t.Errorf("%s: %+v", id, e)
			continue
		}
		if strings.Contains(id, "property") != (len(e.Capabilities.Mappings) > 0) ||
			strings.Contains(id, "calendar") != (len(e.Capabilities.CalendarAttributes) == 1) {
			t.Errorf("%s capabilities %+v", id, e.Capabilities)
		}
	}
}
