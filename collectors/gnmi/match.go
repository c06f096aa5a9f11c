package gnmi

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"net"
	"net/netip"
	"slices"
	"time"

	"github.com/altosdn/altosdn/topology"
)

// indexInterval bounds how often a changed graph is re-indexed. Every
// overlay update of ours publishes a new graph too, so re-indexing on each
// generation would mostly chase our own tail.
const indexInterval = time.Second

// linkIndex finds links and nodes of one graph snapshot by address and name.
type linkIndex struct {
	g        *topology.Graph
	fp       uint64                 // fingerprint of what the index depends on
	byLocal  map[netip.Addr][]int32 // link indices by local interface address
	byRemote map[netip.Addr][]int32 // link indices by remote interface address
	byRID    map[netip.Addr][]topology.NodeID
	byName   map[string][]topology.NodeID // node name and node ID
}

func buildIndex(g *topology.Graph) *linkIndex {
	x := &linkIndex{
		g:        g,
		fp:       fingerprint(g),
		byLocal:  make(map[netip.Addr][]int32, g.NumLinks()),
		byRemote: make(map[netip.Addr][]int32, g.NumLinks()),
		byRID:    make(map[netip.Addr][]topology.NodeID, g.NumNodes()),
		byName:   make(map[string][]topology.NodeID, 2*g.NumNodes()),
	}
	for i := range g.NumLinks() {
		k := g.Link(i).Key
		if k.LocalAddr.IsValid() {
			x.byLocal[k.LocalAddr.Unmap()] = append(x.byLocal[k.LocalAddr.Unmap()], int32(i))
		}
		if k.RemoteAddr.IsValid() {
			x.byRemote[k.RemoteAddr.Unmap()] = append(x.byRemote[k.RemoteAddr.Unmap()], int32(i))
		}
	}
	for _, n := range g.Nodes() {
		for _, a := range nodeAddrs(&n) {
			x.byRID[a] = append(x.byRID[a], n.ID)
		}
		x.byName[string(n.ID)] = append(x.byName[string(n.ID)], n.ID)
		if n.Name != "" && n.Name != string(n.ID) {
			x.byName[n.Name] = append(x.byName[n.Name], n.ID)
		}
	}
	return x
}

var fingerprintSeed = maphash.MakeSeed()

// fingerprint hashes what matching and capacities depend on: link IDs
// (which include the addresses), links' maximum bandwidth, and node
// identities, names and router-IDs. It costs a fraction of a rebind.
func fingerprint(g *topology.Graph) uint64 {
	var h maphash.Hash
	h.SetSeed(fingerprintSeed)
	var buf [8]byte
	for i := range g.NumLinks() {
		l := g.Link(i)
		h.WriteString(string(l.ID))
		mb, _ := l.Metrics.Get(topology.MetricMaxBandwidth)
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(mb))
		h.Write(buf[:])
	}
	for _, n := range g.Nodes() {
		h.WriteString(string(n.ID))
		h.WriteString(n.Name)
		b4, b6 := n.RouterIDv4.As16(), n.RouterIDv6.As16()
		h.Write(b4[:])
		h.Write(b6[:])
	}
	return h.Sum64()
}

// nodeAddrs returns a node's router-IDs that are addresses.
func nodeAddrs(n *topology.Node) []netip.Addr {
	var as []netip.Addr
	for _, a := range []netip.Addr{n.RouterIDv4, n.RouterIDv6} {
		if a.IsValid() {
			as = append(as, a.Unmap())
		}
	}
	if a, err := netip.ParseAddr(n.Key.RouterID); err == nil && !slices.Contains(as, a.Unmap()) {
		as = append(as, a.Unmap())
	}
	return as
}

// nodes resolves the topology nodes a target is; a router present in two
// IGP levels or protocols is several nodes. The result may be empty.
func (x *linkIndex) nodes(t TargetConfig) map[topology.NodeID]bool {
	set := map[topology.NodeID]bool{}
	addAll := func(ids []topology.NodeID) {
		for _, id := range ids {
			set[id] = true
		}
	}
	switch {
	case t.RouterID.IsValid():
		addAll(x.byRID[t.RouterID.Unmap()])
	case t.NodeAddress.IsValid():
		a := t.NodeAddress.Unmap()
		addAll(x.byRID[a])
		for _, li := range x.byLocal[a] {
			set[x.g.Link(int(li)).Key.Local] = true
		}
	case t.NodeName != "":
		addAll(x.byName[t.NodeName])
	default:
		addAll(x.byName[t.Name])
		if host, _, err := net.SplitHostPort(t.Address); err == nil {
			if a, err := netip.ParseAddr(host); err == nil {
				addAll(x.byRID[a.Unmap()])
			}
		}
	}
	return set
}

// reverse returns the index of the link in the other direction over the
// same interfaces, or -1.
func (x *linkIndex) reverse(li int32) int32 {
	k := x.g.Link(int(li)).Key
	r := topology.LinkKey{
		Local: k.Remote, Remote: k.Local,
		LocalAddr: k.RemoteAddr, RemoteAddr: k.LocalAddr,
		LocalIfID: k.RemoteIfID, RemoteIfID: k.LocalIfID,
		MTID: k.MTID,
	}
	if i, ok := x.g.LinkIndex(r.ID()); ok {
		return int32(i)
	}
	return -1
}

// selectLinks resolves an interface_links value: the link's local address,
// a link ID, or the neighbour node when exactly one link leads there.
func (x *linkIndex) selectLinks(sel string, nodes map[topology.NodeID]bool) ([]int32, error) {
	if a, err := netip.ParseAddr(sel); err == nil {
		var out []int32
		for _, li := range x.byLocal[a.Unmap()] {
			if len(nodes) == 0 || nodes[x.g.Link(int(li)).Key.Local] {
				out = append(out, li)
			}
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("no link with local address %s", a)
		}
		return out, nil
	}
	if li, ok := x.g.LinkIndex(topology.LinkID(sel)); ok {
		return []int32{int32(li)}, nil
	}
	if len(nodes) == 0 {
		return nil, fmt.Errorf("neighbour %q: the target's own node is not in the topology (set router_id, node_address or node_name)", sel)
	}
	var out []int32
	for id := range nodes {
		ni, ok := x.g.NodeIndex(id)
		if !ok {
			continue
		}
		for _, li := range x.g.OutLinks(ni) {
			_, to := x.g.LinkEnds(int(li))
			if nodeIs(x.g.Node(to), sel) {
				out = append(out, li)
			}
		}
	}
	switch len(out) {
	case 0:
		return nil, fmt.Errorf("no link to a node %q", sel)
	case 1:
		return out, nil
	}
	return nil, fmt.Errorf("%d parallel links to %q; name the link's local address or ID instead", len(out), sel)
}

func nodeIs(n *topology.Node, sel string) bool {
	if n.Name == sel || string(n.ID) == sel || n.Key.RouterID == sel {
		return true
	}
	a, err := netip.ParseAddr(sel)
	return err == nil && slices.Contains(nodeAddrs(n), a.Unmap())
}

// binding says which interfaces feed a link: out is the interface at the
// link's local end, whose out-octets are the link's traffic; in is the one
// at the remote end, whose in-octets stand in when the local end is not
// watched (its router has no gNMI).
type binding struct {
	out, in   *ifaceState
	outT, inT *targetState
}

// refreshIndex re-indexes the graph when it changed, at most once per
// indexInterval.
func (e *engine) refreshIndex(now time.Time) {
	g := e.graph.Snapshot()
	if g == nil || (e.index != nil && e.index.g == g) {
		return
	}
	if e.index != nil && now.Sub(e.indexAt) < indexInterval {
		return
	}
	e.indexAt = now
	if e.index != nil && e.index.fp == fingerprint(g) {
		// Only metrics we do not read changed (most often our own
		// overlays): the same links in the same order, so the index holds.
		e.index.g = g
		return
	}
	e.index, e.rebind = buildIndex(g), true
	// Capacities may have changed with the links' BGP-LS bandwidth.
	for id := range e.bindings {
		e.dirty[id] = struct{}{}
	}
}

// bind matches every interface to links: configured interface_links first,
// then interface addresses against link addresses. When two interfaces
// claim a link, the first target in the configuration wins, then the
// interface name in order.
func (e *engine) bind() {
	if e.index == nil {
		return
	}
	x := e.index
	next := make(map[topology.LinkID]binding, len(e.bindings))
	for _, t := range e.targets {
		for _, f := range t.ifaces {
			f.links = f.links[:0]
		}
	}
	put := func(li int32, t *targetState, f *ifaceState, out bool) {
		id := x.g.Link(int(li)).ID
		b := next[id]
		if out {
			if b.out != nil {
				return
			}
			b.out, b.outT = f, t
		} else {
			if b.in != nil {
				return
			}
			b.in, b.inT = f, t
		}
		next[id] = b
		if !slices.Contains(f.links, id) {
			f.links = append(f.links, id)
		}
	}
	nodes := make([]map[topology.NodeID]bool, len(e.targets))
	for i, t := range e.targets {
		nodes[i] = x.nodes(t.cfg)
	}
	for i, t := range e.targets {
		for _, name := range sortedKeys(t.cfg.InterfaceLinks) {
			f, ok := t.ifaces[name]
			if !ok {
				continue // no telemetry for it yet
			}
			lis, err := x.selectLinks(t.cfg.InterfaceLinks[name], nodes[i])
			if err != nil {
				e.warnOnce(t, name, err)
				continue
			}
			for _, li := range lis {
				put(li, t, f, true)
				if r := x.reverse(li); r >= 0 {
					put(r, t, f, false)
				}
			}
		}
	}
	for i, t := range e.targets {
		for _, name := range sortedKeys(t.ifaces) {
			f := t.ifaces[name]
			for _, a := range sortedAddrs(f.addrs) {
				for _, li := range x.byLocal[a] {
					if len(nodes[i]) == 0 || nodes[i][x.g.Link(int(li)).Key.Local] {
						put(li, t, f, true)
					}
				}
				for _, li := range x.byRemote[a] {
					if len(nodes[i]) == 0 || nodes[i][x.g.Link(int(li)).Key.Remote] {
						put(li, t, f, false)
					}
				}
			}
		}
	}
	for id := range e.bindings {
		e.dirty[id] = struct{}{} // unbound links get withdrawn
	}
	counts := make([]int, len(e.targets))
	for id, b := range next {
		e.dirty[id] = struct{}{}
		if b.outT != nil {
			counts[b.outT.i]++
		}
		if b.inT != nil && b.inT != b.outT {
			counts[b.inT.i]++
		}
	}
	e.bindings = next
	for i, t := range e.targets {
		e.board.set(i, cntInterfaces, uint64(len(t.ifaces)))
		e.board.set(i, cntLinks, uint64(counts[i]))
		if counts[i] != t.links {
			e.logger.Info("gnmi target matched to links", "target", t.cfg.Name,
				"links", counts[i], "interfaces", len(t.ifaces), "nodes", len(nodes[i]))
			t.links = counts[i]
		}
	}
}

// warnOnce logs a configuration problem of an interface mapping once per
// distinct message.
func (e *engine) warnOnce(t *targetState, iface string, err error) {
	key := t.cfg.Name + "\x00" + iface + "\x00" + err.Error()
	if e.warned == nil {
		e.warned = map[string]bool{}
	}
	if e.warned[key] {
		return
	}
	e.warned[key] = true
	e.logger.Warn("gnmi interface_links entry does not match a link", "target", t.cfg.Name, "interface", iface, "err", err)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func sortedAddrs(m map[netip.Addr]time.Time) []netip.Addr {
	as := make([]netip.Addr, 0, len(m))
	for a := range m {
		as = append(as, a)
	}
	slices.SortFunc(as, netip.Addr.Compare)
	return as
}
