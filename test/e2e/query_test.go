package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func postJSON(t *testing.T, url, contentType, accept, body string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", accept+",application/alto-error+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw json.RawMessage
	json.NewDecoder(resp.Body).Decode(&raw)
	return resp.StatusCode, resp.Header.Get("Content-Type"), raw
}

// TestQueryServices exercises the POST resources of the real daemon on the
// demo network and checks them against its full maps.
func TestQueryServices(t *testing.T) {
	d := startDaemon(t, "")
	d.waitReady(t)
	nm := fetchAll(t, d)
	_, _, body := get(t, d.base+"/costmap/costmap-routingcost-numerical", "")
	var full struct {
		Map map[string]map[string]float64 `json:"cost-map"`
	}
	if err := json.Unmarshal(body, &full); err != nil {
		t.Fatal(err)
	}

	// Filtered cost map: a 2×3 slice of the full map, with a constraint.
	status, ct, body := postJSON(t, d.base+"/filtered/filtered-cost-map", "application/alto-costmapfilter+json", "application/alto-costmap+json",
		`{"cost-type":{"cost-metric":"routingcost","cost-mode":"numerical"},"pids":{"srcs":["0_New_York","3_Seattle"],"dsts":["1_Chicago","4_Sunnyvale","9_Atlanta"]},"constraints":["le 40"]}`)
	if status != 200 || ct != "application/alto-costmap+json" {
		t.Fatalf("filtered cost map: %d %q %s", status, ct, body)
	}
	var filtered struct {
		Meta struct {
			Dependent []versionTag `json:"dependent-vtags"`
		} `json:"meta"`
		Map map[string]map[string]float64 `json:"cost-map"`
	}
	json.Unmarshal(body, &filtered)
	if len(filtered.Meta.Dependent) != 1 || filtered.Meta.Dependent[0] != nm.Meta.VTag {
		t.Errorf("filtered dependent-vtags %+v; want [%+v]", filtered.Meta.Dependent, nm.Meta.VTag)
	}
	count := 0
	for _, src := range []string{"0_New_York", "3_Seattle"} {
		for _, dst := range []string{"1_Chicago", "4_Sunnyvale", "9_Atlanta"} {
			want, inFull := full.Map[src][dst]
			got, inFiltered := filtered.Map[src][dst]
			if inFiltered != (inFull && want <= 40) || (inFiltered && got != want) {
				t.Errorf("%s->%s: filtered %v (%v), full %v (%v)", src, dst, got, inFiltered, want, inFull)
			}
			if inFiltered {
				count++
			}
		}
	}
	if count == 0 || count == 6 {
		t.Errorf("the constraint selected %d of 6 pairs; the test needs a constraint that bites", count)
	}

	// Endpoint cost: endpoints inside the synthetic prefixes of two routers.
	status, _, body = postJSON(t, d.base+"/endpointcost/endpoint-cost", "application/alto-endpointcostparams+json", "application/alto-endpointcost+json",
		`{"cost-type":{"cost-metric":"routingcost","cost-mode":"numerical"},"endpoints":{"srcs":["ipv4:10.0.0.10"],"dsts":["ipv4:10.0.2.20","ipv6:2001:db8:2::1"]}}`)
	var ecs struct {
		Map map[string]map[string]float64 `json:"endpoint-cost-map"`
	}
	json.Unmarshal(body, &ecs)
	nyc, chi := pidOf(t, nm, "10.0.0.0/24"), pidOf(t, nm, "10.0.2.0/24")
	if status != 200 || ecs.Map["ipv4:10.0.0.10"]["ipv4:10.0.2.20"] != full.Map[nyc][chi] || ecs.Map["ipv4:10.0.0.10"]["ipv6:2001:db8:2::1"] != full.Map[nyc][chi] {
		t.Errorf("endpoint cost %d %s; want %s->%s = %v for both destinations", status, body, nyc, chi, full.Map[nyc][chi])
	}

	// Endpoint properties: the PID of an address.
	status, _, body = postJSON(t, d.base+"/endpointprop/endpoint-property", "application/alto-endpointpropparams+json", "application/alto-endpointprop+json",
		`{"properties":["default-network-map.pid"],"endpoints":["ipv4:10.0.2.20","ipv4:198.51.100.1"]}`)
	if status != 200 || !strings.Contains(string(body), `"ipv4:10.0.2.20":{"default-network-map.pid":"`+chi+`"}`) ||
		!strings.Contains(string(body), `"ipv4:198.51.100.1":{"default-network-map.pid":"default"}`) {
		t.Errorf("endpoint properties %d %s", status, body)
	}

	// A malformed request gets an ALTO error, and the daemon keeps serving.
	status, ct, body = postJSON(t, d.base+"/filtered/filtered-cost-map", "application/alto-costmapfilter+json", "application/alto-costmap+json",
		`{"cost-type":{"cost-metric":"routingcost","cost-mode":"numerical"},"constraints":["about 3"]}`)
	if status != 400 || ct != "application/alto-error+json" || !strings.Contains(string(body), `"field":"constraints"`) {
		t.Errorf("bad constraint: %d %q %s", status, ct, body)
	}
	fetchAll(t, d)
	d.stop(t)
}

// pidOf finds the PID holding an exact prefix.
func pidOf(t *testing.T, nm networkMap, prefix string) string {
	t.Helper()
	for pid, fams := range nm.Map {
		for _, p := range fams["ipv4"] {
			if p == prefix {
				return pid
			}
		}
	}
	t.Fatalf("no PID holds %s", prefix)
	return ""
}
