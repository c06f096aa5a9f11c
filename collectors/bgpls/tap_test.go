package bgpls

import (
	"context"
	"encoding/binary"
	"log/slog"
	"net/netip"
	"os"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/bgpls/rawbgp"
	"github.com/altosdn/altosdn/topology"
)

// mrtRecord wraps a BGP message as GoBGP's MRT dump does: BGP4MP
// MESSAGE_AS4 from peer to local.
func mrtRecord(peer, local netip.Addr, msg []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, 65001)
	b = binary.BigEndian.AppendUint32(b, 65000)
	b = append(b, 0, 0, 0, 1) // interface index, AFI IPv4
	b = append(b, peer.AsSlice()...)
	b = append(b, local.AsSlice()...)
	b = append(b, msg...)
	h := binary.BigEndian.AppendUint32(nil, uint32(time.Now().Unix()))
	h = binary.BigEndian.AppendUint16(h, mrtBGP4MP)
	h = binary.BigEndian.AppendUint16(h, mrtMessageAS4)
	h = binary.BigEndian.AppendUint32(h, uint32(len(b)))
	return append(h, b...)
}

// The tap reads records across the writer closing and reopening the FIFO,
// as GoBGP does when it rotates the dump, and removes the FIFO at the end.
func TestTapFIFO(t *testing.T) {
	tp, err := newTap()
	if err != nil {
		t.Fatal(err)
	}
	if !layoutSafe(tp.path) {
		t.Fatalf("fifo path %s changes under time.Format", tp.path)
	}
	peer := netip.MustParseAddr("192.0.2.10")
	got := make(chan tapItem, 10)
	tp.logger, tp.peers = slog.New(slog.DiscardHandler), map[netip.Addr]int{peer: 0}
	tp.emit = func(p int, items []tapItem, errs int, err error) bool {
		for _, it := range items {
			got <- it
		}
		return true
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { tp.run(ctx); close(done) }()

	nlri := rawbgp.PrefixNLRI(2, 0, rawbgp.NodeDesc{AS: 1, IGPRouterID: []byte{0, 0, 0, 0, 0, 1}}, netip.MustParsePrefix("10.0.0.0/8"))
	update := rawbgp.Update(nil, [][]byte{rawbgp.MPReach(rawbgp.FamilyLS, peer, nlri), rawbgp.LSAttr(rawbgp.PrefixMetric(42))}, nil)
	for i := range 2 { // write, close, reopen, write
		w, err := os.OpenFile(tp.path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(mrtRecord(netip.MustParseAddr("192.0.2.99"), peer, update)) // unknown peer: ignored
		w.Write(mrtRecord(peer, netip.MustParseAddr("192.0.2.1"), update))
		w.Close()
		select {
		case it := <-got:
			if it.x.PrefixMetric != topology.Known(42, topology.SourceBGPLS) {
				t.Errorf("write %d: extras %+v", i, it.x)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("write %d: nothing read", i)
		}
	}
	cancel()
	<-done
	if _, err := os.Stat(tp.dir); !os.IsNotExist(err) {
		t.Errorf("fifo directory left behind: %v", err)
	}
}

func TestBGP4MP(t *testing.T) {
	peer, local := netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8::2")
	b := binary.BigEndian.AppendUint16(nil, 65001) // 2-byte AS form
	b = binary.BigEndian.AppendUint16(b, 65000)
	b = append(b, 0, 0, 0, 2)
	b = append(append(append(b, peer.AsSlice()...), local.AsSlice()...), 0xff)
	a, msg, err := bgp4mp(mrtMessage, b)
	if err != nil || a != peer || len(msg) != 1 {
		t.Errorf("bgp4mp = %s, %x, %v", a, msg, err)
	}
	if _, _, err := bgp4mp(mrtMessageAS4, b[:10]); err == nil {
		t.Error("short record accepted")
	}
	if _, _, err := bgp4mp(3, b); err == nil {
		t.Error("state-change record accepted as a message")
	}
}
