package grpcapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/collectors"
	altov1 "github.com/altosdn/altosdn/proto/alto/v1"
	"github.com/altosdn/altosdn/topology"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// harness runs a real store and engine behind the server, on loopback.
type harness struct {
	srv     *Server
	store   *topology.Store
	engine  *alto.Engine
	client  altov1.AltoServiceClient
	updates chan topology.Update
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	runErr  error
}

func newHarness(t *testing.T, mod func(*Config)) *harness {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Enabled, cfg.Listen, cfg.ShutdownTimeout = true, "127.0.0.1:0", 5*time.Second
	if mod != nil {
		mod(&cfg)
	}
	acfg := alto.DefaultConfig()
	acfg.RecomputeMinInterval = 0
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	h := &harness{updates: make(chan topology.Update, 16)}
	h.store = topology.NewStore(topology.DefaultConfig(), logger)
	var err error
	if h.engine, err = alto.NewEngine(acfg, h.store, logger); err != nil {
		t.Fatal(err)
	}
	h.srv, err = New(cfg, Deps{
		ALTO: acfg, Maps: h.engine, Topology: h.store, Updates: h.updates, Version: "test",
		Collectors: func() []collectors.Status { return []collectors.Status{{Name: "static", Ready: true}} },
	}, logger)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.wg.Add(3)
	go func() { defer h.wg.Done(); _ = h.store.Run(ctx, h.updates) }()
	go func() { defer h.wg.Done(); _ = h.engine.Run(ctx) }()
	go func() { defer h.wg.Done(); h.runErr = h.srv.Serve(ctx, ln) }()
	conn, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	h.client = altov1.NewAltoServiceClient(conn)
	t.Cleanup(func() {
		conn.Close()
		h.stop(t)
	})
	return h
}

func (h *harness) stop(t *testing.T) {
	h.cancel()
	h.wg.Wait()
	if h.runErr != nil {
		t.Errorf("Serve: %v", h.runErr)
	}
}

// waitGraph waits until the published graph satisfies cond.
func (h *harness) waitGraph(t *testing.T, cond func(*topology.Graph) bool) *topology.Graph {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		g, next := h.store.Watch()
		if cond(g) {
			return g
		}
		select {
		case <-next:
		case <-deadline:
			t.Fatalf("graph never reached the expected state; last has %d nodes, %d links", g.NumNodes(), g.NumLinks())
		}
	}
}

// waitMaps waits until maps computed from at least generation gen exist.
func (h *harness) waitMaps(t *testing.T, gen uint64) *alto.Maps {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		m, next := h.engine.Watch()
		if m != nil && m.Generation >= gen {
			return m
		}
		select {
		case <-next:
		case <-deadline:
			t.Fatalf("maps of generation %d never computed", gen)
		}
	}
}

func key(name string) *altov1.NodeKey {
	return &altov1.NodeKey{Protocol: altov1.Protocol_PROTOCOL_STATIC, RouterId: name}
}

func ref(name string) *altov1.NodeRef { return &altov1.NodeRef{Key: key(name)} }

func f64(v float64) *float64 { return &v }

func node(name, prefix string) ([]*altov1.Node, []*altov1.Prefix) {
	return []*altov1.Node{{Key: key(name), Name: name}}, []*altov1.Prefix{{Node: ref(name), Prefix: prefix}}
}

func links(a, b string, igp float64) []*altov1.Link {
	return []*altov1.Link{
		{Key: &altov1.LinkKey{Local: ref(a), Remote: ref(b)}, Metrics: &altov1.LinkMetrics{IgpMetric: f64(igp)}},
		{Key: &altov1.LinkKey{Local: ref(b), Remote: ref(a)}, Metrics: &altov1.LinkMetrics{IgpMetric: f64(igp)}},
	}
}

// pushAll sends reqs on one stream, then closes it, and returns the acks
// and the stream's final error (nil for a clean end).
func pushAll(t *testing.T, c altov1.AltoServiceClient, reqs ...*altov1.PushTopologyRequest) ([]*altov1.PushTopologyResponse, error) {
	t.Helper()
	stream, err := c.PushTopology(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if err := stream.Send(r); err != nil {
			break // the server ended the stream; Recv reports why
		}
	}
	_ = stream.CloseSend()
	var acks []*altov1.PushTopologyResponse
	for {
		ack, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return acks, nil
		}
		if err != nil {
			return acks, err
		}
		acks = append(acks, ack)
	}
}

func upsert(seq uint64, name, prefix string) *altov1.PushTopologyRequest {
	nodes, prefixes := node(name, prefix)
	return &altov1.PushTopologyRequest{Sequence: seq, Operation: altov1.Operation_OPERATION_UPSERT, Nodes: nodes, Prefixes: prefixes}
}

func detail(t *testing.T, err error) (codes.Code, *altov1.ErrorDetail) {
	t.Helper()
	st, ok := status.FromError(err)
	if !ok {
		t.Fatalf("not a status error: %v", err)
	}
	for _, d := range st.Details() {
		if ed, ok := d.(*altov1.ErrorDetail); ok {
			return st.Code(), ed
		}
	}
	return st.Code(), nil
}

func nodeNames(g *topology.Graph) []string {
	var names []string
	for _, n := range g.Nodes() {
		names = append(names, n.Name)
	}
	return names
}

// Five requests on one stream, the fifth invalid: the first four stay
// applied (each was acknowledged), the fifth is rejected whole with its
// field named, and the stream ends with INVALID_ARGUMENT.
func TestPushPrefixSemanticsAcrossRequests(t *testing.T) {
	h := newHarness(t, nil)
	bad := upsert(5, "e", "10.0.5.0/24")
	bad.Prefixes = append(bad.Prefixes, &altov1.Prefix{Node: ref("e"), Prefix: "10.0.6.1/24"})
	acks, err := pushAll(t, h.client,
		upsert(1, "a", "10.0.1.0/24"), upsert(2, "b", "10.0.2.0/24"),
		upsert(3, "c", "10.0.3.0/24"), upsert(4, "d", "10.0.4.0/24"), bad)
	code, d := detail(t, err)
	if code != codes.InvalidArgument || d == nil {
		t.Fatalf("error = %v; want InvalidArgument with a detail", err)
	}
	want := &altov1.ErrorDetail{Code: "E_INVALID_FIELD_VALUE", Field: "prefixes[1].prefix", Value: "10.0.6.1/24", Sequence: 5}
	if diff := cmp.Diff(want, d, cmpProto); diff != "" {
		t.Errorf("detail mismatch (-want +got):\n%s", diff)
	}
	if len(acks) != 4 {
		t.Fatalf("got %d acks; want 4", len(acks))
	}
	for i, a := range acks {
		if a.GetSequence() != uint64(i+1) || !a.GetCommitted() || a.GetNodes() != 1 || a.GetPrefixes() != 1 {
			t.Errorf("ack %d = %v", i, a)
		}
	}
	g := h.waitGraph(t, func(g *topology.Graph) bool { return g.NumNodes() == 4 })
	if diff := cmp.Diff([]string{"a", "b", "c", "d"}, nodeNames(g)); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
}

// One request whose fifth node is invalid applies none of its nodes.
func TestPushRequestIsAtomic(t *testing.T) {
	h := newHarness(t, nil)
	req := &altov1.PushTopologyRequest{Sequence: 1, Operation: altov1.Operation_OPERATION_UPSERT}
	for _, n := range []string{"a", "b", "c", "d"} {
		req.Nodes = append(req.Nodes, &altov1.Node{Key: key(n)})
	}
	req.Nodes = append(req.Nodes, &altov1.Node{Key: &altov1.NodeKey{Protocol: altov1.Protocol_PROTOCOL_STATIC}})
	acks, err := pushAll(t, h.client, req)
	code, d := detail(t, err)
	if code != codes.InvalidArgument || d.GetField() != "nodes[4].key.router_id" || d.GetCode() != "E_MISSING_FIELD" {
		t.Fatalf("error = %v, detail %v", err, d)
	}
	if len(acks) != 0 || len(h.updates) != 0 || h.store.Snapshot().NumNodes() != 0 {
		t.Errorf("something was applied: %d acks, %d queued, %d nodes", len(acks), len(h.updates), h.store.Snapshot().NumNodes())
	}
}

// A REPLACE in five chunks whose fifth is invalid applies none of them:
// the graph keeps what the source had before.
func TestPushReplaceIsAllOrNothing(t *testing.T) {
	h := newHarness(t, nil)
	if _, err := pushAll(t, h.client, upsert(1, "old", "10.9.0.0/16")); err != nil {
		t.Fatal(err)
	}
	h.waitGraph(t, func(g *topology.Graph) bool { return g.NumNodes() == 1 })
	var reqs []*altov1.PushTopologyRequest
	for i, n := range []string{"a", "b", "c", "d", "e"} {
		r := upsert(uint64(10+i), n, "10.0."+string(rune('1'+i))+".0/24")
		r.Operation, r.More = altov1.Operation_OPERATION_REPLACE, i < 4
		reqs = append(reqs, r)
	}
	reqs[4].Links = []*altov1.Link{{Key: &altov1.LinkKey{Local: ref("e"), Remote: ref("e")}}}
	acks, err := pushAll(t, h.client, reqs...)
	code, d := detail(t, err)
	if code != codes.InvalidArgument || d.GetField() != "links[0].key.remote" || d.GetSequence() != 14 {
		t.Fatalf("error = %v, detail %v", err, d)
	}
	if len(acks) != 4 {
		t.Fatalf("got %d acks; want 4 uncommitted chunk acks", len(acks))
	}
	for _, a := range acks {
		if a.GetCommitted() {
			t.Errorf("chunk %d acknowledged as committed", a.GetSequence())
		}
	}
	// Prove the store has seen everything queued before judging the graph:
	// push a marker through the same channel.
	if _, err := pushAll(t, h.client, upsert(99, "marker", "10.99.0.0/16")); err != nil {
		t.Fatal(err)
	}
	g := h.waitGraph(t, func(g *topology.Graph) bool { return g.NumNodes() == 2 })
	if diff := cmp.Diff([]string{"marker", "old"}, nodeNames(g)); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
}

// A complete REPLACE in chunks becomes one update replacing the source's
// whole contribution, and the maps follow.
func TestPushReplaceCommitsAndMapsFollow(t *testing.T) {
	h := newHarness(t, nil)
	if _, err := pushAll(t, h.client, upsert(1, "old", "10.9.0.0/16")); err != nil {
		t.Fatal(err)
	}
	a, ap := node("a", "10.0.1.0/24")
	b, bp := node("b", "10.0.2.0/24")
	acks, err := pushAll(t, h.client,
		&altov1.PushTopologyRequest{Sequence: 1, Operation: altov1.Operation_OPERATION_REPLACE, More: true, Nodes: a, Prefixes: ap},
		&altov1.PushTopologyRequest{Sequence: 2, Operation: altov1.Operation_OPERATION_REPLACE, More: true, Nodes: b, Prefixes: bp},
		&altov1.PushTopologyRequest{Sequence: 3, Operation: altov1.Operation_OPERATION_REPLACE, Links: links("a", "b", 7)},
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(acks) != 3 || !acks[2].GetCommitted() || acks[2].GetNodes() != 2 || acks[2].GetLinks() != 2 || acks[2].GetPrefixes() != 2 {
		t.Fatalf("acks = %v", acks)
	}
	g := h.waitGraph(t, func(g *topology.Graph) bool { return g.NumNodes() == 2 && g.NumLinks() == 2 })
	if diff := cmp.Diff([]string{"a", "b"}, nodeNames(g)); diff != "" {
		t.Errorf("nodes (-want +got):\n%s", diff)
	}
	h.waitMaps(t, g.Generation())
	resp, err := h.client.GetCostMap(t.Context(), &altov1.GetCostMapRequest{CostType: &altov1.CostType{Metric: "routingcost", Mode: "numerical"}})
	if err != nil {
		t.Fatal(err)
	}
	var got float64
	for _, r := range resp.GetCostMap().GetRows() {
		for _, c := range r.GetCosts() {
			if r.GetSrc() == "a" && c.GetDst() == "b" {
				got = c.GetCost()
			}
		}
	}
	if got != 7 {
		t.Errorf("a -> b routingcost = %v; want 7", got)
	}

	// Withdraw b: only identities matter.
	if _, err := pushAll(t, h.client, &altov1.PushTopologyRequest{Sequence: 4, Operation: altov1.Operation_OPERATION_WITHDRAW,
		Nodes: []*altov1.Node{{Key: key("b")}}}); err != nil {
		t.Fatal(err)
	}
	h.waitGraph(t, func(g *topology.Graph) bool { return g.NumNodes() == 1 })
}

func TestPushRejections(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Push.Sources = []topology.Source{"controller", "controller-b"} })
	chunk := upsert(1, "a", "10.0.1.0/24")
	chunk.Operation, chunk.More = altov1.Operation_OPERATION_REPLACE, true
	tests := []struct {
		name  string
		reqs  []*altov1.PushTopologyRequest
		code  codes.Code
		field string
	}{
		{"no operation", []*altov1.PushTopologyRequest{{Sequence: 1}}, codes.InvalidArgument, "operation"},
		{"unknown source", []*altov1.PushTopologyRequest{{Sequence: 1, Source: "bgpls", Operation: altov1.Operation_OPERATION_UPSERT}}, codes.PermissionDenied, ""},
		{"source changes", []*altov1.PushTopologyRequest{upsert(1, "a", "10.0.1.0/24"), {Sequence: 2, Source: "controller-b", Operation: altov1.Operation_OPERATION_UPSERT}}, codes.FailedPrecondition, ""},
		{"upsert inside a replace", []*altov1.PushTopologyRequest{chunk, upsert(2, "b", "10.0.2.0/24")}, codes.FailedPrecondition, ""},
		{"more on an upsert", []*altov1.PushTopologyRequest{{Sequence: 1, Operation: altov1.Operation_OPERATION_UPSERT, More: true}}, codes.InvalidArgument, "more"},
		{"bad router id", []*altov1.PushTopologyRequest{{Sequence: 1, Operation: altov1.Operation_OPERATION_UPSERT,
			Nodes: []*altov1.Node{{Key: key("a"), RouterIdV4: "2001:db8::1"}}}}, codes.InvalidArgument, "nodes[0].router_id_v4"},
		{"negative metric", []*altov1.PushTopologyRequest{{Sequence: 1, Operation: altov1.Operation_OPERATION_UPSERT,
			Links: []*altov1.Link{{Key: &altov1.LinkKey{Local: ref("a"), Remote: ref("b")}, Metrics: &altov1.LinkMetrics{DelayUs: f64(-1)}}}}}, codes.InvalidArgument, "links[0].metrics.delay_us"},
		{"duplicate node", []*altov1.PushTopologyRequest{{Sequence: 1, Operation: altov1.Operation_OPERATION_UPSERT,
			Nodes: []*altov1.Node{{Key: key("a")}, {Key: key("a")}}}}, codes.InvalidArgument, "nodes[1]"},
		{"node ref with key and id", []*altov1.PushTopologyRequest{{Sequence: 1, Operation: altov1.Operation_OPERATION_UPSERT,
			Prefixes: []*altov1.Prefix{{Node: &altov1.NodeRef{Key: key("a"), Id: "x"}, Prefix: "10.0.0.0/8"}}}}, codes.InvalidArgument, "prefixes[0].node"},
		{"missing prefix", []*altov1.PushTopologyRequest{{Sequence: 1, Operation: altov1.Operation_OPERATION_UPSERT,
			Prefixes: []*altov1.Prefix{{Node: ref("a")}}}}, codes.InvalidArgument, "prefixes[0].prefix"},
		{"loss above 100", []*altov1.PushTopologyRequest{{Sequence: 1, Operation: altov1.Operation_OPERATION_UPSERT,
			Overlays: []*altov1.LinkOverlay{{Link: &altov1.LinkKey{Local: ref("a"), Remote: ref("b")}, Metrics: &altov1.LinkMetrics{LossPercent: f64(101)}}}}}, codes.InvalidArgument, "overlays[0].metrics.loss_percent"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := pushAll(t, h.client, tc.reqs...)
			code, d := detail(t, err)
			if code != tc.code || d.GetField() != tc.field {
				t.Errorf("got %v (field %q); want %v field %q", err, d.GetField(), tc.code, tc.field)
			}
		})
	}
}

func TestPushDisabled(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Push.Enabled = false })
	_, err := pushAll(t, h.client, upsert(1, "a", "10.0.1.0/24"))
	if status.Code(err) != codes.PermissionDenied {
		t.Errorf("error = %v; want PermissionDenied", err)
	}
}

// The maps over gRPC are the maps over HTTP: the typed content matches the
// RFC 7285 JSON body, which is the very body the HTTP server writes.
func TestMapsMatchTheJSONBodies(t *testing.T) {
	h := newHarness(t, nil)
	a, ap := node("a", "10.0.1.0/24")
	b, bp := node("b", "2001:db8:2::/48")
	if _, err := pushAll(t, h.client, &altov1.PushTopologyRequest{Sequence: 1, Operation: altov1.Operation_OPERATION_REPLACE,
		Nodes: append(a, b...), Prefixes: append(ap, bp...), Links: links("a", "b", 3)}); err != nil {
		t.Fatal(err)
	}
	g := h.waitGraph(t, func(g *topology.Graph) bool { return g.NumNodes() == 2 })
	m := h.waitMaps(t, g.Generation())

	nm, err := h.client.GetNetworkMap(t.Context(), &altov1.GetNetworkMapRequest{IncludeJson: true})
	if err != nil {
		t.Fatal(err)
	}
	if string(nm.GetJson()) != string(m.NetworkMap.Response.Body) {
		t.Error("network map JSON differs from the HTTP body")
	}
	var nmJSON struct {
		Meta struct {
			VTag struct {
				ResourceID string `json:"resource-id"`
				Tag        string `json:"tag"`
			} `json:"vtag"`
		} `json:"meta"`
		Map map[string]map[string][]string `json:"network-map"`
	}
	if err := json.Unmarshal(nm.GetJson(), &nmJSON); err != nil {
		t.Fatal(err)
	}
	gotNM := map[string]map[string][]string{}
	for _, p := range nm.GetNetworkMap().GetPids() {
		e := map[string][]string{}
		if len(p.GetIpv4()) > 0 {
			e["ipv4"] = p.GetIpv4()
		}
		if len(p.GetIpv6()) > 0 {
			e["ipv6"] = p.GetIpv6()
		}
		gotNM[p.GetName()] = e
	}
	if diff := cmp.Diff(nmJSON.Map, gotNM); diff != "" {
		t.Errorf("typed network map differs from the JSON (-json +typed):\n%s", diff)
	}
	if v := nm.GetNetworkMap().GetVtag(); v.GetResourceId() != nmJSON.Meta.VTag.ResourceID || v.GetTag() != nmJSON.Meta.VTag.Tag {
		t.Errorf("vtag %v; JSON has %+v", v, nmJSON.Meta.VTag)
	}

	res, err := h.client.ListResources(t.Context(), &altov1.ListResourcesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.GetResources() {
		if r.GetKind() != altov1.ResourceKind_RESOURCE_KIND_COST_MAP {
			continue
		}
		cm, err := h.client.GetCostMap(t.Context(), &altov1.GetCostMapRequest{ResourceId: r.GetResourceId(), IncludeJson: true})
		if err != nil {
			t.Fatal(err)
		}
		var cmJSON struct {
			Meta struct {
				Dependent []struct {
					ResourceID string `json:"resource-id"`
					Tag        string `json:"tag"`
				} `json:"dependent-vtags"`
				CostType struct {
					Mode   string `json:"cost-mode"`
					Metric string `json:"cost-metric"`
				} `json:"cost-type"`
			} `json:"meta"`
			Map map[string]map[string]float64 `json:"cost-map"`
		}
		if err := json.Unmarshal(cm.GetJson(), &cmJSON); err != nil {
			t.Fatal(err)
		}
		got := map[string]map[string]float64{}
		for _, row := range cm.GetCostMap().GetRows() {
			got[row.GetSrc()] = map[string]float64{}
			for _, c := range row.GetCosts() {
				got[row.GetSrc()][c.GetDst()] = c.GetCost()
			}
		}
		if diff := cmp.Diff(cmJSON.Map, got); diff != "" {
			t.Errorf("%s: typed costs differ from the JSON (-json +typed):\n%s", r.GetResourceId(), diff)
		}
		ct := cm.GetCostMap().GetCostType()
		if ct.GetMetric() != cmJSON.Meta.CostType.Metric || ct.GetMode() != cmJSON.Meta.CostType.Mode {
			t.Errorf("%s: cost type %v; JSON %+v", r.GetResourceId(), ct, cmJSON.Meta.CostType)
		}
		if d := cm.GetCostMap().GetDependentVtags(); len(d) != 1 || d[0].GetTag() != nmJSON.Meta.VTag.Tag {
			t.Errorf("%s: dependent vtags %v", r.GetResourceId(), d)
		}
	}

	for _, tc := range []struct {
		req  *altov1.GetCostMapRequest
		code codes.Code
	}{
		{&altov1.GetCostMapRequest{}, codes.InvalidArgument},
		{&altov1.GetCostMapRequest{ResourceId: "nope"}, codes.NotFound},
		{&altov1.GetCostMapRequest{CostType: &altov1.CostType{Metric: "bandwidth", Mode: "numerical"}}, codes.InvalidArgument},
		{&altov1.GetCostMapRequest{CostType: &altov1.CostType{Metric: "hopcount", Mode: "array"}}, codes.InvalidArgument},
	} {
		if _, err := h.client.GetCostMap(t.Context(), tc.req); status.Code(err) != tc.code {
			t.Errorf("GetCostMap(%v) = %v; want %v", tc.req, err, tc.code)
		}
	}
	if _, err := h.client.GetNetworkMap(t.Context(), &altov1.GetNetworkMapRequest{ResourceId: "other"}); status.Code(err) != codes.NotFound {
		t.Errorf("unknown network map: %v; want NotFound", err)
	}
}

type noMaps struct{}

func (noMaps) Watch() (*alto.Maps, <-chan struct{}) { return nil, make(chan struct{}) }

func TestNotReady(t *testing.T) {
	s, err := New(DefaultConfig(), Deps{ALTO: alto.DefaultConfig(), Maps: noMaps{}, Updates: make(chan topology.Update)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetNetworkMap(t.Context(), &altov1.GetNetworkMapRequest{}); status.Code(err) != codes.Unavailable {
		t.Errorf("GetNetworkMap before any maps: %v; want Unavailable", err)
	}
	if _, err := s.GetCostMap(t.Context(), &altov1.GetCostMapRequest{ResourceId: "costmap-routingcost-numerical"}); status.Code(err) != codes.Unavailable {
		t.Errorf("GetCostMap before any maps: %v; want Unavailable", err)
	}
	st, err := s.GetStatus(t.Context(), &altov1.GetStatusRequest{})
	if err != nil || st.GetMaps().GetReady() {
		t.Errorf("GetStatus = %v, %v; want maps not ready", st, err)
	}
}

func TestConfigValidate(t *testing.T) {
	c := DefaultConfig()
	c.Listen, c.MaxRecvMessageBytes = "9090", 10
	c.Push.Sources = []topology.Source{"controller", "controller", "static", ""}
	err := c.Validate()
	for _, want := range []string{"listen:", "max_recv_message_bytes:", `push.sources[1]: "controller" listed twice`,
		`push.sources[2]: "static" is a collector's source name`, "push.sources[3]: empty"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v; want it to mention %q", err, want)
		}
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestWatchMapsDeliversChanges(t *testing.T) {
	h := newHarness(t, nil)
	if _, err := pushAll(t, h.client, upsert(1, "a", "10.0.1.0/24")); err != nil {
		t.Fatal(err)
	}
	h.waitMaps(t, h.waitGraph(t, func(g *topology.Graph) bool { return g.NumNodes() == 1 }).Generation())
	stream, err := h.client.WatchMaps(t.Context(), &altov1.WatchMapsRequest{IncludeMaps: true})
	if err != nil {
		t.Fatal(err)
	}
	first, err := stream.Recv()
	if err != nil {
		t.Fatal(err)
	}
	nCost := len(alto.DefaultConfig().CostTypes)
	if len(first.GetChanged()) != 1+nCost || first.GetNetworkMap() == nil || len(first.GetCostMaps()) != nCost {
		t.Errorf("first message: changed %v, network map %v, %d cost maps", first.GetChanged(), first.GetNetworkMap() != nil, len(first.GetCostMaps()))
	}
	if _, err := pushAll(t, h.client, upsert(2, "b", "10.0.2.0/24")); err != nil {
		t.Fatal(err)
	}
	second, err := stream.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if second.GetNetworkMapVtag().GetTag() == first.GetNetworkMapVtag().GetTag() || second.GetChanged()[0] != "default-network-map" {
		t.Errorf("second message does not carry the new network map: %v", second)
	}
	if names := len(second.GetNetworkMap().GetPids()); names != 3 {
		t.Errorf("second network map has %d PIDs; want 3 (a, b, default)", names)
	}
}

// Shutdown ends open watch and push streams instead of waiting for them.
func TestShutdownEndsStreams(t *testing.T) {
	h := newHarness(t, nil)
	if _, err := pushAll(t, h.client, upsert(1, "a", "10.0.1.0/24")); err != nil {
		t.Fatal(err)
	}
	watch, err := h.client.WatchMaps(t.Context(), &altov1.WatchMapsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := watch.Recv(); err != nil {
		t.Fatal(err)
	}
	push, err := h.client.PushTopology(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := push.Send(upsert(2, "b", "10.0.2.0/24")); err != nil {
		t.Fatal(err)
	}
	if _, err := push.Recv(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	h.stop(t)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("shutdown took %v with open streams", d)
	}
	if _, err := push.Recv(); err == nil {
		t.Error("push stream still open after shutdown")
	}
	h.cancel = func() {}
	h.runErr = nil
}

func TestStatus(t *testing.T) {
	h := newHarness(t, nil)
	if _, err := pushAll(t, h.client, upsert(1, "a", "10.0.1.0/24"), &altov1.PushTopologyRequest{Sequence: 2}); err == nil {
		t.Fatal("the second request should have been rejected")
	}
	h.waitGraph(t, func(g *topology.Graph) bool { return g.NumNodes() == 1 })
	var st *altov1.GetStatusResponse
	// The stream is marked closed as its handler returns, just after the
	// client learns of the error.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var err error
		if st, err = h.client.GetStatus(t.Context(), &altov1.GetStatusRequest{}); err != nil {
			t.Fatal(err)
		}
		if items := st.GetCollectors()[len(st.GetCollectors())-1].GetItems(); len(items) > 0 && !items[0].GetUp() || time.Now().After(deadline) {
			break
		}
	}
	if st.GetVersion() != "test" || len(st.GetCollectors()) != 2 || st.GetTopology().GetNodes() != 1 {
		t.Fatalf("status = %v", st)
	}
	push := st.GetCollectors()[1]
	if push.GetName() != "controller-push" || len(push.GetItems()) != 1 {
		t.Fatalf("push status = %v", push)
	}
	it := push.GetItems()[0]
	if it.GetUp() || it.GetCounters()["updates"] != 1 || it.GetCounters()["rejected"] != 1 || it.GetLastError() == "" {
		t.Errorf("push stream status = %v", it)
	}
}

var cmpProto = cmp.Comparer(proto.Equal)
