package bgpls_test

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/bgpls/rawbgp"
	"github.com/altosdn/altosdn/topology"
)

func sys(n byte) []byte { return []byte{0, 0, 0, 0, 0x77, n} }

func rawNode(n byte) rawbgp.NodeDesc { return rawbgp.NodeDesc{AS: 65001, IGPRouterID: sys(n)} }

// lsUpdate is an eBGP UPDATE from AS 65001 carrying nlris with a BGP-LS
// attribute made of tlvs (none if tlvs is nil).
func lsUpdate(nh netip.Addr, nlris [][]byte, tlvs ...[]byte) []byte {
	attrs := [][]byte{rawbgp.Origin(0), rawbgp.ASPath(65001), rawbgp.MPReach(rawbgp.FamilyLS, nh, nlris...)}
	if tlvs != nil {
		attrs = append(attrs, rawbgp.LSAttr(tlvs...))
	}
	return rawbgp.Update(nil, attrs, nil)
}

func lsWithdraw(nlris ...[]byte) []byte {
	return rawbgp.Update(nil, [][]byte{rawbgp.MPUnreach(rawbgp.FamilyLS, nlris...)}, nil)
}

// What GoBGP cannot originate, sent as raw bytes: RFC 8571 loss and
// bandwidths, ASLA and the prefix metric, then End-of-RIB.
func TestRawTLVsGoBGPDrops(t *testing.T) {
	cfg := config(t)
	cfg.ConvergenceQuiet = time.Hour // only End-of-RIB can make it ready
	addr := loopback(t)
	peerFor(&cfg, addr, 65001)
	h := start(t, cfg)
	s := h.raw(t, addr, 65001)

	link := rawbgp.LinkNLRI(2, 0, rawNode(1), rawNode(2), rawbgp.LinkIDs(1, 2))
	prefix := rawbgp.PrefixNLRI(2, 0, rawNode(2), netip.MustParsePrefix("10.2.0.0/16"))
	err := s.Send(
		lsUpdate(addr, [][]byte{rawbgp.NodeNLRI(2, 0, rawNode(1)), rawbgp.NodeNLRI(2, 0, rawNode(2))}),
		lsUpdate(addr, [][]byte{link},
			rawbgp.IGPMetric(10), rawbgp.Loss(2.5, false), rawbgp.ResidualBandwidth(1e9),
			rawbgp.AvailableBandwidth(2e9), rawbgp.UtilizedBandwidth(3e9),
			rawbgp.ASLA([]byte{0x10, 0, 0, 0}, nil, rawbgp.TEMetric(33), rawbgp.Delay(450, false), rawbgp.AdminGroup(8))),
		lsUpdate(addr, [][]byte{prefix}, rawbgp.PrefixMetric(77)),
		rawbgp.EndOfRIB(rawbgp.FamilyLS),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "the topology", h.graphHas(2, 1, 1))
	if !h.c.Ready() {
		t.Error("not ready after End-of-RIB")
	}
	l := h.store.Snapshot().Link(0)
	for k, want := range map[topology.Metric]float64{
		topology.MetricIGP: 10, topology.MetricLoss: 2.5, topology.MetricResidualBandwidth: 1e9,
		topology.MetricAvailableBandwidth: 2e9, topology.MetricUtilizedBandwidth: 3e9,
		topology.MetricTE: 33, topology.MetricDelay: 450,
	} {
		if v, ok := l.Metrics.Get(k); !ok || math.Abs(v-want) > 1e-5*max(1, want) {
			t.Errorf("%s = %v (set %v); want %v", k, v, ok, want)
		}
	}
	if l.AdminGroup != 8 {
		t.Errorf("admin group %d; want 8 from ASLA", l.AdminGroup)
	}
	if p := h.store.Snapshot().Prefixes()[0]; !p.Metric.Set || p.Metric.V != 77 {
		t.Errorf("prefix metric %+v; want 77", p.Metric)
	}

	// Re-advertised without the extra TLVs, then withdrawn.
	if err := s.Send(lsUpdate(addr, [][]byte{link}, rawbgp.IGPMetric(11))); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "extras to clear", func() error {
		l := h.store.Snapshot().Link(0)
		if _, ok := l.Metrics.Get(topology.MetricLoss); ok {
			return errors.New("loss still set")
		}
		if v, _ := l.Metrics.Get(topology.MetricIGP); v != 11 {
			return fmt.Errorf("igp %v", v)
		}
		return nil
	})
	if err := s.Send(lsWithdraw(link, prefix)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "withdrawals", h.graphHas(2, 0, 0))
}

// Malformed input never stops the collector: a broken TLV is counted, an
// NLRI type GoBGP cannot decode resets the session (GoBGP v4.8's choice),
// which is counted and retried, with backoff once it repeats.
func TestRawMalformedInput(t *testing.T) {
	cfg := config(t)
	cfg.StaleHold = time.Minute
	cfg.BackoffMin = 300 * time.Millisecond
	cfg.BackoffMax = time.Minute
	addr := loopback(t)
	peerFor(&cfg, addr, 65001)
	h := start(t, cfg)
	s := h.raw(t, addr, 65001)
	name := addr.String()

	link := rawbgp.LinkNLRI(2, 0, rawNode(1), rawNode(2))
	srv6SID := rawbgp.TLV(518, netip.MustParseAddr("2001:db8::5").AsSlice())
	err := s.Send(
		lsUpdate(addr, [][]byte{rawbgp.NodeNLRI(2, 0, rawNode(1)), rawbgp.NodeNLRI(2, 0, rawNode(2))}),
		// A loss TLV one byte short: GoBGP skips it, the tap counts it.
		lsUpdate(addr, [][]byte{link}, rawbgp.IGPMetric(5), rawbgp.TLV(1117, []byte{0, 0, 1})),
		// An SRv6 SID NLRI (type 6) GoBGP decodes and the collector ignores.
		lsUpdate(addr, [][]byte{lsNLRI(6, rawNode(1).Bytes(256), srv6SID)}),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 20*time.Second, "the good parts", h.graphHas(2, 1, 0))
	waitFor(t, 10*time.Second, "the counters", func() error {
		st := h.peerStatus(name)
		if st.Counters["decode_errors"] != 1 || st.Counters["nlri_unsupported"] != 1 || !strings.Contains(st.LastError, "1117") {
			return fmt.Errorf("status %+v", st)
		}
		return nil
	})

	// NLRI type 5 (SR Policy): GoBGP v4.8 answers with a NOTIFICATION.
	if err := s.Send(lsUpdate(addr, [][]byte{lsNLRI(5, rawNode(1).Bytes(256))})); err != nil {
		t.Fatal(err)
	}
	<-s.Done()
	var ne *rawbgp.NotificationError
	if !errors.As(s.Err(), &ne) {
		t.Fatalf("session ended with %v; want a notification", s.Err())
	}
	waitFor(t, 10*time.Second, "the reset to be counted", func() error {
		st := h.peerStatus(name)
		if st.Up || st.Counters["session_resets"] != 1 || st.Counters["nlri_stale"] != 3 {
			return fmt.Errorf("status %+v", st)
		}
		return nil
	})
	if err := h.graphHas(2, 1, 0)(); err != nil {
		t.Errorf("stale hold: %v", err)
	}

	// The peer comes back and resets again at once: backoff.
	s2 := h.raw(t, addr, 65001)
	if err := s2.Send(lsUpdate(addr, [][]byte{lsNLRI(5, rawNode(1).Bytes(256))})); err != nil {
		t.Fatal(err)
	}
	<-s2.Done()
	waitFor(t, 10*time.Second, "backoff", func() error {
		if st := h.peerStatus(name); st.State != "backoff" || st.Counters["session_resets"] != 2 {
			return fmt.Errorf("status %+v", st)
		}
		return nil
	})
	waitFor(t, 10*time.Second, "backoff to end", func() error {
		if st := h.peerStatus(name); st.State == "backoff" {
			return fmt.Errorf("status %+v", st)
		}
		return nil
	})
	// The routes received before the resets are still held: the stale
	// hold (a minute here) has not run out.
	if err := h.graphHas(2, 1, 0)(); err != nil {
		t.Errorf("after the resets: %v", err)
	}
}

// lsNLRI builds an NLRI of any type: protocol IS-IS L2, identifier 0.
func lsNLRI(typ uint16, body ...[]byte) []byte {
	v := append([]byte{2}, make([]byte, 8)...)
	for _, b := range body {
		v = append(v, b...)
	}
	return append(rawbgp.TLV(typ, nil)[:2], append([]byte{byte(len(v) >> 8), byte(len(v))}, v...)...)
}
