package alto

import (
	"encoding/json"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/altosdn/altosdn/alto/history"
	"github.com/altosdn/altosdn/topology"
)

// arcs are directed links with a value of one metric.
type arcs map[[2]string]float64

// lineNet is a - b - c with IGP metric 1 on every link and the given
// current delays.
func lineNet(delays arcs) *testNet {
	n := new(testNet).node("a", "10.0.1.0/24").node("b", "10.0.2.0/24").node("c", "10.0.3.0/24").
		link("a", "b", 1).link("b", "c", 1)
	for a, v := range delays {
		n.set(a[0], a[1], topology.MetricDelay, v)
	}
	return n
}

// calendarConfig calendars hourly for a day, from two weeks of history.
func calendarConfig(types ...CostType) Config {
	cfg := DefaultConfig()
	if len(types) > 0 {
		cfg.CostTypes = append([]CostType{{Metric: MetricRoutingCost, Mode: ModeNumerical}}, types...)
	}
	cfg.Planning.Calendar = CalendarConfig{Enabled: true, Interval: time.Hour, Intervals: 24}
	cfg.Planning.History.Retention = 14 * 24 * time.Hour
	return cfg
}

// recorder returns an in-memory history.
func recorder(t *testing.T) *history.Recorder {
	t.Helper()
	r, err := history.New(history.Config{SampleInterval: time.Minute, Retention: 30 * 24 * time.Hour}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// sample records a graph built by net as the sample taken at at.
func sample(t *testing.T, r *history.Recorder, at time.Time, n *testNet) {
	t.Helper()
	if err := r.Record(at, n.graph(t)); err != nil {
		t.Fatal(err)
	}
}

// calendared builds the maps of n with a planning over hist at now.
func calendared(t *testing.T, n *testNet, cfg Config, hist LinkHistory, now time.Time) (*Maps, map[string]Resource) {
	t.Helper()
	p := NewPlanning(cfg, nil, hist, nil)
	p.now = func() time.Time { return now }
	m := mustBuild(t, n.graph(t), cfg).WithPlanning(p)
	rs := map[string]Resource{}
	for _, r := range cfg.Resources() {
		rs[r.ID] = r
	}
	return m, rs
}

// Wednesday 4 June 2025, 10:20 UTC: the calendar starts at 10:00.
var calNow = time.Date(2025, 6, 4, 10, 20, 0, 0, time.UTC)

// syntheticHistory: a week ago, at interval k of today's calendar, the
// arcs a->b and b->c had delays 100+k and 10k, for k < 20; two weeks ago
// only interval 2 was recorded, with 300 and 500. Other weekdays carry
// values that must not be used. The reverse arcs have no history.
func syntheticHistory(t *testing.T) *history.Recorder {
	r := recorder(t)
	start := calNow.Truncate(time.Hour)
	at := func(k, weeksAgo int) time.Time {
		return start.Add(time.Duration(k)*time.Hour - time.Duration(weeksAgo)*week + 5*time.Minute)
	}
	sample(t, r, at(2, 2), lineNet(arcs{{"a", "b"}: 300, {"b", "c"}: 500}))
	for k := range 20 {
		sample(t, r, at(k, 1), lineNet(arcs{{"a", "b"}: float64(100 + k), {"b", "c"}: float64(10 * k)}))
		sample(t, r, at(k, 1).Add(24*time.Hour), lineNet(arcs{{"a", "b"}: 1e6, {"b", "c"}: 1e6})) // a Thursday
	}
	return r
}

// current delays: 1000 on a-b, 2000 on b-c, both ways.
var currentDelays = arcs{{"a", "b"}: 1000, {"b", "a"}: 1000, {"b", "c"}: 2000, {"c", "b"}: 2000}

func wantDelay(k int) (ab, ac float64) {
	switch {
	case k == 2:
		return (102 + 300) / 2.0, (102+300)/2.0 + (20+500)/2.0
	case k < 20:
		return float64(100 + k), float64(100 + 11*k)
	}
	return 1000, 3000 // no history: the current value
}

func TestCalendarFromSyntheticHistory(t *testing.T) {
	cfg := calendarConfig(CostType{Metric: MetricDelayOW, Mode: ModeNumerical}, CostType{Metric: MetricDelayRT, Mode: ModeNumerical})
	m, rs := calendared(t, lineNet(currentDelays), cfg, syntheticHistory(t), calNow)
	out, err := m.FilteredCostMap(rs[CalendarCostMapID],
		[]byte(`{"cost-type":{"cost-mode":"numerical","cost-metric":"delay-ow"},"calendared":[true],"pids":{"srcs":["a","c"],"dsts":["a","b","c"]}}`),
		cfg.Limits)
	if err != nil {
		t.Fatal(err)
	}
	var resp struct {
		Meta struct {
			Attrs []map[string]any `json:"calendar-response-attributes"`
		} `json:"meta"`
		CostMap map[string]map[string][]float64 `json:"cost-map"`
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	wantAttrs := []map[string]any{{"calendar-start-time": "Wed, 04 Jun 2025 10:00:00 GMT", "time-interval-size": 3600.0, "number-of-intervals": 24.0}}
	if diff := cmp.Diff(wantAttrs, resp.Meta.Attrs); diff != "" {
		t.Errorf("calendar-response-attributes (-want +got):\n%s", diff)
	}
	for k := range 24 {
		ab, ac := wantDelay(k)
		got := []float64{resp.CostMap["a"]["a"][k], resp.CostMap["a"]["b"][k], resp.CostMap["a"]["c"][k], resp.CostMap["c"]["a"][k]}
		if want := []float64{0, ab, ac, 3000}; !cmp.Equal(got, want) {
			t.Errorf("interval %d: a->a, a->b, a->c, c->a = %v; want %v", k, got, want)
		}
	}

	// delay-rt adds the reverse path, which has no history: 3000.
	out, err = m.EndpointCost(rs[CalendarEndpointCostID],
		[]byte(`{"cost-type":{"cost-mode":"numerical","cost-metric":"delay-rt"},"calendared":[true],"endpoints":{"srcs":["ipv4:10.0.1.1"],"dsts":["ipv4:10.0.3.1"]}}`),
		netip.MustParseAddr("10.0.1.1"), cfg.Limits)
	if err != nil {
		t.Fatal(err)
	}
	var ecs struct {
		Map map[string]map[string][]float64 `json:"endpoint-cost-map"`
	}
	if err := json.Unmarshal(out, &ecs); err != nil {
		t.Fatal(err)
	}
	for k, v := range ecs.Map["ipv4:10.0.1.1"]["ipv4:10.0.3.1"] {
		if _, ac := wantDelay(k); v != ac+3000 {
			t.Errorf("delay-rt interval %d = %v; want %v", k, v, ac+3000)
		}
	}
}

func TestCalendarMultiCost(t *testing.T) {
	cfg := calendarConfig(CostType{Metric: MetricDelayOW, Mode: ModeNumerical})
	m, rs := calendared(t, lineNet(currentDelays), cfg, syntheticHistory(t), calNow)
	out, err := m.FilteredCostMap(rs[CalendarCostMapID], []byte(`{"multi-cost-types":[
		{"cost-mode":"numerical","cost-metric":"routingcost"},{"cost-mode":"numerical","cost-metric":"delay-ow"}],
		"calendared":[true,true],"pids":{"srcs":["a"],"dsts":["c"]}}`), cfg.Limits)
	if err != nil {
		t.Fatal(err)
	}
	// routingcost has no calendar: its true is ignored and it stays a
	// single value inside the multi-cost array.
	var resp struct {
		Meta struct {
			Attrs []struct {
				Names []string `json:"cost-type-names"`
			} `json:"calendar-response-attributes"`
		} `json:"meta"`
		CostMap map[string]map[string][]json.RawMessage `json:"cost-map"`
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(resp.Meta.Attrs) != 1 || !cmp.Equal(resp.Meta.Attrs[0].Names, []string{"num-delay-ow"}) {
		t.Errorf("attributes %+v", resp.Meta.Attrs)
	}
	v := resp.CostMap["a"]["c"]
	if len(v) != 2 || string(v[0]) != "2" || !strings.HasPrefix(string(v[1]), "[100,111,461,133,") {
		t.Errorf("a->c = %s", out)
	}
}

func TestCalendarRules(t *testing.T) {
	cfg := calendarConfig(CostType{Metric: MetricDelayOW, Mode: ModeNumerical})
	m, rs := calendared(t, lineNet(currentDelays), cfg, nil, calNow)
	ct := `"cost-type":{"cost-mode":"numerical","cost-metric":"delay-ow"}`
	errs := []struct {
		name, res, body string
		code            ErrorCode
		field, value    string
	}{
		{"no calendar on this resource", FilteredCostMapID, `{` + ct + `,"calendared":[true]}`, CodeInvalidFieldValue, "calendared", ""},
		{"one boolean per cost type", CalendarCostMapID, `{` + ct + `,"calendared":[true,false]}`, CodeInvalidFieldValue, "calendared", "2"},
		{"booleans only", CalendarCostMapID, `{` + ct + `,"calendared":["yes"]}`, CodeInvalidFieldValue, "calendared", "yes"},
		{"an array", CalendarCostMapID, `{` + ct + `,"calendared":true}`, CodeInvalidFieldType, "calendared", ""},
		{"no constraints without a calendar", CalendarCostMapID, `{` + ct + `,"calendared":[false],"constraints":["le 1"]}`, CodeInvalidFieldValue, "constraints", ""},
		{"ECS: one boolean per cost type", CalendarEndpointCostID, `{` + ct + `,"calendared":[],"endpoints":{"dsts":["ipv4:10.0.1.1"]}}`, CodeInvalidFieldValue, "calendared", "0"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			_, err := query(m, rs[tc.res], tc.body)
			var ae *Error
			if !asError(err, &ae) || ae.Code != tc.code || ae.Field != tc.field || ae.Value != tc.value {
				t.Errorf("got %v; want %s %q %q", err, tc.code, tc.field, tc.value)
			}
		})
	}
	oks := []struct{ name, res, body, want string }{
		{"constraints are ignored with a calendar", CalendarCostMapID,
			`{` + ct + `,"calendared":[true],"constraints":["gt 1e9"],"pids":{"srcs":["a"],"dsts":["b"]}}`,
			`"cost-map":{"a":{"b":[1000,1000,`},
		{"ECS ignores constraints too", CalendarEndpointCostID,
			`{` + ct + `,"calendared":[true],"or-constraints":[["gt 1e9"]],"endpoints":{"srcs":["ipv4:10.0.1.1"],"dsts":["ipv4:10.0.2.1"]}}`,
			`"endpoint-cost-map":{"ipv4:10.0.1.1":{"ipv4:10.0.2.1":[1000,1000,`},
		{"true for a type without calendar gives single values", CalendarCostMapID,
			`{"cost-type":{"cost-mode":"numerical","cost-metric":"routingcost"},"calendared":[true],"pids":{"srcs":["a"],"dsts":["c"]}}`,
			`"cost-type":{"cost-mode":"numerical","cost-metric":"routingcost"}},"cost-map":{"a":{"c":2}}}`},
		{"false gives single values", CalendarCostMapID, `{` + ct + `,"calendared":[false],"pids":{"srcs":["a"],"dsts":["c"]}}`,
			`"cost-map":{"a":{"c":3000}}}`},
		{"no calendared member: the plain service", CalendarCostMapID, `{` + ct + `,"pids":{"srcs":["a"],"dsts":["c"]}}`,
			`"cost-map":{"a":{"c":3000}}}`},
	}
	for _, tc := range oks {
		t.Run(tc.name, func(t *testing.T) {
			out, err := query(m, rs[tc.res], tc.body)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), tc.want) {
				t.Errorf("%s\nwant it to contain %s", out, tc.want)
			}
			if strings.Contains(tc.want, "[") != strings.Contains(string(out), "calendar-response-attributes") {
				t.Errorf("calendar-response-attributes present or missing wrongly: %s", out)
			}
		})
	}
}

// countingHistory counts its queries.
type countingHistory struct{ calls atomic.Int64 }

func (c *countingHistory) Means([]time.Time, time.Duration) (map[topology.LinkID]topology.Metrics, error) {
	c.calls.Add(1)
	return nil, nil
}

func TestForecastComputedOncePerVersionAndStart(t *testing.T) {
	cfg := calendarConfig(CostType{Metric: MetricDelayOW, Mode: ModeNumerical})
	hist := &countingHistory{}
	now := calNow
	m, rs := calendared(t, lineNet(currentDelays), cfg, hist, now)
	p := m.Planning()
	body := []byte(`{"cost-type":{"cost-mode":"numerical","cost-metric":"delay-ow"},"calendared":[true]}`)
	ask := func() {
		t.Helper()
		if _, err := m.FilteredCostMap(rs[CalendarCostMapID], body, cfg.Limits); err != nil {
			t.Fatal(err)
		}
		if _, err := m.EndpointCost(rs[CalendarEndpointCostID], []byte(`{"cost-type":{"cost-mode":"numerical","cost-metric":"delay-ow"},"calendared":[true],"endpoints":{"dsts":["ipv4:10.0.1.1"]}}`), netip.MustParseAddr("10.0.1.1"), cfg.Limits); err != nil {
			t.Fatal(err)
		}
	}
	ask()
	ask()
	if n := hist.calls.Load(); n != 24 {
		t.Errorf("%d history queries for one version and hour; want 24 (one per interval)", n)
	}
	p.now = func() time.Time { return now.Add(30 * time.Minute) } // same hour
	ask()
	p.now = func() time.Time { return now.Add(time.Hour) }
	ask()
	if n := hist.calls.Load(); n != 48 {
		t.Errorf("%d history queries after the hour turned; want 48", n)
	}
	m2 := mustBuild(t, lineNet(currentDelays).graph(t), cfg).WithPlanning(p) // a new version
	if _, err := m2.FilteredCostMap(rs[CalendarCostMapID], body, cfg.Limits); err != nil {
		t.Fatal(err)
	}
	if n := hist.calls.Load(); n != 72 {
		t.Errorf("%d history queries after a new version; want 72", n)
	}
}

func TestCalendarWithoutPlanning(t *testing.T) {
	// Maps without a planning (not built by an engine) still
	// answer calendared requests: every interval repeats today's cost.
	cfg := calendarConfig(CostType{Metric: MetricDelayOW, Mode: ModeNumerical})
	m := mustBuild(t, lineNet(currentDelays).graph(t), cfg)
	var res Resource
	for _, r := range cfg.Resources() {
		if r.ID == CalendarCostMapID {
			res = r
		}
	}
	out, err := m.FilteredCostMap(res, []byte(`{"cost-type":{"cost-mode":"numerical","cost-metric":"delay-ow"},"calendared":[true],"pids":{"srcs":["a"],"dsts":["b"]}}`), cfg.Limits)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"cost-map":{"a":{"b":[`+strings.Repeat("1000,", 23)+`1000]}}`) {
		t.Errorf("%s", out)
	}
}

func TestCalendarConfig(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"defaults", func(*Config) {}, ""},
		{"short interval", func(c *Config) { c.Planning.Calendar.Interval = time.Millisecond }, "planning.calendar.interval: must be between 1s and 168h"},
		{"no intervals", func(c *Config) { c.Planning.Calendar.Intervals = 0 }, "planning.calendar.intervals: must be between 1 and 1000"},
		{"history sampling", func(c *Config) { c.Planning.History.SampleInterval = 0 }, "planning.history.sample_interval: must be at least 1s"},
		{"retention", func(c *Config) { c.Planning.History.Retention = time.Second }, "planning.history.retention: must be at least sample_interval"},
		{"inventory", func(c *Config) { c.Planning.Inventory.PollInterval = -1 }, "planning.inventory.poll_interval: must not be negative"},
		{"inventory property name", func(c *Config) { c.Planning.Inventory.Properties = []string{"a.b"} }, "planning.inventory.properties[0]: property \"a.b\""},
		{"derived property", func(c *Config) { c.Planning.Inventory.Properties = []string{"cpu", "asn"} },
			`planning.inventory.properties[1]: "asn" is derived from the topology (as .asn)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.mutate(&c)
			err := c.Validate()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("got %v; want %q", err, tc.want)
			}
		})
	}
}

func TestCalendarResources(t *testing.T) {
	cfg := DefaultConfig()
	var cal []Resource
	for _, r := range cfg.Resources() {
		if r.Calendar != nil {
			cal = append(cal, r)
		}
	}
	if len(cal) != 2 || cal[0].ID != CalendarCostMapID || cal[1].ID != CalendarEndpointCostID {
		t.Fatalf("calendar resources %v", cal)
	}
	var names []string
	for _, ct := range cal[0].Calendar.CostTypes {
		names = append(names, ct.Key())
	}
	// bw-residual:max is nominal (a capacity), routingcost and hopcount
	// are configuration, ordinal ranks are not forecast.
	want := []string{"delay-ow/numerical", "delay-rt/numerical", "lossrate/numerical", "bw-available/numerical", "tput/numerical"}
	if !cmp.Equal(names, want) {
		t.Errorf("calendared %v; want %v", names, want)
	}
	cfg.Planning.Calendar.Enabled = false
	cfg.Planning.PropertyMap.Enabled = false
	for _, r := range cfg.Resources() {
		if r.Calendar != nil || r.Kind == KindPropertyMap || r.Kind == KindFilteredPropertyMap {
			t.Errorf("%s offered while disabled", r.ID)
		}
	}
	cfg = DefaultConfig()
	cfg.CostTypes = []CostType{{Metric: MetricRoutingCost, Mode: ModeNumerical}}
	for _, r := range cfg.Resources() {
		if r.Calendar != nil {
			t.Errorf("%s offered with nothing to calendar", r.ID)
		}
	}
}

func FuzzCalendaredCostMap(f *testing.F) {
	cfg := calendarConfig(CostType{Metric: MetricDelayOW, Mode: ModeNumerical})
	m := mustBuild(f, lineNet(currentDelays).graph(f), cfg).WithPlanning(NewPlanning(cfg, nil, nil, nil))
	var res Resource
	for _, r := range cfg.Resources() {
		if r.ID == CalendarCostMapID {
			res = r
		}
	}
	f.Add(`{"cost-type":{"cost-mode":"numerical","cost-metric":"delay-ow"},"calendared":[true],"pids":{"srcs":["a"]}}`)
	f.Add(`{"multi-cost-types":[{"cost-mode":"numerical","cost-metric":"delay-ow"},{"cost-mode":"numerical","cost-metric":"routingcost"}],"calendared":[true,null]}`)
	f.Fuzz(func(t *testing.T, body string) {
		out, err := m.FilteredCostMap(res, []byte(body), cfg.Limits)
		if err != nil {
			var ae *Error
			if !asError(err, &ae) {
				t.Fatalf("not an ALTO error: %v", err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("invalid JSON %s", out)
		}
	})
}
