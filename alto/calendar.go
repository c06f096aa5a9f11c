package alto

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Cost calendars (RFC 8896). A calendar gives a pair, instead of one
// cost, an array of number-of-intervals costs, one per time-interval-size
// from calendar-start-time (the start of the current interval). Only the
// filtered cost map and the endpoint cost service have calendars, never
// full cost maps; this server offers them on two resources of their own.
//
// The model: the value for interval i is the metric computed as now
// (same IGP paths, same aggregation) but with each link's recorded
// history for the same time of the same weekday — the mean over the
// recorded weeks of the link's samples in that weekday's interval — in
// place of its current value. A link or metric without history there
// keeps its current value, so with no history at all every interval
// repeats today's cost. Only the metrics that vary with load and time of
// day are calendared: delays, loss, residual and available bandwidth and
// tput, in numerical mode and with the estimation cost source. The
// history is read once per maps version and calendar start, and each cost
// type's calendar computed once, when first asked for; both are shared by
// every request (calendar_forecast.go).

// week is the period of the history the calendars follow.
const week = 7 * 24 * time.Hour

// imfFixdate is HTTP's date format (RFC 9110 §5.6.7), which RFC 8896 uses
// for calendar-start-time.
const imfFixdate = "Mon, 02 Jan 2006 15:04:05 GMT"

// calendarMetrics are the metrics a forecast from link history suits.
var calendarMetrics = map[string]bool{
	MetricDelayOW: true, MetricDelayOWMin: true, MetricDelayOWMax: true, MetricDelayRT: true,
	MetricDelayVariation: true, MetricLossRate: true, MetricBWResidual: true, MetricBWAvailable: true, MetricTput: true,
}

// CalendarAttributes are a resource's calendar (RFC 8896 §4.1): which of
// its cost types are calendared, and how.
type CalendarAttributes struct {
	CostTypes []CostType // as advertised
	Interval  time.Duration
	Intervals int
}

// CalendarCapability is one element of the calendar-attributes capability.
type CalendarCapability struct {
	CostTypeNames     []string `json:"cost-type-names"`
	TimeIntervalSize  float64  `json:"time-interval-size"`
	NumberOfIntervals int      `json:"number-of-intervals"`
}

// calendarAttributes returns the calendar the configuration yields, nil
// when calendars are off or no configured cost type suits one.
func (c Config) calendarAttributes() *CalendarAttributes {
	cal := c.Planning.Calendar
	if !cal.Enabled {
		return nil
	}
	a := &CalendarAttributes{Interval: cal.Interval, Intervals: cal.Intervals}
	for _, ct := range c.CostTypes {
		if calendarMetrics[ct.Metric] && ct.Mode == ModeNumerical && !ct.nominal() {
			a.CostTypes = append(a.CostTypes, ct.withContext())
		}
	}
	if len(a.CostTypes) == 0 {
		return nil
	}
	return a
}

func (a *CalendarAttributes) capability() CalendarCapability {
	c := CalendarCapability{TimeIntervalSize: a.Interval.Seconds(), NumberOfIntervals: a.Intervals}
	for _, ct := range a.CostTypes {
		c.CostTypeNames = append(c.CostTypeNames, ct.name())
	}
	return c
}

func (a *CalendarAttributes) offers(ct CostType) bool {
	for _, o := range a.CostTypes {
		if o.Key() == ct.Key() {
			return true
		}
	}
	return false
}

// calendarQuery is the calendared part of a cost query.
type calendarQuery struct {
	attrs *CalendarAttributes
	on    []bool // per requested type: calendared
	f     *forecast
	vals  [][][]float64 // per requested type: per interval, the PID×PID costs; nil if not calendared
	p     int
}

// parseCalendared reads "calendared" (RFC 8896 §5.1.1, §5.2.1): one boolean per
// requested cost type. It reports whether any type is calendared; true
// for a type the resource has no calendar for is ignored, and that type
// gets single values.
func (q *costQuery) parseCalendared(req object, res Resource, m *Maps) (bool, error) {
	raw, ok, err := getArray(req, "calendared", "", false)
	if err != nil || !ok {
		return false, err
	}
	if res.Calendar == nil {
		return false, invalid("calendared", "", "this resource has no calendar-attributes")
	}
	if len(raw) != len(q.types) {
		return false, invalid("calendared", strconv.Itoa(len(raw)),
			fmt.Sprintf("one boolean per requested cost type (%d)", len(q.types)))
	}
	on := make([]bool, len(raw))
	anyOn := false
	for i, e := range raw {
		b, isBool := e.(bool)
		if !isBool {
			return false, invalid("calendared", valueText(e), "elements must be booleans")
		}
		on[i] = b && res.Calendar.offers(q.types[i])
		anyOn = anyOn || on[i]
	}
	if !anyOn {
		return false, nil
	}
	f := m.forecast(res.Calendar)
	c := &calendarQuery{attrs: res.Calendar, on: on, f: f, vals: make([][][]float64, len(on)), p: len(m.NetworkMap.PIDs)}
	for i, ct := range q.types {
		if on[i] {
			if c.vals[i] = f.costsOf(ct); c.vals[i] == nil {
				return false, fmt.Errorf("alto: no computed cost map for %s", ct.Key())
			}
		}
	}
	q.cal = c
	return true, nil
}

// appendValue writes a pair's value when some type is calendared: an
// array of costs for a calendared type, the single cost otherwise, inside
// the multi-cost array when there is one (RFC 8896 §5.1.2, §5.2.2). Undefined
// intervals are null; a pair with nothing defined is left out.
func (c *calendarQuery) appendValue(b []byte, q *costQuery, src, dst int) ([]byte, bool) {
	at := src*c.p + dst
	defined := func(i int) bool {
		if !c.on[i] {
			_, ok := q.matrices[i].Cost(src, dst)
			return ok
		}
		for _, m := range c.vals[i] {
			if !math.IsNaN(m[at]) {
				return true
			}
		}
		return false
	}
	one := func(b []byte, i int) []byte {
		switch {
		case !defined(i):
			return append(b, "null"...)
		case !c.on[i]:
			v, _ := q.matrices[i].Cost(src, dst)
			return appendCost(b, v)
		}
		b = append(b, '[')
		for k, m := range c.vals[i] {
			if k > 0 {
				b = append(b, ',')
			}
			if v := m[at]; math.IsNaN(v) {
				b = append(b, "null"...)
			} else {
				b = appendCost(b, v)
			}
		}
		return append(b, ']')
	}
	if !q.multi {
		if !defined(0) {
			return b, false
		}
		return one(b, 0), true
	}
	anyDefined := false
	for i := range q.types {
		anyDefined = anyDefined || defined(i)
	}
	if !anyDefined {
		return b, false
	}
	b = append(b, '[')
	for i := range q.types {
		if i > 0 {
			b = append(b, ',')
		}
		b = one(b, i)
	}
	return append(b, ']'), true
}

// appendCalendarMeta writes the calendar-response-attributes member of a
// response's meta (RFC 8896 §5.1.2, §5.2.2), after the cost type, when the
// request was calendared. All calendared types share this server's one
// calendar; their names are given for multi-cost requests.
func (q *costQuery) appendCalendarMeta(b []byte) []byte {
	c := q.cal
	if c == nil {
		return b
	}
	b = append(b, `,"calendar-response-attributes":[{`...)
	if q.multi {
		b = append(b, `"cost-type-names":[`...)
		first := true
		for i, ct := range q.types {
			if c.on[i] {
				if !first {
					b = append(b, ',')
				}
				first = false
				b = strconv.AppendQuote(b, ct.name())
			}
		}
		b = append(b, "],"...)
	}
	b = append(b, `"calendar-start-time":`...)
	b = strconv.AppendQuote(b, c.f.start.UTC().Format(imfFixdate))
	b = append(b, `,"time-interval-size":`...)
	b = appendCost(b, c.attrs.Interval.Seconds())
	b = append(b, `,"number-of-intervals":`...)
	b = strconv.AppendInt(b, int64(c.attrs.Intervals), 10)
	return append(b, "}]"...)
}
