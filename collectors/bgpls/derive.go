package bgpls

import (
	"cmp"
	"net/netip"
	"slices"

	"github.com/altosdn/altosdn/topology"
)

// graph is the collector's whole contribution to the topology, derived
// from the rib. The run loop diffs successive graphs into updates.
type graph struct {
	nodes    map[topology.NodeID]topology.Node
	links    map[topology.LinkID]topology.Link
	prefixes map[topology.PrefixKey]topology.Prefix

	// What was left out, for status and logs.
	loops      int // links whose two ends merged into one node
	unattached int // unicast prefixes whose next hop matches no node
}

func newGraph() *graph {
	return &graph{
		nodes:    map[topology.NodeID]topology.Node{},
		links:    map[topology.LinkID]topology.Link{},
		prefixes: map[topology.PrefixKey]topology.Prefix{},
	}
}

// reset empties g for reuse; cleared maps keep their memory, which spares
// the garbage collector a large table's worth of maps per derivation.
func (g *graph) reset() {
	clear(g.nodes)
	clear(g.links)
	clear(g.prefixes)
	g.loops, g.unattached = 0, 0
}

// igpKey identifies a forwarding node within one routing protocol
// instance. It leaves out the IS-IS level and the OSPF area, so a router
// seen in several levels or areas is one node, as RFC 9552 §5.2.1.4
// allows: the IGP router-ID is unique within the instance.
type igpKey struct {
	family  topology.Protocol // IS-IS L1 folded into L2
	ident   uint64
	as      uint32
	bgplsID uint32
	rid     string // raw IGP router-ID, or "bgp:" and the BGP router-ID
}

func keyOf(p topology.Protocol, ident uint64, d nodeDesc) igpKey {
	if p == topology.ProtocolISISL1 {
		p = topology.ProtocolISISL2
	}
	rid := d.IGPRouterID
	if rid == "" {
		rid = "bgp:" + d.routerIDText()
	}
	return igpKey{family: p, ident: ident, as: d.AS, bgplsID: d.BGPLSID, rid: rid}
}

// source ranks the NLRIs that contribute to one element, so that when
// several disagree the choice does not depend on map order: the lowest
// Protocol-ID wins, then the smallest NLRI key.
type source struct {
	proto topology.Protocol
	key   string
}

func (s source) less(o source) bool {
	if s.proto != o.proto {
		return s.proto < o.proto
	}
	return s.key < o.key
}

// nodeAcc gathers the Node NLRIs of one igpKey (one per level or area).
type nodeAcc struct {
	desc    nodeDesc
	src     source // lowest-ranked NLRI seen
	name    string
	nameSrc source
	rid4    netip.Addr
	rid6    netip.Addr
	ridSrc  source
	addrs   []netip.Addr
	id      topology.NodeID // own ID before router-ID merging
	key     topology.NodeKey
}

func (a *nodeAcc) add(r *route, s source) {
	if a.src.key == "" || s.less(a.src) {
		a.desc, a.src = r.Local, s
	}
	if r.Name != "" && (a.name == "" || s.less(a.nameSrc)) {
		a.name, a.nameSrc = r.Name, s
	}
	if (r.RouterIDv4.IsValid() || r.RouterIDv6.IsValid()) && (!a.rid4.IsValid() && !a.rid6.IsValid() || s.less(a.ridSrc)) {
		a.rid4, a.rid6, a.ridSrc = r.RouterIDv4, r.RouterIDv6, s
	}
	a.addrs = append(a.addrs, r.Addresses...)
}

// chosen is a route picked from the rib with what the tap added to it.
type chosen struct {
	key string
	r   *route
	x   extras
}

// deriver holds the scratch space of derivations, reused from one to the
// next.
type deriver struct {
	accs                     map[igpKey]*nodeAcc
	links, prefixes, unicast []chosen
	linkRanks                map[topology.LinkID]linkRank
	prefixSrcs               map[topology.PrefixKey]source
}

func newDeriver() *deriver {
	return &deriver{
		accs:       map[igpKey]*nodeAcc{},
		linkRanks:  map[topology.LinkID]linkRank{},
		prefixSrcs: map[topology.PrefixKey]source{},
	}
}

// derive builds a graph from the best copy of every NLRI in b, with
// scratch space of its own; for tests.
func derive(b *rib) *graph {
	g := newGraph()
	newDeriver().derive(b, g)
	return g
}

// derive fills the empty graph g from the best copy of every NLRI in b.
func (d *deriver) derive(b *rib, g *graph) {
	clear(d.accs)
	clear(d.linkRanks)
	clear(d.prefixSrcs)
	accs := d.accs
	links, prefixes, unicast := d.links[:0], d.prefixes[:0], d.unicast[:0]
	defer func() {
		// Keep the slices' memory but not the routes they point to.
		clear(links)
		clear(prefixes)
		clear(unicast)
		d.links, d.prefixes, d.unicast = links[:0], prefixes[:0], unicast[:0]
	}()
	for key, hs := range b.merged {
		h := b.best(hs)
		c := chosen{key: key, r: h.e.r, x: b.extras[h.peer][key].x}
		switch c.r.Kind {
		case kindNode:
			k := keyOf(c.r.Protocol, c.r.Identifier, c.r.Local)
			a := accs[k]
			if a == nil {
				a = &nodeAcc{}
				accs[k] = a
			}
			a.add(c.r, source{c.r.Protocol, key})
		case kindLink:
			links = append(links, c)
		case kindPrefix:
			prefixes = append(prefixes, c)
		case kindUnicast:
			unicast = append(unicast, c)
		}
	}
	ids := g.addNodes(accs)
	id := func(p topology.Protocol, ident uint64, d nodeDesc) (topology.NodeID, bool) {
		k := keyOf(p, ident, d)
		if id, ok := ids[k]; ok {
			return id, d.pseudo()
		}
		// No Node NLRI (yet): name the node as its Node NLRI would. If
		// that arrives with a lower level, the ID changes and the diff
		// moves the link.
		return nodeKey(p, ident, d).ID(), d.pseudo()
	}
	g.addLinks(links, id, d.linkRanks)
	g.addPrefixes(prefixes, id, d.prefixSrcs)
	g.addUnicast(unicast, accs, ids)
}

func nodeKey(p topology.Protocol, ident uint64, d nodeDesc) topology.NodeKey {
	return topology.NodeKey{Protocol: p, Instance: ident, AS: d.AS, RouterID: d.routerIDText(), BGPLSID: d.BGPLSID}
}

// addNodes turns node accumulators into graph nodes, merging those that
// share a TE router-ID (TLV 1028 or 1029) within one AS: the same router
// running two IGPs, or OSPFv2 next to OSPFv3. Each group is named after
// its member with the smallest ID. It returns the node ID of every key.
func (g *graph) addNodes(accs map[igpKey]*nodeAcc) map[igpKey]topology.NodeID {
	keys := make([]igpKey, 0, len(accs))
	for k, a := range accs {
		a.key = topology.NodeKey{
			Protocol: a.src.proto, Instance: k.ident, AS: k.as,
			RouterID: a.desc.routerIDText(), BGPLSID: k.bgplsID,
		}
		a.id = a.key.ID()
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y igpKey) int { return cmp.Compare(accs[x].id, accs[y].id) })

	parent := make(map[igpKey]igpKey, len(keys))
	var find func(k igpKey) igpKey
	find = func(k igpKey) igpKey {
		p, ok := parent[k]
		if !ok || p == k {
			return k
		}
		r := find(p)
		parent[k] = r
		return r
	}
	type asAddr struct {
		as   uint32
		addr netip.Addr
	}
	owner := map[asAddr]igpKey{}
	for _, k := range keys { // in ID order, so the root is the smallest ID
		a := accs[k]
		if a.desc.pseudo() {
			continue
		}
		for _, addr := range []netip.Addr{a.rid4, a.rid6} {
			if !addr.IsValid() || addr.IsUnspecified() {
				continue
			}
			o, ok := owner[asAddr{k.as, addr}]
			if !ok {
				owner[asAddr{k.as, addr}] = k
				continue
			}
			if ro, rk := find(o), find(k); ro != rk {
				if accs[ro].id < accs[rk].id {
					parent[rk] = ro
				} else {
					parent[ro] = rk
				}
			}
		}
	}

	ids := make(map[igpKey]topology.NodeID, len(keys))
	members := map[igpKey][]igpKey{}
	for _, k := range keys {
		root := find(k)
		members[root] = append(members[root], k) // root first: smallest ID
		ids[k] = accs[root].id
	}
	for root, ms := range members {
		r := accs[root]
		n := topology.Node{ID: r.id, Key: r.key, Pseudo: r.desc.pseudo()}
		for _, m := range ms {
			a := accs[m]
			if n.Name == "" {
				n.Name = a.name
			}
			if !n.RouterIDv4.IsValid() && a.rid4.Is4() {
				n.RouterIDv4 = a.rid4
			}
			if !n.RouterIDv6.IsValid() && a.rid6.Is6() && !a.rid6.Is4In6() {
				n.RouterIDv6 = a.rid6
			}
		}
		g.nodes[n.ID] = n
	}
	return ids
}

// zeroAcrossLAN lists the additive metrics a pseudonode's links get when
// the IGP leaves them out. A LAN is modelled as router → pseudonode (the
// interface's cost) and pseudonode → router, which IS-IS and OSPF
// advertise with metric 0 or without metrics at all; without a value the
// shortest-path code would skip the link and cut the LAN off. Bandwidths
// are not filled in: 0 would be a bottleneck, not a neutral element.
var zeroAcrossLAN = []topology.Metric{
	topology.MetricIGP, topology.MetricTE, topology.MetricDelay, topology.MetricMinDelay,
	topology.MetricMaxDelay, topology.MetricDelayVariation, topology.MetricLoss,
}

type linkRank struct {
	igp float64
	src source
}

func (r linkRank) less(o linkRank) bool {
	if r.igp != o.igp {
		return r.igp < o.igp
	}
	return r.src.less(o.src)
}

// addLinks adds the Link NLRIs. The same adjacency seen at two IS-IS
// levels (or in two areas) becomes one link; the copy with the lower IGP
// metric wins, which is the one a shortest-path computation over both
// would use anyway.
func (g *graph) addLinks(links []chosen, id func(topology.Protocol, uint64, nodeDesc) (topology.NodeID, bool), ranks map[topology.LinkID]linkRank) {
	for _, c := range links {
		r := c.r
		local, pseudo := id(r.Protocol, r.Identifier, r.Local)
		remote, _ := id(r.Protocol, r.Identifier, r.Remote)
		if local == remote {
			g.loops++
			continue
		}
		m := r.Metrics
		if x := c.x.Link; x != nil {
			for k, v := range x.RFC8571 {
				if v.Set {
					m[k] = v
				}
			}
			for k, v := range x.ASLA {
				if v.Set && !m[k].Set {
					m[k] = v
				}
			}
		}
		if pseudo {
			for _, k := range zeroAcrossLAN {
				if !m[k].Set {
					m[k] = topology.Known(0, topology.SourceBGPLS)
				}
			}
		}
		ag := r.AdminGroup
		if x := c.x.Link; ag == 0 && x != nil && x.ASLAHasAdminGroup {
			ag = x.ASLAAdminGroup
		}
		rank := linkRank{igp: igpOrInf(m), src: source{r.Protocol, c.key}}
		mts := r.MTIDs
		if len(mts) == 0 {
			mts = []uint16{0}
		}
		for _, mt := range mts {
			key := topology.LinkKey{
				Local: local, Remote: remote,
				LocalAddr: r.LocalAddr, RemoteAddr: r.RemoteAddr,
				LocalIfID: r.LocalID, RemoteIfID: r.RemoteID,
				MTID: mt,
			}
			l := topology.Link{ID: key.ID(), Key: key, Metrics: m, AdminGroup: ag}
			if old, ok := ranks[l.ID]; ok && !rank.less(old) {
				continue
			}
			ranks[l.ID] = rank
			g.links[l.ID] = l
		}
	}
}

func igpOrInf(m topology.Metrics) float64 {
	if v, ok := m.Get(topology.MetricIGP); ok {
		return v
	}
	return 1e300
}

// addPrefixes adds the Prefix NLRIs. One prefix advertised by one node in
// several topologies, levels or route types becomes one entry with the
// lowest advertised metric.
func (g *graph) addPrefixes(ps []chosen, id func(topology.Protocol, uint64, nodeDesc) (topology.NodeID, bool), srcs map[topology.PrefixKey]source) {
	for _, c := range ps {
		r := c.r
		node, _ := id(r.Protocol, r.Identifier, r.Local)
		p := topology.Prefix{Node: node, Prefix: r.Prefix.Masked(), Metric: c.x.PrefixMetric}
		src := source{r.Protocol, c.key}
		if old, ok := g.prefixes[p.Key()]; ok && !betterPrefix(p, src, old, srcs[p.Key()]) {
			continue
		}
		g.prefixes[p.Key()] = p
		srcs[p.Key()] = src
	}
}

func betterPrefix(p topology.Prefix, ps source, old topology.Prefix, os source) bool {
	switch {
	case p.Metric.Set != old.Metric.Set:
		return p.Metric.Set
	case p.Metric.Set && p.Metric.V != old.Metric.V:
		return p.Metric.V < old.Metric.V
	}
	return ps.less(os)
}

// dropInvalid removes elements the store would reject and returns how
// many it removed and the first reason. Each element is checked alone
// with [topology.Update.Validate], the store's own rules.
func (g *graph) dropInvalid() (int, error) {
	var first error
	n := 0
	check := func(u topology.Update) bool {
		u.Source, u.Op = topology.SourceBGPLS, topology.OpUpsert
		err := u.Validate()
		if err != nil {
			n++
			if first == nil {
				first = err
			}
		}
		return err == nil
	}
	for id, x := range g.nodes {
		if !check(topology.Update{Nodes: []topology.Node{x}}) {
			delete(g.nodes, id)
		}
	}
	for id, x := range g.links {
		if !check(topology.Update{Links: []topology.Link{x}}) {
			delete(g.links, id)
		}
	}
	for k, x := range g.prefixes {
		if !check(topology.Update{Prefixes: []topology.Prefix{x}}) {
			delete(g.prefixes, k)
		}
	}
	return n, first
}
