package static

import (
	"crypto/sha256"
	"fmt"
	"os"
	"time"
)

// fileState identifies one version of the topology file. Size and
// modification time are cheap to poll; the hash tells a rewrite with the same
// content (an editor saving unchanged) from a real change.
type fileState struct {
	modTime time.Time
	size    int64
	sum     [sha256.Size]byte
	readErr string // the last read error, logged once; "" when the read worked
}

// readFile reads the file and its state, taking the state first: a write
// racing the read then shows up as a change at the next poll.
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

// poll checks the file once and returns the new topology when it changed
// and parses, or nil. Problems are logged at Warn, once per version of the
// file, and leave the last good topology in place.
func (c *Collector) poll() *Topology {
	fi, err := os.Stat(c.cfg.File)
	if err == nil && c.seen.readErr == "" && fi.ModTime().Equal(c.seen.modTime) && fi.Size() == c.seen.size {
		return nil
	}
	var st fileState
	var data []byte
	if err == nil {
		st, data, err = readFile(c.cfg.File)
	}
	if err != nil {
		// Retried at every poll, but logged only when the error changes.
		if err.Error() != c.seen.readErr {
			c.logger.Warn("topology file unreadable, keeping the last good topology", "file", c.cfg.File, "err", err)
			c.seen.readErr = err.Error()
		}
		return nil
	}
	changed := st.sum != c.seen.sum
	c.seen = st
	if !changed {
		return nil
	}
	t, err := Parse(data, c.cfg.File, c.cfg.format())
	if err != nil {
		c.logger.Warn("topology file rejected, keeping the last good topology", "file", c.cfg.File, "err", err)
		return nil
	}
	c.logLoaded("topology file reloaded", t)
	return t
}
