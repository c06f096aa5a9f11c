package spf

import "math"

// minHeap is a binary min-heap of node indices keyed by tentative distance,
// with decrease-key. It is typed, rather than built on container/heap, so
// that no interface call sits on the hot path.
//
// Keys are stored as the IEEE-754 bits of the distance: for non-negative
// float64s (including +Inf) the bit patterns order exactly as the values
// do, and integers let down pick the smaller child without a branch that
// would mispredict half the time. Callers therefore must never push -0 or a
// negative distance.
type minHeap struct {
	items []heapItem
	pos   []int32 // index of each node in items, -1 when absent
}

type heapItem struct {
	key uint64 // math.Float64bits of the distance
	v   int32
}

// infKey sorts after every finite distance; down uses it as a sentinel.
var infKey = math.Float64bits(math.Inf(1))

func newMinHeap(n int) minHeap {
	// One spare slot holds down's sentinel.
	h := minHeap{items: make([]heapItem, 0, n+1), pos: make([]int32, n)}
	for i := range h.pos {
		h.pos[i] = -1
	}
	return h
}

func (h *minHeap) len() int { return len(h.items) }

// pushOrDecrease inserts v with distance d, or lowers v's distance to d if v
// is already queued; d must not be larger than the current one.
func (h *minHeap) pushOrDecrease(v int32, d float64) {
	i := int(h.pos[v])
	if i < 0 {
		i = len(h.items)
		h.items = append(h.items, heapItem{})
	}
	h.up(i, heapItem{math.Float64bits(d), v})
}

// pop removes the node with the smallest distance.
func (h *minHeap) pop() (int32, float64) {
	top := h.items[0]
	h.pos[top.v] = -1
	last := len(h.items) - 1
	it := h.items[last]
	h.items = h.items[:last]
	if last > 0 {
		h.down(0, it)
	}
	return top.v, math.Float64frombits(top.key)
}

// up places it at index i or above, moving larger parents down.
func (h *minHeap) up(i int, it heapItem) {
	items := h.items
	for i > 0 {
		p := (i - 1) / 2
		if items[p].key <= it.key {
			break
		}
		items[i] = items[p]
		h.pos[items[i].v] = int32(i)
		i = p
	}
	items[i] = it
	h.pos[it.v] = int32(i)
}

// down places it at index i or below, moving smaller children up.
func (h *minHeap) down(i int, it heapItem) {
	n := len(h.items)
	// With a sentinel past the end the right child always exists, so
	// choosing between the children needs no bounds test.
	items := h.items[:n+1]
	items[n] = heapItem{key: infKey}
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		// Keys are below 2^63, so the difference wraps past 2^63 exactly
		// when the right child is smaller: a branch-free c++. (The compiler
		// will not emit a conditional move for a loop-carried index.)
		c += int((items[c+1].key - items[c].key) >> 63)
		if it.key <= items[c].key {
			break
		}
		items[i] = items[c]
		h.pos[items[i].v] = int32(i)
		i = c
	}
	items[i] = it
	h.pos[it.v] = int32(i)
}
