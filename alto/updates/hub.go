package updates

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/altosdn/altosdn/alto"
)

// Source gives the current maps; nil until the first computation. If it
// also has Watch (as *alto.Engine does), the hub wakes on each change;
// otherwise it polls Current.
type Source interface {
	Current() *alto.Maps
}

// watcher is the optional part of a Source.
type watcher interface {
	Watch() (*alto.Maps, <-chan struct{})
}

// pollInterval is how often a Source without Watch is polled.
const pollInterval = 200 * time.Millisecond

// Hub turns each new version of the maps into update events, once, and
// hands them to every open stream.
type Hub struct {
	cfg       Config
	limits    alto.Limits
	src       Source
	logger    *slog.Logger
	services  map[string]alto.Resource // the update stream resources, by ID
	resources map[string]alto.Resource // the resources they can update, by ID

	running atomic.Bool

	// mu guards what follows and is taken before any stream's mu.
	mu      sync.Mutex
	cur     *snapshot // nil until the first maps
	streams map[string]*Stream
	inputs  map[string]*inputEntry // by inputKey
}

// snapshot is one published version of everything streams can carry. It
// is immutable; registering a new input makes a copy.
type snapshot struct {
	gen  uint64
	w    world
	docs map[string]*doc // by resource ID, or by inputKey for POST inputs
}

// inputEntry is one distinct POST input, shared by every substream that
// asked for it, so it is recomputed once per change.
type inputEntry struct {
	res    alto.Resource
	input  []byte
	remote netip.Addr
	refs   int
}

// change is what one new version changed. It is shared by every stream.
type change struct {
	gen    uint64
	snap   *snapshot
	items  map[string]*item  // by resource ID or inputKey
	failed map[string]string // inputs that no longer compute: key → why
}

// NewHub returns a hub for the update stream resources of an ALTO
// configuration. A nil logger discards.
func NewHub(cfg Config, altoCfg alto.Config, src Source, logger *slog.Logger) (*Hub, error) {
	return newHub(cfg, altoCfg.Resources(), altoCfg.Limits, src, logger)
}

func newHub(cfg Config, resources []alto.Resource, limits alto.Limits, src Source, logger *slog.Logger) (*Hub, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("updates: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	h := &Hub{cfg: cfg, limits: limits, src: src, logger: logger,
		services: map[string]alto.Resource{}, resources: map[string]alto.Resource{},
		streams: map[string]*Stream{}, inputs: map[string]*inputEntry{}}
	for _, r := range resources {
		switch {
		case r.Kind == alto.KindUpdateStream || r.Kind == alto.KindUpdateWebSocket:
			h.services[r.ID] = r
		case alto.Updatable(r):
			h.resources[r.ID] = r
		}
	}
	return h, nil
}

// Config returns the hub's configuration.
func (h *Hub) Config() Config { return h.cfg }

// Run publishes a new version to the streams on every map change until
// ctx is done. It then stops every stream, telling clients why, and
// returns nil.
func (h *Hub) Run(ctx context.Context) error {
	h.running.Store(true)
	defer h.shutdown()
	w, hasWatch := h.src.(watcher)
	var last *alto.Maps
	for {
		var m *alto.Maps
		var changed <-chan struct{}
		if hasWatch {
			m, changed = w.Watch()
		} else {
			m = h.src.Current()
		}
		if m != nil && m != last {
			start := time.Now()
			h.advance(mapsWorld{m: m, limits: h.limits})
			last = m
			h.logger.Debug("updates published", "generation", m.Generation, "duration", time.Since(start))
		}
		if !hasWatch {
			t := time.NewTimer(pollInterval)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil
			case <-t.C:
			}
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-changed:
		}
	}
}

func (h *Hub) shutdown() {
	h.running.Store(false)
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, s := range h.streams {
		s.stopAll("the server is shutting down")
	}
}

// Streams returns the number of open streams.
func (h *Hub) Streams() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.streams)
}

// advance publishes the world w as the next version: it diffs every
// resource and every registered input against the previous version, once,
// and queues the change on every stream.
func (h *Hub) advance(w world) {
	h.mu.Lock()
	prev := h.cur
	entries := make(map[string]*inputEntry, len(h.inputs))
	for k, e := range h.inputs {
		entries[k] = e
	}
	h.mu.Unlock()

	next := &snapshot{gen: 1, w: w, docs: map[string]*doc{}}
	if prev != nil {
		next.gen = prev.gen + 1
	}
	ch := &change{gen: next.gen, snap: next, items: map[string]*item{}, failed: map[string]string{}}
	for _, id := range sortedKeys(h.resources) {
		r := h.resources[id]
		if isPOST(r) {
			continue
		}
		d, ok := w.document(r)
		if !ok {
			continue
		}
		next.docs[id] = d
		if prev != nil {
			if it := diffItem(r, prev.docs[id], d); it != nil {
				ch.items[id] = it
			}
		}
	}
	for key, e := range entries {
		h.advanceInput(key, e, prev, next, ch)
	}

	h.mu.Lock()
	defer h.mu.Unlock()
	// Inputs registered while this version was computed are still at the
	// previous one: bring them along before publishing.
	for key, e := range h.inputs {
		if _, done := next.docs[key]; !done {
			if _, failed := ch.failed[key]; !failed {
				h.advanceInput(key, e, h.cur, next, ch)
			}
		}
	}
	h.cur = next
	for _, s := range h.streams {
		s.enqueue(ch)
	}
}

func (h *Hub) advanceInput(key string, e *inputEntry, prev, next *snapshot, ch *change) {
	body, err := next.w.query(e.res, e.input, e.remote)
	if err != nil {
		ch.failed[key] = fmt.Sprintf("the input of %s no longer applies: %v", e.res.ID, err)
		return
	}
	d := &doc{mediaType: e.res.MediaType, tag: alto.ContentTag(body), body: body}
	next.docs[key] = d
	if prev != nil {
		if it := diffItem(e.res, prev.docs[key], d); it != nil {
			ch.items[key] = it
		}
	}
}

// Open starts a stream on the update stream resource service from an
// update stream request (RFC 8895 §6.5). remote is the client's address,
// for endpoint cost inputs that leave out their sources or destinations.
// Errors are *alto.Error for bad requests, [alto.ErrUnknownResource],
// [alto.ErrNotReady], [ErrTooManyStreams] or [ErrNotRunning].
func (h *Hub) Open(service string, body []byte, remote netip.Addr) (*Stream, error) {
	svc, ok := h.services[service]
	if !ok {
		return nil, alto.ErrUnknownResource
	}
	if !h.running.Load() {
		return nil, ErrNotRunning
	}
	req, err := parseRequest(body)
	if err != nil {
		return nil, err
	}
	if !req.hasAdd {
		return nil, missing("add")
	}
	if len(req.add) == 0 {
		return nil, invalid("add", "", "a stream needs at least one substream")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cur == nil {
		return nil, alto.ErrNotReady
	}
	if len(h.streams) >= h.cfg.MaxStreams {
		return nil, ErrTooManyStreams
	}
	s := &Stream{hub: h, id: newStreamID(), service: svc, remote: remote,
		used: map[string]bool{}, wake: make(chan struct{}, 1)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := h.addLocked(s, req.add); err != nil {
		return nil, err
	}
	h.streams[s.id] = s
	h.logger.Debug("update stream opened", "stream", s.id, "service", svc.ID, "substreams", len(s.subs), "streams", len(h.streams))
	return s, nil
}

// Control applies a stream control request (RFC 8895 §7.5) to a stream.
// Adds are processed before removes and any error changes nothing. Errors
// are *alto.Error or *ListValueError for bad requests, and
// [ErrStreamClosed] for a stream that is closed or never existed.
func (h *Hub) Control(streamID string, body []byte) error {
	req, err := parseRequest(body)
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	s, ok := h.streams[streamID]
	if !ok {
		return ErrStreamClosed
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing || s.done {
		return ErrStreamClosed
	}
	if req.hasRemove && len(req.remove) == 0 && len(req.add) > 0 {
		return &ListValueError{Field: "remove", Values: []string{}, Reason: "an empty remove closes the stream and cannot come with add"}
	}
	var unknown, both []string
	for _, id := range req.remove {
		switch {
		case slices.ContainsFunc(req.add, func(a addRequest) bool { return a.id == id }):
			both = append(both, id)
		case !s.used[id]:
			unknown = append(unknown, id)
		}
	}
	if len(both) > 0 {
		return &ListValueError{Field: "remove", Values: both, Reason: "added and removed in the same request"}
	}
	if len(unknown) > 0 {
		return &ListValueError{Field: "remove", Values: unknown, Reason: "not a substream of this stream"}
	}
	if err := h.addLocked(s, req.add); err != nil {
		return err
	}
	var removed []string
	if req.hasRemove && len(req.remove) == 0 {
		for _, sub := range s.subs {
			removed = append(removed, sub.id)
		}
	} else {
		removed = req.remove
	}
	for _, id := range removed {
		s.removeLocked(id, "")
	}
	if len(s.subs) == 0 {
		s.closing = true // a stream never has zero substreams (RFC 8895 §7)
	}
	s.signal()
	return nil
}

// addLocked validates adds for stream s and, if all are good, starts
// them. It holds h.mu and s.mu.
func (h *Hub) addLocked(s *Stream, adds []addRequest) error {
	if len(s.subs)+len(adds) > h.cfg.MaxSubstreams {
		return invalid("add", fmt.Sprint(len(s.subs)+len(adds)), fmt.Sprintf("at most %d substreams per stream", h.cfg.MaxSubstreams))
	}
	type pending struct {
		a   addRequest
		res alto.Resource
		key string
		d   *doc
	}
	var ps []pending
	newInputs := map[string]*inputEntry{}
	newDocs := map[string]*doc{}
	streamInputs := s.inputKeys()
	for _, a := range adds {
		if s.used[a.id] {
			return invalid("add", a.id, "substream id already used on this stream")
		}
		res, ok := h.resources[a.resourceID]
		if !ok || !slices.Contains(s.service.Uses, a.resourceID) {
			return invalid("add/"+a.id+"/resource-id", a.resourceID, "not a resource of this update stream")
		}
		p := pending{a: a, res: res, key: res.ID}
		if isPOST(res) {
			if a.input == nil {
				return missing("add/" + a.id + "/input")
			}
			p.key = inputKey(res, a.input, s.remote)
			if d, ok := newDocs[p.key]; ok {
				p.d = d
			} else if d, ok := h.cur.docs[p.key]; ok && h.inputs[p.key] != nil {
				p.d = d // another substream holds this input already
			} else {
				body, err := h.cur.w.query(res, a.input, s.remote)
				if err != nil {
					return err // what the resource itself answers (RFC 8895 §6.6)
				}
				p.d = &doc{mediaType: res.MediaType, tag: alto.ContentTag(body), body: body}
				newDocs[p.key] = p.d
				if h.inputs[p.key] == nil {
					newInputs[p.key] = &inputEntry{res: res, input: a.input, remote: s.remote}
				}
			}
			streamInputs[p.key] = true
			if len(streamInputs) > h.cfg.MaxInputs {
				return invalid("add/"+a.id+"/input", "", fmt.Sprintf("at most %d distinct inputs per stream", h.cfg.MaxInputs))
			}
			if len(h.inputs)+len(newInputs) > h.cfg.MaxInputsTotal {
				return invalid("add/"+a.id+"/input", "", "the server holds its maximum of distinct inputs")
			}
		} else {
			p.d = h.cur.docs[p.key]
			if p.d == nil {
				return invalid("add/"+a.id+"/resource-id", a.resourceID, "resource not computed")
			}
		}
		ps = append(ps, p)
	}
	if len(newDocs) > 0 {
		// Copy on write: published snapshots never change.
		cp := &snapshot{gen: h.cur.gen, w: h.cur.w, docs: make(map[string]*doc, len(h.cur.docs)+len(newDocs))}
		for k, d := range h.cur.docs {
			cp.docs[k] = d
		}
		for k, d := range newDocs {
			cp.docs[k] = d
		}
		h.cur = cp
	}
	for k, e := range newInputs {
		h.inputs[k] = e
	}
	s.snap = h.cur
	for _, p := range ps {
		sub := &substream{id: p.a.id, res: p.res, key: p.key, incremental: p.a.incremental, seq: s.nextSeq, needFull: true}
		s.nextSeq++
		if isPOST(p.res) {
			h.inputs[p.key].refs++
		}
		if p.a.tag != "" && p.a.tag == p.d.tag {
			// The client has this version (RFC 8895 §6.5): no initial full.
			sub.needFull, sub.tag, sub.gen = false, p.d.tag, h.cur.gen
		}
		s.subs = append(s.subs, sub)
		s.used[p.a.id] = true
	}
	s.signal()
	return nil
}

// releaseLocked drops a substream's hold on its input. It holds h.mu.
func (h *Hub) releaseLocked(sub *substream) {
	if !isPOST(sub.res) {
		return
	}
	if e, ok := h.inputs[sub.key]; ok {
		if e.refs--; e.refs <= 0 {
			delete(h.inputs, sub.key)
		}
	}
}

// inputKey identifies an input: equal requests share one computation.
// The client's address is part of it only where the answer depends on it.
func inputKey(res alto.Resource, input []byte, remote netip.Addr) string {
	c, err := Canonical(input)
	if err != nil {
		c = input
	}
	key := res.ID + "\x00" + string(c)
	if res.Kind == alto.KindEndpointCost {
		key += "\x00" + remote.String()
	}
	return key
}

// newStreamID returns 128 random bits: a stream control URI must be hard
// to guess (RFC 8895 §7.1).
func newStreamID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
