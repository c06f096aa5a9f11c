package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The RFC 9240 property maps and RFC 8896 calendars through the binary:
// the inventory is reloaded when its file changes, a bad file leaves the
// last good inventory in place, and the link history survives a restart.

const propMapType = "application/alto-propmap+json"

// siteOf asks the filtered property map for the .site of 192.0.2.1, which
// every inventory below sets through 0.0.0.0/0.
func siteOf(t *testing.T, d *daemon) string {
	t.Helper()
	status, ctype, body := postJSON(t, d.base+"/propmap/filtered-property-map", "application/alto-propmapparams+json", propMapType,
		`{"entities":["ipv4:192.0.2.1"],"properties":[".site"]}`)
	if status != 200 || ctype != propMapType {
		t.Fatalf("filtered property map: %d %s %s", status, ctype, body)
	}
	var resp struct {
		Map map[string]map[string]any `json:"property-map"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatal(err)
	}
	s, _ := resp.Map["ipv4:192.0.2.1"][".site"].(string)
	return s
}

// writeInventory replaces the file in one rename, as an operator's tool
// should, and moves its modification time on.
func writeInventory(t *testing.T, path, site string, step int) {
	t.Helper()
	tmp := path + ".tmp"
	doc := fmt.Sprintf("prefixes:\n  0.0.0.0/0: {site: %s}\n", site)
	if site == "" {
		doc = "prefixes:\n  192.0.2.1/24: {site: broken}\n" // host bits set
	}
	if err := os.WriteFile(tmp, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	mt := time.Now().Add(time.Duration(step) * time.Second)
	if err := os.Chtimes(tmp, mt, mt); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// skipUnwired skips when the daemon does not run the planning parts
// (cmd/altod/properties.go) yet: its directory then lists the resources,
// but no inventory or history is behind them.
func skipUnwired(t *testing.T, d *daemon, logLine string) {
	t.Helper()
	if !strings.Contains(d.Logs(), logLine) {
		d.stop(t)
		t.Skipf("altod does not wire newPlanningParts yet (no %q in its log); see cmd/altod/properties.go", logLine)
	}
}

func waitFor(t *testing.T, what string, d *daemon, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s\n%s", what, d.Logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestPropertyMapInventoryReload(t *testing.T) {
	dir := t.TempDir()
	inv := filepath.Join(dir, "inventory.yaml")
	writeInventory(t, inv, "one", 0)
	d := startDaemon(t, fmt.Sprintf("alto:\n  planning:\n    inventory: {file: %q, poll_interval: 50ms}\n", inv))
	d.waitReady(t)
	skipUnwired(t, d, "inventory loaded")

	_, _, body := get(t, d.base+"/directory", "")
	for _, want := range []string{`"/propmap/property-map"`, `"/propmap/filtered-property-map"`,
		`"/filtered/filtered-cost-map-calendar"`, `"/endpointcost/endpoint-cost-calendar"`, `"mappings":`, `"calendar-attributes":`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("directory lacks %s", want)
		}
	}
	if s := siteOf(t, d); s != "one" {
		t.Fatalf("site %q; want one\n%s", s, d.Logs())
	}

	writeInventory(t, inv, "two", 1)
	waitFor(t, "the reloaded inventory", d, func() bool { return siteOf(t, d) == "two" })

	writeInventory(t, inv, "", 2)
	waitFor(t, "the bad inventory to be rejected", d, func() bool { return strings.Contains(d.Logs(), "inventory file rejected") })
	if !strings.Contains(d.Logs(), "host bits set") {
		t.Error("the rejection does not say what is wrong")
	}
	if s := siteOf(t, d); s != "two" {
		t.Errorf("after a bad file the site is %q; want the last good two", s)
	}

	status, ctype, full := get(t, d.base+"/propmap/property-map", propMapType)
	if status != 200 || ctype != propMapType || !strings.Contains(string(full), `"ipv4:0.0.0.0/0":{".site":"two","default-network-map.pid":`) {
		t.Errorf("full property map: %d %s %s", status, ctype, full)
	}
	status, _, cal := postJSON(t, d.base+"/filtered/filtered-cost-map-calendar", "application/alto-costmapfilter+json", "application/alto-costmap+json",
		`{"cost-type":{"cost-mode":"numerical","cost-metric":"delay-ow"},"calendared":[true]}`)
	if status != 200 || !strings.Contains(string(cal), `"calendar-response-attributes":[{"calendar-start-time":`) {
		t.Errorf("calendar: %d %s", status, cal)
	}
	d.stop(t)
}

// historyOpened returns the samples the daemon found when it opened its
// history, from its log.
func historyOpened(d *daemon) (backend string, samples int, ok bool) {
	for _, line := range strings.Split(d.Logs(), "\n") {
		var rec struct {
			Msg     string `json:"msg"`
			Backend string `json:"backend"`
			Samples int    `json:"samples"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "link history opened" {
			return rec.Backend, rec.Samples, true
		}
	}
	return "", 0, false
}

func TestHistorySurvivesRestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "state", "history.db")
	config := fmt.Sprintf("alto:\n  planning:\n    history: {path: %q, sample_interval: 1s, retention: 1h}\n", db)
	d := startDaemon(t, config)
	d.waitReady(t)
	skipUnwired(t, d, "link history opened")
	if backend, samples, ok := historyOpened(d); !ok || backend != "file" || samples != 0 {
		t.Fatalf("first start: backend %q, %d samples\n%s", backend, samples, d.Logs())
	}
	fi, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	created := fi.ModTime()
	waitFor(t, "a sample to be written", d, func() bool {
		fi, err := os.Stat(db)
		return err == nil && fi.ModTime().After(created)
	})
	d.stop(t)

	d = startDaemon(t, config)
	d.waitReady(t)
	if backend, samples, ok := historyOpened(d); !ok || backend != "file" || samples == 0 {
		t.Errorf("after a restart: backend %q, %d samples; want the file with samples\n%s", backend, samples, d.Logs())
	}
	d.stop(t)

	// A corrupt store costs the history, not the service.
	if err := os.WriteFile(db, []byte(strings.Repeat("garbage ", 4096)), 0o600); err != nil {
		t.Fatal(err)
	}
	d = startDaemon(t, config)
	d.waitReady(t)
	if backend, samples, ok := historyOpened(d); !ok || backend != "file" || samples != 0 || !strings.Contains(d.Logs(), "moved aside") {
		t.Errorf("corrupt store: backend %q, %d samples\n%s", backend, samples, d.Logs())
	}
	d.stop(t)
}
