package bgpls

// rib holds every route received, per peer, plus a merged index that says
// which peers hold each NLRI. It belongs to the collector's run loop and is
// not safe for concurrent use.
//
// Keeping per-peer copies (rather than GoBGP's best path) is what makes
// the stale hold work: a peer's routes outlive its session for a while,
// and two route reflectors that carry the same NLRI count as one.
type rib struct {
	sessions []session               // per peer index
	tables   []map[string]*entry     // per peer: NLRI key → entry
	merged   map[string][]holder     // NLRI key → peers holding it
	extras   []map[string]extrasItem // per peer: what the tap added
}

// session is the part of a peer's state the rib needs to tell fresh routes
// from stale ones.
type session struct {
	up  bool
	gen uint32 // incremented each time the session comes up
}

// entry is one peer's copy of an NLRI.
type entry struct {
	r   *route
	gen uint32 // session generation that last advertised it
}

type holder struct {
	peer int
	e    *entry
}

type extrasItem struct {
	x   extras
	gen uint32
}

func newRIB(peers int) *rib {
	b := &rib{
		sessions: make([]session, peers),
		tables:   make([]map[string]*entry, peers),
		merged:   map[string][]holder{},
		extras:   make([]map[string]extrasItem, peers),
	}
	for i := range peers {
		b.tables[i] = map[string]*entry{}
		b.extras[i] = map[string]extrasItem{}
	}
	return b
}

// stale reports whether a peer's copy is left over from an earlier or a
// failed session.
func (b *rib) stale(h holder) bool {
	s := b.sessions[h.peer]
	return !s.up || h.e.gen < s.gen
}

// update stores peer's route for key, replacing its previous copy.
func (b *rib) update(peer int, key string, r *route) {
	gen := b.sessions[peer].gen
	if e, ok := b.tables[peer][key]; ok {
		e.r, e.gen = r, gen
		return
	}
	e := &entry{r: r, gen: gen}
	b.tables[peer][key] = e
	b.merged[key] = append(b.merged[key], holder{peer: peer, e: e})
}

// withdraw removes peer's copy of key and reports whether it had one.
func (b *rib) withdraw(peer int, key string) bool {
	if _, ok := b.tables[peer][key]; !ok {
		return false
	}
	delete(b.tables[peer], key)
	hs := b.merged[key]
	for i, h := range hs {
		if h.peer == peer {
			hs = append(hs[:i:i], hs[i+1:]...)
			break
		}
	}
	if len(hs) == 0 {
		delete(b.merged, key)
	} else {
		b.merged[key] = hs
	}
	return true
}

// sweep removes peer's routes that the current session has not
// re-advertised (all of them when the session is down), with the extras
// the tap recorded for them before the session began, and returns how
// many routes went.
func (b *rib) sweep(peer int) int {
	s := b.sessions[peer]
	n := 0
	for key, e := range b.tables[peer] {
		if s.up && e.gen >= s.gen {
			continue
		}
		b.withdraw(peer, key)
		if x, ok := b.extras[peer][key]; ok && (!s.up || x.gen < s.gen) {
			delete(b.extras[peer], key)
		}
		n++
	}
	return n
}

// staleCount returns how many of peer's routes are stale.
func (b *rib) staleCount(peer int) int {
	n := 0
	for _, e := range b.tables[peer] {
		if b.stale(holder{peer, e}) {
			n++
		}
	}
	return n
}

// best picks the copy the graph is built from: fresh before stale, then
// the peer listed first in the configuration. Routes from two reflectors
// with the same content therefore give one graph, and a reflector that
// goes down hands over to the next without a change.
func (b *rib) best(hs []holder) holder {
	best := hs[0]
	for _, h := range hs[1:] {
		bs, hs := b.stale(best), b.stale(h)
		if (bs && !hs) || (bs == hs && h.peer < best.peer) {
			best = h
		}
	}
	return best
}

// setExtras records what the tap decoded for peer's copy of key; an empty
// value clears it.
func (b *rib) setExtras(peer int, key string, x extras) {
	if x.empty() {
		delete(b.extras[peer], key)
		return
	}
	b.extras[peer][key] = extrasItem{x: x, gen: b.sessions[peer].gen}
}
