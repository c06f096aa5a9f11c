package static

import (
	"math"
	"strconv"

	"github.com/altosdn/altosdn/topology"
)

// parseRepetita reads a Repetita .graph file:
//
//	NODES <n>
//	label x y
//	<label> <x> <y>          (n lines; x y are ignored)
//
//	EDGES <m>
//	label src dest weight bw delay
//	<label> <src> <dest> <weight> <bw kbit/s> <delay µs>   (m directed arcs)
//
// src and dest are 0-based node positions. The node's label is both its
// router-ID and its name. weight becomes the IGP metric, bw (kbit/s) the max
// bandwidth in bits/s and delay (µs) the delay. A DEMANDS section, if
// present, is ignored.
func parseRepetita(file string, data []byte) (*Topology, error) {
	r := newLineReader(data)
	errs := &errList{file: file}
	b := newBuilder(FormatRepetita)

	n, ok := repetitaSection(r, errs, "NODES")
	if !ok {
		return nil, errs.err()
	}
	pos := make([]int, 0, min(n, 1<<16)) // node position by file index; -1 if rejected
	for len(pos) < n {
		fs, line, ok := r.fields()
		if !ok || fs[0] == "EDGES" {
			errs.add(line, "NODES declares %d nodes but %d follow", n, len(pos))
			return nil, errs.err()
		}
		if fs[0] == "label" && len(pos) == 0 && len(fs) == 3 && fs[1] == "x" {
			continue // column header
		}
		pos = append(pos, -1)
		if len(fs) != 3 {
			errs.add(line, "node: want \"label x y\", got %d fields", len(fs))
			continue
		}
		if _, err := parseFinite(fs[1]); err != nil {
			errs.add(line, "node %s: x: %v", fs[0], err)
		}
		if _, err := parseFinite(fs[2]); err != nil {
			errs.add(line, "node %s: y: %v", fs[0], err)
		}
		if !b.addNode(fs[0], fs[0]) {
			errs.add(line, "node %s: duplicate label", fs[0])
			continue
		}
		pos[len(pos)-1] = len(b.nodes) - 1
	}

	m, ok := repetitaSection(r, errs, "EDGES")
	if !ok {
		return nil, errs.err()
	}
	seen := 0
	for seen < m {
		fs, line, ok := r.fields()
		if !ok {
			errs.add(line, "EDGES declares %d edges but %d follow", m, seen)
			break
		}
		if fs[0] == "label" && seen == 0 && len(fs) == 6 && fs[1] == "src" {
			continue // column header
		}
		seen++
		repetitaEdge(fs, line, pos, b, errs)
	}
	if fs, line, ok := r.fields(); ok && fs[0] != "DEMANDS" {
		errs.add(line, "unexpected line after the %d declared edges", m)
	}
	if errs.failed() {
		return nil, errs.err()
	}
	return b.finish(file)
}

// repetitaSection reads a "NAME <count>" section header.
func repetitaSection(r *lineReader, errs *errList, name string) (int, bool) {
	fs, line, ok := r.fields()
	if !ok {
		errs.add(line, "missing %s section", name)
		return 0, false
	}
	if fs[0] != name || len(fs) != 2 {
		errs.add(line, "want \"%s <count>\", got %q", name, fs[0])
		return 0, false
	}
	n, err := strconv.Atoi(fs[1])
	if err != nil || n < 0 {
		errs.add(line, "%s: bad count %q", name, fs[1])
		return 0, false
	}
	return n, true
}

func repetitaEdge(fs []string, line int, pos []int, b *builder, errs *errList) {
	if len(fs) != 6 {
		errs.add(line, "edge: want \"label src dest weight bw delay\", got %d fields", len(fs))
		return
	}
	label := fs[0]
	var ends [2]int
	for i, s := range fs[1:3] {
		k, err := strconv.Atoi(s)
		if err != nil || k < 0 || k >= len(pos) {
			errs.add(line, "edge %s: no node %q (nodes are numbered 0 to %d)", label, s, len(pos)-1)
			return
		}
		if ends[i] = pos[k]; ends[i] < 0 {
			return // the node's own line already failed
		}
	}
	var m topology.Metrics
	for i, f := range []struct {
		name   string
		metric topology.Metric
		scale  float64
	}{
		{"weight", topology.MetricIGP, 1},
		{"bw", topology.MetricMaxBandwidth, 1000}, // kbit/s → bit/s
		{"delay", topology.MetricDelay, 1},        // already µs
	} {
		v, err := parseNonNeg(fs[3+i])
		if err != nil {
			errs.add(line, "edge %s: %s: %v", label, f.name, err)
			return
		}
		if v *= f.scale; math.IsInf(v, 0) {
			errs.add(line, "edge %s: %s: %s is too large", label, f.name, fs[3+i])
			return
		}
		m[f.metric] = known(v)
	}
	b.addLink(ends[0], ends[1], m)
}
