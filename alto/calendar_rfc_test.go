package alto

import (
	"encoding/json"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/altosdn/altosdn/alto/history"
	"github.com/altosdn/altosdn/topology"
)

// The RFC 8896 examples. Their values come from no network; here each
// requested pair is one link whose recorded history a week earlier holds
// the example's values, so the forecast must reproduce them exactly. The
// examples' defects and this server's deliberate differences:
//
//   - "throughputrating", "owdelay" and "servicestatus" are not registered
//     metrics (RFC 9439 registers delay-ow) and the mode "string" does
//     not exist: verbatim requests for them are rejected; delay-ow and
//     delay-variation stand in.
//   - routingcost is not calendared here (IGP metrics are configuration,
//     not load): the §5.2.3 request verbatim gets single values, as RFC
//     8896 requires for a type without a calendar.
//   - §5.2.4 sends "cost-type": {} together with "multi-cost-types",
//     which RFC 8189 §4.2.2 forbids: rejected verbatim.
//   - This server has one calendar (interval and count) for every type,
//     starts it at a multiple of the interval since the epoch, and sends
//     no "repeated"; the examples use several and start §5.1.3 at 13:00
//     with 2-hour intervals.
//   - The examples give PID1 -> PID1 costs; path costs from a PID to
//     itself are 0.
//   - The examples' dates have the wrong weekdays: 30 June 2019 was a
//     Sunday (§5.2.3 and §5.2.4 write "Mon"), 1 July 2019 a Monday
//     (§5.1.3 and §5.2.4 write "Tue", and "1" where IMF-fixdate has two
//     digits).

// recordWeekAgo records, a week before each interval k of a calendar
// from start, one sample where arc i carries series[i][k] for metric mk.
func recordWeekAgo(t *testing.T, r *history.Recorder, n func() *testNet, start time.Time, interval time.Duration,
	keys [][2]string, series [][]float64, mk topology.Metric) {
	t.Helper()
	for k := range series[0] {
		net := n()
		for i, a := range keys {
			net.set(a[0], a[1], mk, series[i][k%len(series[i])])
		}
		sample(t, r, start.Add(time.Duration(k)*interval-week+time.Minute), net)
	}
}

func TestRFC8896FilteredCostMap(t *testing.T) {
	rfcNet := func() *testNet {
		return new(testNet).node("PID1", "192.0.2.0/24").node("PID2", "198.51.100.0/24").node("PID3", "203.0.113.0/24").
			link("PID1", "PID2", 1).link("PID1", "PID3", 1).link("PID2", "PID3", 1)
	}
	cfg := calendarConfig(CostType{Metric: MetricDelayOW, Mode: ModeNumerical})
	cfg.Planning.Calendar.Interval, cfg.Planning.Calendar.Intervals = 2*time.Hour, 12
	now := time.Date(2019, 7, 1, 14, 30, 0, 0, time.UTC)
	start := time.Date(2019, 7, 1, 14, 0, 0, 0, time.UTC)

	rfc := decode(t, rfcFile(t, "rfc8896-5.1.3-fcm-calendar-response"))
	costs := rfc["cost-map"].(map[string]any)
	var keys [][2]string
	var series [][]float64
	for _, src := range []string{"PID1", "PID2"} {
		for dst, v := range costs[src].(map[string]any) {
			if dst == src {
				continue
			}
			var s []float64
			for _, x := range v.([]any) {
				s = append(s, x.(float64))
			}
			keys, series = append(keys, [2]string{src, dst}), append(series, s)
		}
	}
	r := recorder(t)
	recordWeekAgo(t, r, rfcNet, start, 2*time.Hour, keys, series, topology.MetricDelay)
	m, rs := calendared(t, rfcNet(), cfg, r, now)
	res := rs[CalendarCostMapID]

	var ae *Error
	if _, err := m.FilteredCostMap(res, rfcFile(t, "rfc8896-5.1.3-fcm-calendar-request"), cfg.Limits); !asError(err, &ae) ||
		ae.Field != "cost-type/cost-metric" || ae.Value != "throughputrating" {
		t.Fatalf("unregistered metric: %v", err)
	}
	req := strings.Replace(string(rfcFile(t, "rfc8896-5.1.3-fcm-calendar-request")), "throughputrating", "delay-ow", 1)
	out, err := m.FilteredCostMap(res, []byte(req), cfg.Limits)
	if err != nil {
		t.Fatal(err)
	}
	got := decode(t, out)
	gotCosts := got["cost-map"].(map[string]any)
	for _, k := range keys {
		want := costs[k[0]].(map[string]any)[k[1]]
		if diff := cmp.Diff(want, gotCosts[k[0]].(map[string]any)[k[1]]); diff != "" {
			t.Errorf("%s -> %s (-rfc +ours):\n%s", k[0], k[1], diff)
		}
	}
	zeros := slices.Repeat([]any{0.0}, 12)
	for _, p := range []string{"PID1", "PID2"} {
		if diff := cmp.Diff(zeros, gotCosts[p].(map[string]any)[p]); diff != "" {
			t.Errorf("%s -> itself (-want +ours):\n%s", p, diff)
		}
	}
	meta := got["meta"].(map[string]any)
	wantAttrs := []any{map[string]any{"calendar-start-time": "Mon, 01 Jul 2019 14:00:00 GMT", "time-interval-size": 7200.0, "number-of-intervals": 12.0}}
	if diff := cmp.Diff(wantAttrs, meta["calendar-response-attributes"]); diff != "" {
		t.Errorf("attributes (-want +ours):\n%s", diff)
	}
	rfcMeta := rfc["meta"].(map[string]any)
	if !cmp.Equal(keysOf(rfcMeta), keysOf(meta)) {
		t.Errorf("meta members %v; RFC %v", keysOf(meta), keysOf(rfcMeta))
	}
}

func keysOf(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// ecsNet: the source 192.0.2.2 and the four destinations of RFC 8896
// §5.2.3 in PIDs of their own, each destination one link from the source.
func ecsNet() *testNet {
	return new(testNet).node("S", "192.0.2.0/26").node("D1", "192.0.2.64/26").node("D2", "198.51.100.0/24").
		node("D3", "203.0.113.0/24").node("D4", "2001:db8::/32").
		link("S", "D1", 1).link("S", "D2", 1).link("S", "D3", 1).link("S", "D4", 1)
}

var ecsDsts = []string{"ipv4:192.0.2.89", "ipv4:198.51.100.34", "ipv4:203.0.113.45", "ipv6:2001:db8::10"}
var ecsArcs = [][2]string{{"S", "D1"}, {"S", "D2"}, {"S", "D3"}, {"S", "D4"}}

// ecsSeries reads the example's arrays, in ecsDsts order; with multi, the
// given component.
func ecsSeries(t *testing.T, name string, component int) [][]float64 {
	t.Helper()
	row := decode(t, rfcFile(t, name))["endpoint-cost-map"].(map[string]any)["ipv4:192.0.2.2"].(map[string]any)
	var out [][]float64
	for _, d := range ecsDsts {
		v := row[d].([]any)
		if component >= 0 {
			v = v[component].([]any)
		}
		var s []float64
		for _, x := range v {
			s = append(s, x.(float64))
		}
		out = append(out, s)
	}
	return out
}

var rfc8896Now = time.Date(2019, 6, 30, 0, 10, 0, 0, time.UTC) // the calendar starts at 00:00

func TestRFC8896EndpointCost(t *testing.T) {
	cfg := calendarConfig(CostType{Metric: MetricDelayOW, Mode: ModeNumerical})
	series := ecsSeries(t, "rfc8896-5.2.3-ecs-calendar-response", -1)
	r := recorder(t)
	recordWeekAgo(t, r, ecsNet, rfc8896Now.Truncate(time.Hour), time.Hour, ecsArcs, series, topology.MetricDelay)
	m, rs := calendared(t, ecsNet(), cfg, r, rfc8896Now)
	res := rs[CalendarEndpointCostID]

	// Verbatim: routingcost has no calendar, so single values.
	out, err := m.EndpointCost(res, rfcFile(t, "rfc8896-5.2.3-ecs-calendar-request"), netip.Addr{}, cfg.Limits)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"meta":{"cost-type":{"cost-mode":"numerical","cost-metric":"routingcost"}},"endpoint-cost-map":{"ipv4:192.0.2.2":{"ipv4:192.0.2.89":1,"ipv4:198.51.100.34":1,"ipv4:203.0.113.45":1,"ipv6:2001:db8::10":1}}}`
	if string(out) != want {
		t.Errorf("routingcost:\n got %s\nwant %s", out, want)
	}

	req := strings.Replace(string(rfcFile(t, "rfc8896-5.2.3-ecs-calendar-request")), "routingcost", "delay-ow", 1)
	out, err = m.EndpointCost(res, []byte(req), netip.Addr{}, cfg.Limits)
	if err != nil {
		t.Fatal(err)
	}
	got := decode(t, out)
	rfc := decode(t, rfcFile(t, "rfc8896-5.2.3-ecs-calendar-response"))
	if diff := cmp.Diff(rfc["endpoint-cost-map"], got["endpoint-cost-map"]); diff != "" {
		t.Errorf("§5.2.3 (-rfc +ours):\n%s", diff)
	}
	attrs := rfc["meta"].(map[string]any)["calendar-response-attributes"].([]any)
	a0 := attrs[0].(map[string]any)
	delete(a0, "repeated")
	if a0["calendar-start-time"] != "Mon, 30 Jun 2019 00:00:00 GMT" {
		t.Fatalf("the example changed: %v", a0)
	}
	a0["calendar-start-time"] = "Sun, 30 Jun 2019 00:00:00 GMT" // the weekday the RFC got wrong
	if diff := cmp.Diff(attrs, got["meta"].(map[string]any)["calendar-response-attributes"]); diff != "" {
		t.Errorf("attributes (-rfc without repeated, weekday fixed +ours):\n%s", diff)
	}
}

func TestRFC8896MultiCostEndpointCost(t *testing.T) {
	cfg := calendarConfig(CostType{Metric: MetricDelayOW, Mode: ModeNumerical}, CostType{Metric: MetricDelayVariation, Mode: ModeNumerical})
	first := ecsSeries(t, "rfc8896-5.2.4-ecs-multicost-calendar-response", 0)
	second := ecsSeries(t, "rfc8896-5.2.4-ecs-multicost-calendar-response", 1) // 12 values, repeated to fill 24
	start := rfc8896Now.Truncate(time.Hour)
	r := recorder(t)
	for k := range 24 {
		net := ecsNet()
		for i, a := range ecsArcs {
			net.set(a[0], a[1], topology.MetricDelay, first[i][k])
			net.set(a[0], a[1], topology.MetricDelayVariation, second[i][k%12])
		}
		sample(t, r, start.Add(time.Duration(k)*time.Hour-week+time.Minute), net)
	}
	m, rs := calendared(t, ecsNet(), cfg, r, rfc8896Now)
	res := rs[CalendarEndpointCostID]

	verbatim := rfcFile(t, "rfc8896-5.2.4-ecs-multicost-calendar-request")
	var ae *Error
	if _, err := m.EndpointCost(res, verbatim, netip.Addr{}, cfg.Limits); !asError(err, &ae) || ae.Field != "multi-cost-types" {
		t.Fatalf("cost-type with multi-cost-types: %v", err)
	}
	req := strings.NewReplacer(`"cost-type" : {},`, "", `"routingcost"`, `"delay-ow"`, `"owdelay"`, `"delay-variation"`).Replace(string(verbatim))
	out, err := m.EndpointCost(res, []byte(req), netip.Addr{}, cfg.Limits)
	if err != nil {
		t.Fatalf("%v\n%s", err, req)
	}
	got := decode(t, out)
	row := got["endpoint-cost-map"].(map[string]any)["ipv4:192.0.2.2"].(map[string]any)
	for i, d := range ecsDsts {
		v := row[d].([]any)
		if len(v) != 2 {
			t.Fatalf("%s: %v", d, v)
		}
		var a, b []float64
		for k := range 24 {
			a = append(a, v[0].([]any)[k].(float64))
			b = append(b, v[1].([]any)[k].(float64))
		}
		if !cmp.Equal(a, first[i]) || !cmp.Equal(b, append(slices.Clone(second[i]), second[i]...)) {
			t.Errorf("%s: %v", d, v)
		}
	}
	meta := got["meta"].(map[string]any)
	wantAttrs := []any{map[string]any{"cost-type-names": []any{"num-delay-ow", "num-delay-variation"},
		"calendar-start-time": "Sun, 30 Jun 2019 00:00:00 GMT", "time-interval-size": 3600.0, "number-of-intervals": 24.0}}
	if diff := cmp.Diff(wantAttrs, meta["calendar-response-attributes"]); diff != "" {
		t.Errorf("attributes (-want +ours):\n%s", diff)
	}
	if _, ok := meta["multi-cost-types"]; !ok {
		t.Errorf("meta %v", meta)
	}
}

func TestRFC8896Directory(t *testing.T) {
	cfg := DefaultConfig()
	d, _, err := NewDirectory(cfg.Resources(), cfg.NetworkMap.ResourceID, func(r Resource) string { return "/" + r.ID })
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(d)
	var ours, rfc struct {
		Meta struct {
			CostTypes map[string]any `json:"cost-types"`
		} `json:"meta"`
		Resources map[string]struct {
			MediaType    string         `json:"media-type"`
			Accepts      string         `json:"accepts"`
			Capabilities map[string]any `json:"capabilities"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(body, &ours); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(rfcFile(t, "rfc8896-4.3-ird-calendar-response"), &rfc); err != nil {
		t.Fatal(err)
	}
	pairs := map[string]string{"filtered-cost-map-calendar": CalendarCostMapID, "endpoint-cost-map-calendar": CalendarEndpointCostID}
	for rid, oid := range pairs {
		re, oe := rfc.Resources[rid], ours.Resources[oid]
		if re.MediaType != oe.MediaType || re.Accepts != oe.Accepts {
			t.Errorf("%s: %s %s; RFC %s %s", oid, oe.MediaType, oe.Accepts, re.MediaType, re.Accepts)
		}
		// Each calendar-attributes element has the RFC's members; every
		// name is offered by the resource and declared in the meta, and
		// appears once across the array (RFC 8896 §4.1).
		attrs := oe.Capabilities["calendar-attributes"].([]any)
		seen := map[string]bool{}
		for _, a := range attrs {
			am := a.(map[string]any)
			if !cmp.Equal(keysOf(am), keysOf(rfc.Resources[rid].Capabilities["calendar-attributes"].([]any)[0].(map[string]any))) {
				t.Errorf("%s: attribute members %v", oid, keysOf(am))
			}
			if am["time-interval-size"] != 3600.0 || am["number-of-intervals"] != 24.0 {
				t.Errorf("%s: %v", oid, am)
			}
			for _, n := range am["cost-type-names"].([]any) {
				name := n.(string)
				if seen[name] || !slices.Contains(oe.Capabilities["cost-type-names"].([]any), n) || ours.Meta.CostTypes[name] == nil {
					t.Errorf("%s: calendared %s repeated, not offered or not declared", oid, name)
				}
				seen[name] = true
			}
		}
		// Calendared requests ignore constraints, so none are offered.
		if oe.Capabilities["cost-constraints"] != nil || oe.Capabilities["testable-cost-type-names"] != nil {
			t.Errorf("%s offers constraints: %v", oid, oe.Capabilities)
		}
	}
}
