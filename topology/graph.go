package topology

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
)

// Graph is an immutable snapshot of the merged topology. Nodes, links and
// prefixes are sorted by identity, so two graphs with the same content list
// them in the same order. Slices returned by its methods are shared and must
// not be modified.
type Graph struct {
	generation uint64

	nodes    []Node
	links    []Link
	prefixes []Prefix // sorted by node index, then prefix

	nodeIndex map[NodeID]int32
	linkIndex map[LinkID]int32

	linkFrom, linkTo []int32 // node indices of each link's ends
	outOff           []int32 // CSR offsets into outLinks, len(nodes)+1
	outLinks         []int32
	prefixOff        []int32 // CSR offsets into prefixes, len(nodes)+1

	dangling int // links left out because an end node is unknown
}

// NewGraph validates nodes, links and prefixes and builds a graph from them.
// Unlike the store it rejects dangling links and prefixes of unknown nodes,
// so it suits builders that hold a whole topology (importers, tests).
func NewGraph(nodes []Node, links []Link, prefixes []Prefix) (*Graph, error) {
	u := Update{Source: "graph", Op: OpReplace, Nodes: nodes, Links: links, Prefixes: prefixes}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	c := newContribution()
	c.upsert(&u)
	if len(c.prefixes) != len(prefixes) {
		return nil, fmt.Errorf("duplicate prefix")
	}
	for _, l := range links {
		for _, end := range []NodeID{l.Key.Local, l.Key.Remote} {
			if _, ok := c.nodes[end]; !ok {
				return nil, fmt.Errorf("link %s: unknown node %s", l.ID, end)
			}
		}
	}
	for _, p := range prefixes {
		if _, ok := c.nodes[p.Node]; !ok {
			return nil, fmt.Errorf("prefix %s: unknown node %s", p.Prefix, p.Node)
		}
	}
	return merge([]*contribution{c}, 0), nil
}

// merge builds a graph from contributions listed from lowest to highest
// priority. Where several sources give the same node or link, the higher
// priority wins, but each metric is taken from the highest-priority source
// that set it; overlays are applied last and win over topology sources.
func merge(cs []*contribution, generation uint64) *Graph {
	nodes := map[NodeID]Node{}
	links := map[LinkID]Link{}
	prefixes := map[PrefixKey]Prefix{}
	for _, c := range cs {
		for id, n := range c.nodes {
			nodes[id] = n
		}
		for id, l := range c.links {
			if old, ok := links[id]; ok {
				l.Metrics = old.Metrics.overlay(&l.Metrics)
				l.Down = l.Down || old.Down
			}
			links[id] = l
		}
		for k, p := range c.prefixes {
			if old, ok := prefixes[k]; ok && !p.Metric.Set {
				p.Metric = old.Metric
			}
			prefixes[k] = p
		}
	}
	for id, l := range links {
		l.Nominal = l.Metrics
		links[id] = l
	}
	for _, c := range cs {
		for id, o := range c.overlays {
			l, ok := links[id]
			if !ok {
				continue
			}
			l.Metrics = l.Metrics.overlay(&o.Metrics)
			// Telemetry can take a link out of service before the routing
			// protocol notices; it never puts back one a topology source
			// marked down.
			if o.Status == StatusDown {
				l.Down = true
			}
			links[id] = l
		}
	}
	g := &Graph{generation: generation}
	g.nodes = sortedValues(nodes, func(a, b Node) int { return cmp.Compare(a.ID, b.ID) })
	g.nodeIndex = make(map[NodeID]int32, len(g.nodes))
	for i := range g.nodes {
		g.nodeIndex[g.nodes[i].ID] = int32(i)
	}
	all := sortedValues(links, func(a, b Link) int { return cmp.Compare(a.ID, b.ID) })
	g.links = all[:0]
	for _, l := range all {
		if g.has(l.Key.Local) && g.has(l.Key.Remote) {
			g.links = append(g.links, l)
		} else {
			g.dangling++
		}
	}
	g.indexLinks()
	ps := make([]Prefix, 0, len(prefixes))
	for _, p := range prefixes {
		if g.has(p.Node) {
			ps = append(ps, p)
		}
	}
	slices.SortFunc(ps, func(a, b Prefix) int {
		if c := cmp.Compare(g.nodeIndex[a.Node], g.nodeIndex[b.Node]); c != 0 {
			return c
		}
		return comparePrefix(a.Prefix, b.Prefix)
	})
	g.prefixes = ps
	g.prefixOff = make([]int32, len(g.nodes)+1)
	for _, p := range ps {
		g.prefixOff[g.nodeIndex[p.Node]+1]++
	}
	for i := 1; i < len(g.prefixOff); i++ {
		g.prefixOff[i] += g.prefixOff[i-1]
	}
	return g
}

func (g *Graph) has(id NodeID) bool {
	_, ok := g.nodeIndex[id]
	return ok
}

func (g *Graph) indexLinks() {
	n := len(g.nodes)
	g.linkIndex = make(map[LinkID]int32, len(g.links))
	g.linkFrom = make([]int32, len(g.links))
	g.linkTo = make([]int32, len(g.links))
	g.outOff = make([]int32, n+1)
	for i := range g.links {
		l := &g.links[i]
		g.linkIndex[l.ID] = int32(i)
		g.linkFrom[i] = g.nodeIndex[l.Key.Local]
		g.linkTo[i] = g.nodeIndex[l.Key.Remote]
		g.outOff[g.linkFrom[i]+1]++
	}
	for i := 1; i <= n; i++ {
		g.outOff[i] += g.outOff[i-1]
	}
	g.outLinks = make([]int32, len(g.links))
	fill := slices.Clone(g.outOff[:n])
	for i := range g.links {
		f := g.linkFrom[i]
		g.outLinks[fill[f]] = int32(i)
		fill[f]++
	}
}

func sortedValues[K comparable, V any](m map[K]V, cmpf func(a, b V) int) []V {
	vs := make([]V, 0, len(m))
	for _, v := range m {
		vs = append(vs, v)
	}
	slices.SortFunc(vs, cmpf)
	return vs
}

func comparePrefix(a, b netip.Prefix) int {
	if c := a.Addr().Compare(b.Addr()); c != 0 {
		return c
	}
	return cmp.Compare(a.Bits(), b.Bits())
}

// Generation counts the snapshots a store has published; 0 for graphs built
// with [NewGraph]. It orders snapshots but says nothing about content.
func (g *Graph) Generation() uint64 { return g.generation }

// NumNodes returns the number of nodes; node indices run from 0 to NumNodes-1.
func (g *Graph) NumNodes() int { return len(g.nodes) }

// NumLinks returns the number of links; link indices run from 0 to NumLinks-1.
func (g *Graph) NumLinks() int { return len(g.links) }

// Node returns the node with index i.
func (g *Graph) Node(i int) *Node { return &g.nodes[i] }

// Nodes returns all nodes sorted by ID.
func (g *Graph) Nodes() []Node { return g.nodes }

// NodeIndex returns the index of the node with the given ID.
func (g *Graph) NodeIndex(id NodeID) (int, bool) {
	i, ok := g.nodeIndex[id]
	return int(i), ok
}

// Link returns the link with index i.
func (g *Graph) Link(i int) *Link { return &g.links[i] }

// Links returns all links sorted by ID.
func (g *Graph) Links() []Link { return g.links }

// LinkIndex returns the index of the link with the given ID.
func (g *Graph) LinkIndex(id LinkID) (int, bool) {
	i, ok := g.linkIndex[id]
	return int(i), ok
}

// LinkEnds returns the node indices a link leaves and enters.
func (g *Graph) LinkEnds(i int) (from, to int) { return int(g.linkFrom[i]), int(g.linkTo[i]) }

// OutLinks returns the indices of the links leaving node i.
func (g *Graph) OutLinks(i int) []int32 { return g.outLinks[g.outOff[i]:g.outOff[i+1]] }

// Prefixes returns every attached prefix, grouped by node index.
func (g *Graph) Prefixes() []Prefix { return g.prefixes }

// NodePrefixes returns the prefixes attached to node i.
func (g *Graph) NodePrefixes(i int) []Prefix { return g.prefixes[g.prefixOff[i]:g.prefixOff[i+1]] }

// Dangling returns how many links were left out of the snapshot because an
// end node is not (yet) known, as happens while BGP-LS converges.
func (g *Graph) Dangling() int { return g.dangling }
