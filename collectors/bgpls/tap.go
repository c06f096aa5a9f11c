package bgpls

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/osrg/gobgp/v4/pkg/packet/bgp"

	"github.com/altosdn/altosdn/collectors"
)

// The tap reads the UPDATEs GoBGP receives exactly as the peers sent
// them, for what GoBGP's decoder drops (see extras.go), and hands that to
// the run loop keyed like the routes, so the two streams meet in the rib.
//
// GoBGP offers raw UPDATEs in two places: its BMP export and its MRT
// update dump. BMP would be the natural choice, but GoBGP v4.8 serializes
// the peers' OPEN messages for BMP on one goroutine while its server
// goroutine serializes the same messages for every update (toConfig), and
// serializing writes into the message: a data race inside GoBGP, found by
// the race detector. The MRT dump writes nothing but the received bytes,
// so the tap is a FIFO that GoBGP dumps MRT BGP4MP records into.

// MRT record types (RFC 6396 §4, §4.4).
const (
	mrtHeaderLen        = 12
	mrtBGP4MP           = 16
	mrtMessage          = 1 // 2-byte AS numbers
	mrtMessageAS4       = 4
	mrtMessageAddPath   = 8
	mrtMessageAS4AddPat = 9
	mrtMaxRecord        = 1 << 20
)

// tapItem is what the tap learnt about one NLRI of one peer.
type tapItem struct {
	key string
	x   extras // zero clears
}

// tap reads GoBGP's MRT update dump from a FIFO.
type tap struct {
	dir    string // holds the FIFO; removed by close
	path   string
	logger *slog.Logger
	peers  map[netip.Addr]int // peer address → index
	emit   func(peer int, items []tapItem, errs int, lastErr error) bool

	// known holds, per peer, the NLRIs for which extras were sent, so a
	// later UPDATE without them clears them; every other NLRI without
	// extras needs no message at all. Only the read goroutine uses it.
	known map[int]map[string]struct{}

	health tapHealth
}

// tapHealth is what /status shows of the tap: whether it reads, how much,
// and why it stopped. It is written by the read goroutine and read by
// Status.
type tapHealth struct {
	mu       sync.Mutex
	reading  bool
	records  uint64
	last     time.Time
	stopped  string // why reading stopped; "" while it reads
	openedAt time.Time
}

func (h *tapHealth) set(f func(*tapHealth)) {
	h.mu.Lock()
	f(h)
	h.mu.Unlock()
}

// item renders the tap as a status item.
func (h *tapHealth) item() collectors.ItemStatus {
	h.mu.Lock()
	defer h.mu.Unlock()
	it := collectors.ItemStatus{Name: "attribute-tap", State: "reading", Up: h.reading, Since: h.openedAt,
		LastUpdate: h.last, LastError: h.stopped, Counters: map[string]uint64{"mrt_records": h.records}}
	if !h.reading {
		it.State = "stopped"
	}
	return it
}

// newTap creates the FIFO in a fresh temporary directory.
func newTap() (*tap, error) {
	dir, err := mrtDir()
	if err != nil {
		return nil, fmt.Errorf("tap: %w", err)
	}
	path := filepath.Join(dir, "updates.mrt")
	if err := mkfifo(path); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("tap: %w", err)
	}
	return &tap{dir: dir, path: path, known: map[int]map[string]struct{}{}}, nil
}

// mrtDir creates a private directory for the FIFO whose path survives
// GoBGP's handling of MRT file names: GoBGP rotates update dumps at
// least every minute and reopens the file by passing its name through
// time.Format, which would rewrite digits and names such as "Jan" or
// "pm". So the directory's own name uses only letters that mean nothing
// to time.Format, and a temporary directory whose path would change is
// skipped.
func mrtDir() (string, error) {
	const letters = "bcdfghjklqrstvwxz" // no digits, no p, m, J, M, P, Z...
	for _, base := range []string{os.TempDir(), "/tmp", "/var/tmp", "/dev/shm"} {
		if !layoutSafe(base) {
			continue
		}
		for range 10 {
			name := []byte("altosdn-bgpls-")
			for range 10 {
				name = append(name, letters[rand.IntN(len(letters))])
			}
			dir := filepath.Join(base, string(name))
			err := os.Mkdir(dir, 0o700)
			if err == nil {
				return dir, nil
			}
			if !errors.Is(err, fs.ErrExist) {
				break // try the next base
			}
		}
	}
	return "", errors.New("no temporary directory whose path time.Format leaves alone")
}

// layoutSafe reports whether time.Format returns p unchanged.
func layoutSafe(p string) bool {
	for _, t := range []time.Time{time.Now(), time.Date(2001, 2, 3, 4, 5, 6, 7, time.FixedZone("X", 3600))} {
		if t.Format(p) != p {
			return false
		}
	}
	return true
}

// run reads the FIFO until ctx is done, then removes it. It opens the
// FIFO for reading and writing: opening never waits for a writer, and
// GoBGP closing and reopening it at each rotation never looks like the
// end of the stream.
func (t *tap) run(ctx context.Context) {
	defer os.RemoveAll(t.dir)
	f, err := os.OpenFile(t.path, os.O_RDWR, 0)
	if err != nil {
		t.logger.Warn("tap cannot open its fifo", "err", err)
		return
	}
	stop := context.AfterFunc(ctx, func() { f.Close() })
	defer stop()
	defer f.Close()
	t.health.set(func(h *tapHealth) { h.reading, h.openedAt = true, time.Now() })
	err = t.serve(f)
	t.health.set(func(h *tapHealth) {
		h.reading = false
		if ctx.Err() == nil && err != nil {
			h.stopped = err.Error()
		}
	})
	if ctx.Err() == nil {
		t.logger.Warn("tap stopped reading; loss, bandwidth, prefix metric and ASLA values will no longer update", "err", err)
	}
}

// serve reads records until reading fails; it returns why.
func (t *tap) serve(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var hdr [mrtHeaderLen]byte
	for {
		if _, err := io.ReadFull(br, hdr[:]); err != nil {
			return err
		}
		n := int(binary.BigEndian.Uint32(hdr[8:12]))
		if n > mrtMaxRecord {
			return fmt.Errorf("mrt: record of %d bytes", n)
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(br, body); err != nil {
			return err
		}
		t.health.set(func(h *tapHealth) { h.records++; h.last = time.Now() })
		typ, sub := binary.BigEndian.Uint16(hdr[4:6]), binary.BigEndian.Uint16(hdr[6:8])
		if typ != mrtBGP4MP {
			continue
		}
		peerAddr, msg, err := bgp4mp(sub, body)
		if err != nil {
			// GoBGP wrote a record this reader does not understand;
			// nothing ties it to a peer, so it is logged, not counted.
			t.logger.Debug("tap skipped an mrt record", "err", err)
			continue
		}
		peer, ok := t.peers[peerAddr.Unmap()]
		if !ok {
			continue
		}
		items, errs, lastErr := tapUpdate(msg)
		items = t.filter(peer, items)
		if len(items) == 0 && errs == 0 {
			continue
		}
		if !t.emit(peer, items, errs, lastErr) {
			return errors.New("collector stopped")
		}
	}
}

// bgp4mp splits a BGP4MP MESSAGE record (RFC 6396 §4.4.2, and the AS4
// and ADD-PATH variants of RFC 6396 and RFC 8050) into the peer's address
// and the BGP message.
func bgp4mp(sub uint16, b []byte) (netip.Addr, []byte, error) {
	asLen := 2
	switch sub {
	case mrtMessage, mrtMessageAddPath:
	case mrtMessageAS4, mrtMessageAS4AddPat:
		asLen = 4
	default:
		return netip.Addr{}, nil, fmt.Errorf("mrt: bgp4mp subtype %d", sub)
	}
	h := 2*asLen + 4 // peer AS, local AS, interface index, AFI
	if len(b) < h {
		return netip.Addr{}, nil, errors.New("mrt: short bgp4mp header")
	}
	ipLen := 4
	if binary.BigEndian.Uint16(b[h-2:]) == 2 {
		ipLen = 16
	}
	if len(b) < h+2*ipLen {
		return netip.Addr{}, nil, errors.New("mrt: short bgp4mp addresses")
	}
	a, _ := netip.AddrFromSlice(b[h : h+ipLen])
	return a, b[h+2*ipLen:], nil
}

// filter drops clears for NLRIs that never had extras and remembers the
// ones that do.
func (t *tap) filter(peer int, items []tapItem) []tapItem {
	known := t.known[peer]
	if known == nil {
		known = map[string]struct{}{}
		t.known[peer] = known
	}
	out := items[:0]
	for _, it := range items {
		if it.x.empty() {
			if _, ok := known[it.key]; !ok {
				continue
			}
			delete(known, it.key)
		} else {
			known[it.key] = struct{}{}
		}
		out = append(out, it)
	}
	return out
}

// tapUpdate decodes one BGP UPDATE (with its 19-byte header) into an item
// per BGP-LS NLRI: the extras of the attribute for advertised NLRIs, a
// clear for withdrawn ones. It counts the problems it meets instead of
// stopping at them, and never panics.
func tapUpdate(msg []byte) (items []tapItem, errs int, lastErr error) {
	fail := func(err error) {
		errs++
		lastErr = err
	}
	defer func() {
		if v := recover(); v != nil {
			fail(fmt.Errorf("tap: panic decoding update: %v", v))
		}
	}()
	attrs, err := updateAttrs(msg)
	if err != nil {
		fail(err)
		return items, errs, lastErr
	}
	var x extras
	var reach, unreach []byte
	for _, a := range attrs {
		switch a.typ {
		case 29:
			var err error
			if x, err = decodeExtras(a.value); err != nil {
				fail(err)
			}
		case 14:
			reach = a.value
		case 15:
			unreach = a.value
		}
	}
	add := func(nlris []byte, x extras) {
		err := eachLSNLRI(nlris, func(key string) { items = append(items, tapItem{key: key, x: x}) })
		if err != nil {
			fail(err)
		}
	}
	if rest, ok := mpNLRIs(reach, true); ok {
		add(rest, x)
	}
	if rest, ok := mpNLRIs(unreach, false); ok {
		add(rest, extras{})
	}
	return items, errs, lastErr
}

type rawAttr struct {
	typ   byte
	value []byte
}

// updateAttrs splits an UPDATE into its path attributes.
func updateAttrs(msg []byte) ([]rawAttr, error) {
	if len(msg) < 23 || msg[18] != 2 {
		return nil, errors.New("tap: not an update")
	}
	b := msg[19:]
	wl := int(binary.BigEndian.Uint16(b))
	if len(b) < 4+wl {
		return nil, errors.New("tap: withdrawn routes overrun the update")
	}
	b = b[2+wl:]
	al := int(binary.BigEndian.Uint16(b))
	if len(b) < 2+al {
		return nil, errors.New("tap: path attributes overrun the update")
	}
	b = b[2 : 2+al]
	var out []rawAttr
	for len(b) > 0 {
		if len(b) < 3 {
			return out, errors.New("tap: truncated attribute header")
		}
		flags, typ := b[0], b[1]
		hl, n := 3, int(b[2])
		if flags&0x10 != 0 {
			if len(b) < 4 {
				return out, errors.New("tap: truncated attribute header")
			}
			hl, n = 4, int(binary.BigEndian.Uint16(b[2:]))
		}
		if len(b) < hl+n {
			return out, fmt.Errorf("tap: attribute %d overruns the update", typ)
		}
		out = append(out, rawAttr{typ: typ, value: b[hl : hl+n]})
		b = b[hl+n:]
	}
	return out, nil
}

// mpNLRIs returns the NLRI field of an MP_REACH (reach) or MP_UNREACH
// attribute if it is for BGP-LS.
func mpNLRIs(v []byte, reach bool) ([]byte, bool) {
	if len(v) < 3 || binary.BigEndian.Uint16(v) != bgp.AFI_LS || v[2] != bgp.SAFI_LS {
		return nil, false
	}
	v = v[3:]
	if !reach {
		return v, true
	}
	if len(v) < 1 || len(v) < 2+int(v[0]) {
		return nil, false
	}
	return v[2+int(v[0]):], true // next hop length, next hop, reserved byte
}

// eachLSNLRI calls f with the rib key of each BGP-LS NLRI in b. Keys come
// from GoBGP's own decoding and serialization, exactly as for the routes
// GoBGP hands over, so both sides agree. An NLRI that does not decode is
// skipped and reported; GoBGP resets a session over one, so it is rare.
func eachLSNLRI(b []byte, f func(key string)) error {
	var first error
	for len(b) > 0 {
		if len(b) < 4 {
			return errors.Join(first, errors.New("tap: truncated bgp-ls nlri"))
		}
		n := 4 + int(binary.BigEndian.Uint16(b[2:]))
		if len(b) < n {
			return errors.Join(first, errors.New("tap: bgp-ls nlri overruns its attribute"))
		}
		key, err := tapKey(b[:n])
		if err == nil {
			f(key)
		} else if first == nil {
			first = err
		}
		b = b[n:]
	}
	return first
}

func tapKey(b []byte) (string, error) {
	nlri, err := bgp.NLRIFromSlice(bgp.RF_LS, b)
	if err != nil {
		return "", fmt.Errorf("tap: bgp-ls nlri: %w", err)
	}
	ls, ok := nlri.(*bgp.LsAddrPrefix)
	if !ok {
		return "", fmt.Errorf("tap: unexpected nlri %T", nlri)
	}
	return lsKey(ls)
}
