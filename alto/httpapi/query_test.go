package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/altosdn/altosdn/alto"
)

func post(t *testing.T, url, contentType, body string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp, buf.Bytes()
}

const rcType = `{"cost-metric":"routingcost","cost-mode":"numerical"}`

func TestQueryResources(t *testing.T) {
	ts, _ := newTestServer(t, DefaultConfig(), true)
	tests := []struct {
		name, path, accepts, mediaType, body string
	}{
		{"filtered-networkmap", "/filtered/filtered-network-map", alto.MediaTypeNetworkMapFilter, alto.MediaTypeNetworkMap,
			`{"pids":["nyc","sea"],"address-types":["ipv6"]}`},
		{"filtered-costmap", "/filtered/filtered-cost-map", alto.MediaTypeCostMapFilter, alto.MediaTypeCostMap,
			`{"cost-type":` + rcType + `,"pids":{"srcs":["nyc"],"dsts":[]},"constraints":["le 20"]}`},
		{"filtered-multicost", "/filtered/filtered-multicost-map", alto.MediaTypeCostMapFilter, alto.MediaTypeCostMap,
			`{"multi-cost-types":[` + rcType + `,{"cost-metric":"hopcount","cost-mode":"numerical"}],"or-constraints":[["[1] le 1"],["[0] eq 0"]],"pids":{"srcs":["nyc","chi"]}}`},
		{"endpoint-property", "/endpointprop/endpoint-property", alto.MediaTypeEndpointPropParams, alto.MediaTypeEndpointProp,
			`{"properties":["default-network-map.pid","priv:altosdn-node-name"],"endpoints":["ipv4:10.2.3.4","ipv6:2001:db8:1::9","ipv4:192.0.2.1"]}`},
		{"endpoint-cost", "/endpointcost/endpoint-cost", alto.MediaTypeEndpointCostParams, alto.MediaTypeEndpointCost,
			`{"cost-type":{"cost-metric":"hopcount","cost-mode":"ordinal"},"endpoints":{"srcs":["ipv4:10.0.0.1"],"dsts":["ipv4:10.1.0.1","ipv4:10.2.0.1","ipv6:2001:db8:3::1"]}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := post(t, ts.URL+tc.path, tc.accepts, tc.body, "Accept", tc.mediaType+","+alto.MediaTypeError)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != tc.mediaType {
				t.Errorf("Content-Type %q; want exactly %q", ct, tc.mediaType)
			}
			golden(t, tc.name, body)
		})
	}
}

func TestQueryHTTPErrors(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MaxBodyBytes = 200
	ts, _ := newTestServer(t, cfg, true)
	fcm := ts.URL + "/filtered/filtered-cost-map"
	tests := []struct {
		name, method, url, contentType, body string
		headers                              []string
		status                               int
		code, field, value                   string
	}{
		{"wrong content type", "POST", fcm, "application/json", `{}`, nil, 415, "", "", ""},
		{"no content type", "POST", fcm, "", `{}`, nil, 415, "", "", ""},
		{"the network map filter type on the cost map", "POST", fcm, alto.MediaTypeNetworkMapFilter, `{}`, nil, 415, "", "", ""},
		{"charset parameter tolerated", "POST", fcm, alto.MediaTypeCostMapFilter + "; charset=utf-8", `{"cost-type":` + rcType + `}`, nil, 200, "", "", ""},
		{"accept excludes the answer", "POST", fcm, alto.MediaTypeCostMapFilter, `{}`, []string{"Accept", alto.MediaTypeNetworkMap}, 406, "", "", ""},
		{"body over the limit", "POST", fcm, alto.MediaTypeCostMapFilter, `{"pids":{"srcs":["` + strings.Repeat("a", 300) + `"]}}`, nil, 413, "", "", ""},
		{"get on a post resource", "GET", fcm, "", "", nil, 405, "", "", ""},
		{"unknown query resource", "POST", ts.URL + "/filtered/nope", alto.MediaTypeCostMapFilter, `{}`, nil, 404, "", "", ""},
		{"cost map id under the wrong kind", "POST", ts.URL + "/endpointcost/filtered-cost-map", alto.MediaTypeEndpointCostParams, `{}`, nil, 404, "", "", ""},
		{"syntax error", "POST", fcm, alto.MediaTypeCostMapFilter, `{"cost-type":`, nil, 400, "E_SYNTAX", "", ""},
		{"missing field", "POST", fcm, alto.MediaTypeCostMapFilter, `{}`, nil, 400, "E_MISSING_FIELD", "cost-type", ""},
		{"invalid value", "POST", fcm, alto.MediaTypeCostMapFilter, `{"cost-type":{"cost-metric":"routingcost","cost-mode":"fancy"}}`, nil, 400, "E_INVALID_FIELD_VALUE", "cost-type/cost-mode", "fancy"},
		{"invalid type", "POST", fcm, alto.MediaTypeCostMapFilter, `{"cost-type":[]}`, nil, 400, "E_INVALID_FIELD_TYPE", "cost-type", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, tc.url, strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			for i := 0; i+1 < len(tc.headers); i += 2 {
				req.Header.Set(tc.headers[i], tc.headers[i+1])
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var buf bytes.Buffer
			buf.ReadFrom(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d; want %d: %s", resp.StatusCode, tc.status, buf.String())
			}
			if tc.status == 405 && resp.Header.Get("Allow") != "POST" {
				t.Errorf("Allow %q; want POST", resp.Header.Get("Allow"))
			}
			if tc.code == "" {
				return
			}
			if ct := resp.Header.Get("Content-Type"); ct != alto.MediaTypeError {
				t.Errorf("Content-Type %q; want %s", ct, alto.MediaTypeError)
			}
			var e struct {
				Meta map[string]string `json:"meta"`
			}
			if err := json.Unmarshal(buf.Bytes(), &e); err != nil {
				t.Fatalf("error body: %v: %s", err, buf.String())
			}
			if e.Meta["code"] != tc.code || e.Meta["field"] != tc.field || e.Meta["value"] != tc.value {
				t.Errorf("error meta %v; want code %s field %q value %q", e.Meta, tc.code, tc.field, tc.value)
			}
			if tc.code == "E_SYNTAX" && e.Meta["syntax-error"] == "" {
				t.Error("E_SYNTAX without syntax-error")
			}
		})
	}
}

// The endpoint cost service takes the client's own address when srcs is
// absent: over a real socket that is 127.0.0.1, in no PID but the default.
func TestEndpointCostUsesTheConnectionAddress(t *testing.T) {
	ts, _ := newTestServer(t, DefaultConfig(), true)
	resp, body := post(t, ts.URL+"/endpointcost/endpoint-cost", alto.MediaTypeEndpointCostParams,
		`{"cost-type":`+rcType+`,"endpoints":{"dsts":["ipv4:203.0.113.1"]}}`)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"ipv4:127.0.0.1":{"ipv4:203.0.113.1":0}`) {
		t.Errorf("status %d body %s; want the default PID's self cost from ipv4:127.0.0.1", resp.StatusCode, body)
	}
}
