package updates

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/altosdn/altosdn/alto"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// hubWithMaps returns a running test hub with maps of a random network,
// and the configuration and graph seed behind them.
func hubWithMaps(t *testing.T, cfg Config) (*Hub, alto.Config, *alto.Maps) {
	t.Helper()
	altoCfg := testConfig()
	h := newTestHub(t, cfg, altoCfg)
	m := build(t, randomGraph(t, 12, 3, 1), altoCfg)
	h.advance(mapsWorld{m: m, limits: altoCfg.Limits})
	return h, altoCfg, m
}

func TestOpenErrors(t *testing.T) {
	h, _, _ := hubWithMaps(t, DefaultConfig())
	small := DefaultConfig()
	small.MaxSubstreams = 1
	hSmall, _, _ := hubWithMaps(t, small)
	tests := []struct {
		name  string
		h     *Hub
		body  string
		code  alto.ErrorCode
		field string
		value string
	}{
		{"not JSON", h, `{"add":`, alto.CodeSyntax, "", ""},
		{"not an object", h, `[1]`, alto.CodeSyntax, "", ""},
		{"no add (RFC 8895 §6.6)", h, `{"remove":["x"]}`, alto.CodeMissingField, "add", ""},
		{"empty add", h, `{"add":{}}`, alto.CodeInvalidFieldValue, "add", ""},
		{"add not an object", h, `{"add":[]}`, alto.CodeInvalidFieldType, "add", ""},
		{"bad substream id", h, `{"add":{"a b":{"resource-id":"default-network-map"}}}`, alto.CodeInvalidFieldValue, "add", "a b"},
		{"no resource-id", h, `{"add":{"n":{}}}`, alto.CodeMissingField, "add/n/resource-id", ""},
		{"resource-id not a string", h, `{"add":{"n":{"resource-id":7}}}`, alto.CodeInvalidFieldType, "add/n/resource-id", ""},
		{"unknown resource", h, `{"add":{"n":{"resource-id":"nope"}}}`, alto.CodeInvalidFieldValue, "add/n/resource-id", "nope"},
		{"incremental-changes not a boolean", h, `{"add":{"n":{"resource-id":"default-network-map","incremental-changes":"yes"}}}`,
			alto.CodeInvalidFieldType, "add/n/incremental-changes", ""},
		{"POST resource without input", h, `{"add":{"f":{"resource-id":"filtered-network-map"}}}`, alto.CodeMissingField, "add/f/input", ""},
		{"input the resource rejects", h, `{"add":{"f":{"resource-id":"filtered-cost-map","input":{"cost-type":{"cost-mode":"numerical","cost-metric":"nope"}}}}}`,
			alto.CodeInvalidFieldValue, "cost-type/cost-metric", "nope"},
		{"too many substreams", hSmall, `{"add":{"a":{"resource-id":"default-network-map"},"b":{"resource-id":"default-network-map"}}}`,
			alto.CodeInvalidFieldValue, "add", "2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.h.Open(alto.UpdateStreamID, []byte(tc.body), netip.Addr{})
			var ae *alto.Error
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v; want an ALTO error", err)
			}
			if ae.Code != tc.code || ae.Field != tc.field || ae.Value != tc.value {
				t.Errorf("got %s field %q value %q; want %s field %q value %q", ae.Code, ae.Field, ae.Value, tc.code, tc.field, tc.value)
			}
			if n := tc.h.Streams(); n != 0 {
				t.Errorf("%d streams open after a refused request", n)
			}
		})
	}
}

func TestOpenRefusals(t *testing.T) {
	h, _, _ := hubWithMaps(t, DefaultConfig())
	if _, err := h.Open("nope", []byte(`{"add":{}}`), netip.Addr{}); !errors.Is(err, alto.ErrUnknownResource) {
		t.Errorf("unknown service: %v", err)
	}
	h.running.Store(false)
	if _, err := h.Open(alto.UpdateStreamID, []byte(`{"add":{"n":{"resource-id":"default-network-map"}}}`), netip.Addr{}); !errors.Is(err, ErrNotRunning) {
		t.Errorf("hub not running: %v", err)
	}
	empty := newTestHub(t, DefaultConfig(), testConfig())
	if _, err := empty.Open(alto.UpdateStreamID, []byte(`{"add":{"n":{"resource-id":"default-network-map"}}}`), netip.Addr{}); !errors.Is(err, alto.ErrNotReady) {
		t.Errorf("no maps yet: %v", err)
	}
	one := DefaultConfig()
	one.MaxStreams = 1
	h1, _, _ := hubWithMaps(t, one)
	mustOpen(t, h1, `{"add":{"n":{"resource-id":"default-network-map"}}}`)
	if _, err := h1.Open(alto.UpdateStreamID, []byte(`{"add":{"n":{"resource-id":"default-network-map"}}}`), netip.Addr{}); !errors.Is(err, ErrTooManyStreams) {
		t.Errorf("over max_streams: %v", err)
	}
}

func TestControlErrors(t *testing.T) {
	h, _, _ := hubWithMaps(t, DefaultConfig())
	s := mustOpen(t, h, `{"add":{"net":{"resource-id":"default-network-map"},"rc":{"resource-id":"costmap-routingcost-numerical"}}}`)
	drain(t, s)
	if err := h.Control(s.ID(), []byte(`{"remove":["rc"]}`)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, body string
		field      string
		values     []string // a list value
		value      string
	}{
		{"reused id (even removed)", `{"add":{"rc":{"resource-id":"costmap-hopcount-numerical"}}}`, "add", nil, "rc"},
		{"unknown id in remove", `{"remove":["net","ghost","spook"]}`, "remove", []string{"ghost", "spook"}, ""},
		{"add with an empty remove", `{"add":{"x":{"resource-id":"costmap-hopcount-numerical"}},"remove":[]}`, "remove", []string{}, ""},
		{"added and removed at once", `{"add":{"x":{"resource-id":"costmap-hopcount-numerical"}},"remove":["x"]}`, "remove", []string{"x"}, ""},
		{"remove not an array", `{"remove":"net"}`, "remove", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := h.Control(s.ID(), []byte(tc.body))
			var le *ListValueError
			var ae *alto.Error
			switch {
			case errors.As(err, &le):
				if le.Field != tc.field || !cmp.Equal(le.Values, tc.values) {
					t.Errorf("got field %q values %q; want %q %q", le.Field, le.Values, tc.field, tc.values)
				}
			case errors.As(err, &ae):
				if ae.Field != tc.field || ae.Value != tc.value || tc.values != nil {
					t.Errorf("got %v; want field %q value %q", ae, tc.field, tc.value)
				}
			default:
				t.Fatalf("err = %v", err)
			}
		})
	}
	// Nothing changed: the stream still has its network map, nothing more.
	if evs := drain(t, s); len(evs) != 1 || !strings.Contains(string(evs[0].Data), `"stopped":["rc"]`) {
		t.Errorf("events after failed controls: %v", eventNames(evs))
	}
	if err := h.Control("0123", []byte(`{"remove":["net"]}`)); !errors.Is(err, ErrStreamClosed) {
		t.Errorf("unknown stream: %v", err)
	}
	if err := h.Control(s.ID(), []byte(`{"remove":`)); err == nil || errors.Is(err, ErrStreamClosed) {
		t.Errorf("syntax error: %v", err)
	}
}

// A client that stops reading fills its bounded queue; it is then
// re-synchronised (a control event, then full replacements of the current
// versions), never sent a patch against a version it lacks, and the other
// clients are not held up.
func TestSlowClientIsResynchronised(t *testing.T) {
	cfg := DefaultConfig()
	cfg.QueueChanges = 2
	altoCfg := testConfig()
	h := newTestHub(t, cfg, altoCfg)
	g := randomGraph(t, 12, 3, 5)
	m := build(t, g, altoCfg)
	h.advance(mapsWorld{m: m, limits: altoCfg.Limits})
	const req = `{"add":{"net":{"resource-id":"default-network-map"},"rc":{"resource-id":"costmap-routingcost-numerical"}}}`
	slow, fast := mustOpen(t, h, req), mustOpen(t, h, req)
	slowRep, fastRep := NewReplica(), NewReplica()
	apply := func(rep *Replica, evs []Event) {
		t.Helper()
		for _, ev := range evs {
			if err := rep.Apply(ev); err != nil {
				t.Fatal(err)
			}
		}
	}
	apply(slowRep, drain(t, slow))
	apply(fastRep, drain(t, fast))

	r := newRand(9)
	for i := 0; i < 6; i++ {
		// Only link metrics change, so every change patches routingcost.
		for {
			ng, what := mutate(t, g, r)
			if strings.HasPrefix(what, "metric") {
				g = ng
				break
			}
		}
		m = build(t, g, altoCfg)
		h.advance(mapsWorld{m: m, limits: altoCfg.Limits})
		apply(fastRep, drain(t, fast))
	}
	if slow.Resyncs() == 0 {
		t.Fatal("the slow stream never overflowed its queue")
	}
	evs := drain(t, slow)
	if len(evs) == 0 || !evs[0].IsControl() || !strings.Contains(string(evs[0].Data), "re-synchronising") {
		t.Fatalf("slow client's first event after falling behind: %v", eventNames(evs))
	}
	for _, ev := range evs[1:] {
		if ev.MediaType == alto.MediaTypeMergePatch || ev.MediaType == alto.MediaTypeJSONPatch {
			t.Errorf("slow client got a patch (%s) after a re-synchronisation", ev.Name())
		}
	}
	apply(slowRep, evs)
	for _, rep := range []*Replica{slowRep, fastRep} {
		if got, want := string(rep.Docs["rc"]), string(canonical(t, m.CostMaps[0].Response.Body)); got != want {
			t.Errorf("replica's cost map is not the current one")
		}
	}
	if fastRep.Patches == 0 || fast.Resyncs() != 0 {
		t.Errorf("fast client: %d patches, %d resyncs; want patches and no resync", fastRep.Patches, fast.Resyncs())
	}
}

func TestNonIncrementalGetsFullReplacementsOnly(t *testing.T) {
	altoCfg := testConfig()
	h := newTestHub(t, DefaultConfig(), altoCfg)
	g := randomGraph(t, 12, 3, 2)
	h.advance(mapsWorld{m: build(t, g, altoCfg), limits: altoCfg.Limits})
	s := mustOpen(t, h, `{"add":{"rc":{"resource-id":"costmap-routingcost-numerical","incremental-changes":false}}}`)
	drain(t, s)
	r := newRand(3)
	for range 5 {
		g, _ = mutate(t, g, r)
		h.advance(mapsWorld{m: build(t, g, altoCfg), limits: altoCfg.Limits})
	}
	evs := drain(t, s)
	if len(evs) > 1 {
		t.Errorf("%d events for changes the client collects at once; want one full replacement", len(evs))
	}
	for _, ev := range evs {
		if ev.MediaType != alto.MediaTypeCostMap {
			t.Errorf("event %s for a client that takes no patches", ev.Name())
		}
	}
}

// Equal inputs share one computation, whatever stream they come from.
func TestInputsAreShared(t *testing.T) {
	h, _, _ := hubWithMaps(t, DefaultConfig())
	const in = `{"pids":["router-0001"]}`
	a := mustOpen(t, h, `{"add":{"f":{"resource-id":"filtered-network-map","input":`+in+`}}}`)
	b := mustOpen(t, h, `{"add":{"g":{"resource-id":"filtered-network-map","input":{ "pids" : ["router-0001"] }}}}`)
	if n := len(h.inputs); n != 1 {
		t.Errorf("%d inputs registered; want the one both streams share", n)
	}
	a.Close()
	b.Close()
	if n := len(h.inputs); n != 0 {
		t.Errorf("%d inputs left after both streams closed", n)
	}
	lim := DefaultConfig()
	lim.MaxInputs = 1
	hl, _, _ := hubWithMaps(t, lim)
	_, err := hl.Open(alto.UpdateStreamID, []byte(`{"add":{"f":{"resource-id":"filtered-network-map","input":{"pids":["a"]}},"g":{"resource-id":"filtered-network-map","input":{"pids":["b"]}}}}`), netip.Addr{})
	var ae *alto.Error
	if !errors.As(err, &ae) || ae.Field != "add/g/input" {
		t.Errorf("over max_inputs: %v", err)
	}
}

// An input that no longer computes stops its substream with a reason.
func TestFailingInputStopsItsSubstream(t *testing.T) {
	h := newRFCHub(t)
	in := `{"properties":["p"],"endpoints":["ipv4:192.0.2.1"]}`
	h.advance(&rfcWorld{props: map[string][]byte{string(canonical(t, []byte(in))): []byte(`{"endpoint-properties":{}}`)}})
	s := rfcOpen(t, h, "update-my-props", []byte(`{"add":{"p":{"resource-id":"my-props","input":`+in+`}}}`))
	drain(t, s)
	h.advance(&rfcWorld{props: map[string][]byte{}})
	evs := drain(t, s)
	if len(evs) != 1 || !strings.Contains(string(evs[0].Data), `"stopped":["p"]`) || !strings.Contains(string(evs[0].Data), "no longer applies") {
		t.Fatalf("events: %v %s", eventNames(evs), evs)
	}
	if _, err := s.Next(t.Context()); !errors.Is(err, io.EOF) {
		t.Errorf("stream with no substreams left: Next = %v; want io.EOF", err)
	}
}

// watchSource is a Source with Watch, as the engine has.
type watchSource struct {
	mu   sync.Mutex
	m    *alto.Maps
	next chan struct{}
}

func (w *watchSource) Current() *alto.Maps { m, _ := w.Watch(); return m }
func (w *watchSource) Watch() (*alto.Maps, <-chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.m, w.next
}
func (w *watchSource) set(m *alto.Maps) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.m = m
	close(w.next)
	w.next = make(chan struct{})
}

// Run publishes on every change and, when its context ends, stops every
// stream with a reason and returns nil.
func TestRunPublishesAndShutsDown(t *testing.T) {
	altoCfg := testConfig()
	g := randomGraph(t, 10, 3, 4)
	src := &watchSource{next: make(chan struct{})}
	h, err := NewHub(DefaultConfig(), altoCfg, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx) }()
	src.set(build(t, g, altoCfg))
	var s *Stream
	deadline := time.Now().Add(10 * time.Second)
	for s == nil {
		s, err = h.Open(alto.UpdateStreamID, []byte(`{"add":{"rc":{"resource-id":"costmap-routingcost-numerical"}}}`), netip.Addr{})
		if err != nil && time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	defer s.Close()
	next := func() []Event {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		evs, err := s.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return evs
	}
	wantEvents(t, next(), "application/alto-costmap+json,rc")
	r := newRand(4)
	for {
		ng, what := mutate(t, g, r)
		if strings.HasPrefix(what, "metric") {
			g = ng
			break
		}
	}
	src.set(build(t, g, altoCfg))
	if evs := next(); len(evs) != 1 || evs[0].SubstreamID != "rc" {
		t.Fatalf("after a change: %v", eventNames(evs))
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v; want nil", err)
	}
	evs := next()
	if len(evs) != 1 || !strings.Contains(string(evs[0].Data), `"stopped":["rc"]`) || !strings.Contains(string(evs[0].Data), "shutting down") {
		t.Errorf("at shutdown: %s", evs)
	}
	if _, err := s.Next(context.Background()); !errors.Is(err, io.EOF) {
		t.Errorf("after shutdown Next = %v; want io.EOF", err)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
	bad := DefaultConfig()
	bad.QueueBytes, bad.MaxStreams = 0, -1
	err := bad.Validate()
	for _, want := range []string{"queue_bytes", "max_streams"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v; want it to name %s", err, want)
		}
	}
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 11)) }

func ExampleEvent_AppendSSE() {
	ev := Event{MediaType: alto.MediaTypeMergePatch, SubstreamID: "routing", Data: []byte(`{"cost-map":{"PID2":{"PID3":31}}}`)}
	fmt.Print(string(ev.AppendSSE(nil)))
	// Output:
	// event: application/merge-patch+json,routing
	// data: {"cost-map":{"PID2":{"PID3":31}}}
}
