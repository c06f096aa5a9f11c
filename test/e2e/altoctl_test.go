package e2e

import (
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var updateAltoctl = flag.Bool("update-altoctl", false, "rewrite test/e2e/testdata/altoctl/*.golden")

// fourNodes is the topology of the altoctl tests: a line a-b-c with a
// shortcut, and d attached to c with IPv6 only.
const fourNodes = `nodes:
  - {id: a, prefixes: [10.0.1.0/24]}
  - {id: b, prefixes: [10.0.2.0/24]}
  - {id: c, prefixes: [10.0.3.0/24]}
  - {id: d, prefixes: ["2001:db8:4::/48"]}
links:
  - {from: a, to: b, metric: 10}
  - {from: b, to: c, metric: 10}
  - {from: a, to: c, metric: 25}
  - {from: c, to: d, metric: 1}
`

// altoctlDaemon starts altod with fourNodes from a file and the gRPC API.
func altoctlDaemon(t *testing.T) *daemon {
	t.Helper()
	topo := filepath.Join(t.TempDir(), "topo.yaml")
	if err := os.WriteFile(topo, []byte(fourNodes), 0o644); err != nil {
		t.Fatal(err)
	}
	d := startDaemon(t, `grpc: {enabled: true, listen: "127.0.0.1:0", shutdown_timeout: 5s}
alto: {recompute_min_interval: 0s}
collectors: {static: {file: `+topo+`, reload_interval: 0s}}
`)
	d.waitReady(t)
	return d
}

// ctl runs altoctl against d over HTTP and gRPC; it returns stdout and the
// run's error with stderr.
func ctl(t *testing.T, d *daemon, args ...string) (string, error) {
	t.Helper()
	full := append([]string{"-server", d.base + "/directory", "-grpc", d.grpcAddr(t)}, args...)
	cmd := exec.Command(filepath.Join(binDir, "altoctl"), full...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), &cmdError{err: err, stderr: stderr.String()}
	}
	return stdout.String(), nil
}

type cmdError struct {
	err    error
	stderr string
}

func (e *cmdError) Error() string { return e.err.Error() + ": " + e.stderr }

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "altoctl", name+".golden")
	if *updateAltoctl {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./test/e2e -run Altoctl -update-altoctl to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// The CLI against the real daemon: every read command's output is golden.
// Vtags are content hashes, so they are stable for a given topology.
func TestAltoctlGolden(t *testing.T) {
	d := altoctlDaemon(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"networkmap", []string{"networkmap"}},
		{"networkmap-json", []string{"networkmap", "-o", "json"}},
		{"costmap-table", []string{"costmap"}},
		{"costmap-matrix", []string{"costmap", "-o", "matrix"}},
		{"costmap-hopcount-ordinal", []string{"costmap", "-metric", "hopcount", "-mode", "ordinal", "-o", "matrix"}},
		{"costmap-json", []string{"costmap", "-o", "json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := ctl(t, d, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tc.name, out)
		})
	}

	// The directory grows as resources are added; check that every entry
	// the first version had is still listed the same way.
	out, err := ctl(t, d, "ird")
	if err != nil {
		t.Fatal(err)
	}
	for _, re := range []string{
		`(?m)^default-network-map +networkmap +- +- +- +` + regexp.QuoteMeta(d.base) + `/networkmap/default-network-map$`,
		`(?m)^costmap-routingcost-numerical +costmap +- +routingcost/numerical +default-network-map +http`,
		`(?m)^default network map: default-network-map$`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("altoctl ird does not match %s:\n%s", re, out)
		}
	}

	// Errors: unknown cost types, unknown resources.
	if _, err := ctl(t, d, "costmap", "-metric", "bandwidth"); err == nil || !strings.Contains(err.Error(), "offers no full cost map for bandwidth/numerical") {
		t.Errorf("costmap -metric bandwidth: %v", err)
	}
	if _, err := ctl(t, d, "networkmap", "-id", "nope"); err == nil || !strings.Contains(err.Error(), `no resource "nope"`) {
		t.Errorf("networkmap -id nope: %v", err)
	}
	d.stop(t)
}

// topology push, watch and status over gRPC, through the CLI.
func TestAltoctlTopologyPushStatusWatch(t *testing.T) {
	d := altoctlDaemon(t)
	push := filepath.Join(t.TempDir(), "controller.yaml")
	// The controller adds a node e behind d; links refer to the static
	// nodes by the same identity (static/0/0//<id>).
	if err := os.WriteFile(push, []byte(`nodes:
  - {id: d}
  - {id: e, prefixes: [10.0.5.0/24]}
links:
  - {from: d, to: e, metric: 2}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := ctl(t, d, "topology", "push", "-op", "upsert", push)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "topology-push", strings.ReplaceAll(out, push, "controller.yaml"))

	out, err = ctl(t, d, "watch", "-count", "1", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var w struct {
		Generation string `json:"generation"`
		Changed    []string
	}
	if err := json.Unmarshal([]byte(out), &w); err != nil || len(w.Changed) < 2 || w.Changed[0] != "default-network-map" {
		t.Errorf("watch -o json: %v\n%s", err, out)
	}
	waitPIDs(t, d, "a,b,c,d,default,e")

	// A push the server refuses says why.
	if _, err := ctl(t, d, "topology", "push", "-source", "bgpls", push); err == nil || !strings.Contains(err.Error(), "PermissionDenied") {
		t.Errorf("push as bgpls: %v", err)
	}
	if _, err := ctl(t, d, "-grpc", "127.0.0.1:1", "status"); err == nil {
		t.Error("status against a closed port succeeded")
	}

	out, err = ctl(t, d, "status", "-o", "json")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Collectors []struct {
			Name  string `json:"name"`
			Ready bool   `json:"ready"`
			Items []struct {
				Counters map[string]string `json:"counters"`
			} `json:"items"`
		} `json:"collectors"`
		Topology struct {
			Nodes int `json:"nodes"`
		} `json:"topology"`
		Maps struct {
			Ready bool `json:"ready"`
			Pids  int  `json:"pids"`
		} `json:"maps"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("status -o json: %v\n%s", err, out)
	}
	if len(st.Collectors) != 2 || st.Collectors[0].Name != "static" || st.Collectors[1].Name != "controller-push" ||
		st.Topology.Nodes != 5 || !st.Maps.Ready || st.Maps.Pids != 6 {
		t.Errorf("status: %+v\n%s", st, out)
	}
	// One stream applied an update, one was refused.
	var updates, rejected int
	for _, it := range st.Collectors[1].Items {
		if it.Counters["updates"] == "1" {
			updates++
		}
		if it.Counters["rejected"] == "1" {
			rejected++
		}
	}
	if updates != 1 || rejected != 1 {
		t.Errorf("controller push stream status: %+v", st.Collectors[1].Items)
	}
	out, err = ctl(t, d, "status")
	if err != nil || !strings.Contains(out, "controller-push") || !strings.Contains(out, "topology: generation") {
		t.Errorf("status: %v\n%s", err, out)
	}
	d.stop(t)
}

// The filtered and endpoint services: run when the daemon's directory lists
// them (the server side is being built), else skip saying so.
func TestAltoctlFilteredAndEndpointServices(t *testing.T) {
	d := altoctlDaemon(t)
	_, _, body := get(t, d.base+"/directory", "")
	var ird struct {
		Resources map[string]struct {
			MediaType string `json:"media-type"`
			Accepts   string `json:"accepts"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(body, &ird); err != nil {
		t.Fatal(err)
	}
	has := func(accepts string) bool {
		for _, r := range ird.Resources {
			if r.Accepts == accepts {
				return true
			}
		}
		return false
	}
	checks := []struct {
		accepts string
		args    []string
		want    []string
	}{
		{"application/alto-networkmapfilter+json", []string{"filter", "networkmap", "-pids", "a,d"}, []string{"a  ", "10.0.1.0/24", "2001:db8:4::/48"}},
		{"application/alto-costmapfilter+json", []string{"filter", "costmap", "-src", "a", "-dst", "c", "-o", "json"}, []string{`"c": 20`}},
		{"application/alto-endpointcostparams+json", []string{"endpoint-cost", "-src", "10.0.1.7", "-dst", "10.0.3.9"}, []string{"ipv4:10.0.1.7", "ipv4:10.0.3.9", "20"}},
		{"application/alto-endpointpropparams+json", []string{"endpoint-prop", "10.0.2.1", "2001:db8:4::1"}, []string{"ipv4:10.0.2.1", "b", "ipv6:2001:db8:4::1", "d"}},
	}
	ran := 0
	for _, c := range checks {
		if !has(c.accepts) {
			t.Logf("the daemon's directory lists no resource accepting %s yet; altoctl %s is tested against httptest only (cmd/altoctl)", c.accepts, c.args[0])
			continue
		}
		ran++
		out, err := ctl(t, d, c.args...)
		if err != nil {
			t.Errorf("altoctl %v: %v", c.args, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("altoctl %v output lacks %q:\n%s", c.args, w, out)
			}
		}
	}
	d.stop(t)
	if ran == 0 {
		t.Skip("altod does not serve filtered maps or endpoint services yet")
	}
}

// watch -via sse follows the daemon's RFC 8895 update stream, when its
// directory lists one.
func TestAltoctlWatchSSE(t *testing.T) {
	d := altoctlDaemon(t)
	_, _, body := get(t, d.base+"/directory", "")
	if !strings.Contains(string(body), `"text/event-stream"`) {
		d.stop(t)
		t.Skip("the daemon's directory lists no RFC 8895 update stream yet; watch -via sse is tested against httptest only (cmd/altoctl)")
	}
	out, err := ctl(t, d, "watch", "-via", "sse", "-count", "2", "-resources", "default-network-map", "-incremental=false")
	if err != nil {
		t.Fatal(err)
	}
	_, tag := pids(t, d)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "control: ") ||
		!strings.HasPrefix(lines[1], "default-network-map: full networkmap") || !strings.HasSuffix(lines[1], "vtag default-network-map "+tag) {
		t.Errorf("watch -via sse:\n%s\nwant a control event, then the network map with vtag %s", out, tag)
	}
	d.stop(t)
}
