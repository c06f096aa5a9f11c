package topology

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
)

// maxCoalesce bounds how many queued updates are folded into one snapshot, so
// a never-ending stream still publishes now and then.
const maxCoalesce = 4096

// Store is the single writer of the topology. Collectors send [Update]s on
// one channel; Run applies them and publishes immutable [*Graph] snapshots.
type Store struct {
	cfg    Config
	logger *slog.Logger

	// Touched only by the Run goroutine.
	contribs map[Source]*contribution
	gen      uint64

	cur atomic.Pointer[published]

	statsMu sync.Mutex
	stats   Stats
}

// published pairs a snapshot with the channel closed when it is superseded,
// so a watcher can never miss a change between reading one and waiting.
type published struct {
	g    *Graph
	next chan struct{}
}

// Stats counts what the store has done, for status pages and logs.
type Stats struct {
	Applied   uint64 // updates that changed the graph
	Unchanged uint64 // valid updates that changed nothing
	Rejected  uint64 // invalid updates, dropped whole
	Published uint64 // snapshots published
	LastError string // reason for the last rejection
}

// NewStore returns a store holding an empty graph. A nil logger discards.
func NewStore(cfg Config, logger *slog.Logger) *Store {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Store{cfg: cfg, logger: logger, contribs: map[Source]*contribution{}}
	s.cur.Store(&published{g: merge(nil, 0), next: make(chan struct{})})
	return s
}

// Snapshot returns the current graph. It is never nil.
func (s *Store) Snapshot() *Graph { return s.cur.Load().g }

// Watch returns the current graph and a channel that is closed as soon as a
// newer one is published.
func (s *Store) Watch() (*Graph, <-chan struct{}) {
	p := s.cur.Load()
	return p.g, p.next
}

// Stats returns a copy of the store's counters.
func (s *Store) Stats() Stats {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	return s.stats
}

// Run applies updates from in until ctx is done, then returns nil. A burst
// of queued updates yields one snapshot. Invalid updates are logged and
// dropped whole; the last good graph stays published. Run never closes in.
func (s *Store) Run(ctx context.Context, in <-chan Update) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case u, ok := <-in:
			if !ok {
				<-ctx.Done()
				return nil
			}
			changed := s.Apply(u)
		drain:
			for range maxCoalesce {
				select {
				case u, ok := <-in:
					if !ok {
						break drain
					}
					changed = s.Apply(u) || changed
				default:
					break drain
				}
			}
			if changed {
				s.publish()
			}
		}
	}
}

// Apply applies one update without publishing and reports whether the graph
// changed. It is for Run and for tests that drive the store synchronously;
// it must not be called concurrently with Run.
func (s *Store) Apply(u Update) bool {
	if err := u.Validate(); err != nil {
		err = fmt.Errorf("%w from %s: %w", ErrInvalidUpdate, u.Source, err)
		s.logger.Warn("topology update rejected", "source", u.Source, "op", u.Op, "err", err)
		s.count(func(st *Stats) { st.Rejected++; st.LastError = err.Error() })
		return false
	}
	c, ok := s.contribs[u.Source]
	if !ok {
		c = newContribution()
		s.contribs[u.Source] = c
	}
	changed := c.apply(&u)
	if c.empty() {
		delete(s.contribs, u.Source)
	}
	s.count(func(st *Stats) {
		if changed {
			st.Applied++
		} else {
			st.Unchanged++
		}
	})
	return changed
}

// publish builds and publishes a snapshot of everything applied so far.
// Like Apply it belongs to the writer goroutine.
func (s *Store) publish() {
	s.gen++
	g := merge(s.ordered(), s.gen)
	// Count first: a watcher woken by the close may read the stats at once.
	s.count(func(st *Stats) { st.Published++ })
	old := s.cur.Swap(&published{g: g, next: make(chan struct{})})
	close(old.next)
	s.logger.Debug("topology published", "generation", g.generation,
		"nodes", g.NumNodes(), "links", g.NumLinks(), "prefixes", len(g.prefixes), "dangling_links", g.dangling)
}

// Flush publishes a snapshot after direct calls to Apply.
func (s *Store) Flush() { s.publish() }

// ordered lists contributions from lowest to highest priority.
func (s *Store) ordered() []*contribution {
	rank := func(src Source) int {
		if i := slices.Index(s.cfg.SourcePriority, src); i >= 0 {
			return i
		}
		return len(s.cfg.SourcePriority)
	}
	srcs := make([]Source, 0, len(s.contribs))
	for src := range s.contribs {
		srcs = append(srcs, src)
	}
	// Lowest priority first: higher rank number, then reverse name order.
	slices.SortFunc(srcs, func(a, b Source) int {
		if c := cmp.Compare(rank(b), rank(a)); c != 0 {
			return c
		}
		return cmp.Compare(b, a)
	})
	cs := make([]*contribution, len(srcs))
	for i, src := range srcs {
		cs[i] = s.contribs[src]
	}
	return cs
}

func (s *Store) count(f func(*Stats)) {
	s.statsMu.Lock()
	f(&s.stats)
	s.statsMu.Unlock()
}
