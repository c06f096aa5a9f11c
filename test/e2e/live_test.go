package e2e

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// freePortRange finds n consecutive free TCP ports on 127.0.0.1.
func freePortRange(t *testing.T, n int) int {
	t.Helper()
	for range 50 {
		base := 20000 + rand.IntN(30000)
		var ls []net.Listener
		ok := true
		for i := range n {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", base+i))
			if err != nil {
				ok = false
				break
			}
			ls = append(ls, l)
		}
		for _, l := range ls {
			l.Close()
		}
		if ok {
			return base
		}
	}
	t.Fatal("no free port range")
	return 0
}

// TestLiveEmulatedNetwork runs the daemon as `make run` does: the emulator
// plays the demo network over a real BGP-LS session and gNMI streams, and
// the maps move.
func TestLiveEmulatedNetwork(t *testing.T) {
	bgpPort := freePortRange(t, 1)
	gnmiBase := freePortRange(t, 11)
	var targets strings.Builder
	for i := range 11 {
		fmt.Fprintf(&targets, "      - {name: r%02d, address: \"127.0.0.1:%d\", router_id: 198.18.0.%d, tls: {insecure: true}, sample_interval: 200ms}\n", i+1, gnmiBase+i, i+1)
	}
	d := startDaemon(t, fmt.Sprintf(`alto: {recompute_min_interval: 100ms}
collectors:
  static: {enabled: false}
  bgpls:
    enabled: true
    local_asn: 64512
    router_id: 192.0.2.254
    listen_address: 127.0.0.1
    listen_port: %d
    convergence_quiet: 500ms
    update_interval: 50ms
    peers: [{address: 127.0.0.2, asn: 64512, passive: true}]
  gnmi:
    enabled: true
    targets:
%semulator:
  enabled: true
  peer: 127.0.0.1:%d
  local_address: 127.0.0.2
  gnmi_address: 127.0.0.1
  gnmi_base_port: %d
  step: 300ms
  day_length: 6s
  fail_every: 6
  fail_for: 2
`, bgpPort, targets.String(), bgpPort, gnmiBase))
	d.waitReady(t)
	nm := fetchAll(t, d)
	if len(nm.Map) < 11 {
		t.Fatalf("network map has %d PIDs; want the 11 emulated routers", len(nm.Map))
	}

	// Watch the maps for a while: delays move every step, and a link fails
	// and comes back, which changes routing costs.
	seen := map[string]map[[32]byte]bool{"routingcost": {}, "delay-ow": {}, "bw-available": {}, "lossrate": {}}
	// New York–Chicago is the first link the emulator fails: while it is
	// down, traffic between them reroutes and costs more.
	nycChi := map[float64]bool{}
	etags := map[string]bool{}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		done := true
		for metric := range seen {
			_, _, body := get(t, d.base+"/costmap/costmap-"+metric+"-numerical", "")
			var cm struct {
				Map map[string]map[string]float64 `json:"cost-map"`
			}
			if err := json.Unmarshal(body, &cm); err != nil {
				t.Fatal(err)
			}
			if len(cm.Map) >= 11 {
				seen[metric][sha256.Sum256(body)] = true
			}
			if metric == "routingcost" {
				if v, ok := cm.Map["0_New_York"]["1_Chicago"]; ok {
					nycChi[v] = true
				}
			}
			done = done && len(seen[metric]) >= 3
		}
		// A failing link must not take its routers out of the map.
		var nmNow networkMap
		_, _, nmBody := get(t, d.base+"/networkmap/default-network-map", "")
		if json.Unmarshal(nmBody, &nmNow) == nil && len(nmNow.Map) < len(nm.Map) {
			t.Fatalf("the network map shrank to %d PIDs during the run", len(nmNow.Map))
		}
		resp, err := http.Head(d.base + "/costmap/costmap-delay-ow-numerical")
		if err == nil {
			resp.Body.Close()
			etags[resp.Header.Get("ETag")] = true
		}
		if done && len(nycChi) >= 2 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(nycChi) < 2 {
		t.Errorf("New York -> Chicago routingcost took the values %v; want it to change when their link fails", nycChi)
	}
	if len(etags) < 3 {
		t.Errorf("the delay-ow cost map's entity tag took %d values; want a new one per metric change", len(etags))
	}
	for metric, versions := range seen {
		if len(versions) < 3 {
			t.Errorf("%s: %d distinct full maps in 30 s; want the emulated network to move it", metric, len(versions))
		}
	}

	_, _, body := get(t, d.base+"/status", "")
	var st struct {
		Collectors []struct {
			Name  string `json:"name"`
			Ready bool   `json:"ready"`
			Items []struct {
				Name     string            `json:"name"`
				Up       bool              `json:"up"`
				Counters map[string]uint64 `json:"counters"`
			} `json:"items"`
		} `json:"collectors"`
	}
	json.Unmarshal(body, &st)
	tapSeen := false
	for _, c := range st.Collectors {
		up := 0
		for _, it := range c.Items {
			if it.Up {
				up++
			}
			// The raw-attribute tap reads the UPDATEs (loss, bandwidths).
			if it.Name == "attribute-tap" {
				tapSeen = true
				if !it.Up || it.Counters["mrt_records"] == 0 {
					t.Errorf("attribute tap: up %v with %d records", it.Up, it.Counters["mrt_records"])
				}
			}
		}
		if !c.Ready || up == 0 {
			t.Errorf("collector %s: ready %v with %d sessions up", c.Name, c.Ready, up)
		}
	}
	if !tapSeen {
		t.Error("status shows no attribute tap for the BGP-LS collector")
	}
	d.stop(t)
}
