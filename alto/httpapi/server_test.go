package httpapi

import (
	"bytes"
	"compress/gzip"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gin-gonic/gin"
	"go.uber.org/goleak"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/topology"
	"github.com/altosdn/altosdn/topology/topologytest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestMain(m *testing.M) {
	gin.SetMode(gin.ReleaseMode)
	goleak.VerifyTestMain(m)
}

// fakeMaps is a MapSource whose maps a test can swap.
type fakeMaps struct{ m atomic.Pointer[alto.Maps] }

func (f *fakeMaps) Current() *alto.Maps { return f.m.Load() }

// triangle is a three-router network with one unreachable stub.
func triangle(t *testing.T) *topology.Graph {
	t.Helper()
	var nodes []topology.Node
	var prefixes []topology.Prefix
	for i, name := range []string{"nyc", "chi", "sea", "stub"} {
		k := topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: name}
		nodes = append(nodes, topology.Node{ID: k.ID(), Key: k, Name: name})
		prefixes = append(prefixes,
			topology.Prefix{Node: k.ID(), Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i), 0, 0}), 16)},
			topology.Prefix{Node: k.ID(), Prefix: netip.PrefixFrom(netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 0, byte(i)}), 48)})
	}
	var links []topology.Link
	arc := func(a, b int, igp float64) {
		k := topology.LinkKey{Local: nodes[a].ID, Remote: nodes[b].ID}
		links = append(links, topology.Link{ID: k.ID(), Key: k, Metrics: topology.Metrics{}.With(topology.MetricIGP, igp, "test")})
	}
	arc(0, 1, 10)
	arc(1, 0, 10)
	arc(1, 2, 20)
	arc(2, 1, 20)
	arc(0, 2, 40)
	arc(2, 0, 40)
	g, err := topology.NewGraph(nodes, links, prefixes)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func newTestServer(t *testing.T, cfg Config, withMaps bool) (*httptest.Server, *fakeMaps) {
	t.Helper()
	altoCfg := alto.DefaultConfig()
	fm := &fakeMaps{}
	if withMaps {
		m, err := alto.Build(triangle(t), altoCfg)
		if err != nil {
			t.Fatal(err)
		}
		fm.m.Store(m)
	}
	s, err := New(cfg, altoCfg, fm, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts, fm
}

func get(t *testing.T, url string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	return do(t, http.MethodGet, url, headers...)
}

func do(t *testing.T, method, url string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	// Let the test see compressed bodies as sent.
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./alto/httpapi -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: body differs from golden file\n got: %s\nwant: %s", name, got, want)
	}
}

func TestResources(t *testing.T) {
	ts, _ := newTestServer(t, DefaultConfig(), true)
	tests := []struct {
		path, mediaType, golden string
	}{
		{"/directory", alto.MediaTypeDirectory, "directory"},
		{"/networkmap/default-network-map", alto.MediaTypeNetworkMap, "networkmap"},
		{"/costmap/costmap-routingcost-numerical", alto.MediaTypeCostMap, "costmap-routingcost-numerical"},
		{"/costmap/costmap-routingcost-ordinal", alto.MediaTypeCostMap, "costmap-routingcost-ordinal"},
		{"/costmap/costmap-hopcount-numerical", alto.MediaTypeCostMap, "costmap-hopcount-numerical"},
		{"/costmap/costmap-hopcount-ordinal", alto.MediaTypeCostMap, "costmap-hopcount-ordinal"},
	}
	for _, tc := range tests {
		t.Run(tc.golden, func(t *testing.T) {
			resp, body := get(t, ts.URL+tc.path, "Accept", tc.mediaType+",application/alto-error+json")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d; want 200: %s", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != tc.mediaType {
				t.Errorf("Content-Type %q; want exactly %q", ct, tc.mediaType)
			}
			if et := resp.Header.Get("ETag"); !strings.HasPrefix(et, `"`) || len(et) < 10 {
				t.Errorf("ETag %q is not a strong entity tag", et)
			}
			golden(t, tc.golden, body)

			// Revalidation with the tag answers 304 with no body.
			resp2, body2 := get(t, ts.URL+tc.path, "If-None-Match", resp.Header.Get("ETag"))
			if resp2.StatusCode != http.StatusNotModified || len(body2) != 0 {
				t.Errorf("If-None-Match: status %d with %d bytes; want 304 and none", resp2.StatusCode, len(body2))
			}
			resp3, _ := get(t, ts.URL+tc.path, "If-None-Match", `"something-else"`)
			if resp3.StatusCode != http.StatusOK {
				t.Errorf("If-None-Match with another tag: status %d; want 200", resp3.StatusCode)
			}
		})
	}
}

func TestGzip(t *testing.T) {
	ts, fm := newTestServer(t, DefaultConfig(), true)
	// The IRD is over the compression threshold; the plain body is the reference.
	_, plain := get(t, ts.URL+"/directory")
	resp, body := get(t, ts.URL+"/directory", "Accept-Encoding", "gzip, deflate")
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q; want gzip", resp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, _ := io.ReadAll(zr)
	if !bytes.Equal(unzipped, plain) {
		t.Error("gzip body does not decompress to the plain body")
	}
	if resp.Header.Get("ETag") == "" || !strings.HasSuffix(resp.Header.Get("ETag"), `-gzip"`) {
		t.Errorf("gzip ETag %q; want a tag distinct from the identity one", resp.Header.Get("ETag"))
	}
	if resp.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("Vary %q; want Accept-Encoding", resp.Header.Get("Vary"))
	}
	resp, _ = get(t, ts.URL+"/directory", "Accept-Encoding", "gzip;q=0")
	if resp.Header.Get("Content-Encoding") != "" {
		t.Error("gzip sent although the client refused it with q=0")
	}
	// The same compressed bytes are served twice: compression is cached.
	cm, _ := fm.Current().CostMap("costmap-routingcost-numerical")
	first, second := cm.Response.Gzipped(), cm.Response.Gzipped()
	if &first[0] != &second[0] {
		t.Error("gzip body recompressed per call")
	}
}

func TestHTTPErrors(t *testing.T) {
	ts, _ := newTestServer(t, DefaultConfig(), true)
	tests := []struct {
		name, method, path string
		headers            []string
		status             int
		allow              string
	}{
		{"unknown path", "GET", "/nope", nil, 404, ""},
		{"unknown network map", "GET", "/networkmap/other", nil, 404, ""},
		{"cost map id under networkmap", "GET", "/networkmap/costmap-routingcost-numerical", nil, 404, ""},
		{"unknown cost map", "GET", "/costmap/costmap-delay-numerical", nil, 404, ""},
		{"wrong method", "POST", "/networkmap/default-network-map", nil, 405, "GET, HEAD"},
		{"delete directory", "DELETE", "/directory", nil, 405, "GET, HEAD"},
		{"not acceptable", "GET", "/networkmap/default-network-map", []string{"Accept", "application/alto-costmap+json"}, 406, ""},
		{"excluded by q=0", "GET", "/directory", []string{"Accept", "application/alto-directory+json;q=0"}, 406, ""},
		{"wildcard accepted", "GET", "/directory", []string{"Accept", "application/*"}, 200, ""},
		{"any accepted", "GET", "/directory", []string{"Accept", "text/html, */*;q=0.1"}, 200, ""},
		{"head", "HEAD", "/costmap/costmap-routingcost-numerical", nil, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, _ := do(t, tc.method, ts.URL+tc.path, tc.headers...)
			if resp.StatusCode != tc.status {
				t.Errorf("status %d; want %d", resp.StatusCode, tc.status)
			}
			if tc.allow != "" && resp.Header.Get("Allow") != tc.allow {
				t.Errorf("Allow %q; want %q", resp.Header.Get("Allow"), tc.allow)
			}
		})
	}
}

func TestNotReadyAndProbes(t *testing.T) {
	ts, fm := newTestServer(t, DefaultConfig(), false)
	resp, _ := get(t, ts.URL+"/networkmap/default-network-map")
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("before maps: status %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp, _ := get(t, ts.URL+"/readyz"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz before maps: %d; want 503", resp.StatusCode)
	}
	if resp, _ := get(t, ts.URL+"/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d; want 200", resp.StatusCode)
	}
	// The directory is static and served even before the maps exist.
	if resp, _ := get(t, ts.URL+"/directory"); resp.StatusCode != http.StatusOK {
		t.Errorf("directory before maps: %d; want 200", resp.StatusCode)
	}
	m, _ := alto.Build(triangle(t), alto.DefaultConfig())
	fm.m.Store(m)
	if resp, _ := get(t, ts.URL+"/readyz"); resp.StatusCode != http.StatusOK {
		t.Errorf("readyz with maps: %d; want 200", resp.StatusCode)
	}
}

func TestAbsoluteURIs(t *testing.T) {
	cfg := DefaultConfig()
	cfg.BaseURL = "https://alto.example.net/"
	ts, _ := newTestServer(t, cfg, true)
	_, body := get(t, ts.URL+"/directory")
	if !bytes.Contains(body, []byte(`"uri":"https://alto.example.net/networkmap/default-network-map"`)) {
		t.Errorf("directory does not use the base URL: %s", body)
	}
}

// BenchmarkCachedGet serves an unchanged 2,000-PID cost map: the handler
// writes the bytes encoded (and compressed) once per map version, so the
// allocations per request do not grow with the map.
func BenchmarkCachedGet(b *testing.B) {
	g, err := topologytest.Random(2000, 4, 1)
	if err != nil {
		b.Fatal(err)
	}
	altoCfg := alto.DefaultConfig()
	altoCfg.CostTypes = altoCfg.CostTypes[:1]
	m, err := alto.Build(g, altoCfg)
	if err != nil {
		b.Fatal(err)
	}
	fm := &fakeMaps{}
	fm.m.Store(m)
	s, err := New(DefaultConfig(), altoCfg, fm, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	for _, enc := range []string{"identity", "gzip"} {
		b.Run(enc, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/costmap/costmap-routingcost-numerical", nil)
			req.Header.Set("Accept-Encoding", enc)
			w := &discardWriter{h: http.Header{}}
			h.ServeHTTP(w, req) // warm: the gzip form is made once here
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				w.n = 0
				clear(w.h)
				h.ServeHTTP(w, req)
			}
			b.ReportMetric(float64(w.n)/1e6, "MB-body")
		})
	}
}

// discardWriter is a ResponseWriter that counts bytes and keeps none, so the
// benchmark measures the server, not a recorder's buffer.
type discardWriter struct {
	h http.Header
	n int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(int)             {}
func (w *discardWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }

func TestStatus(t *testing.T) {
	cfg := DefaultConfig()
	altoCfg := alto.DefaultConfig()
	s, err := New(cfg, altoCfg, &fakeMaps{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	if resp, _ := get(t, ts.URL+"/status"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("status without a source: %d; want 404", resp.StatusCode)
	}
	s.SetStatus(func() any { return map[string]int{"peers_up": 2} })
	resp, body := get(t, ts.URL+"/status")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || !strings.Contains(string(body), `"peers_up": 2`) {
		t.Errorf("status: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}
