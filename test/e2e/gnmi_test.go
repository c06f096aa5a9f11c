package e2e

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/gnmi/target"
)

// TestGNMILoadChangesAvailableBandwidth: a router's gNMI counters say how
// loaded its link is; the daemon turns that into the link's available
// bandwidth, which the bw-available cost map shows.
func TestGNMILoadChangesAvailableBandwidth(t *testing.T) {
	tg, err := target.New(target.Config{Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if err := tg.SetInterface(target.Interface{Name: "Ethernet1", Speed: 10e9,
		Addresses: []netip.Prefix{netip.MustParsePrefix("192.0.2.0/31")}}); err != nil {
		t.Fatal(err)
	}
	tg.SetRates("Ethernet1", 0, 2e9) // 2 Gbit/s out of a towards b

	topo := filepath.Join(t.TempDir(), "topo.yaml")
	os.WriteFile(topo, []byte(`nodes:
  - {id: a, router_id: 198.51.100.1, prefixes: [10.0.1.0/24]}
  - {id: b, router_id: 198.51.100.2, prefixes: [10.0.2.0/24]}
links:
  - {from: a, to: b, metric: 10, bandwidth: 10G, local_addr: 192.0.2.0, remote_addr: 192.0.2.1}
`), 0o644)
	d := startDaemon(t, fmt.Sprintf(`alto: {recompute_min_interval: 100ms}
collectors:
  static: {file: %s}
  gnmi:
    enabled: true
    targets:
      - {name: a, address: "%s", router_id: 198.51.100.1, tls: {insecure: true}, sample_interval: 200ms}
`, topo, tg.Addr()))
	d.waitReady(t)

	avail := func() (float64, bool) {
		_, _, body := get(t, d.base+"/costmap/costmap-bw-available-numerical", "")
		var cm struct {
			Map map[string]map[string]float64 `json:"cost-map"`
		}
		if err := json.Unmarshal(body, &cm); err != nil {
			t.Fatal(err)
		}
		v, ok := cm.Map["a"]["b"]
		return v, ok
	}
	waitFor := func(want float64) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			v, ok := avail()
			// Rates come from counter samples, so allow 1% of jitter.
			if ok && v > want*0.99 && v < want*1.01 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("a->b bw-available = %v (%v); want about %v bytes/s\n%s", v, ok, want, d.Logs())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor((10e9 - 2e9) / 8)
	tg.SetRates("Ethernet1", 0, 6e9) // the load rises
	waitFor((10e9 - 6e9) / 8)

	// When the router goes silent, its telemetry expires and the link falls
	// back to what the topology file says: no available bandwidth at all.
	tg.Stop()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, ok := avail(); !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("telemetry never expired")
		}
		time.Sleep(100 * time.Millisecond)
	}
	d.stop(t)
}
