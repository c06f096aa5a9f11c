package gnmi

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
	"time"

	gpb "github.com/openconfig/gnmi/proto/gnmi"

	"github.com/altosdn/altosdn/topology"
)

// The benchmarks are sized for the target deployment: 500 targets with 20
// interfaces each, every interface sending one notification per 10 s
// sample (its counters, oper-status and speed), i.e. 10,000 notifications
// per 10 s. One op is one notification; "ms/10k" is the CPU time of one
// sample interval's worth.
const (
	benchTargets = 500
	benchIfaces  = 20
)

// benchAddr is the address of interface j of target i.
func benchAddr(i, j int) netip.Addr {
	return netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), byte(j)})
}

// benchGraph has one link per interface, leaving router i on its
// interface j's address, so every interface is bound.
func benchGraph(b *testing.B) *topology.Graph {
	nodes := make([]topology.Node, benchTargets)
	for i := range nodes {
		nodes[i] = testNode(fmt.Sprintf("r%d", i), netip.AddrFrom4([4]byte{192, 0, byte(i >> 8), byte(i)}).String())
	}
	var links []topology.Link
	for i := range benchTargets {
		for j := range benchIfaces {
			links = append(links, testLink(nodes[i], nodes[(i+j+1)%benchTargets], benchAddr(i, j), netip.Addr{}))
		}
	}
	g, err := topology.NewGraph(nodes, links, nil)
	if err != nil {
		b.Fatal(err)
	}
	return g
}

// benchNotifications builds one notification per interface in the given
// encoding, with the default paths' leaves.
func benchNotifications(enc gpb.Encoding) [][]*gpb.Notification {
	u := func(v uint64) *gpb.TypedValue {
		if enc == gpb.Encoding_JSON_IETF {
			return ietfV(fmt.Sprintf("%q", fmt.Sprint(v)))
		}
		return uintV(v)
	}
	s := func(v string) *gpb.TypedValue {
		if enc == gpb.Encoding_JSON_IETF {
			return ietfV(fmt.Sprintf("%q", v))
		}
		return strV(v)
	}
	ns := make([][]*gpb.Notification, benchTargets)
	for i := range ns {
		for j := range benchIfaces {
			n := &gpb.Notification{
				Prefix: path(pe("interfaces"), pe("interface", "name", fmt.Sprintf("Ethernet%d", j))),
				Update: []*gpb.Update{
					{Path: path(pe("state"), pe("counters"), pe("in-octets")), Val: u(0)},
					{Path: path(pe("state"), pe("counters"), pe("out-octets")), Val: u(0)},
					{Path: path(pe("state"), pe("counters"), pe("in-errors")), Val: u(0)},
					{Path: path(pe("state"), pe("counters"), pe("out-errors")), Val: u(0)},
					{Path: path(pe("state"), pe("counters"), pe("in-discards")), Val: u(0)},
					{Path: path(pe("state"), pe("counters"), pe("out-discards")), Val: u(0)},
					{Path: path(pe("state"), pe("counters"), pe("last-clear")), Val: u(1)},
					{Path: path(pe("state"), pe("oper-status")), Val: s("UP")},
					{Path: path(pe("ethernet"), pe("state"), pe("port-speed")), Val: s("openconfig-if-ethernet:SPEED_100GB")},
					{Path: path(pe("subinterfaces"), pe("subinterface", "index", "0"), pe("ipv4"), pe("addresses"),
						pe("address", "ip", benchAddr(i, j).String()), pe("state"), pe("ip")), Val: s(benchAddr(i, j).String())},
				},
			}
			ns[i] = append(ns[i], n)
		}
	}
	return ns
}

// sampler moves notifications one sample interval on: 10 s later, with
// 1 Gbit/s more in and out. It only writes fields, so it costs next to
// nothing inside the timed loop; JSON values are made ahead.
type sampler struct {
	enc  gpb.Encoding
	json []*gpb.TypedValue // per round
}

func newSampler(enc gpb.Encoding, ops int) *sampler {
	s := &sampler{enc: enc}
	if enc == gpb.Encoding_JSON_IETF {
		for round := range ops/(benchTargets*benchIfaces) + 2 {
			s.json = append(s.json, ietfV(fmt.Sprintf("%q", fmt.Sprint(uint64(round)*1_250_000_000))))
		}
	}
	return s
}

func (s *sampler) advance(n *gpb.Notification, round int) {
	n.Timestamp = int64(1_700_000_000+10*round) * int64(time.Second)
	for _, up := range n.Update[:2] {
		if s.enc == gpb.Encoding_JSON_IETF {
			up.Val = s.json[round]
		} else {
			up.Val.Value.(*gpb.TypedValue_UintVal).UintVal = uint64(round) * 1_250_000_000
		}
	}
}

func benchEngine(b *testing.B, g *topology.Graph) *engine {
	targets := make([]TargetConfig, benchTargets)
	for i := range targets {
		targets[i] = TargetConfig{Name: fmt.Sprintf("r%d", i), Address: "127.0.0.1:1", TLS: TLSConfig{Insecure: true}}
	}
	cfg := DefaultConfig()
	cfg.Targets = targets
	return newEngine(cfg, fixedGraph{g}, newBoard(targets), discardLogger)
}

// BenchmarkDecodeAndRate measures decoding a notification and updating the
// interface's rates and state: the work every notification costs.
func BenchmarkDecodeAndRate(b *testing.B) {
	for _, enc := range []gpb.Encoding{gpb.Encoding_PROTO, gpb.Encoding_JSON_IETF} {
		b.Run(enc.String(), func(b *testing.B) {
			ns := benchNotifications(enc)
			e := benchEngine(b, benchGraph(b))
			sm := newSampler(enc, b.N)
			now := time.Unix(1_700_000_000, 0)
			b.ReportAllocs()
			b.ResetTimer()
			round, k := 1, 0
			for range b.N {
				i, j := k/benchIfaces, k%benchIfaces
				n := ns[i][j]
				sm.advance(n, round)
				e.handle(event{target: i, kind: evData, n: n, at: now})
				if k++; k == benchTargets*benchIfaces {
					k, round = 0, round+1
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)*1e4/1e6, "ms/10k")
		})
	}
}

// BenchmarkPipeline adds binding 10,000 interfaces to 10,000 links and
// computing and sending their overlays once per sample interval.
func BenchmarkPipeline(b *testing.B) {
	ns := benchNotifications(gpb.Encoding_PROTO)
	e := benchEngine(b, benchGraph(b))
	sm := newSampler(gpb.Encoding_PROTO, b.N)
	out := make(chan topology.Update, 1)
	now := time.Unix(1_700_000_000, 0)
	sent := 0
	b.ReportAllocs()
	b.ResetTimer()
	round, k := 1, 0
	for range b.N {
		i, j := k/benchIfaces, k%benchIfaces
		n := ns[i][j]
		sm.advance(n, round)
		e.handle(event{target: i, kind: evData, n: n, at: now})
		if k++; k == benchTargets*benchIfaces {
			k, round = 0, round+1
			e.flush(context.Background(), out, now)
			for len(out) > 0 {
				sent += len((<-out).Overlays)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)*1e4/1e6, "ms/10k")
	if b.N >= 2*benchTargets*benchIfaces && sent == 0 {
		b.Fatal("no overlays were sent")
	}
}

// togglingGraph returns two equal graphs in turn, as a store publishing
// after each of our own overlay updates does.
type togglingGraph struct {
	gs [2]*topology.Graph
	n  int
}

func (t *togglingGraph) Snapshot() *topology.Graph {
	t.n++
	return t.gs[t.n%2]
}

// BenchmarkRematch measures what a new graph costs at this size, checked at
// most once a second: "changed" re-indexes 10,000 links, re-binds 10,000
// interfaces and recomputes every overlay; "unchanged" is the usual case of
// a graph that only differs by our own overlays, caught by a fingerprint.
func BenchmarkRematch(b *testing.B) {
	ns := benchNotifications(gpb.Encoding_PROTO)
	graphs := &togglingGraph{gs: [2]*topology.Graph{benchGraph(b), benchGraph(b)}}
	e := benchEngine(b, graphs.gs[0])
	e.graph = graphs
	sm := newSampler(gpb.Encoding_PROTO, 0)
	out := make(chan topology.Update, 1)
	now := time.Unix(1_700_000_000, 0)
	for round := 1; round <= 2; round++ {
		for i := range ns {
			for _, n := range ns[i] {
				sm.advance(n, round)
				e.handle(event{target: i, kind: evData, n: n, at: now})
			}
		}
		e.flush(context.Background(), out, now)
		for len(out) > 0 {
			<-out
		}
	}
	for _, changed := range []bool{true, false} {
		b.Run(map[bool]string{true: "changed", false: "unchanged"}[changed], func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if changed {
					e.index = nil
				}
				now = now.Add(indexInterval)
				e.flush(context.Background(), out, now)
				if len(out) > 0 {
					b.Fatal("a rematch of an unchanged graph sent overlays")
				}
			}
		})
	}
}
