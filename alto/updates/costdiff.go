package updates

import (
	"bytes"
	"math"

	"github.com/altosdn/altosdn/alto"
)

// diffCostMaps returns the merge patch from cost map a to cost map b,
// built from their dense matrices in one pass over the pairs: its size
// follows the number of changed pairs, not the size of the map. Both maps
// must be indexed by the same PIDs (names, in order). It returns nil when
// the patch would reach limit bytes (the size of the full map).
//
// The patch is {"meta":{"dependent-vtags":[…]}, "cost-map":{src:{dst:v}}}:
// meta only when the network map's vtag changed, v null where a cost
// became undefined, and a whole source null when its row became empty
// (the full map leaves such rows out).
func diffCostMaps(a, b *alto.CostMap, pids []alto.PID, limit int) []byte {
	var meta *alto.VersionTag
	if a.DependentVTag != b.DependentVTag {
		meta = &b.DependentVTag
	}
	return diffMatrices(a.Row, b.Row, pids, meta, limit)
}

// diffMatrices is diffCostMaps on two matrices given by their rows; meta,
// when not nil, is the new dependent vtag.
func diffMatrices(rowA, rowB func(int) []float64, pids []alto.PID, meta *alto.VersionTag, limit int) []byte {
	out := make([]byte, 0, 256)
	out = append(out, '{')
	if meta != nil {
		out = append(out, `"meta":{"dependent-vtags":[`...)
		out = alto.AppendVersionTag(out, *meta)
		out = append(out, `]},`...)
	}
	out = append(out, `"cost-map":{`...)
	mapStart := len(out)
	for i := range pids {
		ra, rb := rowA(i), rowB(i)
		if equalRows(ra, rb) {
			continue
		}
		if len(out) > mapStart {
			out = append(out, ',')
		}
		out = appendName(out, pids[i].Name)
		out = append(out, ':')
		switch {
		case !anyDefined(rb):
			out = append(out, "null"...)
		default:
			wasEmpty := !anyDefined(ra)
			out = append(out, '{')
			first := true
			for j, vb := range rb {
				va := ra[j]
				if sameCost(va, vb) || (wasEmpty && math.IsNaN(vb)) {
					continue
				}
				if !first {
					out = append(out, ',')
				}
				first = false
				out = appendName(out, pids[j].Name)
				out = append(out, ':')
				if math.IsNaN(vb) {
					out = append(out, "null"...)
				} else {
					out = alto.AppendCost(out, vb)
				}
			}
			out = append(out, '}')
		}
		if len(out) >= limit {
			return nil
		}
	}
	if len(out) == mapStart { // no cost changed: meta alone, or nothing
		out = out[:mapStart-len(`"cost-map":{`)]
		out = bytes.TrimSuffix(out, []byte{','})
		return append(out, '}')
	}
	out = append(out, "}}"...)
	if len(out) >= limit {
		return nil
	}
	return out
}

func sameCost(a, b float64) bool {
	return a == b || (math.IsNaN(a) && math.IsNaN(b))
}

func equalRows(a, b []float64) bool {
	for j := range a {
		if !sameCost(a[j], b[j]) {
			return false
		}
	}
	return true
}

func anyDefined(row []float64) bool {
	for _, v := range row {
		if !math.IsNaN(v) {
			return true
		}
	}
	return false
}

// samePIDs reports whether two network maps index their costs the same way.
func samePIDs(a, b *alto.NetworkMap) bool {
	if a == b {
		return true
	}
	if len(a.PIDs) != len(b.PIDs) {
		return false
	}
	for i := range a.PIDs {
		if a.PIDs[i].Name != b.PIDs[i].Name {
			return false
		}
	}
	return true
}

// appendName writes a PID name as a JSON string; PID names never need
// escaping (RFC 7285 §10.1).
func appendName(b []byte, name string) []byte {
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"')
}
