package target

import (
	"context"
	"errors"
	"io"
	"net/netip"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	gpb "github.com/openconfig/gnmi/proto/gnmi"
	"go.uber.org/goleak"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// Every test closes its targets and connections; grpc-go leaves no
// goroutines behind once both are closed.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func start(t *testing.T, cfg Config) *Target {
	t.Helper()
	tg, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tg.Close)
	return tg
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func dial(t *testing.T, tg *Target) gpb.GNMIClient {
	t.Helper()
	conn, err := grpc.NewClient(tg.Addr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	must(t, err)
	t.Cleanup(func() { conn.Close() })
	return gpb.NewGNMIClient(conn)
}

func elem(name string, kv ...string) *gpb.PathElem {
	e := &gpb.PathElem{Name: name}
	if len(kv) == 2 {
		e.Key = map[string]string{kv[0]: kv[1]}
	}
	return e
}

func subscribe(t *testing.T, ctx context.Context, c gpb.GNMIClient, mode gpb.SubscriptionList_Mode, enc gpb.Encoding, subs ...*gpb.Subscription) gpb.GNMI_SubscribeClient {
	t.Helper()
	st, err := c.Subscribe(ctx)
	must(t, err)
	must(t, st.Send(&gpb.SubscribeRequest{Request: &gpb.SubscribeRequest_Subscribe{Subscribe: &gpb.SubscriptionList{
		Mode: mode, Encoding: enc, Subscription: subs, Prefix: &gpb.Path{Target: "dut"},
	}}}))
	return st
}

// leaves flattens a notification into "iface/rel/path" → value.
func leaves(n *gpb.Notification) map[string]*gpb.TypedValue {
	out := map[string]*gpb.TypedValue{}
	name := n.GetPrefix().GetElem()[1].GetKey()["name"]
	for _, u := range n.GetUpdate() {
		p := name
		for _, e := range u.GetPath().GetElem() {
			p += "/" + e.GetName()
		}
		out[p] = u.GetVal()
	}
	return out
}

func TestSubscribeStreamSample(t *testing.T) {
	var clockNs atomic.Int64 // the test moves the target's clock
	clockNs.Store(time.Unix(1000, 0).UnixNano())
	clock := func() time.Time { return time.Unix(0, clockNs.Load()) }
	tg := start(t, Config{Now: clock})
	must(t, tg.SetInterface(Interface{Name: "eth0", Speed: 100e9, Addresses: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/31")}}))
	must(t, tg.SetInterface(Interface{Name: "eth1", OperStatus: OperDown}))
	must(t, tg.SetRates("eth0", 8e9, 16e9)) // 1 GB/s in, 2 GB/s out

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	st := subscribe(t, ctx, dial(t, tg), gpb.SubscriptionList_STREAM, gpb.Encoding_PROTO,
		&gpb.Subscription{Path: &gpb.Path{Elem: []*gpb.PathElem{elem("interfaces"), elem("interface", "name", "eth0"), elem("state"), elem("counters")}},
			Mode: gpb.SubscriptionMode_SAMPLE, SampleInterval: uint64(20 * time.Millisecond)},
		&gpb.Subscription{Path: &gpb.Path{Elem: []*gpb.PathElem{elem("openconfig-interfaces:interfaces"), elem("interface", "name", "*"), elem("ethernet")}},
			Mode: gpb.SubscriptionMode_SAMPLE, SampleInterval: uint64(20 * time.Millisecond)})

	// Initial snapshot: eth0 counters and speed; eth1 has no speed leaf,
	// and its counters are not subscribed.
	r, err := st.Recv()
	must(t, err)
	n := r.GetUpdate()
	if n.GetTimestamp() != clockNs.Load() || n.GetPrefix().GetTarget() != "dut" {
		t.Errorf("notification header = ts %d, target %q", n.GetTimestamp(), n.GetPrefix().GetTarget())
	}
	got := leaves(n)
	if len(got) != 11 || got["eth0/ethernet/state/port-speed"].GetStringVal() != "openconfig-if-ethernet:SPEED_100GB" ||
		got["eth0/state/counters/out-octets"].GetUintVal() != 0 {
		t.Errorf("initial eth0 leaves = %v", got)
	}
	r, err = st.Recv()
	must(t, err)
	if !r.GetSyncResponse() {
		t.Fatalf("want sync_response after the snapshot, got %v", r)
	}
	// Counters are read at the sample time: 2 s on, out-octets grew by 4 GB.
	clockNs.Add(int64(2 * time.Second))
	for { // skip samples taken before the clock moved
		r, err = st.Recv()
		must(t, err)
		if r.GetUpdate().GetTimestamp() == clockNs.Load() {
			break
		}
	}
	got = leaves(r.GetUpdate())
	if o, i := got["eth0/state/counters/out-octets"].GetUintVal(), got["eth0/state/counters/in-octets"].GetUintVal(); o != 4e9 || i != 2e9 {
		t.Errorf("after 2 s: out %d, in %d; want 4e9, 2e9", o, i)
	}
	if got["eth0/state/counters/out-pkts"].GetUintVal() != 4e9/500 {
		t.Errorf("out-pkts = %d", got["eth0/state/counters/out-pkts"].GetUintVal())
	}

	// A reset zeroes counters and moves last-clear.
	must(t, tg.ResetCounters("eth0"))
	for {
		r, err = st.Recv()
		must(t, err)
		got = leaves(r.GetUpdate())
		if got["eth0/state/counters/last-clear"].GetUintVal() == uint64(clockNs.Load()) {
			break
		}
	}
	if got["eth0/state/counters/out-octets"].GetUintVal() != 0 {
		t.Errorf("after reset: %v", got)
	}
}

func TestSubscribeJSONIETFAndAddresses(t *testing.T) {
	tg := start(t, Config{})
	must(t, tg.SetInterface(Interface{Name: "eth0", Addresses: []netip.Prefix{
		netip.MustParsePrefix("10.0.0.1/31"), netip.MustParsePrefix("2001:db8::1/127")}}))
	must(t, tg.SetCounters("eth0", Counters{OutOctets: 1 << 60}))
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	st := subscribe(t, ctx, dial(t, tg), gpb.SubscriptionList_ONCE, gpb.Encoding_JSON_IETF,
		&gpb.Subscription{Path: &gpb.Path{Elem: []*gpb.PathElem{elem("interfaces")}}})
	var ns []*gpb.Notification
	for {
		r, err := st.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		must(t, err)
		if n := r.GetUpdate(); n != nil {
			ns = append(ns, n)
		}
	}
	if len(ns) != 1 {
		t.Fatalf("ONCE gave %d notifications, want 1", len(ns))
	}
	var addrs []string
	for _, u := range ns[0].GetUpdate() {
		es := u.GetPath().GetElem()
		if es[len(es)-1].GetName() == "ip" {
			addrs = append(addrs, es[2].GetName()+" "+es[4].GetKey()["ip"]+" "+string(u.GetVal().GetJsonIetfVal()))
		}
		if es[len(es)-1].GetName() == "out-octets" && string(u.GetVal().GetJsonIetfVal()) != `"1152921504606846976"` {
			t.Errorf("out-octets = %s, want a JSON string (RFC 7951)", u.GetVal().GetJsonIetfVal())
		}
		if es[len(es)-1].GetName() == "prefix-length" && string(u.GetVal().GetJsonIetfVal()) != "31" && string(u.GetVal().GetJsonIetfVal()) != "127" {
			t.Errorf("prefix-length = %s, want a JSON number", u.GetVal().GetJsonIetfVal())
		}
	}
	slices.Sort(addrs)
	want := []string{`ipv4 10.0.0.1 "10.0.0.1"`, `ipv6 2001:db8::1 "2001:db8::1"`}
	if !slices.Equal(addrs, want) {
		t.Errorf("addresses = %q, want %q", addrs, want)
	}
}

func TestSubscribeRejects(t *testing.T) {
	tg := start(t, Config{})
	c := dial(t, tg)
	p := &gpb.Path{Elem: []*gpb.PathElem{elem("interfaces")}}
	tests := []struct {
		name string
		mode gpb.SubscriptionList_Mode
		enc  gpb.Encoding
		subs []*gpb.Subscription
		want codes.Code
	}{
		{"poll", gpb.SubscriptionList_POLL, gpb.Encoding_PROTO, []*gpb.Subscription{{Path: p}}, codes.Unimplemented},
		{"ascii", gpb.SubscriptionList_STREAM, gpb.Encoding_ASCII, []*gpb.Subscription{{Path: p}}, codes.Unimplemented},
		{"nothing", gpb.SubscriptionList_STREAM, gpb.Encoding_PROTO, nil, codes.InvalidArgument},
		{"deprecated element", gpb.SubscriptionList_STREAM, gpb.Encoding_PROTO,
			//lint:ignore SA1019 the test sends the deprecated form on purpose
			[]*gpb.Subscription{{Path: &gpb.Path{Element: []string{"interfaces"}}}}, codes.InvalidArgument},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			st := subscribe(t, ctx, c, tc.mode, tc.enc, tc.subs...)
			_, err := st.Recv()
			if status.Code(err) != tc.want {
				t.Errorf("Recv() = %v, want code %s", err, tc.want)
			}
		})
	}
}

func TestAuthAndCapabilities(t *testing.T) {
	tg := start(t, Config{Username: "u", Password: "p"})
	c := dial(t, tg)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if _, err := c.Capabilities(ctx, &gpb.CapabilityRequest{}); status.Code(err) != codes.Unauthenticated {
		t.Errorf("without credentials: %v, want Unauthenticated", err)
	}
	bad := metadata.AppendToOutgoingContext(ctx, "username", "u", "password", "x")
	if _, err := c.Capabilities(bad, &gpb.CapabilityRequest{}); status.Code(err) != codes.Unauthenticated {
		t.Errorf("wrong password: %v, want Unauthenticated", err)
	}
	st, err := c.Subscribe(bad)
	must(t, err)
	if _, err := st.Recv(); status.Code(err) != codes.Unauthenticated {
		t.Errorf("subscribe with wrong password: %v, want Unauthenticated", err)
	}
	good := metadata.AppendToOutgoingContext(ctx, "username", "u", "password", "p")
	resp, err := c.Capabilities(good, &gpb.CapabilityRequest{})
	must(t, err)
	if resp.GetGNMIVersion() != "0.10.0" || !slices.Contains(resp.GetSupportedEncodings(), gpb.Encoding_JSON_IETF) {
		t.Errorf("Capabilities() = %v", resp)
	}
}

func TestStallStopRestartSendOnChange(t *testing.T) {
	tg := start(t, Config{})
	must(t, tg.SetInterface(Interface{Name: "eth0"}))
	c := dial(t, tg)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	st := subscribe(t, ctx, c, gpb.SubscriptionList_STREAM, gpb.Encoding_PROTO,
		&gpb.Subscription{Path: &gpb.Path{Elem: []*gpb.PathElem{elem("interfaces"), elem("interface"), elem("state"), elem("oper-status")}},
			Mode: gpb.SubscriptionMode_ON_CHANGE})
	recvOper := func() string {
		t.Helper()
		for {
			r, err := st.Recv()
			must(t, err)
			if n := r.GetUpdate(); n != nil {
				return leaves(n)["eth0/state/oper-status"].GetStringVal()
			}
		}
	}
	if got := recvOper(); got != "UP" {
		t.Errorf("initial oper-status %q", got)
	}
	must(t, tg.WaitSubscribers(ctx, 1))
	must(t, tg.SetOperStatus("eth0", OperDown))
	if got := recvOper(); got != "DOWN" {
		t.Errorf("after change: %q", got)
	}
	// Stalled: changes are not sent, but injected notifications are.
	tg.Stall(true)
	must(t, tg.SetOperStatus("eth0", OperUp))
	inj := &gpb.Notification{Timestamp: 42, Prefix: &gpb.Path{Elem: []*gpb.PathElem{elem("interfaces"), elem("interface", "name", "eth0")}},
		Update: []*gpb.Update{{Path: &gpb.Path{Elem: []*gpb.PathElem{elem("state"), elem("oper-status")}},
			Val: &gpb.TypedValue{Value: &gpb.TypedValue_StringVal{StringVal: "TESTING"}}}}}
	if tg.Send(inj) != 1 {
		t.Fatal("Send reached no stream")
	}
	r, err := st.Recv()
	must(t, err)
	if r.GetUpdate().GetTimestamp() != 42 || r.GetUpdate().GetPrefix().GetTarget() != "dut" {
		t.Errorf("injected notification arrived as %v", r)
	}
	tg.Stall(false)

	// Stop ends the stream; Restart serves the same address again.
	tg.Stop()
	if _, err := st.Recv(); status.Code(err) != codes.Unavailable {
		t.Errorf("after Stop: %v, want Unavailable", err)
	}
	must(t, tg.Restart())
	st = subscribe(t, ctx, c, gpb.SubscriptionList_STREAM, gpb.Encoding_PROTO,
		&gpb.Subscription{Path: &gpb.Path{Elem: []*gpb.PathElem{elem("interfaces")}}, Mode: gpb.SubscriptionMode_ON_CHANGE})
	if got := recvOper(); got != "UP" {
		t.Errorf("after restart: %q", got)
	}
	if n := len(tg.Requests()); n != 2 {
		t.Errorf("Requests() has %d entries, want 2", n)
	}
	tg.Close()
	if err := tg.Restart(); !errors.Is(err, ErrClosed) {
		t.Errorf("Restart after Close = %v", err)
	}
}

func TestSetters(t *testing.T) {
	tg := start(t, Config{})
	if err := tg.SetCounters("nope", Counters{}); err == nil {
		t.Error("SetCounters on an unknown interface succeeded")
	}
	if err := tg.SetInterface(Interface{}); err == nil {
		t.Error("SetInterface without a name succeeded")
	}
	must(t, tg.SetInterface(Interface{Name: "b"}))
	must(t, tg.SetInterface(Interface{Name: "a"}))
	if err := tg.SetRates("a", -1, 0); err == nil {
		t.Error("negative rate accepted")
	}
	must(t, tg.AddCounters("a", Counters{InErrors: 2}))
	must(t, tg.AddCounters("a", Counters{InErrors: 3}))
	if c, _ := tg.ReadCounters("a"); c.InErrors != 5 {
		t.Errorf("InErrors = %d, want 5", c.InErrors)
	}
	if got := tg.Interfaces(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Interfaces() = %v", got)
	}
	tg.RemoveInterface("b")
	if got := tg.Interfaces(); !slices.Equal(got, []string{"a"}) {
		t.Errorf("after remove: %v", got)
	}
	for bps, want := range map[uint64]string{1e9: "SPEED_1GB", 2.5e9: "SPEED_2500MB", 400e9: "SPEED_400GB", 3e9: "SPEED_UNKNOWN"} {
		if got := speedIdentity(bps); got != want {
			t.Errorf("speedIdentity(%d) = %s, want %s", bps, got, want)
		}
	}
}
