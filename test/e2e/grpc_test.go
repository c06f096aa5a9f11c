package e2e

import (
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	altov1 "github.com/altosdn/altosdn/proto/alto/v1"
)

// grpcConfig enables the gRPC API on a free loopback port, recomputes maps
// at once, and leaves the controller as the only topology source.
const grpcConfig = `grpc: {enabled: true, listen: "127.0.0.1:0", shutdown_timeout: 5s}
alto: {recompute_min_interval: 0s}
collectors: {static: {enabled: false}}
`

// grpcAddr waits for the daemon to log the gRPC listen address.
func (d *daemon) grpcAddr(t *testing.T) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, line := range strings.Split(d.Logs(), "\n") {
			var rec struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "grpc serving" {
				return rec.Addr
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("altod never logged its gRPC address\n%s", d.Logs())
	return ""
}

func dialDaemon(t *testing.T, d *daemon) altov1.AltoServiceClient {
	t.Helper()
	conn, err := grpc.NewClient(d.grpcAddr(t), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return altov1.NewAltoServiceClient(conn)
}

func nodeKey(name string) *altov1.NodeKey {
	return &altov1.NodeKey{Protocol: altov1.Protocol_PROTOCOL_STATIC, RouterId: name}
}

func nodeRef(name string) *altov1.NodeRef { return &altov1.NodeRef{Key: nodeKey(name)} }

// pushNode is one upsert of a node with a prefix.
func pushNode(seq uint64, name, prefix string) *altov1.PushTopologyRequest {
	return &altov1.PushTopologyRequest{
		Sequence: seq, Operation: altov1.Operation_OPERATION_UPSERT,
		Nodes:    []*altov1.Node{{Key: nodeKey(name), Name: name}},
		Prefixes: []*altov1.Prefix{{Node: nodeRef(name), Prefix: prefix}},
	}
}

func biLink(a, b string, igp float64) []*altov1.Link {
	return []*altov1.Link{
		{Key: &altov1.LinkKey{Local: nodeRef(a), Remote: nodeRef(b)}, Metrics: &altov1.LinkMetrics{IgpMetric: &igp}},
		{Key: &altov1.LinkKey{Local: nodeRef(b), Remote: nodeRef(a)}, Metrics: &altov1.LinkMetrics{IgpMetric: &igp}},
	}
}

// pushStream sends reqs on one stream and returns the acks and the final
// status (nil for a clean end).
func pushStream(t *testing.T, c altov1.AltoServiceClient, reqs ...*altov1.PushTopologyRequest) ([]*altov1.PushTopologyResponse, error) {
	t.Helper()
	stream, err := c.PushTopology(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reqs {
		if stream.Send(r) != nil {
			break
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

// pids returns the PID names of the daemon's HTTP network map, and its vtag.
func pids(t *testing.T, d *daemon) ([]string, string) {
	t.Helper()
	_, _, body := get(t, d.base+"/networkmap/default-network-map", "")
	var nm networkMap
	if err := json.Unmarshal(body, &nm); err != nil {
		t.Fatalf("network map: %v\n%s", err, body)
	}
	return sortedNames(nm.Map), nm.Meta.VTag.Tag
}

func sortedNames[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// waitPIDs polls the HTTP network map until it has exactly want.
func waitPIDs(t *testing.T, d *daemon, want string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		got, tag := pids(t, d)
		if strings.Join(got, ",") == want {
			return tag
		}
		if time.Now().After(deadline) {
			t.Fatalf("network map PIDs = %v; want %s", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A topology pushed over gRPC yields maps, the same over gRPC and HTTP.
func TestGRPCPushYieldsMaps(t *testing.T) {
	d := startDaemon(t, grpcConfig)
	d.waitReady(t)
	c := dialDaemon(t, d)
	req := &altov1.PushTopologyRequest{Sequence: 1, Operation: altov1.Operation_OPERATION_REPLACE}
	for i, n := range []string{"a", "b", "c"} {
		req.Nodes = append(req.Nodes, &altov1.Node{Key: nodeKey(n), Name: n})
		req.Prefixes = append(req.Prefixes, &altov1.Prefix{Node: nodeRef(n), Prefix: "10.0." + string(rune('1'+i)) + ".0/24"})
	}
	req.Links = append(biLink("a", "b", 10), biLink("b", "c", 5)...)
	acks, err := pushStream(t, c, req)
	if err != nil || len(acks) != 1 || !acks[0].GetCommitted() {
		t.Fatalf("push: %v, acks %v", err, acks)
	}
	tag := waitPIDs(t, d, "a,b,c,default")

	nm, err := c.GetNetworkMap(t.Context(), &altov1.GetNetworkMapRequest{IncludeJson: true})
	if err != nil {
		t.Fatal(err)
	}
	_, _, httpBody := get(t, d.base+"/networkmap/default-network-map", "")
	if nm.GetNetworkMap().GetVtag().GetTag() != tag || string(nm.GetJson()) != string(httpBody) {
		t.Errorf("gRPC network map (vtag %s) differs from HTTP (vtag %s)", nm.GetNetworkMap().GetVtag().GetTag(), tag)
	}
	cm, err := c.GetCostMap(t.Context(), &altov1.GetCostMapRequest{CostType: &altov1.CostType{Metric: "routingcost", Mode: "numerical"}, IncludeJson: true})
	if err != nil {
		t.Fatal(err)
	}
	_, _, httpCost := get(t, d.base+"/costmap/costmap-routingcost-numerical", "")
	if string(cm.GetJson()) != string(httpCost) {
		t.Errorf("gRPC cost map body differs from HTTP:\n%s\n%s", cm.GetJson(), httpCost)
	}
	var ac float64
	for _, row := range cm.GetCostMap().GetRows() {
		for _, e := range row.GetCosts() {
			if row.GetSrc() == "a" && e.GetDst() == "c" {
				ac = e.GetCost()
			}
		}
	}
	if ac != 15 {
		t.Errorf("a -> c = %v; want 15 (10 + 5 via b)", ac)
	}
	d.stop(t)
}

// The contract: a push invalid at its fifth element. Across the
// requests of a stream, the first four stay applied; within one REPLACE
// (here in five chunks), none is applied.
func TestGRPCInvalidFifthElement(t *testing.T) {
	d := startDaemon(t, grpcConfig)
	d.waitReady(t)
	c := dialDaemon(t, d)

	bad := pushNode(5, "e", "10.0.5.1/24") // host bits set
	acks, err := pushStream(t, c, pushNode(1, "a", "10.0.1.0/24"), pushNode(2, "b", "10.0.2.0/24"),
		pushNode(3, "c", "10.0.3.0/24"), pushNode(4, "d", "10.0.4.0/24"), bad)
	if status.Code(err) != codes.InvalidArgument || len(acks) != 4 {
		t.Fatalf("got %v with %d acks; want InvalidArgument after 4 acks", err, len(acks))
	}
	if !strings.Contains(status.Convert(err).Message(), "prefixes[0].prefix") {
		t.Errorf("error does not name the field: %v", err)
	}
	before := waitPIDs(t, d, "a,b,c,d,default")

	var chunks []*altov1.PushTopologyRequest
	for i, n := range []string{"v", "w", "x", "y", "z"} {
		r := pushNode(uint64(10+i), n, "10.1."+string(rune('1'+i))+".0/24")
		r.Operation, r.More = altov1.Operation_OPERATION_REPLACE, i < 4
		chunks = append(chunks, r)
	}
	chunks[4].Prefixes[0].Prefix = "10.1.300.0/24"
	acks, err = pushStream(t, c, chunks...)
	if status.Code(err) != codes.InvalidArgument || len(acks) != 4 {
		t.Fatalf("replace: got %v with %d acks; want InvalidArgument after 4 uncommitted acks", err, len(acks))
	}
	// A marker pushed after the failed replace proves the store has seen
	// everything sent before it; the replace must have left no trace.
	if _, err := pushStream(t, c, pushNode(20, "m", "10.2.0.0/16")); err != nil {
		t.Fatal(err)
	}
	after := waitPIDs(t, d, "a,b,c,d,default,m")
	if after == before {
		t.Error("the marker did not change the network map's vtag")
	}
	d.stop(t)
}

// Watch streams deliver each change with its vtags, which match HTTP's.
func TestGRPCWatch(t *testing.T) {
	d := startDaemon(t, grpcConfig)
	d.waitReady(t)
	c := dialDaemon(t, d)
	watch, err := c.WatchMaps(t.Context(), &altov1.WatchMapsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	first, err := watch.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pushStream(t, c, pushNode(1, "a", "10.0.1.0/24")); err != nil {
		t.Fatal(err)
	}
	var msg *altov1.WatchMapsResponse
	for {
		if msg, err = watch.Recv(); err != nil {
			t.Fatal(err)
		}
		if msg.GetNetworkMapVtag().GetTag() != first.GetNetworkMapVtag().GetTag() {
			break
		}
	}
	if len(msg.GetChanged()) == 0 || msg.GetChanged()[0] != "default-network-map" {
		t.Errorf("changed = %v", msg.GetChanged())
	}
	if _, tag := pids(t, d); tag != msg.GetNetworkMapVtag().GetTag() {
		t.Errorf("watch vtag %s; HTTP serves %s", msg.GetNetworkMapVtag().GetTag(), tag)
	}
	// SIGTERM with the watch still open: the daemon ends the stream and
	// exits 0 promptly.
	start := time.Now()
	d.stop(t)
	if _, err := watch.Recv(); err == nil {
		t.Error("watch stream still open after shutdown")
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("shutdown with an open watch took %v", took)
	}
}
