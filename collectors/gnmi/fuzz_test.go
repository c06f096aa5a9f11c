package gnmi

import (
	"context"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	gpb "github.com/openconfig/gnmi/proto/gnmi"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/altosdn/altosdn/topology"
)

// FuzzDecodeNotification feeds arbitrary wire-format notifications through
// the decoder and the engine: nothing may panic, and every update sent must
// be valid (finite, non-negative metrics).
func FuzzDecodeNotification(f *testing.F) {
	for _, name := range []string{"issue_14530", "issue_16476", "issue_14063", "issue_14044", "issue_17412", "issue_12931", "issue_17622"} {
		for _, r := range loadRecording(f, name) {
			if n := r.GetUpdate(); n != nil {
				b, err := proto.Marshal(n)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(b)
			}
		}
	}
	for _, s := range []ifSample{
		{name: "eth0", addr: "10.0.0.1", oper: "UP", speed: "SPEED_10GB"},
		{name: "eth0", ts: time.Second, addr: "10.0.0.1", out: 1 << 63, in: 5},
	} {
		b, _ := proto.Marshal(s.notification())
		f.Add(b)
	}
	g, err := topology.NewGraph([]topology.Node{r1, r2}, []topology.Link{link12, link21}, nil)
	if err != nil {
		f.Fatal(err)
	}
	cfg := fastConfig(plainTarget("r1", "127.0.0.1:1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		n := &gpb.Notification{}
		if proto.Unmarshal(b, n) != nil {
			return
		}
		e := newEngine(cfg, fixedGraph{g}, newBoard(cfg.Targets), discardLogger)
		out := make(chan topology.Update, 4)
		now := time.Unix(1_700_000_000, 0)
		for range 2 { // twice, so rates are computed from the same input
			e.handle(event{target: 0, kind: evData, n: n, at: now})
			e.flush(context.Background(), out, now)
			for len(out) > 0 {
				u := <-out
				if err := u.Validate(); err != nil {
					t.Fatalf("invalid update: %v", err)
				}
			}
		}
	})
}

// FuzzParsePath checks that parsePath never panics and that what it
// accepts prints back to a string that parses to the same path.
func FuzzParsePath(f *testing.F) {
	for _, p := range DefaultPaths {
		f.Add(p)
	}
	for _, s := range []string{"/", `/a[k=x\]y][j=*]/b`, "openconfig:/interfaces", "/a[k=v", "/a//b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePath(s)
		if err != nil {
			return
		}
		again, err := parsePath(pathString(p.GetElem()))
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", s, pathString(p.GetElem()), err)
		}
		if !gocmp.Equal(p.GetElem(), again.GetElem(), protocmp.Transform()) {
			t.Fatalf("%q round trip changed the path", s)
		}
	})
}
