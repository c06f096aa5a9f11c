package grpcapi

import (
	"math"
	"testing"

	"google.golang.org/protobuf/proto"

	altov1 "github.com/altosdn/altosdn/proto/alto/v1"
	"github.com/altosdn/altosdn/topology"
)

// Whatever arrives on the wire, conversion never panics, and what it accepts
// the store accepts too: a push is never acknowledged and then dropped.
func FuzzConvertPush(f *testing.F) {
	seeds := []*altov1.PushTopologyRequest{
		upsert(1, "a", "10.0.1.0/24"),
		{Operation: altov1.Operation_OPERATION_REPLACE, Links: links("a", "b", 3)},
		{Operation: altov1.Operation_OPERATION_WITHDRAW, Nodes: []*altov1.Node{{Key: key("a")}}},
		{Operation: altov1.Operation_OPERATION_UPSERT, Overlays: []*altov1.LinkOverlay{{
			Link:    &altov1.LinkKey{Local: &altov1.NodeRef{Id: "x"}, Remote: ref("b"), LocalAddr: "192.0.2.1", RemoteAddr: "192.0.2.2"},
			Metrics: &altov1.LinkMetrics{LossPercent: f64(3), DelayUs: f64(math.Inf(1))}, Status: altov1.LinkStatus_LINK_STATUS_DOWN}}},
		{Operation: altov1.Operation(9), Prefixes: []*altov1.Prefix{{Node: ref("a"), Prefix: "2001:db8::/32", Metric: f64(-1)}}},
	}
	for _, s := range seeds {
		b, err := proto.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var req altov1.PushTopologyRequest
		if proto.Unmarshal(data, &req) != nil {
			return
		}
		op, err := operation(req.GetOperation())
		if err != nil {
			return
		}
		e, err := newConverter("controller", op == topology.OpWithdraw).convert(&req)
		if err != nil {
			return
		}
		u := e.update("controller", op)
		if err := u.Validate(); err != nil {
			t.Fatalf("converted without error but the store rejects it: %v\n%v", err, &req)
		}
	})
}
