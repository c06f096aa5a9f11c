package spf

import (
	"math"
	"slices"
	"testing"
)

// TestMinHeap drives the heap with random pushes, decreases and pops, far
// deeper than the small graphs of the other tests reach, and checks every
// pop against a brute-force minimum.
func TestMinHeap(t *testing.T) {
	const n = 2000
	r := newRand(7)
	h := newMinHeap(n)
	key := make([]float64, n) // NaN when not queued
	for i := range key {
		key[i] = math.NaN()
	}
	for step := range 60000 {
		v := int32(r.IntN(n))
		if r.IntN(3) > 0 {
			d := float64(r.IntN(1000)) / 8
			if cur := key[v]; math.IsNaN(cur) || d < cur {
				key[v] = d
				h.pushOrDecrease(v, d)
			}
			continue
		}
		if h.len() == 0 {
			continue
		}
		want := math.Inf(1)
		for _, k := range key {
			if !math.IsNaN(k) {
				want = min(want, k)
			}
		}
		got, d := h.pop()
		if d != want || key[got] != d {
			t.Fatalf("step %d: pop() = node %d at %g; want a node at %g (node %d holds %g)", step, got, d, want, got, key[got])
		}
		key[got] = math.NaN()
	}
	// Drain: distances must come out sorted.
	var rest []float64
	for h.len() > 0 {
		_, d := h.pop()
		rest = append(rest, d)
	}
	if !slices.IsSorted(rest) {
		t.Errorf("draining the heap gave unsorted distances")
	}
	queued := 0
	for _, k := range key {
		if !math.IsNaN(k) {
			queued++
		}
	}
	if len(rest) != queued {
		t.Errorf("drained %d nodes, want %d", len(rest), queued)
	}
}
