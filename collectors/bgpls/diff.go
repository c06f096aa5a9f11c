package bgpls

import (
	"cmp"
	"slices"

	"github.com/altosdn/altosdn/topology"
)

// diff returns the updates that turn the store's copy of prev into next:
// one withdrawal of what disappeared and one upsert of what is new or
// changed. Either may be nil. Elements are sorted so that a given change
// always produces the same update.
func diff(prev, next *graph) (withdraw, upsert *topology.Update) {
	w := &topology.Update{Source: topology.SourceBGPLS, Op: topology.OpWithdraw}
	u := &topology.Update{Source: topology.SourceBGPLS, Op: topology.OpUpsert}
	for id, n := range prev.nodes {
		if _, ok := next.nodes[id]; !ok {
			w.Nodes = append(w.Nodes, topology.Node{ID: n.ID})
		}
	}
	for id, l := range prev.links {
		if _, ok := next.links[id]; !ok {
			w.Links = append(w.Links, topology.Link{ID: l.ID, Key: l.Key})
		}
	}
	for k, p := range prev.prefixes {
		if _, ok := next.prefixes[k]; !ok {
			w.Prefixes = append(w.Prefixes, p)
		}
	}
	for id, n := range next.nodes {
		if old, ok := prev.nodes[id]; !ok || old != n {
			u.Nodes = append(u.Nodes, n)
		}
	}
	for id, l := range next.links {
		if old, ok := prev.links[id]; !ok || old != l {
			u.Links = append(u.Links, l)
		}
	}
	for k, p := range next.prefixes {
		if old, ok := prev.prefixes[k]; !ok || old != p {
			u.Prefixes = append(u.Prefixes, p)
		}
	}
	sortUpdate(w)
	sortUpdate(u)
	if len(w.Nodes)+len(w.Links)+len(w.Prefixes) == 0 {
		w = nil
	}
	if len(u.Nodes)+len(u.Links)+len(u.Prefixes) == 0 {
		u = nil
	}
	return w, u
}

// full returns an update that replaces the collector's whole contribution
// with g; it is sent first, so that the store holds exactly the
// collector's view whatever it held before.
func full(g *graph) *topology.Update {
	u := &topology.Update{Source: topology.SourceBGPLS, Op: topology.OpReplace}
	for _, n := range g.nodes {
		u.Nodes = append(u.Nodes, n)
	}
	for _, l := range g.links {
		u.Links = append(u.Links, l)
	}
	for _, p := range g.prefixes {
		u.Prefixes = append(u.Prefixes, p)
	}
	sortUpdate(u)
	return u
}

func sortUpdate(u *topology.Update) {
	slices.SortFunc(u.Nodes, func(a, b topology.Node) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(u.Links, func(a, b topology.Link) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(u.Prefixes, func(a, b topology.Prefix) int {
		if c := cmp.Compare(a.Node, b.Node); c != 0 {
			return c
		}
		if c := a.Prefix.Addr().Compare(b.Prefix.Addr()); c != 0 {
			return c
		}
		return cmp.Compare(a.Prefix.Bits(), b.Prefix.Bits())
	})
}
