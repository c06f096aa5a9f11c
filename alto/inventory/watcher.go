package inventory

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Watcher holds the last good inventory and reloads the file when it
// changes.
type Watcher struct {
	cfg    Config
	logger *slog.Logger
	cur    atomic.Pointer[Inventory]

	mu     sync.Mutex // guards status, seen and good
	status Status
	seen   fileState
	good   [sha256.Size]byte // hash of the file the inventory came from
}

// Status is what an operator checks when properties look wrong.
type Status struct {
	File      string    `json:"file"`
	Digest    string    `json:"digest"`
	Entities  int       `json:"entities"`
	LoadedAt  time.Time `json:"loaded_at"`
	LastError string    `json:"last_error,omitempty"` // why the current file is not in use
}

// fileState identifies one version of the file: size and modification time
// are cheap to poll; the hash tells an unchanged rewrite from a change.
type fileState struct {
	modTime time.Time
	size    int64
	sum     [sha256.Size]byte
	err     string
}

// New validates cfg and loads the file now, so that a bad inventory stops
// the daemon at startup. Without a file the inventory is empty. A nil
// logger discards.
func New(cfg Config, logger *slog.Logger) (*Watcher, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	w := &Watcher{cfg: cfg, logger: logger, status: Status{File: cfg.File}}
	w.cur.Store(Empty)
	if cfg.File == "" {
		return w, nil
	}
	st, data, err := readFile(cfg.File)
	if err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	inv, err := Parse(data, cfg.Properties)
	if err != nil {
		return nil, fmt.Errorf("inventory %s: %w", cfg.File, err)
	}
	w.seen, w.good = st, st.sum
	w.install(inv)
	logger.Info("inventory loaded", "file", cfg.File, "entities", inv.Entities(), "digest", inv.Digest)
	return w, nil
}

// Current returns the last good inventory; never nil.
func (w *Watcher) Current() *Inventory { return w.cur.Load() }

// Status returns the inventory's state.
func (w *Watcher) Status() Status {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.status
}

// Run checks the file every PollInterval until ctx is done, then returns
// nil. A file that became unreadable or invalid is logged once per version
// and the last good inventory stays in place.
func (w *Watcher) Run(ctx context.Context) error {
	if w.cfg.File == "" || w.cfg.PollInterval <= 0 {
		<-ctx.Done()
		return nil
	}
	t := time.NewTicker(w.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			w.Poll()
		}
	}
}

// Poll checks the file once and installs a changed version that parses.
// It reports whether the inventory changed. Run calls it; tests may too.
func (w *Watcher) Poll() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	fi, err := os.Stat(w.cfg.File)
	if err == nil && w.seen.err == "" && fi.ModTime().Equal(w.seen.modTime) && fi.Size() == w.seen.size {
		return false
	}
	st, data, err := readFile(w.cfg.File)
	if err != nil {
		if err.Error() != w.seen.err {
			w.logger.Error("inventory file unreadable, keeping the last good inventory", "file", w.cfg.File, "err", err)
			w.seen.err = err.Error()
			w.status.LastError = err.Error()
		}
		return false
	}
	if st.sum == w.seen.sum {
		w.seen = st
		if st.sum == w.good { // readable again, and what is in use
			w.status.LastError = ""
		}
		return false
	}
	w.seen = st
	inv, err := Parse(data, w.cfg.Properties)
	if err != nil {
		w.logger.Error("inventory file rejected, keeping the last good inventory", "file", w.cfg.File, "err", err)
		w.status.LastError = err.Error()
		return false
	}
	w.installLocked(inv)
	w.good = st.sum
	w.logger.Info("inventory reloaded", "file", w.cfg.File, "entities", inv.Entities(), "digest", inv.Digest)
	return true
}

func (w *Watcher) install(inv *Inventory) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.installLocked(inv)
}

func (w *Watcher) installLocked(inv *Inventory) {
	w.cur.Store(inv)
	w.status = Status{File: w.cfg.File, Digest: inv.Digest, Entities: inv.Entities(), LoadedAt: time.Now()}
}

// readFile reads the file and its state, the state first: a write racing
// the read then shows up as a change at the next poll.
func readFile(path string) (fileState, []byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileState{}, nil, err
	}
	if fi.IsDir() {
		return fileState{}, nil, fmt.Errorf("%s is a directory", path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fileState{}, nil, err
	}
	return fileState{modTime: fi.ModTime(), size: fi.Size(), sum: sha256.Sum256(data)}, data, nil
}
