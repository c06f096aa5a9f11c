package history

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/altosdn/altosdn/topology"
)

// backend stores encoded samples by time and the link dictionary.
type backend interface {
	put(at time.Time, sample []byte, newLinks []topology.LinkID, firstIdx uint32) error
	// scan calls fn for every sample taken in [from, to), in time order;
	// sample is valid only during the call.
	scan(from, to time.Time, fn func(at time.Time, sample []byte)) error
	prune(before time.Time) error
	stats() (samples int, oldest, newest time.Time)
	close() error
}

// Errors that make the store unusable without it being corrupt: the file
// stays where it is and this run keeps its history in memory.
var (
	errLocked   = errors.New("locked by another process")
	errNoAccess = errors.New("cannot be created or opened")
)

// errFormat marks a file that is a database but not one of ours.
var errFormat = errors.New("not a link history of this format")

var (
	bucketMeta    = []byte("meta")
	bucketLinks   = []byte("links")
	bucketSamples = []byte("samples")
	keyFormat     = []byte("format")
	storeFormat   = []byte("altosdn-link-history-1")
)

// timeKey orders samples by time: nanoseconds since 1970, big-endian.
func timeKey(t time.Time) []byte { return binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano())) }

func keyTime(k []byte) time.Time { return time.Unix(0, int64(binary.BigEndian.Uint64(k))) }

// boltStore keeps the history in a bbolt file.
type boltStore struct{ db *bolt.DB }

// openBolt opens or creates the file, checks it and returns the link
// dictionary (index → ID). A panic inside bbolt, which a damaged file can
// cause, is reported as corruption.
func openBolt(path string) (st *boltStore, names []topology.LinkID, err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", errNoAccess, err)
	}
	var db *bolt.DB
	defer func() {
		if v := recover(); v != nil {
			if db != nil {
				_ = db.Close()
			}
			st, names, err = nil, nil, fmt.Errorf("damaged file: %v", v)
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, nil, fmt.Errorf("%w: %w", errLocked, err)
	case errors.Is(err, fs.ErrPermission), errors.Is(err, fs.ErrNotExist):
		return nil, nil, fmt.Errorf("%w: %w", errNoAccess, err)
	case err != nil:
		return nil, nil, err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			if k, _ := tx.Cursor().First(); k != nil {
				return errFormat // a database of something else
			}
			var err error
			if meta, err = tx.CreateBucket(bucketMeta); err != nil {
				return err
			}
			if err := meta.Put(keyFormat, storeFormat); err != nil {
				return err
			}
		}
		if !bytes.Equal(meta.Get(keyFormat), storeFormat) {
			return errFormat
		}
		var damaged error
		for err := range tx.Check() { // drained whole: Check reads the tx in a goroutine
			damaged = cmp.Or(damaged, err)
		}
		if damaged != nil {
			return fmt.Errorf("consistency check: %w", damaged)
		}
		links, err := tx.CreateBucketIfNotExists(bucketLinks)
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucketIfNotExists(bucketSamples); err != nil {
			return err
		}
		names, err = loadLinks(links)
		return err
	})
	if err != nil {
		_ = db.Close()
		return nil, nil, err
	}
	return &boltStore{db: db}, names, nil
}

// loadLinks reads the dictionary; indices must run from 0 without gaps.
func loadLinks(b *bolt.Bucket) ([]topology.LinkID, error) {
	names := make([]topology.LinkID, b.Stats().KeyN)
	seen := make([]bool, len(names))
	err := b.ForEach(func(k, v []byte) error {
		if len(v) != 4 {
			return errFormat
		}
		i := binary.BigEndian.Uint32(v)
		if int(i) >= len(names) || seen[i] {
			return errFormat
		}
		names[i], seen[i] = topology.LinkID(k), true
		return nil
	})
	return names, err
}

func (s *boltStore) put(at time.Time, sample []byte, newLinks []topology.LinkID, firstIdx uint32) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		links := tx.Bucket(bucketLinks)
		for i, id := range newLinks {
			if err := links.Put([]byte(id), binary.BigEndian.AppendUint32(nil, firstIdx+uint32(i))); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketSamples).Put(timeKey(at), sample)
	})
}

func (s *boltStore) scan(from, to time.Time, fn func(time.Time, []byte)) error {
	end := timeKey(to)
	return s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketSamples).Cursor()
		for k, v := c.Seek(timeKey(from)); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
			if len(k) == 8 {
				fn(keyTime(k), v)
			}
		}
		return nil
	})
}

func (s *boltStore) prune(before time.Time) error {
	end := timeKey(before)
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSamples)
		var old [][]byte
		c := b.Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k, end) < 0; k, _ = c.Next() {
			old = append(old, slices.Clone(k))
		}
		for _, k := range old {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *boltStore) stats() (n int, oldest, newest time.Time) {
	_ = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSamples)
		n = b.Stats().KeyN
		c := b.Cursor()
		if k, _ := c.First(); len(k) == 8 {
			oldest = keyTime(k)
		}
		if k, _ := c.Last(); len(k) == 8 {
			newest = keyTime(k)
		}
		return nil
	})
	return n, oldest, newest
}

func (s *boltStore) close() error { return s.db.Close() }

// memStore keeps the history in memory: without a path, or when the file
// cannot be used.
type memStore struct {
	mu      sync.RWMutex
	samples []memSample // in time order
}

type memSample struct {
	at   time.Time
	data []byte
}

func (s *memStore) put(at time.Time, sample []byte, _ []topology.LinkID, _ uint32) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := sort.Search(len(s.samples), func(i int) bool { return !s.samples[i].at.Before(at) })
	if i < len(s.samples) && s.samples[i].at.Equal(at) {
		s.samples[i].data = sample
		return nil
	}
	s.samples = slices.Insert(s.samples, i, memSample{at: at, data: sample})
	return nil
}

func (s *memStore) scan(from, to time.Time, fn func(time.Time, []byte)) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i := sort.Search(len(s.samples), func(i int) bool { return !s.samples[i].at.Before(from) })
	for ; i < len(s.samples) && s.samples[i].at.Before(to); i++ {
		fn(s.samples[i].at, s.samples[i].data)
	}
	return nil
}

func (s *memStore) prune(before time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := sort.Search(len(s.samples), func(i int) bool { return !s.samples[i].at.Before(before) })
	s.samples = slices.Delete(s.samples, 0, i)
	return nil
}

func (s *memStore) stats() (int, time.Time, time.Time) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.samples) == 0 {
		return 0, time.Time{}, time.Time{}
	}
	return len(s.samples), s.samples[0].at, s.samples[len(s.samples)-1].at
}

func (s *memStore) close() error { return nil }
