package bgpls

import (
	"net/netip"

	"github.com/altosdn/altosdn/topology"
)

// Unicast prefixes carry no node descriptor: they are attached to the node
// that is their BGP next hop. The next hop is matched, most specific
// evidence first, against
//
//  1. a node's TE router-IDs (TLVs 1028/1029, every instance),
//  2. an OSPFv2 router-ID, which is conventionally a loopback address,
//  3. the local interface address of a link,
//  4. a host prefix (/32, /128) a node advertises in BGP-LS,
//  5. the longest BGP-LS prefix containing it, if one node alone has it.
//
// A next hop that matches nothing leaves the prefix out, counted.

const (
	prioRouterID = iota
	prioOSPFRouterID
	prioInterface
	prioHostPrefix
)

type nhEntry struct {
	node topology.NodeID
	prio int
}

// nextHopIndex maps addresses to the node they belong to.
type nextHopIndex struct {
	exact map[netip.Addr]nhEntry
	// byLen[bits] maps a masked prefix to its owner, "" when several
	// nodes advertise it.
	byLen map[int]map[netip.Prefix]topology.NodeID
}

func (x *nextHopIndex) add(a netip.Addr, n topology.NodeID, prio int) {
	if !a.IsValid() || a.IsUnspecified() {
		return
	}
	a = a.Unmap()
	old, ok := x.exact[a]
	// Lower priority number wins; ties go to the smaller node ID, so the
	// result does not depend on map order.
	if !ok || prio < old.prio || (prio == old.prio && n < old.node) {
		x.exact[a] = nhEntry{node: n, prio: prio}
	}
}

func (x *nextHopIndex) lookup(a netip.Addr) (topology.NodeID, bool) {
	a = a.Unmap()
	if e, ok := x.exact[a]; ok {
		return e.node, true
	}
	for bits := a.BitLen(); bits >= 0; bits-- {
		m := x.byLen[bits]
		if m == nil {
			continue
		}
		p, _ := a.Prefix(bits)
		if n, ok := m[p]; ok {
			return n, n != ""
		}
	}
	return "", false
}

// addUnicast attaches unicast routes to nodes; see the comment above.
func (g *graph) addUnicast(us []chosen, accs map[igpKey]*nodeAcc, ids map[igpKey]topology.NodeID) {
	if len(us) == 0 {
		return
	}
	x := &nextHopIndex{exact: map[netip.Addr]nhEntry{}, byLen: map[int]map[netip.Prefix]topology.NodeID{}}
	for k, a := range accs {
		if a.desc.pseudo() {
			continue
		}
		n := ids[k]
		x.add(a.rid4, n, prioRouterID)
		x.add(a.rid6, n, prioRouterID)
		for _, addr := range a.addrs {
			x.add(addr, n, prioRouterID)
		}
		if k.family == topology.ProtocolOSPFv2 && len(k.rid) == 4 {
			x.add(netip.AddrFrom4([4]byte([]byte(k.rid))), n, prioOSPFRouterID)
		}
	}
	for _, l := range g.links {
		if n, ok := g.nodes[l.Key.Local]; ok && !n.Pseudo {
			x.add(l.Key.LocalAddr, l.Key.Local, prioInterface)
		}
	}
	for _, p := range g.prefixes {
		if p.Prefix.IsSingleIP() {
			x.add(p.Prefix.Addr(), p.Node, prioHostPrefix)
			continue
		}
		m := x.byLen[p.Prefix.Bits()]
		if m == nil {
			m = map[netip.Prefix]topology.NodeID{}
			x.byLen[p.Prefix.Bits()] = m
		}
		if old, ok := m[p.Prefix]; ok && old != p.Node {
			m[p.Prefix] = "" // ambiguous: an anycast or a shared LAN
		} else {
			m[p.Prefix] = p.Node
		}
	}
	for _, c := range us {
		node, ok := x.lookup(c.r.NextHop)
		if !ok {
			g.unattached++
			continue
		}
		p := topology.Prefix{Node: node, Prefix: c.r.Prefix}
		if _, dup := g.prefixes[p.Key()]; dup {
			continue // BGP-LS already has it, maybe with a metric
		}
		g.prefixes[p.Key()] = p
	}
}
