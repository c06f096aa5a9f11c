package updates

import (
	"context"
	"io"
	"net/netip"
	"slices"
	"sync"

	"github.com/altosdn/altosdn/alto"
)

// resyncDescription is the control event a stream gets when it fell so far
// behind that its queue overflowed.
const resyncDescription = "re-synchronising: this client fell behind; full replacements follow"

// A Stream is one client's update stream. A transport calls Next in a loop
// and writes what it returns; the hub queues changes on it meanwhile,
// without ever waiting for it.
type Stream struct {
	hub     *Hub
	id      string
	service alto.Resource
	remote  netip.Addr

	mu   sync.Mutex
	snap *snapshot // the version that every queued change leads up to
	subs []*substream
	used map[string]bool // every substream id ever added: ids are never reused
	// queue holds the changes not yet collected, shared with every other
	// stream; queueBytes is what sending them costs at most.
	queue      []*change
	queueBytes int64
	resync     bool
	resyncs    int
	stopped    []string
	stopReason string
	closing    bool // send what is pending, then end
	done       bool // ended: Next returns io.EOF
	nextSeq    int
	wake       chan struct{}
}

// substream is one resource on a stream, under the client's id for it.
type substream struct {
	id          string
	res         alto.Resource
	key         string // doc key: the resource ID, or the inputKey of its input
	incremental bool
	seq         int // order of addition
	// needFull: the client gets a full replacement next (a new substream,
	// or a re-synchronisation).
	needFull bool
	tag      string // the version the client has
	gen      uint64 // the hub version the client's copy corresponds to
}

// ID returns the stream's identifier, the last segment of its stream
// control URI.
func (s *Stream) ID() string { return s.id }

// Service returns the update stream resource the stream was opened on.
func (s *Stream) Service() alto.Resource { return s.service }

// Resyncs returns how many times the stream overflowed its queue.
func (s *Stream) Resyncs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resyncs
}

// Next blocks until there are events to send and returns them, in the
// order they must be sent. It returns io.EOF once the stream has ended
// (every substream removed, or the server shutting down) and ctx.Err()
// when ctx is done first.
func (s *Stream) Next(ctx context.Context) ([]Event, error) {
	for {
		s.mu.Lock()
		if s.done {
			s.mu.Unlock()
			return nil, io.EOF
		}
		evs := s.collectLocked()
		s.mu.Unlock()
		if len(evs) > 0 {
			return evs, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-s.wake:
		}
	}
}

// Close ends the stream and releases what it holds. Transports call it
// when the client goes away; it is safe to call more than once.
func (s *Stream) Close() {
	h := s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := h.streams[s.id]; !ok {
		return
	}
	for _, sub := range s.subs {
		h.releaseLocked(sub)
	}
	s.subs, s.queue = nil, nil
	s.done = true
	delete(h.streams, s.id)
	s.signal()
	h.logger.Debug("update stream closed", "stream", s.id, "streams", len(h.streams))
}

func (s *Stream) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Stream) inputKeys() map[string]bool {
	keys := map[string]bool{}
	for _, sub := range s.subs {
		if isPOST(sub.res) {
			keys[sub.key] = true
		}
	}
	return keys
}

// removeLocked stops a substream; the client learns it from a "stopped"
// control event. It holds h.mu and s.mu.
func (s *Stream) removeLocked(id, reason string) {
	i := slices.IndexFunc(s.subs, func(sub *substream) bool { return sub.id == id })
	if i < 0 {
		return // already removed: removing twice is allowed (RFC 8895 §7.6)
	}
	s.hub.releaseLocked(s.subs[i])
	s.subs = slices.Delete(s.subs, i, i+1)
	s.stopped = append(s.stopped, id)
	if reason != "" {
		s.stopReason = reason
	}
}

// stopAll stops every substream and ends the stream. It holds h.mu.
func (s *Stream) stopAll(reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.subs) > 0 {
		s.removeLocked(s.subs[0].id, reason)
	}
	s.closing = true
	s.signal()
}

// enqueue queues a change for the stream, never waiting. A stream whose
// queue is full is marked for re-synchronisation instead: it drops the
// queue, and gets the versions current when it next collects, in full.
// It holds h.mu.
func (s *Stream) enqueue(ch *change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done || s.closing {
		return
	}
	s.snap = ch.snap
	var size int64
	relevant := false
	for _, sub := range slices.Clone(s.subs) {
		if why, failed := ch.failed[sub.key]; failed {
			s.removeLocked(sub.id, why)
			continue
		}
		if it := ch.items[sub.key]; it != nil {
			relevant = true
			size += int64(it.size())
		}
	}
	if len(s.subs) == 0 {
		s.closing = true
	}
	if !relevant || s.resync {
		if len(s.stopped) > 0 || s.closing {
			s.signal()
		}
		return
	}
	cfg := s.hub.cfg
	if len(s.queue) >= cfg.QueueChanges || s.queueBytes+size > cfg.QueueBytes {
		s.queue, s.queueBytes = nil, 0
		s.resync = true
		s.resyncs++
		s.hub.logger.Info("update stream fell behind; re-synchronising", "stream", s.id, "resyncs", s.resyncs)
	} else {
		s.queue = append(s.queue, ch)
		s.queueBytes += size
	}
	s.signal()
}

// collectLocked turns what is pending into events: control events first,
// then each substream's updates, the network map's before those of the
// resources that depend on it. It holds s.mu.
func (s *Stream) collectLocked() []Event {
	var evs []Event
	if len(s.stopped) > 0 {
		evs = append(evs, ControlEvent(Control{Stopped: s.stopped, Description: s.stopReason}))
		s.stopped, s.stopReason = nil, ""
	}
	if s.resync {
		evs = append(evs, ControlEvent(Control{Description: resyncDescription}))
		for _, sub := range s.subs {
			sub.needFull = true
		}
		s.resync = false
	}
	queue := s.queue
	s.queue, s.queueBytes = nil, 0
	subs := slices.Clone(s.subs)
	slices.SortStableFunc(subs, func(a, b *substream) int {
		if d := rank(a.res) - rank(b.res); d != 0 {
			return d
		}
		return a.seq - b.seq
	})
	for _, sub := range subs {
		evs = sub.collect(evs, queue, s.snap)
	}
	if s.closing {
		s.done = true
	}
	return evs
}

// rank orders resources so that each comes after those it depends on: the
// network map before everything else.
func rank(r alto.Resource) int {
	switch r.Kind {
	case alto.KindNetworkMap:
		return 0
	case alto.KindFilteredNetworkMap:
		return 1
	}
	return 2
}

// collect appends the substream's events for the queued changes. A client
// gets a patch only against the version it has; otherwise, and when the
// patches would outweigh the resource, a full replacement.
func (sub *substream) collect(evs []Event, queue []*change, target *snapshot) []Event {
	full := func(d *doc) Event { return Event{MediaType: d.mediaType, SubstreamID: sub.id, Data: d.body} }
	if sub.needFull {
		d := target.docs[sub.key]
		if d == nil {
			return evs
		}
		sub.needFull, sub.tag, sub.gen = false, d.tag, target.gen
		return append(evs, full(d))
	}
	start, size := len(evs), 0
	for _, c := range queue {
		if c.gen <= sub.gen {
			continue
		}
		sub.gen = c.gen
		it := c.items[sub.key]
		if it == nil || it.to.tag == sub.tag {
			continue
		}
		if sub.incremental && it.patch != nil && it.fromTag != "" && it.fromTag == sub.tag {
			evs = append(evs, Event{MediaType: it.patch.mediaType, SubstreamID: sub.id, Data: it.patch.data})
			size += len(it.patch.data)
		} else {
			evs = append(evs, full(it.to))
			size += len(it.to.body)
		}
		sub.tag = it.to.tag
	}
	if n := len(evs) - start; n > 1 || (n == 1 && !sub.incremental) {
		// Several updates at once: one full replacement when that is
		// smaller, and always for a client that takes no patches.
		if d := target.docs[sub.key]; d != nil && d.tag == sub.tag && (!sub.incremental || size > len(d.body)) {
			evs = append(evs[:start], full(d))
		}
	}
	return evs
}
