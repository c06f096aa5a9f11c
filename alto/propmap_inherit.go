package alto

import (
	"net/netip"
	"slices"
	"sort"
)

// prefixTable holds one property's values on prefixes. A nil value is a
// JSON null: "defined to have no value", which stops inheritance.
type prefixTable struct {
	vals   map[netip.Prefix]any
	sorted []netip.Prefix // by address, then length: a prefix before those inside it
}

func (t *prefixTable) sort() {
	t.sorted = make([]netip.Prefix, 0, len(t.vals))
	for p := range t.vals {
		t.sorted = append(t.sorted, p)
	}
	slices.SortFunc(t.sorted, comparePrefixes)
}

// covering returns the value of the longest prefix that covers q (q
// included): what q inherits. found is false when no prefix covers q.
func (t *prefixTable) covering(q netip.Prefix) (val any, found bool) {
	for bits := q.Bits(); bits >= 0; bits-- {
		if v, ok := t.vals[netip.PrefixFrom(q.Addr(), bits).Masked()]; ok {
			return v, true
		}
	}
	return nil, false
}

// inside returns the prefixes strictly inside q, in sorted order.
func (t *prefixTable) inside(q netip.Prefix) []netip.Prefix {
	i := sort.Search(len(t.sorted), func(i int) bool { return t.sorted[i].Addr().Compare(q.Addr()) >= 0 })
	var out []netip.Prefix
	for ; i < len(t.sorted) && q.Contains(t.sorted[i].Addr()); i++ {
		if p := t.sorted[i]; p.Bits() > q.Bits() {
			out = append(out, p)
		}
	}
	return out
}

// prefixValue is one entry of a filtered answer.
type prefixValue struct {
	prefix netip.Prefix
	val    any
}

// resolve answers a request for q (RFC 9240 §6.1.3, §8.7): every address
// in q gets, by inheritance within the answer alone, the value it has in
// the table. The answer holds q with the value it inherits, then each
// prefix inside q whose value differs from what it would inherit from the
// answer's other entries. Entries that add nothing are dropped: a prefix
// with its parent's value, a null where nothing would be inherited
// anyway, and a prefix whose sub-prefixes in the answer cover it whole
// (RFC 9240 §10.7 answers 192.0.3.0/27 with its two /28s).
func (t *prefixTable) resolve(q netip.Prefix) []prefixValue {
	rootVal, rootFound := t.covering(q)
	type cand struct {
		prefixValue
		defined bool // a value or a null; the root may have neither
		keep    bool
	}
	cands := []cand{{prefixValue: prefixValue{q, rootVal}, defined: rootFound}}
	for _, p := range t.inside(q) {
		cands = append(cands, cand{prefixValue: prefixValue{p, t.vals[p]}, defined: true})
	}
	// The root is kept if it has a value; a null or nothing is what the
	// client assumes without an entry. Each other candidate is kept if its
	// value differs from its nearest enclosing candidate's.
	cands[0].keep = rootFound && rootVal != nil
	stack := []int{0}
	for i := 1; i < len(cands); i++ {
		for !cands[stack[len(stack)-1]].prefix.Contains(cands[i].prefix.Addr()) ||
			cands[stack[len(stack)-1]].prefix.Bits() >= cands[i].prefix.Bits() {
			stack = stack[:len(stack)-1]
		}
		parent := cands[stack[len(stack)-1]]
		cands[i].keep = !sameValue(effective(cands[i].val, true), effective(parent.val, parent.defined))
		stack = append(stack, i)
	}
	var kept []netip.Prefix
	for _, c := range cands {
		if c.keep {
			kept = append(kept, c.prefix)
		}
	}
	var out []prefixValue
	for _, c := range cands {
		if !c.keep {
			continue
		}
		j, _ := slices.BinarySearchFunc(kept, c.prefix, comparePrefixes)
		if coveredBy(c.prefix, kept[j+1:]) {
			continue
		}
		out = append(out, c.prefixValue)
	}
	return out
}

// effective maps "no entry" and null to the same thing: no value.
func effective(v any, defined bool) any {
	if !defined {
		return nil
	}
	return v
}

// sameValue compares two property values; inventory values are scalars
// and the derived ones strings, so == decides, except for lists.
func sameValue(a, b any) bool {
	as, aList := a.([]string)
	bs, bList := b.([]string)
	if aList || bList {
		return aList && bList && slices.Equal(as, bs)
	}
	return a == b
}

// coveredBy reports whether the prefixes in after that lie inside p cover
// every address of p. after is sorted; those inside p come first.
func coveredBy(p netip.Prefix, after []netip.Prefix) bool {
	n := 0
	for n < len(after) && p.Contains(after[n].Addr()) && after[n].Bits() >= p.Bits() {
		n++
	}
	return covers(p, after[:n])
}

func covers(p netip.Prefix, in []netip.Prefix) bool {
	if len(in) == 0 {
		return false
	}
	if in[0] == p {
		return true
	}
	if p.IsSingleIP() {
		return false
	}
	lo := netip.PrefixFrom(p.Addr(), p.Bits()+1)
	split := 0
	for split < len(in) && lo.Contains(in[split].Addr()) {
		split++
	}
	hi := netip.PrefixFrom(lastAddr(lo).Next(), p.Bits()+1)
	return covers(lo, in[:split]) && covers(hi, in[split:])
}

// lastAddr is the highest address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Addr().AsSlice()
	for i := p.Bits(); i < len(a)*8; i++ {
		a[i/8] |= 0x80 >> (i % 8)
	}
	last, _ := netip.AddrFromSlice(a)
	return last
}
