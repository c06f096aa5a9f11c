package alto

import (
	"cmp"
	"encoding/binary"
	"math/bits"
	"net/netip"
	"slices"
)

// LPM maps addresses to the value of their longest matching prefix (RFC 7285
// §11.2.2 uses RFC 1812 longest-prefix match). It holds one hash table per
// prefix length present, so a lookup costs at most one probe per distinct
// length, typically a dozen or two, and allocates nothing. It is immutable
// once built and safe for concurrent lookups.
type LPM struct {
	v4 lpmFamily[uint32]
	v6 lpmFamily[[2]uint64]
	// v4Long[a>>16] has bit l-16 set when a prefix of length l ≥ 16 lies
	// in the /16 of a; lookups then skip the lengths that cannot match.
	// It turns ~17 probes into one or two on tables of real networks.
	v4Long  []uint32
	v4Short []int                // lengths below 16, longest first
	v4ByLen [33]map[uint32]int32 // the v4 tables indexed by length
}

type lpmFamily[K comparable] struct {
	lengths []int         // distinct prefix lengths, longest first
	tables  []map[K]int32 // one per entry of lengths
}

// LPMEntry is one prefix and its value.
type LPMEntry struct {
	Prefix netip.Prefix
	Value  int32
}

// NewLPM builds a table from entries. Prefixes must be masked; for a prefix
// listed twice the later entry wins.
func NewLPM(entries []LPMEntry) *LPM {
	t := &LPM{}
	v4 := map[int]map[uint32]int32{}
	v6 := map[int]map[[2]uint64]int32{}
	for _, e := range entries {
		a, bits := e.Prefix.Addr(), e.Prefix.Bits()
		if a.Is4() {
			if v4[bits] == nil {
				v4[bits] = map[uint32]int32{}
			}
			v4[bits][key4(a, bits)] = e.Value
		} else {
			if v6[bits] == nil {
				v6[bits] = map[[2]uint64]int32{}
			}
			v6[bits][key6(a, bits)] = e.Value
		}
	}
	t.v4 = newFamily(v4)
	t.v6 = newFamily(v6)
	if len(v4) > 0 {
		t.v4Long = make([]uint32, 1<<16)
		for bits, m := range v4 {
			if bits < 16 {
				continue
			}
			for k := range m {
				t.v4Long[k>>16] |= 1 << (bits - 16)
			}
		}
		for i, l := range t.v4.lengths {
			t.v4ByLen[l] = t.v4.tables[i]
			if l < 16 {
				t.v4Short = append(t.v4Short, l)
			}
		}
	}
	return t
}

func newFamily[K comparable](byLen map[int]map[K]int32) lpmFamily[K] {
	var f lpmFamily[K]
	for l := range byLen {
		f.lengths = append(f.lengths, l)
	}
	slices.SortFunc(f.lengths, func(a, b int) int { return cmp.Compare(b, a) })
	for _, l := range f.lengths {
		f.tables = append(f.tables, byLen[l])
	}
	return f
}

// Lookup returns the value of the longest prefix containing a.
func (t *LPM) Lookup(a netip.Addr) (int32, bool) {
	a = a.Unmap()
	if a.Is4() {
		return t.lookup4(a)
	}
	if !a.Is6() {
		return 0, false
	}
	for i, l := range t.v6.lengths {
		if v, ok := t.v6.tables[i][key6(a, l)]; ok {
			return v, true
		}
	}
	return 0, false
}

func (t *LPM) lookup4(a netip.Addr) (int32, bool) {
	if t.v4Long == nil {
		return 0, false
	}
	b := a.As4()
	v := binary.BigEndian.Uint32(b[:])
	for mask := t.v4Long[v>>16]; mask != 0; {
		l := 31 - bits.LeadingZeros32(mask) // the longest length left
		mask &^= 1 << l
		if x, ok := t.table4(l + 16)[key4(a, l+16)]; ok {
			return x, true
		}
	}
	for _, l := range t.v4Short {
		if x, ok := t.table4(l)[key4(a, l)]; ok {
			return x, true
		}
	}
	return 0, false
}

func (t *LPM) table4(n int) map[uint32]int32 { return t.v4ByLen[n] }

// key4 is the address masked to bits, as a number.
func key4(a netip.Addr, bits int) uint32 {
	b := a.As4()
	v := binary.BigEndian.Uint32(b[:])
	if bits == 0 {
		return 0
	}
	return v &^ (1<<(32-bits) - 1)
}

func key6(a netip.Addr, bits int) [2]uint64 {
	b := a.As16()
	hi, lo := binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
	switch {
	case bits == 0:
		return [2]uint64{}
	case bits <= 64:
		return [2]uint64{hi &^ (1<<(64-bits) - 1), 0}
	case bits == 128:
		return [2]uint64{hi, lo}
	default:
		return [2]uint64{hi, lo &^ (1<<(128-bits) - 1)}
	}
}
