package e2e

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type versionTag struct {
	ResourceID string `json:"resource-id"`
	Tag        string `json:"tag"`
}

type directory struct {
	Meta struct {
		CostTypes         map[string]costType `json:"cost-types"`
		DefaultNetworkMap string              `json:"default-alto-network-map"`
	} `json:"meta"`
	Resources map[string]struct {
		URI          string   `json:"uri"`
		MediaType    string   `json:"media-type"`
		Accepts      string   `json:"accepts"`
		Uses         []string `json:"uses"`
		Capabilities struct {
			CostTypeNames []string `json:"cost-type-names"`
		} `json:"capabilities"`
	} `json:"resources"`
}

type costType struct {
	Metric string `json:"cost-metric"`
	Mode   string `json:"cost-mode"`
}

type networkMap struct {
	Meta struct {
		VTag versionTag `json:"vtag"`
	} `json:"meta"`
	Map map[string]map[string][]string `json:"network-map"`
}

// fetchAll walks IRD → network map → cost maps as a client would and checks
// that what it gets is consistent. It returns the network map.
func fetchAll(t *testing.T, d *daemon) networkMap {
	t.Helper()
	irdURL := d.base + "/directory"
	status, ct, body := get(t, irdURL, "application/alto-directory+json,application/alto-error+json")
	if status != 200 || ct != "application/alto-directory+json" {
		t.Fatalf("directory: %d %q", status, ct)
	}
	var ird directory
	if err := json.Unmarshal(body, &ird); err != nil {
		t.Fatal(err)
	}
	resolve := func(ref string) string {
		base, _ := url.Parse(irdURL)
		u, err := base.Parse(ref)
		if err != nil {
			t.Fatalf("uri %q: %v", ref, err)
		}
		return u.String()
	}
	nmEntry, ok := ird.Resources[ird.Meta.DefaultNetworkMap]
	if !ok {
		t.Fatalf("default network map %q not in the directory", ird.Meta.DefaultNetworkMap)
	}
	status, ct, body = get(t, resolve(nmEntry.URI), nmEntry.MediaType+",application/alto-error+json")
	if status != 200 || ct != "application/alto-networkmap+json" {
		t.Fatalf("network map: %d %q", status, ct)
	}
	var nm networkMap
	if err := json.Unmarshal(body, &nm); err != nil {
		t.Fatal(err)
	}
	if nm.Meta.VTag.ResourceID != ird.Meta.DefaultNetworkMap || nm.Meta.VTag.Tag == "" {
		t.Errorf("network map vtag %+v", nm.Meta.VTag)
	}

	costMaps := 0
	for id, e := range ird.Resources {
		for _, u := range e.Uses {
			if _, ok := ird.Resources[u]; !ok {
				t.Errorf("%s uses unknown resource %s", id, u)
			}
		}
		if e.MediaType != "application/alto-costmap+json" || e.Accepts != "" {
			continue // not a full cost map: filtered resources take a POST
		}
		costMaps++
		if len(e.Capabilities.CostTypeNames) != 1 {
			t.Errorf("%s: a full cost map must name exactly one cost type, got %v", id, e.Capabilities.CostTypeNames)
		}
		want := ird.Meta.CostTypes[e.Capabilities.CostTypeNames[0]]
		status, ct, body := get(t, resolve(e.URI), e.MediaType+",application/alto-error+json")
		if status != 200 || ct != e.MediaType {
			t.Fatalf("%s: %d %q", id, status, ct)
		}
		var cm struct {
			Meta struct {
				Dependent []versionTag `json:"dependent-vtags"`
				CostType  costType     `json:"cost-type"`
			} `json:"meta"`
			Map map[string]map[string]json.RawMessage `json:"cost-map"`
		}
		if err := json.Unmarshal(body, &cm); err != nil {
			t.Fatal(err)
		}
		if len(cm.Meta.Dependent) != 1 || cm.Meta.Dependent[0] != nm.Meta.VTag {
			t.Errorf("%s: dependent-vtags %+v; want [%+v]", id, cm.Meta.Dependent, nm.Meta.VTag)
		}
		if cm.Meta.CostType != want || want.Metric == "" {
			t.Errorf("%s: cost-type %+v; want %+v", id, cm.Meta.CostType, want)
		}
		for src, row := range cm.Map {
			if _, ok := nm.Map[src]; !ok {
				t.Errorf("%s: source PID %s not in the network map", id, src)
			}
			for dst, raw := range row {
				if _, ok := nm.Map[dst]; !ok {
					t.Errorf("%s: destination PID %s not in the network map", id, dst)
				}
				var f float64
				if len(raw) == 0 || raw[0] == '"' || json.Unmarshal(raw, &f) != nil {
					t.Errorf("%s: %s->%s = %s is not a JSON number", id, src, dst, raw)
				}
				if src == dst && f != 0 {
					t.Errorf("%s: self cost of %s = %v; want 0", id, src, f)
				}
			}
		}
	}
	if costMaps == 0 {
		t.Error("the directory lists no cost map")
	}
	return nm
}

func TestDemoNetwork(t *testing.T) {
	d := startDaemon(t, "")
	d.waitReady(t)
	nm := fetchAll(t, d)
	// Abilene: 11 routers, each with its own PID, plus the default PID.
	if len(nm.Map) != 12 {
		t.Errorf("network map has %d PIDs; want 12", len(nm.Map))
	}
	if got := nm.Map["default"]; strings.Join(got["ipv4"], ",") != "0.0.0.0/0" || strings.Join(got["ipv6"], ",") != "::/0" {
		t.Errorf("default PID = %v", got)
	}

	// altoctl reads the same maps.
	out := altoctl(t, d, "costmap", "-o", "json")
	var cm struct {
		Map map[string]map[string]float64 `json:"cost-map"`
	}
	if err := json.Unmarshal([]byte(out), &cm); err != nil {
		t.Fatalf("altoctl costmap -o json: %v\n%s", err, out)
	}
	if got := cm.Map["0_New_York"]["1_Chicago"]; got != 10 {
		t.Errorf("New York -> Chicago routingcost = %v; want 10 (one link of IGP weight 10)", got)
	}
	if out := altoctl(t, d, "networkmap"); !strings.Contains(out, "0_New_York") || !strings.Contains(out, nm.Meta.VTag.Tag) {
		t.Errorf("altoctl networkmap output lacks a PID or the vtag:\n%s", out)
	}
	d.stop(t)
}

const threeNodes = `nodes:
  - {id: a, prefixes: [10.0.1.0/24]}
  - {id: b, prefixes: [10.0.2.0/24]}
  - {id: c, prefixes: [10.0.3.0/24]}
links:
  - {from: a, to: b, metric: 10}
  - {from: b, to: c, metric: 10}
  - {from: a, to: c, metric: LINKAC}
`

func TestTopologyFileReload(t *testing.T) {
	dir := t.TempDir()
	topo := filepath.Join(dir, "topo.yaml")
	write := func(s string) {
		t.Helper()
		// Write then rename, as operators' tooling should, so the daemon
		// never reads a half-written file.
		tmp := topo + ".tmp"
		if err := os.WriteFile(tmp, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, topo); err != nil {
			t.Fatal(err)
		}
	}
	write(strings.Replace(threeNodes, "LINKAC", "50", 1))
	d := startDaemon(t, "alto: {recompute_min_interval: 0s}\ncollectors: {static: {file: "+topo+", reload_interval: 100ms}}\n")
	d.waitReady(t)
	cost := func() float64 {
		var cm struct {
			Map map[string]map[string]float64 `json:"cost-map"`
		}
		_, _, body := get(t, d.base+"/costmap/costmap-routingcost-numerical", "")
		if err := json.Unmarshal(body, &cm); err != nil {
			t.Fatal(err)
		}
		return cm.Map["a"]["c"]
	}
	if got := cost(); got != 20 {
		t.Fatalf("a->c = %v; want 20 via b", got)
	}
	before := fetchAll(t, d)

	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("timed out waiting for %s\n%s", what, d.Logs())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	write(strings.Replace(threeNodes, "LINKAC", "5", 1))
	waitFor("the new link metric", func() bool { return cost() == 5 })
	after := fetchAll(t, d)
	if after.Meta.VTag != before.Meta.VTag {
		t.Error("a cost-only change changed the network map vtag")
	}

	// A broken file is refused and the last good maps keep serving.
	write(strings.Replace(threeNodes, "LINKAC", "-5", 1))
	waitFor("the rejection to be logged", func() bool { return strings.Contains(d.Logs(), "negative") })
	if got := cost(); got != 5 {
		t.Errorf("after a broken file a->c = %v; want the last good 5", got)
	}
	d.stop(t)
}

func TestStartupRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	badTopo := filepath.Join(dir, "bad.yaml")
	bad := strings.Replace(threeNodes, "{from: b, to: c, metric: 10}", "{from: b, to: x, metric: 10}", 1)
	os.WriteFile(badTopo, []byte(strings.Replace(bad, "LINKAC", "5", 1)), 0o644)
	badCfg := filepath.Join(dir, "bad-config.yaml")
	os.WriteFile(badCfg, []byte("http:\n  listen: \":0\"\n  colour: blue\n"), 0o644)
	goodCfgBadTopo := filepath.Join(dir, "cfg.yaml")
	os.WriteFile(goodCfgBadTopo, []byte("collectors: {static: {file: "+badTopo+"}}\n"), 0o644)

	tests := []struct {
		name, config string
		want         []string
	}{
		{"unknown config key", badCfg, []string{badCfg, "line 3", "colour"}},
		{"dangling link", goodCfgBadTopo, []string{badTopo + ":7", `unknown node "x"`}},
		{"missing config file", filepath.Join(dir, "nope.yaml"), []string{"nope.yaml", "no such file"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			cmd := exec.Command(filepath.Join(binDir, "altod"), "-config", tc.config)
			cmd.Stderr = &stderr
			err := cmd.Run()
			if _, ok := err.(*exec.ExitError); !ok {
				t.Fatalf("altod exited with %v; want a non-zero exit", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr does not mention %q:\n%s", w, stderr.String())
				}
			}
		})
	}
}

func TestStatusEndpoint(t *testing.T) {
	d := startDaemon(t, "")
	d.waitReady(t)
	status, ct, body := get(t, d.base+"/status", "")
	var doc struct {
		Ready      bool `json:"ready"`
		Collectors []struct {
			Name  string `json:"name"`
			Ready bool   `json:"ready"`
		} `json:"collectors"`
		Topology struct {
			Nodes int `json:"nodes"`
		} `json:"topology"`
		Maps struct {
			PIDs int `json:"pids"`
		} `json:"maps"`
	}
	if status != 200 || ct != "application/json" {
		t.Fatalf("status: %d %q", status, ct)
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.Ready || len(doc.Collectors) != 1 || doc.Collectors[0].Name != "static" || !doc.Collectors[0].Ready ||
		doc.Topology.Nodes != 11 || doc.Maps.PIDs != 12 {
		t.Errorf("status document %s", body)
	}
	d.stop(t)
}
