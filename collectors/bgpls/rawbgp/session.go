package rawbgp

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"time"
)

// ErrNotification is wrapped by [Session.Err] when the peer ended the
// session with a NOTIFICATION.
var ErrNotification = errors.New("notification received")

// NotificationError is the NOTIFICATION a peer sent.
type NotificationError struct {
	Code, Subcode byte
	Data          []byte
}

func (e *NotificationError) Error() string {
	return fmt.Sprintf("%v: code %d subcode %d", ErrNotification, e.Code, e.Subcode)
}

// Unwrap lets errors.Is match [ErrNotification].
func (e *NotificationError) Unwrap() error { return ErrNotification }

// Session is an established BGP session that writes whatever it is given.
// Its methods are safe for concurrent use.
type Session struct {
	conn net.Conn

	writeMu sync.Mutex

	done chan struct{} // closed when the session has ended
	wg   sync.WaitGroup

	errMu sync.Mutex
	err   error
}

// Dial connects from local (zero means any) to remote, exchanges OPEN
// messages and KEEPALIVEs, and returns the established session. The
// session sends KEEPALIVEs every third of the negotiated hold time until
// it is closed.
func Dial(ctx context.Context, local netip.Addr, remote netip.AddrPort, open Open) (*Session, error) {
	d := net.Dialer{}
	if local.IsValid() {
		d.LocalAddr = &net.TCPAddr{IP: local.AsSlice()}
	}
	conn, err := d.DialContext(ctx, "tcp", remote.String())
	if err != nil {
		return nil, fmt.Errorf("rawbgp: dial %s: %w", remote, err)
	}
	s, err := handshake(ctx, conn, open)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("rawbgp: session with %s: %w", remote, err)
	}
	return s, nil
}

func handshake(ctx context.Context, conn net.Conn, open Open) (*Session, error) {
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	} else {
		conn.SetDeadline(time.Now().Add(30 * time.Second))
	}
	if _, err := conn.Write(open.Bytes()); err != nil {
		return nil, fmt.Errorf("send open: %w", err)
	}
	typ, body, err := ReadMessage(conn)
	if err != nil {
		return nil, fmt.Errorf("read open: %w", err)
	}
	if typ == MsgNotification {
		return nil, notification(body)
	}
	if typ != MsgOpen || len(body) < 10 {
		return nil, fmt.Errorf("expected open, got message type %d", typ)
	}
	hold := min(binary.BigEndian.Uint16(body[3:5]), open.HoldTime)
	if _, err := conn.Write(Keepalive()); err != nil {
		return nil, fmt.Errorf("send keepalive: %w", err)
	}
	for {
		typ, body, err := ReadMessage(conn)
		if err != nil {
			return nil, fmt.Errorf("wait for keepalive: %w", err)
		}
		if typ == MsgNotification {
			return nil, notification(body)
		}
		if typ == MsgKeepalive {
			break
		}
	}
	conn.SetDeadline(time.Time{})
	s := &Session{conn: conn, done: make(chan struct{})}
	s.wg.Add(1)
	go s.read()
	if hold > 0 {
		s.wg.Add(1)
		go s.keepalive(time.Duration(hold) * time.Second / 3)
	}
	return s, nil
}

func notification(body []byte) error {
	e := &NotificationError{}
	if len(body) >= 2 {
		e.Code, e.Subcode, e.Data = body[0], body[1], body[2:]
	}
	return e
}

// read drains what the peer sends until the connection ends, remembering
// a NOTIFICATION; everything else is ignored.
func (s *Session) read() {
	defer s.wg.Done()
	defer close(s.done)
	for {
		typ, body, err := ReadMessage(s.conn)
		if err != nil {
			s.setErr(err)
			return
		}
		if typ == MsgNotification {
			s.setErr(notification(body))
			s.conn.Close()
			return
		}
	}
}

func (s *Session) keepalive(every time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			if s.Send(Keepalive()) != nil {
				return
			}
		}
	}
}

func (s *Session) setErr(err error) {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	if s.err == nil {
		s.err = err
	}
}

// Send writes messages back to back, as they are.
func (s *Session) Send(msgs ...[]byte) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	for _, m := range msgs {
		if _, err := s.conn.Write(m); err != nil {
			return fmt.Errorf("rawbgp: send: %w", err)
		}
	}
	return nil
}

// Done is closed when the session has ended, by [Session.Close], by the
// peer closing the connection or by a NOTIFICATION.
func (s *Session) Done() <-chan struct{} { return s.done }

// Err reports why the session ended: a [*NotificationError], a read error,
// or nil while it is up.
func (s *Session) Err() error {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	return s.err
}

// Close ends the session without a NOTIFICATION, as a crashed speaker
// would, and waits for its goroutines.
func (s *Session) Close() error {
	err := s.conn.Close()
	s.wg.Wait()
	return err
}

// ReadMessage reads one BGP message and returns its type and body.
func ReadMessage(r io.Reader) (typ byte, body []byte, err error) {
	var hdr [19]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := int(binary.BigEndian.Uint16(hdr[16:18]))
	if n < 19 {
		return 0, nil, fmt.Errorf("bad message length %d", n)
	}
	body = make([]byte, n-19)
	if _, err := io.ReadFull(r, body); err != nil {
		return 0, nil, err
	}
	return hdr[18], body, nil
}
