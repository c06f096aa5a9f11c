package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/altosdn/altosdn/alto/updates"
)

// ringTopology is a ring of n routers with a chord from r00 to r<n/2> of
// IGP metric chord, plus extra (more nodes and links, in the file's YAML).
func ringTopology(n int, chord int, extraNodes, extraLinks string) string {
	var b strings.Builder
	b.WriteString("nodes:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {id: r%02d, prefixes: [10.1.%d.0/24]}\n", i, i)
	}
	b.WriteString(extraNodes)
	b.WriteString("links:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {from: r%02d, to: r%02d, metric: 10}\n", i, (i+1)%n)
	}
	fmt.Fprintf(&b, "  - {from: r00, to: r%02d, metric: %d}\n", n/2, chord)
	b.WriteString(extraLinks)
	return b.String()
}

// topoFile is a topology file the static collector reloads.
type topoFile string

func (f topoFile) write(t *testing.T, s string) {
	t.Helper()
	tmp := string(f) + ".tmp"
	if err := os.WriteFile(tmp, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, string(f)); err != nil {
		t.Fatal(err)
	}
}

// streamClient reads an update stream (SSE or WebSocket) in the background
// and keeps a replica of its resources.
type streamClient struct {
	events chan updates.Event
	errc   chan error
	rep    *updates.Replica
	close  func()
}

func newStreamClient(next func() (updates.Event, error), closeFn func()) *streamClient {
	c := &streamClient{events: make(chan updates.Event, 1024), errc: make(chan error, 1), rep: updates.NewReplica(), close: closeFn}
	go func() {
		for {
			ev, err := next()
			if err != nil {
				c.errc <- err
				close(c.events)
				return
			}
			c.events <- ev
		}
	}()
	return c
}

// next returns the next event, applied to the replica.
func (c *streamClient) next(t *testing.T) updates.Event {
	t.Helper()
	select {
	case ev, ok := <-c.events:
		if !ok {
			t.Fatalf("stream ended: %v", <-c.errc)
		}
		if err := c.rep.Apply(ev); err != nil {
			t.Fatalf("applying %s: %v", ev.Name(), err)
		}
		return ev
	case <-time.After(20 * time.Second):
		t.Fatal("no event within 20 s")
	}
	return updates.Event{}
}

// until reads events until done says the replica has what the test waits
// for, and returns them.
func (c *streamClient) until(t *testing.T, done func(evs []updates.Event) bool) []updates.Event {
	t.Helper()
	var evs []updates.Event
	for !done(evs) {
		evs = append(evs, c.next(t))
	}
	return evs
}

func names(evs []updates.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Name())
	}
	return out
}

const streamAccept = "text/event-stream,application/alto-error+json"

// openSSE opens an update stream, retrying while the daemon's update
// service has no maps yet.
func openSSE(t *testing.T, d *daemon, body string) *streamClient {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		req, _ := http.NewRequest(http.MethodPost, d.base+"/updates/update-stream", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/alto-updatestreamparams+json")
		req.Header.Set("Accept", streamAccept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode == http.StatusOK {
			r := updates.NewSSEReader(resp.Body, 64<<20)
			c := newStreamClient(r.Next, func() { resp.Body.Close() })
			t.Cleanup(c.close)
			return c
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || time.Now().After(deadline) {
			t.Fatalf("update stream: %d %s", resp.StatusCode, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func openWebSocket(t *testing.T, d *daemon, body string) *streamClient {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(d.base, "http")+"/updates-ws/update-stream-ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetReadLimit(64 << 20)
	if err := conn.Write(ctx, websocket.MessageText, []byte(body)); err != nil {
		t.Fatal(err)
	}
	next := func() (updates.Event, error) {
		_, b, err := conn.Read(ctx)
		if err != nil {
			return updates.Event{}, err
		}
		var msg struct {
			Event string          `json:"event"`
			Data  json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(b, &msg); err != nil {
			return updates.Event{}, err
		}
		ev := updates.Event{Data: msg.Data}
		ev.MediaType, ev.SubstreamID = updates.ParseEventName(msg.Event)
		return ev, nil
	}
	c := newStreamClient(next, func() { conn.CloseNow(); cancel() })
	t.Cleanup(c.close)
	return c
}

// control posts a stream control request to the stream's control URI.
func control(t *testing.T, d *daemon, c *streamClient, body string) int {
	t.Helper()
	base, _ := url.Parse(d.base + "/updates/update-stream")
	ref, err := url.Parse(c.rep.ControlURI)
	if err != nil || c.rep.ControlURI == "" {
		t.Fatalf("control URI %q: %v", c.rep.ControlURI, err)
	}
	req, _ := http.NewRequest(http.MethodPost, base.ResolveReference(ref).String(), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/alto-updatestreamparams+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// served returns a resource as the daemon serves it now, canonical.
func served(t *testing.T, d *daemon, path string) []byte {
	t.Helper()
	status, _, body := get(t, d.base+path, "")
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d", path, status)
	}
	c, err := updates.Canonical(body)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// consistent checks that a client's replica equals what the daemon serves.
func consistent(t *testing.T, d *daemon, c *streamClient, paths map[string]string) {
	t.Helper()
	for id, path := range paths {
		if got, want := string(c.rep.Docs[id]), string(served(t, d, path)); got != want {
			t.Errorf("%s: the client's copy differs from GET %s\n got %.300s\nwant %.300s", id, path, got, want)
		}
	}
}

func hasEvent(evs []updates.Event, name string) bool {
	for _, e := range evs {
		if e.Name() == name {
			return true
		}
	}
	return false
}

const (
	rcPath  = "/costmap/costmap-routingcost-numerical"
	hcPath  = "/costmap/costmap-hopcount-numerical"
	netPath = "/networkmap/default-network-map"
)

func TestUpdateStreams(t *testing.T) {
	topo := topoFile(filepath.Join(t.TempDir(), "topo.yaml"))
	topo.write(t, ringTopology(8, 50, "", ""))
	d := startDaemon(t, "alto: {recompute_min_interval: 0s}\ncollectors: {static: {file: "+string(topo)+", reload_interval: 100ms}}\n")
	d.waitReady(t)
	const req = `{"add":{"net":{"resource-id":"default-network-map"},"rc":{"resource-id":"costmap-routingcost-numerical"},"hc":{"resource-id":"costmap-hopcount-numerical"}}}`
	paths := map[string]string{"net": netPath, "rc": rcPath, "hc": hcPath}
	sse, ws := openSSE(t, d, req), openWebSocket(t, d, req)
	for _, c := range []*streamClient{sse, ws} {
		evs := c.until(t, func(evs []updates.Event) bool { return len(evs) == 4 })
		want := []string{"application/alto-updatestreamcontrol+json", "application/alto-networkmap+json,net",
			"application/alto-costmap+json,rc", "application/alto-costmap+json,hc"}
		if strings.Join(names(evs), " ") != strings.Join(want, " ") {
			t.Fatalf("first events %v; want %v", names(evs), want)
		}
		consistent(t, d, c, paths)
	}

	t.Run("a link metric change arrives as a patch", func(t *testing.T) {
		// r00–r04 at 5 instead of 50: the shortest paths across the ring change.
		topo.write(t, ringTopology(8, 5, "", ""))
		for _, c := range []*streamClient{sse, ws} {
			evs := c.until(t, func(evs []updates.Event) bool { return hasEvent(evs, "application/merge-patch+json,rc") })
			for _, ev := range evs {
				if ev.SubstreamID == "net" {
					t.Errorf("a metric change sent a network map update: %s", ev.Name())
				}
				if ev.MediaType != "application/merge-patch+json" {
					t.Errorf("event %s; want merge patches only", ev.Name())
				}
			}
			if len(evs[0].Data) > 400 {
				t.Errorf("patch of %d bytes for one link on an 8-PID map", len(evs[0].Data))
			}
		}
		// hopcount may or may not change; drain what is due, then compare.
		time.Sleep(300 * time.Millisecond)
		for _, c := range []*streamClient{sse, ws} {
			for len(c.events) > 0 {
				c.next(t)
			}
			consistent(t, d, c, paths)
		}
	})

	t.Run("a network map change precedes the cost maps that depend on it", func(t *testing.T) {
		topo.write(t, ringTopology(8, 5, "  - {id: r99, prefixes: [10.9.0.0/24]}\n", "  - {from: r99, to: r03, metric: 1}\n"))
		for _, c := range []*streamClient{sse, ws} {
			evs := c.until(t, func(evs []updates.Event) bool {
				return hasEvent(evs, "application/alto-costmap+json,rc") && hasEvent(evs, "application/alto-costmap+json,hc")
			})
			if evs[0].SubstreamID != "net" {
				t.Errorf("events %v; the network map must come first", names(evs))
			}
			var nm struct {
				Meta struct {
					VTag struct{ Tag string } `json:"vtag"`
				} `json:"meta"`
			}
			_ = json.Unmarshal(c.rep.Docs["net"], &nm)
			var cm struct {
				Meta struct {
					Dependent []struct{ Tag string } `json:"dependent-vtags"`
				} `json:"meta"`
			}
			_ = json.Unmarshal(c.rep.Docs["rc"], &cm)
			if len(cm.Meta.Dependent) != 1 || cm.Meta.Dependent[0].Tag != nm.Meta.VTag.Tag {
				t.Errorf("cost map depends on %+v; the network map is %s", cm.Meta.Dependent, nm.Meta.VTag.Tag)
			}
			consistent(t, d, c, paths)
		}
	})

	t.Run("add and remove through stream control", func(t *testing.T) {
		if s := control(t, d, sse, `{"add":{"hops-rank":{"resource-id":"costmap-hopcount-ordinal"}},"remove":["hc"]}`); s != http.StatusNoContent {
			t.Fatalf("control: %d; want 204", s)
		}
		evs := sse.until(t, func(evs []updates.Event) bool { return len(evs) == 2 })
		if !evs[0].IsControl() || string(evs[0].Data) != `{"stopped":["hc"]}` || evs[1].Name() != "application/alto-costmap+json,hops-rank" {
			t.Errorf("after add+remove: %v %s", names(evs), evs[0].Data)
		}
		consistent(t, d, sse, map[string]string{"hops-rank": "/costmap/costmap-hopcount-ordinal"})
		if s := control(t, d, sse, `{"remove":["nope"]}`); s != http.StatusBadRequest {
			t.Errorf("removing an unknown substream: %d; want 400", s)
		}
	})

	t.Run("a client that reconnects", func(t *testing.T) {
		// The client keeps its copies and names the network map version it
		// has: it gets no network map, and the cost map in full.
		old := sse.rep
		sse.close()
		var nm struct {
			Meta struct {
				VTag struct{ Tag string } `json:"vtag"`
			} `json:"meta"`
		}
		_ = json.Unmarshal(old.Docs["net"], &nm)
		again := openSSE(t, d, `{"add":{"net":{"resource-id":"default-network-map","tag":"`+nm.Meta.VTag.Tag+`"},"rc":{"resource-id":"costmap-routingcost-numerical"}}}`)
		again.rep.Docs["net"] = old.Docs["net"]
		evs := again.until(t, func(evs []updates.Event) bool { return len(evs) == 2 })
		if evs[1].Name() != "application/alto-costmap+json,rc" {
			t.Errorf("after reconnecting with the current tag: %v; want the cost map only", names(evs))
		}
		topo.write(t, ringTopology(8, 7, "  - {id: r99, prefixes: [10.9.0.0/24]}\n", "  - {from: r99, to: r03, metric: 1}\n"))
		again.until(t, func(evs []updates.Event) bool { return hasEvent(evs, "application/merge-patch+json,rc") })
		consistent(t, d, again, map[string]string{"net": netPath, "rc": rcPath})
	})
	d.stop(t)
}

// dialSmallWindow connects with a tiny receive buffer, so a client that
// does not read blocks the server's writes after a few kilobytes.
func dialSmallWindow(t *testing.T, addr string) net.Conn {
	t.Helper()
	dialer := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) { serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		if err != nil {
			return err
		}
		return serr
	}}
	conn, err := dialer.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// A client that stops reading does not hold up the others; when it reads
// again it is re-synchronised with full replacements, and ends up with
// exactly what the server serves.
func TestUpdateStreamSlowClient(t *testing.T) {
	topo := topoFile(filepath.Join(t.TempDir(), "topo.yaml"))
	// Big enough that what the slow client does not read (every cost map,
	// eight times over) is more than the kernel buffers hold: loopback send
	// buffers grow to 4 MiB.
	const n = 150
	topo.write(t, ringTopology(n, 50, "", ""))
	d := startDaemonHTTP(t, "updates: {queue_changes: 2, max_substreams: 128}",
		"alto: {recompute_min_interval: 0s}\ncollectors: {static: {file: "+string(topo)+", reload_interval: 100ms}}\n")
	d.waitReady(t)
	var ird directory
	_, _, body := get(t, d.base+"/directory", "")
	if err := json.Unmarshal(body, &ird); err != nil {
		t.Fatal(err)
	}
	adds := []string{`"net":{"resource-id":"default-network-map"}`}
	paths := map[string]string{"net": netPath}
	for id, e := range ird.Resources {
		if e.MediaType == "application/alto-costmap+json" && e.Accepts == "" {
			adds = append(adds, fmt.Sprintf(`%q:{"resource-id":%q}`, id, id))
			paths[id] = "/costmap/" + id
		}
	}
	req := `{"add":{` + strings.Join(adds, ",") + `}}`
	fast := openSSE(t, d, req)
	slowAdds := slices.Clone(adds)
	for copy := range 7 {
		for id, path := range paths {
			if strings.Contains(path, "costmap") {
				slowAdds = append(slowAdds, fmt.Sprintf(`"%s-%d":{"resource-id":%q}`, id, copy, id))
			}
		}
	}
	slowReq := `{"add":{` + strings.Join(slowAdds, ",") + `}}`
	fast.until(t, func(evs []updates.Event) bool { return len(evs) == len(paths)+1 })

	// The slow client sends its request and reads nothing.
	u, _ := url.Parse(d.base)
	conn := dialSmallWindow(t, u.Host)
	fmt.Fprintf(conn, "POST /updates/update-stream HTTP/1.1\r\nHost: %s\r\nContent-Type: application/alto-updatestreamparams+json\r\nAccept: %s\r\nContent-Length: %d\r\n\r\n%s",
		u.Host, streamAccept, len(slowReq), slowReq)

	for i, chord := range []int{40, 30, 20, 12, 8, 6} {
		start := time.Now()
		topo.write(t, ringTopology(n, chord, "", ""))
		fast.until(t, func(evs []updates.Event) bool {
			return hasEvent(evs, "application/merge-patch+json,costmap-routingcost-numerical")
		})
		t.Logf("change %d reached the fast client in %v", i, time.Since(start))
	}
	time.Sleep(300 * time.Millisecond) // let the last updates land
	for len(fast.events) > 0 {
		fast.next(t)
	}
	consistent(t, d, fast, paths)
	if fast.rep.Patches == 0 {
		t.Error("the fast client got no patch")
	}

	// Now the slow client reads.
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("slow client: status %d", resp.StatusCode)
	}
	r := updates.NewSSEReader(resp.Body, 64<<20)
	slow := newStreamClient(r.Next, func() { resp.Body.Close() })
	t.Cleanup(slow.close)
	slow.until(t, func([]updates.Event) bool {
		if len(slow.events) > 0 {
			return false
		}
		time.Sleep(200 * time.Millisecond) // more may be on the way
		if len(slow.events) > 0 {
			return false
		}
		for id, path := range paths {
			if string(slow.rep.Docs[id]) != string(served(t, d, path)) {
				return false
			}
		}
		return true
	})
	resynced := false
	for _, desc := range slow.rep.Descriptions {
		resynced = resynced || strings.Contains(desc, "re-synchronising")
	}
	if !resynced {
		t.Errorf("the slow client was never re-synchronised (descriptions %q); its queue should have overflowed", slow.rep.Descriptions)
	}
	if !strings.Contains(d.Logs(), "re-synchronising") {
		t.Error("the daemon did not log the re-synchronisation")
	}
	d.stop(t)
}
