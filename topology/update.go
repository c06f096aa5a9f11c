package topology

import (
	"errors"
	"fmt"
)

// Op says how an [Update] changes its source's contribution.
type Op uint8

// Update operations.
const (
	// OpUpsert adds the listed elements, replacing any with the same identity.
	OpUpsert Op = iota
	// OpWithdraw removes the listed elements; only their identities matter.
	OpWithdraw
	// OpReplace replaces everything the source contributed with the listed
	// elements. A source that resynchronises (a reloaded file, a controller
	// resync, a BGP session reset) sends one.
	OpReplace
)

// String returns the operation's name.
func (o Op) String() string {
	switch o {
	case OpUpsert:
		return "upsert"
	case OpWithdraw:
		return "withdraw"
	case OpReplace:
		return "replace"
	}
	return fmt.Sprintf("op(%d)", uint8(o))
}

// Update is the only way to change the graph. It is applied atomically: if any
// element is invalid the whole update is rejected and the graph is unchanged.
// The sender must not modify an Update's slices after sending it.
type Update struct {
	Source   Source
	Op       Op
	Nodes    []Node
	Links    []Link
	Prefixes []Prefix
	Overlays []LinkOverlay
}

// Validate reports the first problem that makes the update unusable.
func (u *Update) Validate() error {
	if u.Source == "" {
		return errors.New("update without source")
	}
	if u.Op > OpReplace {
		return fmt.Errorf("unknown op %d", u.Op)
	}
	withdraw := u.Op == OpWithdraw
	nodes := make(map[NodeID]struct{}, len(u.Nodes))
	for i := range u.Nodes {
		n := &u.Nodes[i]
		if withdraw {
			if n.ID == "" {
				return errors.New("node withdrawal: empty id")
			}
			continue
		}
		if err := n.validate(); err != nil {
			return err
		}
		if _, dup := nodes[n.ID]; dup {
			return fmt.Errorf("node %s: duplicate in one update", n.ID)
		}
		nodes[n.ID] = struct{}{}
	}
	links := make(map[LinkID]struct{}, len(u.Links))
	for i := range u.Links {
		l := &u.Links[i]
		if withdraw {
			if l.ID == "" {
				return errors.New("link withdrawal: empty id")
			}
			continue
		}
		if err := l.validate(); err != nil {
			return err
		}
		if _, dup := links[l.ID]; dup {
			return fmt.Errorf("link %s: duplicate in one update", l.ID)
		}
		links[l.ID] = struct{}{}
	}
	for i := range u.Prefixes {
		if err := u.Prefixes[i].validate(); err != nil {
			return err
		}
	}
	for i := range u.Overlays {
		if withdraw {
			if u.Overlays[i].Link == "" {
				return errors.New("overlay withdrawal: empty link id")
			}
			continue
		}
		if err := u.Overlays[i].validate(); err != nil {
			return err
		}
	}
	return nil
}

// contribution is what one source has given: the store's per-source state.
type contribution struct {
	nodes    map[NodeID]Node
	links    map[LinkID]Link
	prefixes map[PrefixKey]Prefix
	overlays map[LinkID]LinkOverlay
}

func newContribution() *contribution {
	return &contribution{
		nodes:    map[NodeID]Node{},
		links:    map[LinkID]Link{},
		prefixes: map[PrefixKey]Prefix{},
		overlays: map[LinkID]LinkOverlay{},
	}
}

func (c *contribution) empty() bool {
	return len(c.nodes) == 0 && len(c.links) == 0 && len(c.prefixes) == 0 && len(c.overlays) == 0
}

// apply changes c by a validated update and reports whether anything changed.
func (c *contribution) apply(u *Update) bool {
	switch u.Op {
	case OpWithdraw:
		return c.withdraw(u)
	case OpReplace:
		next := newContribution()
		next.upsert(u)
		if c.equal(next) {
			return false
		}
		*c = *next
		return true
	default:
		return c.upsert(u)
	}
}

func (c *contribution) upsert(u *Update) bool {
	changed := false
	for _, n := range u.Nodes {
		changed = put(c.nodes, n.ID, n) || changed
	}
	for _, l := range u.Links {
		changed = put(c.links, l.ID, l) || changed
	}
	for _, p := range u.Prefixes {
		changed = put(c.prefixes, p.Key(), p) || changed
	}
	for _, o := range u.Overlays {
		changed = put(c.overlays, o.Link, o) || changed
	}
	return changed
}

func (c *contribution) withdraw(u *Update) bool {
	changed := false
	for _, n := range u.Nodes {
		changed = del(c.nodes, n.ID) || changed
	}
	for _, l := range u.Links {
		changed = del(c.links, l.ID) || changed
	}
	for _, p := range u.Prefixes {
		changed = del(c.prefixes, p.Key()) || changed
	}
	for _, o := range u.Overlays {
		changed = del(c.overlays, o.Link) || changed
	}
	return changed
}

func (c *contribution) equal(o *contribution) bool {
	return mapsEqual(c.nodes, o.nodes) && mapsEqual(c.links, o.links) &&
		mapsEqual(c.prefixes, o.prefixes) && mapsEqual(c.overlays, o.overlays)
}

func put[K, V comparable](m map[K]V, k K, v V) bool {
	if old, ok := m[k]; ok && old == v {
		return false
	}
	m[k] = v
	return true
}

func del[K, V comparable](m map[K]V, k K) bool {
	if _, ok := m[k]; !ok {
		return false
	}
	delete(m, k)
	return true
}

func mapsEqual[K, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
