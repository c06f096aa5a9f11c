package alto

import (
	"math"
	"slices"
	"strconv"
)

// CostMap is a computed full cost map resource (RFC 7285 §11.2.3). Costs are
// held densely, indexed by the PID order of the network map it depends on.
type CostMap struct {
	ResourceID string
	Type       CostType
	// DependentVTag is the vtag of the network map the costs refer to.
	DependentVTag VersionTag
	// Response is the complete encoded GET response.
	Response *Encoded

	pids  []PID
	costs []float64 // len(pids)², row = source; NaN where no cost is defined
}

func newCostMap(ct CostType, nm *NetworkMap, costs []float64) *CostMap {
	c := &CostMap{
		ResourceID:    ct.resourceID(),
		Type:          ct,
		DependentVTag: nm.VersionTag(),
		pids:          nm.PIDs,
		costs:         costs,
	}
	c.Response = newEncoded(MediaTypeCostMap, c.encode())
	return c
}

// Cost returns the cost from PID index src to PID index dst, and false where
// no cost is defined (the destination is unreachable).
func (c *CostMap) Cost(src, dst int) (float64, bool) {
	v := c.costs[src*len(c.pids)+dst]
	return v, !math.IsNaN(v)
}

// NumPIDs returns the number of PIDs the map is indexed by.
func (c *CostMap) NumPIDs() int { return len(c.pids) }

func (c *CostMap) encode() []byte {
	n := len(c.pids)
	// About 12 bytes a defined pair plus the names: one allocation for the
	// common case of a dense map.
	b := make([]byte, 0, 256+n*n*12+n*n*avgNameLen(c.pids))
	b = append(b, `{"meta":{"dependent-vtags":[`...)
	b = appendVersionTag(b, c.DependentVTag)
	b = append(b, `],"cost-type":`...)
	b = appendCostType(b, c.Type)
	b = append(b, `},"cost-map":{`...)
	// Each PID's key, `"name":`, is rendered once: the loop below runs
	// once per pair and is the bulk of a recompute's encoding time.
	keys := make([][]byte, n)
	for i, p := range c.pids {
		keys[i] = append(appendName(nil, p.Name), ':')
	}
	firstRow := true
	for i := range n {
		row := c.costs[i*n : (i+1)*n]
		if !anyDefined(row) {
			continue
		}
		if !firstRow {
			b = append(b, ',')
		}
		firstRow = false
		b = append(b, keys[i]...)
		b = append(b, '{')
		first := true
		for j, v := range row {
			if math.IsNaN(v) {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(b, keys[j]...)
			b = appendCost(b, v)
		}
		b = append(b, '}')
	}
	return append(b, "}}"...)
}

func avgNameLen(pids []PID) int {
	if len(pids) == 0 {
		return 0
	}
	total := 0
	for _, p := range pids {
		total += len(p.Name) + 3
	}
	return total / len(pids)
}

func anyDefined(row []float64) bool {
	for _, v := range row {
		if !math.IsNaN(v) {
			return true
		}
	}
	return false
}

// appendName writes a PIDName as a JSON string; PIDNames never need escaping.
func appendName(b []byte, name string) []byte {
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"')
}

// appendCost writes a cost as a JSON number: integers without a fraction or
// exponent, other values in the shortest form that reads back exactly.
func appendCost(b []byte, v float64) []byte {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.AppendInt(b, int64(v), 10)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// toOrdinal ranks numerical costs (RFC 7285 §6.1.2.2): equal costs share a
// rank, ranks are dense, and the lowest cost gets rank 0, so a PID's cost to
// itself stays 0 as in the numerical map. Undefined costs stay undefined.
// Maps hold far fewer distinct costs than pairs, so ranks are found through
// a map of the distinct values rather than by sorting every pair.
func toOrdinal(costs []float64) []float64 {
	rank := make(map[float64]float64, 1024)
	for _, v := range costs {
		if !math.IsNaN(v) {
			rank[v] = 0
		}
	}
	distinct := make([]float64, 0, len(rank))
	for v := range rank {
		distinct = append(distinct, v)
	}
	slices.Sort(distinct)
	for r, v := range distinct {
		rank[v] = float64(r)
	}
	out := make([]float64, len(costs))
	for i, v := range costs {
		if math.IsNaN(v) {
			out[i] = v
			continue
		}
		out[i] = rank[v]
	}
	return out
}
