package alto

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// costQuery is the cost part of a filtered cost map or ECS request, checked
// against the resource it was sent to (RFC 7285 §11.3.2.3, RFC 8189 §4.2).
type costQuery struct {
	types    []CostType // requested types, in request order
	multi    bool       // multi-cost-types was used: values are arrays
	matrices []*CostMap // full map of each requested type
	tested   []*CostMap // full map of each testable type, by constraint index
	// groups is an OR of ANDs: a pair is returned if every predicate of
	// some group holds. No groups means no constraints.
	groups [][]predicate
	// cal is set when some type is calendared (RFC 8896, calendar.go).
	cal *calendarQuery
}

type predicate struct {
	index int // into tested
	op    string
	value float64
}

func (p predicate) holds(v float64) bool {
	if math.IsNaN(v) { // an undefined cost satisfies no constraint
		return false
	}
	switch p.op {
	case "eq":
		return v == p.value
	case "lt":
		return v < p.value
	case "le":
		return v <= p.value
	case "gt":
		return v > p.value
	case "ge":
		return v >= p.value
	}
	return false
}

// parseCostQuery reads cost-type or multi-cost-types, testable-cost-types,
// constraints and or-constraints, enforcing every rule on how they combine.
func parseCostQuery(req object, res Resource, m *Maps) (*costQuery, error) {
	q := &costQuery{}
	single, hasSingle := member(req, "cost-type")
	multi, hasMulti, err := getArray(req, "multi-cost-types", "", false)
	if err != nil {
		return nil, err
	}
	switch {
	case hasSingle && hasMulti:
		return nil, invalid("multi-cost-types", "", "cost-type and multi-cost-types exclude each other")
	case !hasSingle && !hasMulti:
		return nil, missing("cost-type")
	case hasSingle:
		ct, err := decodeCostType(single, "cost-type")
		if err != nil {
			return nil, err
		}
		if err := offered(res, ct, "cost-type", true); err != nil {
			return nil, err
		}
		q.types = []CostType{ct}
	default:
		if res.MaxCostTypes == 0 {
			return nil, invalid("multi-cost-types", "", "this resource is not multi-cost (max-cost-types is 0)")
		}
		if len(multi) == 0 || len(multi) > res.MaxCostTypes {
			return nil, invalid("multi-cost-types", strconv.Itoa(len(multi)),
				fmt.Sprintf("between 1 and %d cost types", res.MaxCostTypes))
		}
		q.multi = true
		for _, v := range multi {
			ct, err := decodeCostType(v, "multi-cost-types")
			if err != nil {
				return nil, invalid("multi-cost-types", valueText(v), "not a cost type")
			}
			if err := offered(res, ct, "multi-cost-types", false); err != nil {
				return nil, err
			}
			q.types = append(q.types, ct)
		}
	}
	for _, ct := range q.types {
		cm, ok := m.CostMapOf(ct)
		if !ok { // the resource offers it, so the engine computed it
			return nil, fmt.Errorf("alto: no computed cost map for %s", ct.Key())
		}
		q.matrices = append(q.matrices, cm)
	}
	if cal, err := q.parseCalendared(req, res, m); err != nil {
		return nil, err
	} else if cal {
		return q, nil // a calendared request's constraints are ignored (RFC 8896 §5)
	}
	if err := q.parseConstraints(req, res, m); err != nil {
		return nil, err
	}
	return q, nil
}

// offered checks that the resource serves ct. For a single cost type the
// field named is the member at fault, as RFC 7285 §8.5.2 shows.
func offered(res Resource, ct CostType, field string, single bool) error {
	metricKnown := false
	for _, o := range res.CostTypes {
		if o.Key() == ct.Key() {
			if ct.Context.Source != "" && ct.Context.Source != o.source() {
				return invalid(field+"/cost-context/cost-source", ct.Context.Source, "this resource offers "+ct.Key()+" as "+o.source())
			}
			return nil
		}
		metricKnown = metricKnown || o.Metric == ct.Metric
	}
	if !single {
		return invalid(field, ct.Metric+"/"+ct.Mode, "cost type not offered by this resource")
	}
	if metricKnown {
		return invalid(field+"/cost-mode", ct.Mode, "cost mode not offered for "+ct.Metric)
	}
	return invalid(field+"/cost-metric", ct.Metric, "cost metric not offered by this resource")
}

func testable(res Resource, ct CostType) bool {
	if res.Constraints {
		for _, o := range res.CostTypes {
			if o.Key() == ct.Key() {
				return true
			}
		}
		return false
	}
	for _, o := range res.Testable {
		if o.Key() == ct.Key() {
			return true
		}
	}
	return false
}

func (q *costQuery) parseConstraints(req object, res Resource, m *Maps) error {
	testTypes := q.types
	tt, hasTT, err := getArray(req, "testable-cost-types", "", false)
	if err != nil {
		return err
	}
	if hasTT {
		if res.MaxCostTypes == 0 {
			return invalid("testable-cost-types", "", "this resource is not multi-cost (max-cost-types is 0)")
		}
		if len(tt) == 0 {
			return invalid("testable-cost-types", "", "at least one cost type")
		}
		testTypes = nil
		for _, v := range tt {
			ct, err := decodeCostType(v, "testable-cost-types")
			if err != nil {
				return invalid("testable-cost-types", valueText(v), "not a cost type")
			}
			if !testable(res, ct) {
				return invalid("testable-cost-types", ct.Metric+"/"+ct.Mode, "cost type not testable on this resource")
			}
			testTypes = append(testTypes, ct)
		}
	}
	for _, ct := range testTypes {
		cm, ok := m.CostMapOf(ct)
		if !ok {
			return fmt.Errorf("alto: no computed cost map for %s", ct.Key())
		}
		q.tested = append(q.tested, cm)
	}

	and, hasAnd, err := getStrings(req, "constraints", "", false)
	if err != nil {
		return err
	}
	orRaw, hasOr, err := getArray(req, "or-constraints", "", false)
	if err != nil {
		return err
	}
	if !hasAnd && !hasOr {
		return nil
	}
	field := "constraints"
	if hasOr {
		field = "or-constraints"
	}
	switch {
	case hasAnd && hasOr:
		return invalid("or-constraints", "", "constraints and or-constraints exclude each other")
	case !res.Constraints && len(res.Testable) == 0:
		return invalid(field, "", "this resource does not accept constraints")
	case hasOr && res.MaxCostTypes == 0:
		return invalid("or-constraints", "", "this resource is not multi-cost (max-cost-types is 0)")
	}
	if hasAnd {
		group, err := q.parsePredicates(and, "constraints", testTypes, res, hasTT)
		if err != nil {
			return err
		}
		if len(group) > 0 {
			q.groups = [][]predicate{group}
		}
		return nil
	}
	if len(orRaw) == 0 {
		return invalid("or-constraints", "", "at least one group of constraints")
	}
	for _, g := range orRaw {
		raw, ok := g.([]any)
		if !ok || len(raw) == 0 {
			return invalid("or-constraints", valueText(g), "each element must be a non-empty array of constraints")
		}
		strs := make([]string, 0, len(raw))
		for _, e := range raw {
			s, ok := e.(string)
			if !ok {
				return invalid("or-constraints", valueText(e), "constraints must be strings")
			}
			strs = append(strs, s)
		}
		group, err := q.parsePredicates(strs, "or-constraints", testTypes, res, hasTT)
		if err != nil {
			return err
		}
		q.groups = append(q.groups, group)
	}
	return nil
}

// parsePredicates parses "[i] op value" strings (RFC 8189 §4.2; the index
// defaults to 0 and must be 0 for a single cost type).
func (q *costQuery) parsePredicates(strs []string, field string, testTypes []CostType, res Resource, explicitTestable bool) ([]predicate, error) {
	var out []predicate
	for _, s := range strs {
		f := strings.Fields(s)
		idx := 0
		if len(f) == 3 {
			inner, ok := strings.CutPrefix(f[0], "[")
			inner, ok2 := strings.CutSuffix(inner, "]")
			n, err := strconv.Atoi(inner)
			if !ok || !ok2 || err != nil || n < 0 {
				return nil, invalid(field, s, "a constraint is [index] operator value")
			}
			idx, f = n, f[1:]
		}
		if len(f) != 2 {
			return nil, invalid(field, s, "a constraint is [index] operator value")
		}
		switch f[0] {
		case "eq", "lt", "le", "gt", "ge":
		default:
			return nil, invalid(field, s, "operator must be eq, lt, le, gt or ge")
		}
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, invalid(field, s, "the value must be a finite number")
		}
		if idx >= len(testTypes) {
			return nil, invalid(field, s, fmt.Sprintf("index %d is beyond the %d tested cost types", idx, len(testTypes)))
		}
		if !explicitTestable && !testable(res, testTypes[idx]) {
			return nil, invalid(field, s, "cost type "+testTypes[idx].Key()+" is not testable on this resource")
		}
		out = append(out, predicate{index: idx, op: f[0], value: v})
	}
	return out, nil
}

// pass reports whether the PID pair (by network map index) satisfies the
// constraints.
func (q *costQuery) pass(src, dst int) bool {
	if len(q.groups) == 0 {
		return true
	}
	for _, g := range q.groups {
		ok := true
		for _, p := range g {
			v, _ := q.tested[p.index].Cost(src, dst)
			if !p.holds(v) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// appendValue writes the cost of a pair: a number for a single cost type,
// an array with null for undefined members for multi-cost. It reports
// whether anything was defined; the caller leaves out pairs with nothing.
func (q *costQuery) appendValue(b []byte, src, dst int) ([]byte, bool) {
	if q.cal != nil {
		return q.cal.appendValue(b, q, src, dst)
	}
	if !q.multi {
		v, ok := q.matrices[0].Cost(src, dst)
		if !ok {
			return b, false
		}
		return appendCost(b, v), true
	}
	defined := false
	for _, cm := range q.matrices {
		if _, ok := cm.Cost(src, dst); ok {
			defined = true
			break
		}
	}
	if !defined {
		return b, false
	}
	b = append(b, '[')
	for i, cm := range q.matrices {
		if i > 0 {
			b = append(b, ',')
		}
		if v, ok := cm.Cost(src, dst); ok {
			b = appendCost(b, v)
		} else {
			b = append(b, "null"...)
		}
	}
	return append(b, ']'), true
}

// appendMetaCostType writes the cost-type member of a response's meta, and
// for multi-cost the empty cost-type plus multi-cost-types (RFC 8189 §4.3).
func (q *costQuery) appendMetaCostType(b []byte) []byte {
	if !q.multi {
		b = append(b, `"cost-type":`...)
		return appendCostType(b, q.types[0])
	}
	b = append(b, `"cost-type":{},"multi-cost-types":[`...)
	for i, ct := range q.types {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendCostType(b, ct)
	}
	return append(b, ']')
}
