package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	altov1 "github.com/altosdn/altosdn/proto/alto/v1"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeServer is an RFC 7285 server that is not altod: its root directory
// links to a second one, which holds the POST services, so the client must
// follow the link and resolve that directory's relative URIs against it.
func fakeServer(t *testing.T) (*httptest.Server, *[]recorded) {
	t.Helper()
	var reqs []recorded
	mux := http.NewServeMux()
	serve := func(path, mediaType, accepts, body string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			data, _ := io.ReadAll(r.Body)
			reqs = append(reqs, recorded{Path: r.URL.Path, Method: r.Method, ContentType: r.Header.Get("Content-Type"), Body: string(data)})
			if !strings.Contains(r.Header.Get("Accept"), mediaType) || !strings.Contains(r.Header.Get("Accept"), "application/alto-error+json") {
				http.Error(w, "bad Accept "+r.Header.Get("Accept"), http.StatusNotAcceptable)
				return
			}
			if accepts != "" && (r.Method != http.MethodPost || r.Header.Get("Content-Type") != accepts) {
				http.Error(w, "want POST of "+accepts, http.StatusUnsupportedMediaType)
				return
			}
			if strings.Contains(string(data), `"cost-mode":"array"`) {
				w.Header().Set("Content-Type", "application/alto-error+json")
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, `{"meta":{"code":"E_INVALID_FIELD_VALUE","field":"cost-type/cost-mode","value":"array"}}`)
				return
			}
			w.Header().Set("Content-Type", mediaType)
			io.WriteString(w, body)
		})
	}
	serve("/ird", "application/alto-directory+json", "", `{
  "meta": {"cost-types": {"num-rc": {"cost-mode": "numerical", "cost-metric": "routingcost"},
                          "ord-rc": {"cost-mode": "ordinal", "cost-metric": "routingcost"}},
           "default-alto-network-map": "my-net"},
  "resources": {
    "my-net": {"uri": "/maps/net", "media-type": "application/alto-networkmap+json"},
    "my-cost": {"uri": "/maps/cost", "media-type": "application/alto-costmap+json",
                "capabilities": {"cost-type-names": ["num-rc"]}, "uses": ["my-net"]},
    "more": {"uri": "services/ird2", "media-type": "application/alto-directory+json"}
  }}`)
	// Cost type names are local to each directory: "c" here is ordinal.
	serve("/services/ird2", "application/alto-directory+json", "", `{
  "meta": {"cost-types": {"c": {"cost-mode": "ordinal", "cost-metric": "routingcost"},
                          "n": {"cost-mode": "numerical", "cost-metric": "routingcost"}}},
  "resources": {
    "net-filter": {"uri": "nf", "media-type": "application/alto-networkmap+json",
                   "accepts": "application/alto-networkmapfilter+json", "uses": ["my-net"]},
    "cost-filter": {"uri": "cf", "media-type": "application/alto-costmap+json",
                    "accepts": "application/alto-costmapfilter+json",
                    "capabilities": {"cost-type-names": ["c", "n"], "cost-constraints": true}, "uses": ["my-net"]},
    "ecs": {"uri": "/ecs", "media-type": "application/alto-endpointcost+json",
            "accepts": "application/alto-endpointcostparams+json",
            "capabilities": {"cost-type-names": ["c"]}},
    "eps": {"uri": "/eps", "media-type": "application/alto-endpointprop+json",
            "accepts": "application/alto-endpointpropparams+json",
            "capabilities": {"prop-types": ["my-net.pid", "priv:ietf-example"]}}
  }}`)
	serve("/maps/net", "application/alto-networkmap+json", "", `{"meta":{"vtag":{"resource-id":"my-net","tag":"v1"}},
  "network-map":{"PID1":{"ipv4":["192.0.2.0/24"]},"PID2":{"ipv4":["198.51.100.0/24"],"ipv6":["2001:db8::/32"]},"PID3":{"ipv4":["0.0.0.0/0"],"ipv6":["::/0"]}}}`)
	serve("/maps/cost", "application/alto-costmap+json", "", `{"meta":{"dependent-vtags":[{"resource-id":"my-net","tag":"v1"}],
  "cost-type":{"cost-mode":"numerical","cost-metric":"routingcost"}},
  "cost-map":{"PID1":{"PID1":0,"PID2":5,"PID3":10.5},"PID2":{"PID1":5,"PID2":0},"PID3":{"PID3":0}}}`)
	serve("/services/nf", "application/alto-networkmap+json", "application/alto-networkmapfilter+json",
		`{"meta":{"vtag":{"resource-id":"my-net","tag":"v1"}},"network-map":{"PID2":{"ipv4":["198.51.100.0/24"]}}}`)
	serve("/services/cf", "application/alto-costmap+json", "application/alto-costmapfilter+json",
		`{"meta":{"dependent-vtags":[{"resource-id":"my-net","tag":"v1"}],"cost-type":{"cost-mode":"ordinal","cost-metric":"routingcost"}},
  "cost-map":{"PID1":{"PID2":1}}}`)
	serve("/ecs", "application/alto-endpointcost+json", "application/alto-endpointcostparams+json",
		`{"meta":{"cost-type":{"cost-mode":"ordinal","cost-metric":"routingcost"}},
  "endpoint-cost-map":{"ipv4:192.0.2.2":{"ipv4:198.51.100.34":2,"ipv6:2001:db8::1":1}}}`)
	serve("/eps", "application/alto-endpointprop+json", "application/alto-endpointpropparams+json",
		`{"meta":{"dependent-vtags":[{"resource-id":"my-net","tag":"v1"}]},
  "endpoint-properties":{"ipv4:192.0.2.34":{"my-net.pid":"PID1"},"ipv6:2001:db8::1":{"my-net.pid":"PID2"}}}`)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &reqs
}

type recorded struct {
	Path, Method, ContentType, Body string
}

// runCLI runs altoctl in-process and returns stdout, stderr and the error.
func runCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

func TestCommandsAgainstAnotherServer(t *testing.T) {
	srv, reqs := fakeServer(t)
	tests := []struct {
		name string
		args []string
		// The request body the server must have received last, if any.
		wantBody string
	}{
		{"ird", []string{"ird"}, ""},
		{"networkmap", []string{"networkmap"}, ""},
		{"costmap-table", []string{"costmap"}, ""},
		{"costmap-matrix", []string{"costmap", "-o", "matrix"}, ""},
		{"filter-networkmap", []string{"filter", "networkmap", "-pids", "PID2,PID9", "-types", "ipv4"},
			`{"address-types":["ipv4"],"pids":["PID2","PID9"]}`},
		{"filter-costmap", []string{"filter", "costmap", "-mode", "ordinal", "-src", "PID1", "-constraint", "le 3", "-o", "matrix"},
			`{"constraints":["le 3"],"cost-type":{"cost-metric":"routingcost","cost-mode":"ordinal"},"pids":{"dsts":[],"srcs":["PID1"]}}`},
		{"endpoint-cost", []string{"endpoint-cost", "-mode", "ordinal", "-src", "192.0.2.2", "-dst", "198.51.100.34,ipv6:2001:db8::1"},
			`{"cost-type":{"cost-metric":"routingcost","cost-mode":"ordinal"},"endpoints":{"dsts":["ipv4:198.51.100.34","ipv6:2001:db8::1"],"srcs":["ipv4:192.0.2.2"]}}`},
		{"endpoint-prop", []string{"endpoint-prop", "192.0.2.34", "2001:db8::1"},
			`{"endpoints":["ipv4:192.0.2.34","ipv6:2001:db8::1"],"properties":["my-net.pid"]}`},
		{"endpoint-prop-json", []string{"endpoint-prop", "-o", "json", "192.0.2.34"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, err := runCLI(t, append([]string{"-server", srv.URL + "/ird"}, tc.args...)...)
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			golden(t, "fake-"+tc.name, strings.ReplaceAll(out, srv.URL, "http://SERVER"))
			if tc.wantBody != "" {
				last := (*reqs)[len(*reqs)-1]
				if diff := cmp.Diff(tc.wantBody, strings.TrimSpace(last.Body)); diff != "" {
					t.Errorf("request body (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// Errors from the server show their ALTO code and field.
func TestServerErrors(t *testing.T) {
	srv, _ := fakeServer(t)
	base := []string{"-server", srv.URL + "/ird"}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"filter", "costmap", "-mode", "array"}, "offers no filtered cost map for routingcost/array"},
		{[]string{"filter", "costmap", "-id", "cost-filter", "-mode", "array"}, "does not offer cost type routingcost/array"},
		{[]string{"costmap", "-metric", "hopcount"}, "offers no full cost map for hopcount/numerical"},
		{[]string{"endpoint-prop", "-prop", "bandwidth", "192.0.2.1"}, "no endpoint property service with bandwidth"},
		{[]string{"endpoint-cost", "-src", "not-an-ip"}, `"not-an-ip" is not an IP address`},
		{[]string{"endpoint-cost"}, "give -src, -dst or both"},
		{[]string{"filter", "networkmap", "-o", "matrix"}, "-o matrix is for cost maps"},
		{[]string{"watch", "-via", "sse"}, "lists no update stream service (RFC 8895): not yet served"},
	}
	for _, tc := range tests {
		_, _, err := runCLI(t, append(base, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("altoctl %v: error %v; want it to mention %q", tc.args, err, tc.want)
		}
	}

	// A server answering with an ALTO error: the code, field and value show.
	mux := http.NewServeMux()
	mux.HandleFunc("/ird", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/alto-error+json")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"meta":{"code":"E_INVALID_FIELD_VALUE","field":"cost-type/cost-mode","value":"array"}}`)
	})
	bad := httptest.NewServer(mux)
	defer bad.Close()
	_, _, err := runCLI(t, "-server", bad.URL+"/ird", "ird")
	want := `server error E_INVALID_FIELD_VALUE field "cost-type/cost-mode" value "array" (400 Bad Request from ` + bad.URL + "/ird)"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}

func TestHelpAndUsage(t *testing.T) {
	for _, c := range commands {
		_, stderr, err := runCLI(t, c.name, "--help")
		if err != errHelp {
			t.Errorf("%s --help: %v", c.name, err)
		}
		if !strings.Contains(stderr, "usage: altoctl "+c.name) || !strings.Contains(stderr, c.summary) {
			t.Errorf("%s --help prints:\n%s", c.name, stderr)
		}
		if c.name != "version" && !strings.Contains(stderr, "-o value") {
			t.Errorf("%s has no -o flag:\n%s", c.name, stderr)
		}
	}
	out, _, err := runCLI(t, "help")
	if err != nil || !strings.Contains(out, "endpoint-cost") {
		t.Errorf("help: %v\n%s", err, out)
	}
	if _, _, err := runCLI(t, "nope"); err == nil || !strings.Contains(err.Error(), `unknown command "nope"`) {
		t.Errorf("unknown command: %v", err)
	}
	if _, _, err := runCLI(t, "costmap", "-o", "yaml"); err != errUsage {
		t.Errorf("bad -o: %v", err)
	}
	if _, _, err := runCLI(t, "discover"); err != errUsage {
		t.Errorf("discover without an argument: %v", err)
	}
}

func TestInterspersedFlags(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	v := fs.Bool("v", false, "")
	s := fs.String("s", "", "")
	pos, err := parseInterspersed(fs, []string{"a", "-v", "b", "-s", "x", "c", "--", "-v"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a", "b", "c", "-v"}, pos); diff != "" || !*v || *s != "x" {
		t.Errorf("positional (-want +got):\n%s v=%v s=%q", diff, *v, *s)
	}
}

// The JSON outputs are the server's documents, indented.
func TestJSONOutputIsTheServersDocument(t *testing.T) {
	srv, _ := fakeServer(t)
	out, _, err := runCLI(t, "-server", srv.URL+"/ird", "costmap", "-json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Map map[string]map[string]float64 `json:"cost-map"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.Map["PID1"]["PID3"] != 10.5 {
		t.Errorf("costmap -json: %v\n%s", err, out)
	}
}

func TestGRPCErrorShowsALTOCodeAndField(t *testing.T) {
	st, err := status.New(codes.InvalidArgument, "request 5: E_INVALID_FIELD_VALUE").WithDetails(&altov1.ErrorDetail{
		Code: "E_INVALID_FIELD_VALUE", Field: "prefixes[0].prefix", Value: "10.0.5.1/24", Sequence: 5})
	if err != nil {
		t.Fatal(err)
	}
	got := grpcError(st.Err()).Error()
	want := `server error E_INVALID_FIELD_VALUE field "prefixes[0].prefix" value "10.0.5.1/24" in request 5 (InvalidArgument: request 5: E_INVALID_FIELD_VALUE)`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := grpcError(status.Error(codes.Unavailable, "no maps")).Error(); got != "server error (Unavailable): no maps" {
		t.Errorf("got %s", got)
	}
}
