package httpapi

import (
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/altosdn/altosdn/alto"
)

func TestPathVectorOverHTTP(t *testing.T) {
	ts, _ := newTestServer(t, DefaultConfig(), true)
	body := `{"cost-type":{"cost-mode":"array","cost-metric":"ane-path"},"endpoints":{"srcs":["ipv4:10.0.0.1"],"dsts":["ipv4:10.2.0.1"]},"ane-property-names":["max-reservable-bandwidth"]}`
	resp, out := post(t, ts.URL+"/pathvector/endpoint-cost-pv", alto.MediaTypeEndpointCostParams, body,
		"Accept", "multipart/related,"+alto.MediaTypeError)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, out)
	}
	mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/related" || params["type"] != alto.MediaTypeEndpointCost || params["boundary"] == "" {
		t.Fatalf("Content-Type %q", resp.Header.Get("Content-Type"))
	}
	// nyc->sea goes over chi: two ANEs, in order.
	s := string(out)
	if !strings.Contains(s, `"endpoint-cost-map":{"ipv4:10.0.0.1":{"ipv4:10.2.0.1":["L`) || strings.Count(s, `".ane:L`) != 2 {
		t.Errorf("body:\n%s", s)
	}
	if !strings.HasSuffix(s, "--"+params["boundary"]+"--\r\n") {
		t.Error("no closing delimiter")
	}
	// The path vector type is not served by the plain cost resources.
	resp, out = post(t, ts.URL+"/endpointcost/endpoint-cost", alto.MediaTypeEndpointCostParams,
		`{"cost-type":{"cost-mode":"array","cost-metric":"ane-path"},"endpoints":{"dsts":["ipv4:10.2.0.1"]}}`)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(out), `"field":"cost-type/cost-metric"`) {
		t.Errorf("path vector on the plain ECS: %d %s", resp.StatusCode, out)
	}
}
