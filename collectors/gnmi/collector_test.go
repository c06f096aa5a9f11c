package gnmi

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	gpb "github.com/openconfig/gnmi/proto/gnmi"

	"github.com/altosdn/altosdn/collectors/collectortest"
	"github.com/altosdn/altosdn/collectors/gnmi/target"
	"github.com/altosdn/altosdn/topology"
)

// waitRate waits until a link's utilised bandwidth from gnmi is near want.
func (h *harness) waitRate(id topology.LinkID, want float64) {
	h.t.Helper()
	collectortest.WaitFor(h.t, fmt.Sprintf("utilised bandwidth near %g on %s", want, id), func() bool {
		v, ok := h.metric(id, topology.MetricUtilizedBandwidth)
		return ok && v.Source == topology.SourceGNMI && near(v.V, want, 0.001)
	})
}

func TestCollectorOverlays(t *testing.T) {
	for _, enc := range []string{EncodingProto, EncodingJSONIETF} {
		t.Run(enc, func(t *testing.T) {
			tg := r1Target(t, target.Config{})
			tc := plainTarget("r1", tg.Addr())
			tc.Encoding = enc
			base := baseTopology()
			h := startHarness(t, fastConfig(tc), &base)
			if h.c.Name() != "gnmi" {
				t.Errorf("Name() = %q", h.c.Name())
			}

			// r1→r2 from eth0's out-octets, r2→r1 from its in-octets, since
			// r2 has no target.
			h.waitRate(link12.ID, 4e9)
			h.waitRate(link21.ID, 2e9)
			avail, _ := h.metric(link12.ID, topology.MetricAvailableBandwidth)
			if !near(avail.V, 6e9, 0.001) || avail.Source != topology.SourceGNMI {
				t.Errorf("available bandwidth = %+v, want 6e9 from gnmi", avail)
			}
			if l, _ := h.link(link12.ID); l.Down {
				t.Error("link down although eth0 is up")
			}
			collectortest.WaitFor(t, "Ready", h.c.Ready)
			st := h.item(0)
			if !st.Up || st.State != stateSynced || st.LastUpdate.IsZero() || st.Counters[cntLinks] != 2 {
				t.Errorf("status = %+v", st)
			}
			// Links() is refreshed once a second: wait for one with rates.
			collectortest.WaitFor(t, "Links() with rates", func() bool {
				lt := h.c.Links()
				return len(lt) == 2 && lt[0].HasRate && lt[1].HasRate
			})
			for _, l := range h.c.Links() {
				if l.Link == link12.ID && (l.Direction != "out" || !near(l.Utilization, 0.4, 0.001) || l.OperStatus != "up" || l.Interface != "eth0") {
					t.Errorf("Links()[r1→r2] = %+v", l)
				}
				if l.Link == link21.ID && (l.Direction != "in" || !near(l.UtilizedBps, 2e9, 0.001)) {
					t.Errorf("Links()[r2→r1] = %+v", l)
				}
			}
			// The request asked for SAMPLE of the default paths.
			reqs := tg.Requests()
			sl := reqs[0].GetSubscribe()
			if len(sl.GetSubscription()) != len(DefaultPaths) || sl.GetSubscription()[0].GetMode() != gpb.SubscriptionMode_SAMPLE ||
				sl.GetMode() != gpb.SubscriptionList_STREAM || sl.GetEncoding() != encodings[enc] {
				t.Errorf("subscribe request = %v", sl)
			}
		})
	}
}

func TestCollectorOperDown(t *testing.T) {
	for _, downMeansDown := range []bool{true, false} {
		name := map[bool]string{true: "down_means_down", false: "status_only"}[downMeansDown]
		t.Run(name, func(t *testing.T) {
			tg := r1Target(t, target.Config{})
			cfg := fastConfig(plainTarget("r1", tg.Addr()))
			cfg.DownMeansDown = downMeansDown
			base := baseTopology()
			h := startHarness(t, cfg, &base)
			h.waitRate(link12.ID, 4e9)

			must(t, tg.SetOperStatus("eth0", target.OperLowerLayerDown))
			collectortest.WaitFor(t, "Links() to show the interface down", func() bool {
				for _, l := range h.c.Links() {
					if l.Link == link12.ID {
						return l.OperStatus == "down"
					}
				}
				return false
			})
			// Overlays are sent before Links() is refreshed, so the store
			// has them by now.
			collectortest.WaitFor(t, "the store to apply the status", func() bool {
				l12, _ := h.link(link12.ID)
				l21, _ := h.link(link21.ID)
				return l12.Down == downMeansDown && l21.Down == downMeansDown
			})
			if downMeansDown {
				must(t, tg.SetOperStatus("eth0", target.OperUp))
				collectortest.WaitFor(t, "the link to come back up", func() bool {
					l, _ := h.link(link12.ID)
					return !l.Down
				})
			}
		})
	}
}

// spikeFree checks that no overlay ever sent for id claimed more than
// limit bits/s.
func (h *harness) spikeFree(id topology.LinkID, limit float64) {
	h.t.Helper()
	ups, _ := h.overlays(id)
	for _, o := range ups {
		if v, ok := o.Metrics.Get(topology.MetricUtilizedBandwidth); ok && v > limit {
			h.t.Errorf("overlay on %s claims %g bit/s, above %g", id, v, limit)
		}
	}
}

func TestCollectorCounterReset(t *testing.T) {
	tests := []struct {
		name  string
		reset func(*target.Target) error
	}{
		// "clear counters": counters to zero and last-clear moves.
		{"clear", func(tg *target.Target) error { return tg.ResetCounters("eth0") }},
		// A reset the target does not announce: only the decrease shows.
		{"silent", func(tg *target.Target) error { return tg.SetCounters("eth0", target.Counters{}) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := startTarget(t, target.Config{})
			// No port speed: the plausibility guard is off, so only reset
			// handling stands between a reset and a spike.
			must(t, tg.SetInterface(target.Interface{Name: "eth0", Addresses: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/31")}}))
			must(t, tg.SetCounters("eth0", target.Counters{InOctets: 1 << 50, OutOctets: 1 << 50}))
			must(t, tg.SetRates("eth0", 2e9, 4e9))
			base := baseTopology()
			h := startHarness(t, fastConfig(plainTarget("r1", tg.Addr())), &base)
			h.waitRate(link12.ID, 4e9)

			must(t, tc.reset(tg))
			collectortest.WaitFor(t, "the reset to be counted", func() bool { return h.item(0).Counters[cntResets] > 0 })
			n, _ := h.overlays(link12.ID)
			collectortest.WaitFor(t, "more samples after the reset", func() bool {
				ups, _ := h.overlays(link12.ID)
				return len(ups) >= len(n)+3
			})
			h.waitRate(link12.ID, 4e9)
			h.spikeFree(link12.ID, 4e9*1.001)
			h.spikeFree(link21.ID, 2e9*1.001)
			// One clear is one reset: last-clear re-baselines before the
			// zeroed counters of the same notification are read.
			if n := h.item(0).Counters[cntResets]; tc.name == "clear" && n != 1 {
				t.Errorf("counter_resets = %d, want 1", n)
			}
		})
	}
}

func TestCollectorTargetRestart(t *testing.T) {
	tg := startTarget(t, target.Config{})
	must(t, tg.SetInterface(target.Interface{Name: "eth0", Addresses: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/31")}}))
	must(t, tg.SetRates("eth0", 2e9, 4e9))
	cfg := fastConfig(plainTarget("r1", tg.Addr()))
	cfg.TTL = 10 * time.Second // the overlays outlive the outage
	base := baseTopology()
	h := startHarness(t, cfg, &base)
	h.waitRate(link12.ID, 4e9)
	collectortest.WaitFor(t, "Ready", h.c.Ready)

	tg.Stop()
	collectortest.WaitFor(t, "the session to notice", func() bool {
		st := h.item(0)
		return !st.Up && st.LastError != ""
	})
	// The router comes back with counters that re-grew far past the old
	// values: a baseline kept across the reconnect would read that as a
	// huge rate. (No port speed is served, so nothing else filters it.)
	c, err := tg.ReadCounters("eth0")
	must(t, err)
	must(t, tg.SetCounters("eth0", target.Counters{InOctets: c.InOctets + 1<<40, OutOctets: c.OutOctets + 1<<40}))
	before, _ := h.overlays(link12.ID)
	must(t, tg.Restart())
	collectortest.WaitFor(t, "the stream to come back", func() bool { return h.item(0).Up && h.item(0).Counters[cntReconnects] > 0 })
	collectortest.WaitFor(t, "new samples", func() bool {
		ups, _ := h.overlays(link12.ID)
		return len(ups) >= len(before)+3
	})
	h.waitRate(link12.ID, 4e9)
	h.spikeFree(link12.ID, 4e9*1.001)
	h.spikeFree(link21.ID, 2e9*1.001)
}

func TestCollectorStallAndStaleness(t *testing.T) {
	tg := r1Target(t, target.Config{})
	base := baseTopology()
	h := startHarness(t, fastConfig(plainTarget("r1", tg.Addr())), &base)
	h.waitRate(link12.ID, 4e9)

	// A wedged target keeps the stream open but says nothing: the stall
	// detector redials, and after the TTL the overlays are withdrawn.
	tg.Stall(true)
	collectortest.WaitFor(t, "a stall to be detected", func() bool { return h.item(0).Counters[cntStalls] > 0 })
	collectortest.WaitFor(t, "the overlays to be withdrawn", func() bool {
		_, w := h.overlays(link12.ID)
		return w > 0
	})
	// Metrics fall back to the nominal BGP-LS values, never to zero.
	collectortest.WaitFor(t, "the store to fall back", func() bool {
		_, used := h.metric(link12.ID, topology.MetricUtilizedBandwidth)
		avail, _ := h.metric(link12.ID, topology.MetricAvailableBandwidth)
		return !used && avail.V == nominalAvail && avail.Source == topology.SourceBGPLS
	})
	if st := h.item(0); st.Counters[cntExpired] == 0 || !strings.Contains(st.LastError, "stalled") {
		t.Errorf("status after stall = %+v", st)
	}
	if !strings.Contains(h.logs.String(), "telemetry expired") {
		t.Error("expiry not logged")
	}

	tg.Stall(false)
	h.waitRate(link12.ID, 4e9)
	h.spikeFree(link12.ID, 4e9*1.001)
}

func TestCollectorTargetGone(t *testing.T) {
	tg := r1Target(t, target.Config{})
	base := baseTopology()
	h := startHarness(t, fastConfig(plainTarget("r1", tg.Addr())), &base)
	h.waitRate(link12.ID, 4e9)
	tg.Close()
	collectortest.WaitFor(t, "fallback to nominal after the TTL", func() bool {
		_, used := h.metric(link21.ID, topology.MetricUtilizedBandwidth)
		avail, _ := h.metric(link21.ID, topology.MetricAvailableBandwidth)
		return !used && avail.V == nominalAvail
	})
	if st := h.item(0); st.Up || st.State == stateSynced || st.LastError == "" {
		t.Errorf("status of a gone target = %+v", st)
	}
}

func TestCollectorTimestamps(t *testing.T) {
	tg := startTarget(t, target.Config{}) // no interfaces: only what the test sends
	cfg := fastConfig(plainTarget("r1", tg.Addr()))
	cfg.StallTimeout = time.Minute
	cfg.TTL = time.Minute
	base := baseTopology()
	h := startHarness(t, cfg, &base)
	must(t, tg.WaitSubscribers(ctxWait(t), 1))

	t0 := time.Now().UnixNano()
	sec := int64(time.Second)
	counters := func(ts int64, out uint64) *gpb.Notification {
		return &gpb.Notification{
			Timestamp: ts,
			Prefix:    &gpb.Path{Elem: []*gpb.PathElem{{Name: "interfaces"}, {Name: "interface", Key: map[string]string{"name": "eth0"}}}},
			Update: []*gpb.Update{
				{Path: &gpb.Path{Elem: []*gpb.PathElem{{Name: "subinterfaces"}, {Name: "subinterface", Key: map[string]string{"index": "0"}},
					{Name: "ipv4"}, {Name: "addresses"}, {Name: "address", Key: map[string]string{"ip": "10.0.0.1"}}, {Name: "state"}, {Name: "ip"}}},
					Val: &gpb.TypedValue{Value: &gpb.TypedValue_StringVal{StringVal: "10.0.0.1"}}},
				{Path: &gpb.Path{Elem: []*gpb.PathElem{{Name: "state"}, {Name: "counters"}, {Name: "out-octets"}}},
					Val: &gpb.TypedValue{Value: &gpb.TypedValue_UintVal{UintVal: out}}},
			},
		}
	}
	for _, n := range []*gpb.Notification{
		counters(t0+1*sec, 0),
		counters(t0+2*sec, 125_000_000), // 1 Gbit/s over one second
		counters(t0+2*sec, 250_000_000), // duplicate timestamp: ignored
		counters(t0+sec+sec/2, 10),      // older than the baseline: ignored
		counters(t0+3*sec, 250_000_000), // 1 Gbit/s again, from the 2 s sample
		counters(t0+4*sec, 375_000_000), // and again
	} {
		if tg.Send(n) != 1 {
			t.Fatal("notification not delivered")
		}
	}
	collectortest.WaitFor(t, "both out-of-order samples to be counted", func() bool { return h.item(0).Counters[cntStale] == 2 })
	h.waitRate(link12.ID, 1e9)
	ups, _ := h.overlays(link12.ID)
	for _, o := range ups {
		if v, ok := o.Metrics.Get(topology.MetricUtilizedBandwidth); ok && v != 1e9 {
			t.Errorf("utilised bandwidth %g, want exactly 1e9 from device timestamps", v)
		}
	}
	if st := h.item(0); st.Counters[cntResets] != 0 {
		t.Errorf("the older sample was taken for a reset: %+v", st)
	}
}

func TestCollectorGraphArrivesLater(t *testing.T) {
	tg := r1Target(t, target.Config{})
	h := startHarness(t, fastConfig(plainTarget("r1", tg.Addr())), nil)
	collectortest.WaitFor(t, "samples", func() bool { return h.item(0).Counters[cntNotifications] > 3 })
	if ups, _ := h.overlays(link12.ID); len(ups) != 0 {
		t.Fatalf("overlays before the link exists: %v", ups)
	}
	h.sendTopology(baseTopology())
	h.waitRate(link12.ID, 4e9)
	h.waitRate(link21.ID, 2e9)

	// The link goes away: its overlay is withdrawn.
	h.sendTopology(topology.Update{Source: topology.SourceBGPLS, Op: topology.OpWithdraw, Links: []topology.Link{{ID: link12.ID}}})
	collectortest.WaitFor(t, "the overlay to be withdrawn", func() bool {
		_, w := h.overlays(link12.ID)
		return w > 0
	})
}

func TestCollectorInterfaceLinks(t *testing.T) {
	tg := startTarget(t, target.Config{})
	// An interface without addresses (unnumbered, or addresses not
	// streamed) mapped by name to its neighbour.
	must(t, tg.SetInterface(target.Interface{Name: "Ethernet1", Speed: 100e9}))
	must(t, tg.SetRates("Ethernet1", 1e9, 3e9))
	tc := plainTarget("edge", tg.Addr())
	tc.RouterID = netip.MustParseAddr("192.0.2.1")
	tc.InterfaceLinks = map[string]string{"Ethernet1": "r2", "Ethernet9": "nowhere"}
	base := baseTopology()
	h := startHarness(t, fastConfig(tc), &base)
	h.waitRate(link12.ID, 3e9)
	h.waitRate(link21.ID, 1e9)
	// Capacity is the smaller of port speed (100G) and BGP-LS (10G).
	avail, _ := h.metric(link12.ID, topology.MetricAvailableBandwidth)
	if !near(avail.V, 7e9, 0.001) {
		t.Errorf("available bandwidth = %g, want 7e9", avail.V)
	}
}

func TestCollectorNoTargets(t *testing.T) {
	h := startHarness(t, fastConfig(), nil)
	collectortest.WaitFor(t, "Ready", h.c.Ready)
	if st := h.c.Status(); st.Name != "gnmi" || len(st.Items) != 0 || !st.Ready {
		t.Errorf("Status() = %+v", st)
	}
}

func TestNew(t *testing.T) {
	store := topology.NewStore(topology.DefaultConfig(), nil)
	if _, err := New(DefaultConfig(), nil, nil); err == nil {
		t.Error("New without a graph source succeeded")
	}
	cfg := fastConfig(TargetConfig{Name: "r1", Address: "127.0.0.1:1", SampleInterval: 100 * time.Millisecond, UsernameFile: "/nonexistent/u", PasswordFile: "/nonexistent/p",
		TLS: TLSConfig{CAFile: "/nonexistent/ca.pem"}})
	_, err := New(cfg, store, nil)
	for _, want := range []string{"targets[0] (r1).tls.ca_file", "username_file", "password_file"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New() = %v, want an error mentioning %q", err, want)
		}
	}
	cfg.Targets[0].Address = "nohostport"
	if _, err := New(cfg, store, nil); err == nil || !strings.Contains(err.Error(), "targets[0] (r1).address") {
		t.Errorf("New() = %v, want an address error", err)
	}
}
