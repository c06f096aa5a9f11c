package e2e

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const perfTopo = `nodes:
  - {id: a, prefixes: [10.0.1.0/24]}
  - {id: b, prefixes: [10.0.2.0/24]}
  - {id: c, prefixes: [10.0.3.0/24]}
links:
  - {from: a, to: b, metric: 10, delay: 1ms, loss: 1, available_bandwidth: 8G, bandwidth: 10G}
  - {from: b, to: c, metric: 10, delay: BCDELAY, loss: 2, available_bandwidth: 4G, bandwidth: 10G}
`

// costs fetches every numerical full cost map, by metric.
func metricCosts(t *testing.T, d *daemon) map[string]map[string]map[string]float64 {
	t.Helper()
	out := map[string]map[string]map[string]float64{}
	for _, metric := range []string{"delay-ow", "delay-rt", "lossrate", "bw-available", "bw-residual-max", "tput"} {
		status, ct, body := get(t, d.base+"/costmap/costmap-"+metric+"-numerical", "")
		if status != 200 || ct != "application/alto-costmap+json" {
			t.Fatalf("%s: %d %q", metric, status, ct)
		}
		var cm struct {
			Meta struct {
				CostType struct {
					Context struct {
						Source string `json:"cost-source"`
					} `json:"cost-context"`
				} `json:"cost-type"`
			} `json:"meta"`
			Map map[string]map[string]float64 `json:"cost-map"`
		}
		if err := json.Unmarshal(body, &cm); err != nil {
			t.Fatal(err)
		}
		if cm.Meta.CostType.Context.Source == "" {
			t.Errorf("%s: no cost-context in the cost type", metric)
		}
		out[metric] = cm.Map
	}
	return out
}

func TestPerformanceMetricsEndToEnd(t *testing.T) {
	dir := t.TempDir()
	topo := filepath.Join(dir, "topo.yaml")
	write := func(delay string) {
		tmp := topo + ".tmp"
		os.WriteFile(tmp, []byte(strings.Replace(perfTopo, "BCDELAY", delay, 1)), 0o644)
		os.Rename(tmp, topo)
	}
	write("2ms")
	d := startDaemon(t, "alto: {recompute_min_interval: 0s}\ncollectors: {static: {file: "+topo+", reload_interval: 100ms}}\n")
	d.waitReady(t)
	fetchAll(t, d)
	c := metricCosts(t, d)
	lossAC := 100 * (1 - 0.99*0.98)
	checks := []struct {
		metric, src, dst string
		want             float64
	}{
		{"delay-ow", "a", "c", 3000},            // µs, summed
		{"delay-rt", "a", "c", 6000},            // links are bidirectional
		{"lossrate", "a", "c", lossAC},          // 1-(1-l1)(1-l2), percent
		{"bw-available", "a", "c", 4e9 / 8},     // bottleneck, bytes/s
		{"bw-residual-max", "a", "c", 10e9 / 8}, // capacity, bytes/s
		{"tput", "a", "c", math.Round(math.Min(4e9/8, 1460*1.22/(6000e-6*math.Sqrt(lossAC/100))))},
	}
	for _, ck := range checks {
		got, ok := c[ck.metric][ck.src][ck.dst]
		if !ok || math.Abs(got-ck.want) > 1e-6*ck.want {
			t.Errorf("%s %s->%s = %v (%v); want %v", ck.metric, ck.src, ck.dst, got, ok, ck.want)
		}
	}

	// A delay change on b-c changes exactly the pairs whose path crosses it.
	write("5ms")
	deadline := time.Now().Add(20 * time.Second)
	var after map[string]map[string]map[string]float64
	for {
		after = metricCosts(t, d)
		if after["delay-ow"]["a"]["c"] == 6000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the delay change never showed\n%s", d.Logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
	crossing := map[string]bool{"a>c": true, "c>a": true, "b>c": true, "c>b": true}
	for src, row := range c["delay-ow"] {
		for dst, v := range row {
			changed := after["delay-ow"][src][dst] != v
			if changed != crossing[src+">"+dst] {
				t.Errorf("delay-ow %s->%s: %v -> %v; changed=%v, crosses b-c=%v", src, dst, v, after["delay-ow"][src][dst], changed, crossing[src+">"+dst])
			}
		}
	}
	d.stop(t)
}
