package speaker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	gobgpapi "github.com/osrg/gobgp/v4/api"
	"github.com/osrg/gobgp/v4/pkg/apiutil"
	"github.com/osrg/gobgp/v4/pkg/packet/bgp"
	gobgp "github.com/osrg/gobgp/v4/pkg/server"
)

// Config configures a Speaker.
type Config struct {
	// LocalASN and RouterID are the speaker's AS and BGP identifier. For
	// iBGP the router-ID must differ from the peer's.
	LocalASN uint32
	RouterID netip.Addr
	// LocalAddress is the session's source address, e.g. 127.0.0.2; a
	// passive peer tells speakers apart by it. Zero lets the kernel pick.
	// It is also the next hop of BGP-LS routes.
	LocalAddress netip.Addr
	// PeerAddress, PeerPort (0 means 179) and PeerASN name the peer.
	PeerAddress netip.Addr
	PeerPort    uint16
	PeerASN     uint32
	// HoldTime is the hold time offered; 0 means 90s.
	HoldTime time.Duration
	// IPv4Unicast and IPv6Unicast also negotiate those families, for
	// [Topology.Routes].
	IPv4Unicast, IPv6Unicast bool
	// GracefulRestart offers the graceful-restart capability, which makes
	// GoBGP send End-of-RIB after the initial table.
	GracefulRestart bool
	// Password is the TCP MD5 password, if any.
	Password string
}

func (c *Config) validate() error {
	var errs []error
	if c.LocalASN == 0 || c.PeerASN == 0 {
		errs = append(errs, errors.New("local and peer ASN are required"))
	}
	if !c.RouterID.Is4() {
		errs = append(errs, errors.New("router-id must be an IPv4 address"))
	}
	if !c.PeerAddress.IsValid() {
		errs = append(errs, errors.New("peer address is required"))
	}
	return errors.Join(errs...)
}

// Speaker originates BGP-LS routes toward one peer.
type Speaker struct {
	cfg    Config
	logger *slog.Logger

	mu      sync.Mutex // serialises Start, Close and path changes
	server  *gobgp.BgpServer
	cancel  context.CancelFunc
	closed  bool
	nextHop netip.Addr

	established atomic.Bool
}

// New validates cfg. A nil logger discards; GoBGP's own messages are
// passed on at Warn and above.
func New(cfg Config, logger *slog.Logger) (*Speaker, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("speaker: %w", err)
	}
	nh := cfg.LocalAddress
	if !nh.IsValid() {
		nh = cfg.RouterID
	}
	return &Speaker{cfg: cfg, logger: logger, nextHop: nh}, nil
}

// Start starts GoBGP without a listener and configures the peer. It
// returns once GoBGP is running; the session comes up in the background
// (GoBGP makes its first attempt after about two seconds).
func (s *Speaker) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.server != nil || s.closed {
		return errors.New("speaker: already started")
	}
	srv := gobgp.NewBgpServer(gobgp.LoggerOption(slog.New(warnOnly{s.logger.Handler()}), nil))
	go srv.Serve()
	err := srv.StartBgp(ctx, &gobgpapi.StartBgpRequest{Global: &gobgpapi.Global{
		Asn: s.cfg.LocalASN, RouterId: s.cfg.RouterID.String(), ListenPort: -1,
	}})
	if err != nil {
		srv.Stop()
		return fmt.Errorf("speaker: start bgp: %w", err)
	}
	wctx, cancel := context.WithCancel(context.Background())
	err = srv.WatchEvent(wctx, gobgp.WatchEventMessageCallbacks{
		OnPeerUpdate: func(pe *apiutil.WatchEventMessage_PeerEvent, _ time.Time) {
			if pe.Type == apiutil.PEER_EVENT_END_OF_INIT {
				return
			}
			s.established.Store(pe.Peer.State.SessionState == bgp.BGP_FSM_ESTABLISHED)
		},
	}, gobgp.WatchPeer())
	if err == nil {
		err = srv.AddPeer(ctx, &gobgpapi.AddPeerRequest{Peer: s.peer()})
	}
	if err != nil {
		cancel()
		srv.Stop()
		return fmt.Errorf("speaker: %w", err)
	}
	s.server, s.cancel = srv, cancel
	return nil
}

func (s *Speaker) peer() *gobgpapi.Peer {
	hold := uint64(90)
	if s.cfg.HoldTime > 0 {
		hold = uint64(s.cfg.HoldTime / time.Second)
	}
	p := &gobgpapi.Peer{
		Conf: &gobgpapi.PeerConf{
			NeighborAddress: s.cfg.PeerAddress.String(), PeerAsn: s.cfg.PeerASN, AuthPassword: s.cfg.Password,
		},
		Transport: &gobgpapi.Transport{RemotePort: uint32(s.cfg.PeerPort)},
		Timers: &gobgpapi.Timers{Config: &gobgpapi.TimersConfig{
			HoldTime: hold, KeepaliveInterval: hold / 3, ConnectRetry: 1,
		}},
	}
	if s.cfg.LocalAddress.IsValid() {
		p.Transport.LocalAddress = s.cfg.LocalAddress.String()
	}
	fams := []*gobgpapi.Family{{Afi: gobgpapi.Family_AFI_LS, Safi: gobgpapi.Family_SAFI_LS}}
	if s.cfg.IPv4Unicast {
		fams = append(fams, &gobgpapi.Family{Afi: gobgpapi.Family_AFI_IP, Safi: gobgpapi.Family_SAFI_UNICAST})
	}
	if s.cfg.IPv6Unicast {
		fams = append(fams, &gobgpapi.Family{Afi: gobgpapi.Family_AFI_IP6, Safi: gobgpapi.Family_SAFI_UNICAST})
	}
	if s.cfg.GracefulRestart {
		p.GracefulRestart = &gobgpapi.GracefulRestart{Enabled: true, RestartTime: 120}
	}
	for _, f := range fams {
		a := &gobgpapi.AfiSafi{Config: &gobgpapi.AfiSafiConfig{Family: f, Enabled: true}}
		if s.cfg.GracefulRestart {
			a.MpGracefulRestart = &gobgpapi.MpGracefulRestart{Config: &gobgpapi.MpGracefulRestartConfig{Enabled: true}}
		}
		p.AfiSafis = append(p.AfiSafis, a)
	}
	return p
}

// Established reports whether the session is up.
func (s *Speaker) Established() bool { return s.established.Load() }

// WaitEstablished blocks until the session is up or ctx is done.
func (s *Speaker) WaitEstablished(ctx context.Context) error {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for !s.Established() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("speaker: session with %s not established: %w", s.cfg.PeerAddress, ctx.Err())
		case <-t.C:
		}
	}
	return nil
}

// Advertise adds the routes of t, replacing those with the same NLRI.
// Nothing is sent for an element that does not encode; the errors of all
// such elements are returned together, and the others are still sent.
func (s *Speaker) Advertise(t Topology) error {
	return s.apply(t, false)
}

// Withdraw withdraws the routes of t; only their identities (protocol,
// descriptors, prefix) matter.
func (s *Speaker) Withdraw(t Topology) error {
	return s.apply(t, true)
}

func (s *Speaker) apply(t Topology, withdraw bool) error {
	ps, encErr := paths(t, s.nextHop, withdraw)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.server == nil || s.closed {
		return errors.New("speaker: not running")
	}
	if len(ps) == 0 {
		return encErr
	}
	var err error
	if withdraw {
		err = s.server.DeletePath(apiutil.DeletePathRequest{Paths: ps})
	} else {
		_, err = s.server.AddPath(apiutil.AddPathRequest{Paths: ps})
	}
	if err != nil {
		err = fmt.Errorf("speaker: %w", err)
	}
	return errors.Join(encErr, err)
}

// Disable takes the session down with a Cease (administrative shutdown)
// and keeps it down until Enable; the table is kept, and Advertise and
// Withdraw still change it. Emulators use it to flap a session.
func (s *Speaker) Disable(ctx context.Context) error {
	return s.peerOp(func(srv *gobgp.BgpServer, addr string) error {
		return srv.DisablePeer(ctx, &gobgpapi.DisablePeerRequest{Address: addr, Communication: "speaker disabled"})
	})
}

// Enable lets a disabled session come back; GoBGP reconnects after its
// idle hold time (about five seconds) and sends the current table.
func (s *Speaker) Enable(ctx context.Context) error {
	return s.peerOp(func(srv *gobgp.BgpServer, addr string) error {
		return srv.EnablePeer(ctx, &gobgpapi.EnablePeerRequest{Address: addr})
	})
}

// Sync returns once GoBGP has handled every earlier request. GoBGP v4.8
// keeps some settings in package variables that every server writes when
// it starts and reads while it handles routes; a program that runs
// several GoBGP servers (a collector and speakers in one test binary)
// calls Sync on the running ones after starting another, so that the
// race detector sees the start ordered before their later reads.
func (s *Speaker) Sync(ctx context.Context) error {
	return s.peerOp(func(srv *gobgp.BgpServer, _ string) error {
		return srv.ListPeer(ctx, &gobgpapi.ListPeerRequest{}, func(*gobgpapi.Peer) {})
	})
}

func (s *Speaker) peerOp(f func(*gobgp.BgpServer, string) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.server == nil || s.closed {
		return errors.New("speaker: not running")
	}
	if err := f(s.server, s.cfg.PeerAddress.String()); err != nil {
		return fmt.Errorf("speaker: %w", err)
	}
	return nil
}

// Close stops GoBGP, which sends the peer a Cease. It is safe to call
// more than once.
func (s *Speaker) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if s.server == nil {
		return nil
	}
	s.cancel()
	s.server.Stop()
	s.established.Store(false)
	return nil
}

// warnOnly passes GoBGP's records at Warn and above.
type warnOnly struct{ h slog.Handler }

func (w warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && w.h.Enabled(ctx, l)
}
func (w warnOnly) Handle(ctx context.Context, r slog.Record) error { return w.h.Handle(ctx, r) }
func (w warnOnly) WithAttrs(as []slog.Attr) slog.Handler           { return warnOnly{w.h.WithAttrs(as)} }
func (w warnOnly) WithGroup(n string) slog.Handler                 { return warnOnly{w.h.WithGroup(n)} }
