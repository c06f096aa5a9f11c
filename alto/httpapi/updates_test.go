package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/alto/updates"
	"github.com/altosdn/altosdn/topology"
)

// watchMaps is a MapSource with Watch, as the engine has, so the hub
// publishes on every swap.
type watchMaps struct {
	mu   sync.Mutex
	m    *alto.Maps
	next chan struct{}
}

func (w *watchMaps) Current() *alto.Maps { m, _ := w.Watch(); return m }

func (w *watchMaps) Watch() (*alto.Maps, <-chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.m, w.next
}

func (w *watchMaps) set(m *alto.Maps) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.m = m
	close(w.next)
	w.next = make(chan struct{})
}

// relinked is the triangle with the New York–Seattle link at igp.
func relinked(t *testing.T, igp float64) *topology.Graph {
	t.Helper()
	g := triangle(t)
	links := slices.Clone(g.Links())
	for i, l := range links {
		if (l.Key.Local == g.Node(0).ID && l.Key.Remote == g.Node(2).ID) || (l.Key.Local == g.Node(2).ID && l.Key.Remote == g.Node(0).ID) {
			links[i].Metrics = l.Metrics.With(topology.MetricIGP, igp, "test")
		}
	}
	ng, err := topology.NewGraph(g.Nodes(), links, g.Prefixes())
	if err != nil {
		t.Fatal(err)
	}
	return ng
}

type updateServer struct {
	ts      *httptest.Server
	src     *watchMaps
	altoCfg alto.Config
	srv     *Server
}

func (u *updateServer) publish(t *testing.T, igp float64) *alto.Maps {
	t.Helper()
	m, err := alto.Build(relinked(t, igp), u.altoCfg)
	if err != nil {
		t.Fatal(err)
	}
	u.src.set(m)
	return m
}

// newUpdateServer serves the triangle with its update hub running.
func newUpdateServer(t *testing.T, cfg Config) *updateServer {
	t.Helper()
	u := &updateServer{src: &watchMaps{next: make(chan struct{})}, altoCfg: alto.DefaultConfig()}
	u.publish(t, 40)
	s, err := New(cfg, u.altoCfg, u.src, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	u.srv = s
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Updates().Run(ctx) }()
	u.ts = httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("hub Run = %v", err)
		}
		u.ts.Close()
	})
	return u
}

const netAndRouting = `{"add":{"net":{"resource-id":"default-network-map"},"rc":{"resource-id":"costmap-routingcost-numerical"}}}`

// openSSE posts an update stream request and returns the event reader.
func openSSE(t *testing.T, u *updateServer, body string) (*updates.SSEReader, *http.Response) {
	t.Helper()
	var resp *http.Response
	deadline := time.Now().Add(10 * time.Second)
	for {
		req, _ := http.NewRequest(http.MethodPost, u.ts.URL+"/updates/update-stream", strings.NewReader(body))
		req.Header.Set("Content-Type", alto.MediaTypeUpdateStreamParams)
		req.Header.Set("Accept", "text/event-stream,application/alto-error+json")
		var err error
		if resp, err = http.DefaultClient.Do(req); err != nil {
			t.Fatal(err)
		}
		// The hub starts with the test; until it runs streams get 503.
		if resp.StatusCode != http.StatusServiceUnavailable || time.Now().After(deadline) {
			break
		}
		resp.Body.Close()
		time.Sleep(10 * time.Millisecond)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	return updates.NewSSEReader(resp.Body, 16<<20), resp
}

func nextEvent(t *testing.T, r *updates.SSEReader) updates.Event {
	t.Helper()
	ev, err := r.Next()
	if err != nil {
		t.Fatalf("reading the stream: %v", err)
	}
	return ev
}

func postControl(t *testing.T, u *updateServer, uri, body string) (int, []byte) {
	t.Helper()
	ref, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(u.ts.URL + "/updates/update-stream")
	req, _ := http.NewRequest(http.MethodPost, base.ResolveReference(ref).String(), strings.NewReader(body))
	req.Header.Set("Content-Type", alto.MediaTypeUpdateStreamParams)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestUpdateStreamOverSSE(t *testing.T) {
	u := newUpdateServer(t, DefaultConfig())
	r, resp := openSSE(t, u, netAndRouting)
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	rep := updates.NewReplica()
	apply := func(ev updates.Event) {
		t.Helper()
		if err := rep.Apply(ev); err != nil {
			t.Fatal(err)
		}
	}
	first := nextEvent(t, r)
	apply(first)
	if !first.IsControl() || !strings.HasPrefix(rep.ControlURI, "/updates-control/") {
		t.Fatalf("first event %s %s; want the control URI", first.Name(), first.Data)
	}
	for _, want := range []string{"application/alto-networkmap+json,net", "application/alto-costmap+json,rc"} {
		ev := nextEvent(t, r)
		if ev.Name() != want {
			t.Fatalf("event %s; want %s", ev.Name(), want)
		}
		apply(ev)
	}

	// A link metric change arrives as a merge patch of the cost map alone.
	m := u.publish(t, 5)
	ev := nextEvent(t, r)
	if ev.Name() != "application/merge-patch+json,rc" {
		t.Fatalf("after a metric change: %s %s", ev.Name(), ev.Data)
	}
	apply(ev)
	want, _ := updates.Canonical(m.CostMaps[0].Response.Body)
	if string(rep.Docs["rc"]) != string(want) {
		t.Errorf("patched cost map\n got %s\nwant %s", rep.Docs["rc"], want)
	}

	if status, body := postControl(t, u, rep.ControlURI, `{"remove":["rc"]}`); status != http.StatusNoContent {
		t.Fatalf("remove: %d %s; want 204", status, body)
	}
	if ev := nextEvent(t, r); !ev.IsControl() || string(ev.Data) != `{"stopped":["rc"]}` {
		t.Errorf("after remove: %s %s", ev.Name(), ev.Data)
	}
	status, body := postControl(t, u, rep.ControlURI, `{"remove":["ghost"]}`)
	if status != http.StatusBadRequest || string(body) != `{"meta":{"code":"E_INVALID_FIELD_VALUE","field":"remove","value":["ghost"]}}` {
		t.Errorf("unknown substream: %d %s", status, body)
	}
	if status, _ := postControl(t, u, rep.ControlURI, `{"remove":[]}`); status != http.StatusNoContent {
		t.Fatalf("remove all: %d", status)
	}
	if ev := nextEvent(t, r); string(ev.Data) != `{"stopped":["net"]}` {
		t.Errorf("after remove all: %s", ev.Data)
	}
	if _, err := r.Next(); err != io.EOF {
		t.Errorf("stream after remove all: %v; want the end of the response", err)
	}
	if status, _ := postControl(t, u, rep.ControlURI, `{"remove":["net"]}`); status != http.StatusNotFound {
		t.Errorf("control of a closed stream: %d; want 404", status)
	}
}

func TestUpdateStreamErrors(t *testing.T) {
	u := newUpdateServer(t, DefaultConfig())
	openSSE(t, u, netAndRouting) // wait until the hub runs
	tests := []struct {
		name, path, contentType, accept, body string
		status                                int
		wantBody                              string
	}{
		{"wrong content type", "/updates/update-stream", "application/json", "", netAndRouting, 415, ""},
		{"event stream not acceptable", "/updates/update-stream", alto.MediaTypeUpdateStreamParams, "application/alto-error+json", netAndRouting, 406, ""},
		{"no add", "/updates/update-stream", alto.MediaTypeUpdateStreamParams, "", `{"remove":[]}`, 400,
			`{"meta":{"code":"E_MISSING_FIELD","field":"add"}}`},
		{"unknown resource (RFC 8895 §6.6)", "/updates/update-stream", alto.MediaTypeUpdateStreamParams, "", `{"add":{"my-network-map":{"resource-id":"my-networkmap/#"}}}`, 400,
			`{"meta":{"code":"E_INVALID_FIELD_VALUE","field":"add/my-network-map/resource-id","value":"my-networkmap/#"}}`},
		{"no such service", "/updates/nope", alto.MediaTypeUpdateStreamParams, "", netAndRouting, 404, ""},
		{"no such stream", "/updates-control/0123", alto.MediaTypeUpdateStreamParams, "", `{"remove":["a"]}`, 404, ""},
		{"control with a wrong content type", "/updates-control/0123", "text/plain", "", `{"remove":["a"]}`, 415, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, u.ts.URL+tc.path, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.contentType)
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Errorf("status %d; want %d (%s)", resp.StatusCode, tc.status, body)
			}
			if tc.wantBody != "" && string(body) != tc.wantBody {
				t.Errorf("body %s\nwant %s", body, tc.wantBody)
			}
		})
	}
}

func TestKeepAlive(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Updates.KeepAlive = 30 * time.Millisecond
	u := newUpdateServer(t, cfg)
	_, resp := openSSE(t, u, `{"add":{"net":{"resource-id":"default-network-map"}}}`)
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if sc.Text() == ": keep-alive" {
			return
		}
	}
	t.Fatalf("no keep-alive comment before the stream ended: %v", sc.Err())
}

func TestUpdateStreamOverWebSocket(t *testing.T) {
	u := newUpdateServer(t, DefaultConfig())
	openSSE(t, u, netAndRouting) // wait until the hub runs
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(u.ts.URL, "http")+"/updates-ws/update-stream-ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(16 << 20)
	if err := conn.Write(ctx, websocket.MessageText, []byte(netAndRouting)); err != nil {
		t.Fatal(err)
	}
	read := func() updates.Event {
		t.Helper()
		_, b, err := conn.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var msg struct {
			Event string          `json:"event"`
			Data  json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(b, &msg); err != nil {
			t.Fatalf("message %s: %v", b, err)
		}
		ev := updates.Event{Data: msg.Data}
		ev.MediaType, ev.SubstreamID = updates.ParseEventName(msg.Event)
		return ev
	}
	rep := updates.NewReplica()
	var names []string
	for range 3 {
		ev := read()
		names = append(names, ev.Name())
		if err := rep.Apply(ev); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{alto.MediaTypeUpdateStreamControl, "application/alto-networkmap+json,net", "application/alto-costmap+json,rc"}
	if !slices.Equal(names, want) {
		t.Fatalf("messages %v; want %v", names, want)
	}
	m := u.publish(t, 5)
	ev := read()
	if ev.Name() != "application/merge-patch+json,rc" {
		t.Fatalf("after a metric change: %s", ev.Name())
	}
	if err := rep.Apply(ev); err != nil {
		t.Fatal(err)
	}
	if w, _ := updates.Canonical(m.CostMaps[0].Response.Body); string(rep.Docs["rc"]) != string(w) {
		t.Error("patched cost map differs from the served one")
	}
	// Stream control is HTTP, as for SSE.
	if status, _ := postControl(t, u, rep.ControlURI, `{"remove":[]}`); status != http.StatusNoContent {
		t.Fatalf("remove all: %d", status)
	}
	if ev := read(); string(ev.Data) != `{"stopped":["net","rc"]}` {
		t.Errorf("after remove all: %s", ev.Data)
	}
	if _, _, err := conn.Read(ctx); websocket.CloseStatus(err) != websocket.StatusNormalClosure {
		t.Errorf("after the stream ended: %v; want a normal closure", err)
	}

	// A refused request comes back as an alto-error message.
	conn2, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(u.ts.URL, "http")+"/updates-ws/update-stream-ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.CloseNow()
	_ = conn2.Write(ctx, websocket.MessageText, []byte(`{"remove":[]}`))
	_, b, err := conn2.Read(ctx)
	if err != nil || string(b) != `{"event":"application/alto-error+json","data":{"meta":{"code":"E_MISSING_FIELD","field":"add"}}}` {
		t.Errorf("refused request: %s %v", b, err)
	}
}

// TestSSEWireFormat pins the bytes of a stream: the control event, the
// full replacements, and a link metric change as a merge patch.
func TestSSEWireFormat(t *testing.T) {
	u := newUpdateServer(t, DefaultConfig())
	_, resp := openSSE(t, u, netAndRouting)
	br := bufio.NewReader(resp.Body)
	var wire strings.Builder
	events := 0
	for events < 4 {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		wire.WriteString(line)
		if line == "\n" {
			events++
			if events == 3 {
				u.publish(t, 5) // after the initial events, a change
			}
		}
	}
	got := wire.String()
	// The stream ID is random.
	i := strings.Index(got, "/updates-control/")
	if i < 0 {
		t.Fatalf("no control URI in\n%s", got)
	}
	got = got[:i] + "/updates-control/STREAM" + got[i+len("/updates-control/")+32:]
	goldenText(t, "sse-stream", got)
}

func goldenText(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden.txt")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./alto/httpapi -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s\n got:\n%s\nwant:\n%s", name, path, got, want)
	}
}
