package alto

import "slices"

// FilteredCostMap answers a filtered cost map request (RFC 7285 §11.3.2,
// RFC 8189) sent to resource res. Empty or absent srcs/dsts mean every PID;
// unknown PIDs are ignored; pairs failing the constraints are left out.
func (m *Maps) FilteredCostMap(res Resource, body []byte, limits Limits) ([]byte, error) {
	req, err := decodeRequest(body)
	if err != nil {
		return nil, err
	}
	q, err := parseCostQuery(req, res, m)
	if err != nil {
		return nil, err
	}
	nm := m.NetworkMap
	srcs, dsts, err := pidFilter(nm, req, limits)
	if err != nil {
		return nil, err
	}

	b := make([]byte, 0, 256+len(srcs)*len(dsts)*12)
	b = append(b, `{"meta":{"dependent-vtags":[`...)
	b = appendVersionTag(b, nm.VersionTag())
	b = append(b, "],"...)
	b = q.appendMetaCostType(b)
	b = q.appendCalendarMeta(b)
	b = append(b, `},"cost-map":{`...)
	firstRow := true
	for _, s := range srcs {
		rowStart := len(b)
		if !firstRow {
			b = append(b, ',')
		}
		b = appendName(b, nm.PIDs[s].Name)
		b = append(b, ":{"...)
		empty := true
		for _, d := range dsts {
			if !q.pass(s, d) {
				continue
			}
			mark := len(b)
			if !empty {
				b = append(b, ',')
			}
			b = appendName(b, nm.PIDs[d].Name)
			b = append(b, ':')
			var ok bool
			if b, ok = q.appendValue(b, s, d); !ok {
				b = b[:mark]
				continue
			}
			empty = false
		}
		if empty { // a source with nothing to say is left out
			b = b[:rowStart]
			continue
		}
		b = append(b, '}')
		firstRow = false
	}
	return append(b, "}}"...), nil
}

// pidFilter reads the optional pids filter of a cost request: source and
// destination PIDs as network map indices, every PID where a list is
// empty or the filter absent.
func pidFilter(nm *NetworkMap, req object, limits Limits) (srcs, dsts []int, err error) {
	filter, ok, err := getObject(req, "pids", "", false)
	if err != nil || !ok {
		return allIndices(len(nm.PIDs)), allIndices(len(nm.PIDs)), err
	}
	if srcs, err = pidIndices(nm, filter, "srcs", limits); err != nil {
		return nil, nil, err
	}
	if dsts, err = pidIndices(nm, filter, "dsts", limits); err != nil {
		return nil, nil, err
	}
	return srcs, dsts, nil
}

// pidIndices reads pids/srcs or pids/dsts: PID names to network map indices
// in name order, without duplicates or unknown names; empty means all.
func pidIndices(nm *NetworkMap, filter object, key string, limits Limits) ([]int, error) {
	names, _, err := getStrings(filter, key, "pids", false)
	if err != nil {
		return nil, err
	}
	if err := checkPIDNames(names, "pids/"+key, limits); err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return allIndices(len(nm.PIDs)), nil
	}
	idx := make([]int, 0, len(names))
	for _, n := range names {
		if i, ok := nm.PIDIndex(n); ok {
			idx = append(idx, i)
		}
	}
	slices.Sort(idx)
	return slices.Compact(idx), nil
}

func allIndices(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}
