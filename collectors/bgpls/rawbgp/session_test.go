package rawbgp

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakePeer accepts one session, answers the handshake, returns the first
// message it receives after it and then sends a NOTIFICATION.
func fakePeer(t *testing.T, ln net.Listener, got chan<- []byte) {
	c, err := ln.Accept()
	if err != nil {
		t.Error(err)
		return
	}
	defer c.Close()
	if typ, _, err := ReadMessage(c); err != nil || typ != MsgOpen {
		t.Errorf("first message: type %d, %v", typ, err)
		return
	}
	c.Write(Open{AS: 65000, HoldTime: 90, RouterID: netip.MustParseAddr("192.0.2.1")}.Bytes())
	c.Write(Keepalive())
	for {
		typ, body, err := ReadMessage(c)
		if err != nil {
			t.Error(err)
			return
		}
		if typ == MsgUpdate {
			got <- body
			c.Write(Notification(6, 2, nil))
			return
		}
	}
}

func TestSession(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go fakePeer(t, ln, got)

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s, err := Dial(ctx, netip.Addr{}, ln.Addr().(*net.TCPAddr).AddrPort(),
		Open{AS: 65001, HoldTime: 90, RouterID: netip.MustParseAddr("192.0.2.2")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Send(EndOfRIB(FamilyLS)); err != nil {
		t.Fatal(err)
	}
	select {
	case body := <-got:
		if len(body) != 4+3+3 { // lengths, then MP_UNREACH header and AFI/SAFI
			t.Errorf("peer received %x", body)
		}
	case <-ctx.Done():
		t.Fatal("peer received nothing")
	}
	select {
	case <-s.Done():
	case <-ctx.Done():
		t.Fatal("session did not end after the notification")
	}
	var ne *NotificationError
	if !errors.As(s.Err(), &ne) || ne.Code != 6 || ne.Subcode != 2 || !errors.Is(s.Err(), ErrNotification) {
		t.Errorf("Err() = %v; want cease/2", s.Err())
	}
}

func TestDialRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr).AddrPort()
	ln.Close()
	if _, err := Dial(t.Context(), netip.Addr{}, addr, Open{AS: 1, RouterID: netip.MustParseAddr("192.0.2.2")}); err == nil {
		t.Error("Dial to a closed port succeeded")
	}
}
