package history

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/altosdn/altosdn/topology"
)

// Source is what the recorder samples: the topology store.
type Source interface {
	Snapshot() *topology.Graph
}

// Recorder samples link metrics into a bounded store.
type Recorder struct {
	cfg    Config
	src    Source
	logger *slog.Logger
	now    func() time.Time

	recMu sync.Mutex   // serialises Record: dictionary entries are added in order
	mu    sync.RWMutex // guards the dictionary
	dict  map[topology.LinkID]uint32
	names []topology.LinkID

	st      backend
	backing string // "file" or "memory"

	closeOnce sync.Once
}

// Stats describes the recorded history.
type Stats struct {
	Backend string    `json:"backend"` // file or memory
	Path    string    `json:"path,omitempty"`
	Samples int       `json:"samples"`
	Links   int       `json:"links"`
	Oldest  time.Time `json:"oldest"`
	Newest  time.Time `json:"newest"`
}

// New opens the history. It fails only for an invalid configuration: a
// store that is missing, corrupt or unusable gives an empty history and a
// log line (see the package documentation). A nil logger discards.
func New(cfg Config, src Source, logger *slog.Logger) (*Recorder, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	r := &Recorder{cfg: cfg, src: src, logger: logger, now: time.Now, dict: map[topology.LinkID]uint32{}}
	r.open()
	for i, id := range r.names {
		r.dict[id] = uint32(i)
	}
	n, oldest, newest := r.st.stats()
	logger.Info("link history opened", "backend", r.backing, "path", cfg.Path, "samples", n, "links", len(r.names),
		"oldest", oldest, "newest", newest)
	return r, nil
}

// open sets the backend, falling back as the package documentation says.
func (r *Recorder) open() {
	r.st, r.backing = &memStore{}, "memory"
	path := r.cfg.Path
	if path == "" {
		r.logger.Info("no link history path configured; the history lasts until the process stops")
		return
	}
	st, names, err := openBolt(path)
	if err == nil {
		r.st, r.names, r.backing = st, names, "file"
		return
	}
	if errors.Is(err, errLocked) || errors.Is(err, errNoAccess) {
		r.logger.Error("link history store unavailable; starting with an empty history kept in memory", "path", path, "err", err)
		return
	}
	aside := fmt.Sprintf("%s.corrupt-%d", path, r.now().Unix())
	if rerr := os.Rename(path, aside); rerr != nil {
		r.logger.Error("link history store unusable and cannot be moved aside; starting with an empty history kept in memory",
			"path", path, "err", err, "rename_err", rerr)
		return
	}
	st, names, err2 := openBolt(path)
	if err2 != nil {
		r.logger.Error("link history store unusable; starting with an empty history kept in memory", "path", path, "err", err2)
		return
	}
	r.logger.Error("link history store unusable, moved aside; starting with an empty history", "path", path, "moved_to", aside, "err", err)
	r.st, r.names, r.backing = st, names, "file"
}

// Run samples the source every SampleInterval until ctx is done, then
// closes the store and returns nil. A failed write is logged and retried
// at the next sample: a full disk must not stop the server.
func (r *Recorder) Run(ctx context.Context) error {
	defer r.Close()
	t := time.NewTicker(r.cfg.SampleInterval)
	defer t.Stop()
	var lastErr string
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			err := r.Record(r.now(), r.src.Snapshot())
			switch {
			case err != nil && err.Error() != lastErr:
				r.logger.Warn("link history sample failed", "err", err)
				lastErr = err.Error()
			case err == nil && lastErr != "":
				r.logger.Info("link history samples stored again")
				lastErr = ""
			}
		}
	}
}

// Record stores the metrics of g's links as the sample taken at at, and
// drops the samples older than the retention.
func (r *Recorder) Record(at time.Time, g *topology.Graph) error {
	r.recMu.Lock()
	defer r.recMu.Unlock()
	buf := []byte{sampleFormat}
	var newLinks []topology.LinkID
	r.mu.Lock()
	first := uint32(len(r.names))
	for i := range g.NumLinks() {
		l := g.Link(i)
		idx, ok := r.dict[l.ID]
		if !ok {
			if !hasRecorded(&l.Metrics) {
				continue // not worth a dictionary entry yet
			}
			idx = uint32(len(r.names))
			r.dict[l.ID] = idx
			r.names = append(r.names, l.ID)
			newLinks = append(newLinks, l.ID)
		}
		buf = appendLink(buf, idx, &l.Metrics)
	}
	r.mu.Unlock()
	if len(buf) == 1 && len(newLinks) == 0 {
		return r.prune(at)
	}
	if err := r.st.put(at, buf, newLinks, first); err != nil {
		r.forget(newLinks)
		return fmt.Errorf("history: store sample: %w", err)
	}
	return r.prune(at)
}

// forget undoes dictionary entries that were not stored.
func (r *Recorder) forget(ids []topology.LinkID) {
	if len(ids) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range ids {
		delete(r.dict, id)
	}
	r.names = r.names[:len(r.names)-len(ids)]
}

func (r *Recorder) prune(now time.Time) error {
	if err := r.st.prune(now.Add(-r.cfg.Retention)); err != nil {
		return fmt.Errorf("history: prune: %w", err)
	}
	return nil
}

func hasRecorded(ms *topology.Metrics) bool {
	for _, m := range recorded {
		if ms[m].Set {
			return true
		}
	}
	return false
}

// Means returns, for each link with samples in any of the windows
// [start, start+d), the mean of each recorded metric over those samples.
// Metrics without samples are unset. Values carry the source "history".
func (r *Recorder) Means(starts []time.Time, d time.Duration) (map[topology.LinkID]topology.Metrics, error) {
	type acc struct {
		sum [len(recorded)]float64
		n   [len(recorded)]int
	}
	accs := map[uint32]*acc{}
	var bad error
	for _, s := range starts {
		err := r.st.scan(s, s.Add(d), func(_ time.Time, sample []byte) {
			if err := decodeSample(sample, func(idx uint32, mask byte, vals *[len(recorded)]float64) {
				a := accs[idx]
				if a == nil {
					a = &acc{}
					accs[idx] = a
				}
				for i := range recorded {
					if mask&(1<<i) != 0 {
						a.sum[i] += vals[i]
						a.n[i]++
					}
				}
			}); err != nil {
				bad = err
			}
		})
		if err != nil {
			return nil, fmt.Errorf("history: read: %w", err)
		}
	}
	if bad != nil {
		r.logger.Warn("link history holds a malformed sample; it was skipped", "err", bad)
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[topology.LinkID]topology.Metrics, len(accs))
	for idx, a := range accs {
		if int(idx) >= len(r.names) {
			continue
		}
		var ms topology.Metrics
		for i, m := range recorded {
			if a.n[i] > 0 {
				ms[m] = topology.Known(a.sum[i]/float64(a.n[i]), SourceHistory)
			}
		}
		out[r.names[idx]] = ms
	}
	return out, nil
}

// SourceHistory tags the values Means returns.
const SourceHistory topology.Source = "history"

// Stats returns the size and span of the history.
func (r *Recorder) Stats() Stats {
	n, oldest, newest := r.st.stats()
	r.mu.RLock()
	links := len(r.names)
	r.mu.RUnlock()
	return Stats{Backend: r.backing, Path: r.cfg.Path, Samples: n, Links: links, Oldest: oldest, Newest: newest}
}

// Close closes the store. Run calls it on return; it is safe to call again.
func (r *Recorder) Close() error {
	var err error
	r.closeOnce.Do(func() { err = r.st.close() })
	return err
}
