package static

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"

	"github.com/altosdn/altosdn/topology"
)

// MaxSyntheticNodes is the largest topology [SynthesizePrefixes] can number:
// the /24s of 10.0.0.0/8 and the /48s of 2001:db8::/32 run out beyond it.
const MaxSyntheticNodes = 1 << 16

// SynthesizePrefixes makes up one IPv4 and one IPv6 prefix per node, for
// imported datasets that carry none, so that ALTO network maps have
// endpoints to group. Nodes are numbered i = 0, 1, … in order of Name (ties
// broken by ID), and node i gets
//
//	10.(i>>8).(i&255).0/24   and   2001:db8:<i in hex>::/48
//
// Both ranges are private or documentation space (RFC 1918, RFC 3849), so
// the prefixes can never be mistaken for real ones. The numbering depends
// only on the node names, so a reloaded file keeps its prefixes unless nodes
// are added or renamed.
func SynthesizePrefixes(nodes []topology.Node) ([]topology.Prefix, error) {
	if len(nodes) > MaxSyntheticNodes {
		return nil, fmt.Errorf("cannot synthesise prefixes for %d nodes (at most %d)", len(nodes), MaxSyntheticNodes)
	}
	order := make([]*topology.Node, len(nodes))
	for i := range nodes {
		order[i] = &nodes[i]
	}
	slices.SortFunc(order, func(a, b *topology.Node) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	ps := make([]topology.Prefix, 0, 2*len(nodes))
	for i, n := range order {
		v4 := netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0})
		v6 := netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, byte(i >> 8), byte(i)})
		ps = append(ps,
			topology.Prefix{Node: n.ID, Prefix: netip.PrefixFrom(v4, 24)},
			topology.Prefix{Node: n.ID, Prefix: netip.PrefixFrom(v6, 48)})
	}
	return ps, nil
}
