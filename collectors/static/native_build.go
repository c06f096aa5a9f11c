package static

import (
	"net/netip"

	"github.com/altosdn/altosdn/topology"
)

// build checks the references between the specs read and makes the
// topology: node ids unique, prefixes on one node only, links between
// known, distinct nodes.
func (p *nativeParser) build() (*Topology, error) {
	t := &Topology{Format: FormatNative}
	type defined struct {
		index int
		line  int
	}
	ids := make(map[string]defined, len(p.nodes))
	type holder struct {
		node string
		line int
	}
	owner := map[netip.Prefix]holder{} // prefix → node that has it
	for _, n := range p.nodes {
		if first, dup := ids[n.id]; dup {
			p.errs.add(n.line, "node %q: duplicate id (first at line %d)", n.id, first.line)
			continue
		}
		ids[n.id] = defined{index: len(t.Nodes), line: n.line}
		key := topology.NodeKey{Protocol: topology.ProtocolStatic, AS: n.as, Area: n.area, RouterID: n.id}
		name := n.name
		if name == "" {
			name = n.id
		}
		t.Nodes = append(t.Nodes, topology.Node{ID: key.ID(), Key: key, Name: name, RouterIDv4: n.rid4, RouterIDv6: n.rid6})
		for _, pfx := range n.prefixes {
			if first, dup := owner[pfx.prefix]; dup {
				p.errs.add(pfx.line, "node %q: prefix %s is already on node %q (line %d)",
					n.id, pfx.prefix, first.node, first.line)
				continue
			}
			owner[pfx.prefix] = holder{node: n.id, line: pfx.line}
			t.Prefixes = append(t.Prefixes, topology.Prefix{Node: key.ID(), Prefix: pfx.prefix, Metric: pfx.metric})
		}
	}
	links := map[topology.LinkID]int{}          // → line that created it
	parallel := map[[2]topology.NodeID]uint32{} // unaddressed links per direction
	for _, l := range p.links {
		from, okf := ids[l.from]
		to, okt := ids[l.to]
		switch {
		case !okf:
			p.errs.add(l.fromLine, "%s: unknown node %q", l.label, l.from)
			continue
		case !okt:
			p.errs.add(l.toLine, "%s: unknown node %q", l.label, l.to)
			continue
		case l.from == l.to:
			p.errs.add(l.line, "%s: a link must join two different nodes", l.label)
			continue
		}
		if !p.checkLink(&l) {
			continue
		}
		a, b := t.Nodes[from.index].ID, t.Nodes[to.index].ID
		dirs := []topology.LinkKey{{Local: a, Remote: b, LocalAddr: l.local, RemoteAddr: l.remote}}
		if l.bidirectional {
			dirs = append(dirs, topology.LinkKey{Local: b, Remote: a, LocalAddr: l.remote, RemoteAddr: l.local})
		}
		for _, key := range dirs {
			if !key.LocalAddr.IsValid() && !key.RemoteAddr.IsValid() {
				// Parallel links without addresses are told apart by
				// their order in the file: the k-th gets interface ID k.
				pair := [2]topology.NodeID{key.Local, key.Remote}
				key.LocalIfID, key.RemoteIfID = parallel[pair], parallel[pair]
				parallel[pair]++
			}
			id := key.ID()
			if first, dup := links[id]; dup {
				p.errs.add(l.line, "%s: duplicate link %s (first at line %d; bidirectional links already include the reverse)",
					l.label, id, first)
				continue
			}
			links[id] = l.line
			t.Links = append(t.Links, topology.Link{ID: id, Key: key, Metrics: l.metrics})
		}
	}
	if p.errs.failed() {
		return nil, p.errs.err()
	}
	return t, nil
}

// checkLink checks what no single value shows: the delay bounds are
// ordered and both addresses are of one family.
func (p *nativeParser) checkLink(l *nativeLink) bool {
	ok := true
	lo, hasLo := l.metrics.Get(topology.MetricMinDelay)
	hi, hasHi := l.metrics.Get(topology.MetricMaxDelay)
	if hasLo && hasHi && lo > hi {
		p.errs.add(l.line, "%s: min_delay (%gµs) is above max_delay (%gµs)", l.label, lo, hi)
		ok = false
	}
	if l.local.IsValid() && l.remote.IsValid() && l.local.Is4() != l.remote.Is4() {
		p.errs.add(l.line, "%s: local_addr %s and remote_addr %s are of different families", l.label, l.local, l.remote)
		ok = false
	}
	return ok
}
