package target

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	gpb "github.com/openconfig/gnmi/proto/gnmi"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/protobuf/proto"
)

// Config configures a [Target]. The zero value is usable: a plaintext,
// unauthenticated target on a free loopback port.
type Config struct {
	// Address is the listen address; "" means "127.0.0.1:0".
	Address string
	// Name is the gNMI target name, echoed in prefix.target when a request
	// sets one.
	Name string
	// TLS, when set, serves TLS with it. Set ClientAuth and ClientCAs to
	// require client certificates.
	TLS *tls.Config
	// Username and Password, when Username is set, are required as the
	// "username" and "password" gRPC metadata of every RPC.
	Username, Password string
	// DefaultSampleInterval replaces a requested sample interval of 0;
	// "" means one second.
	DefaultSampleInterval time.Duration
	// MinSampleInterval is the shortest sample interval served; shorter
	// requests are raised to it. 0 means one millisecond.
	MinSampleInterval time.Duration
	// Now gives sample timestamps and drives rate-based counters; nil means
	// time.Now.
	Now func() time.Time
	// ServerOptions are added to the gRPC server's options, for example a
	// keepalive enforcement policy.
	ServerOptions []grpc.ServerOption
	// Logger receives debug logs of streams; nil discards.
	Logger *slog.Logger
}

// Target is a running gNMI target. Create it with [New]; stop it with
// [Target.Close].
type Target struct {
	cfg    Config
	logger *slog.Logger
	addr   string // the bound address, kept for Restart

	mu       sync.Mutex
	ifaces   map[string]*iface
	stalled  bool
	changed  chan struct{} // closed and replaced whenever an interface changes
	streams  map[*stream]struct{}
	requests []*gpb.SubscribeRequest
	srv      *grpc.Server // nil while stopped
	closed   bool
	serving  sync.WaitGroup
}

// ErrClosed is returned by Restart after Close.
var ErrClosed = errors.New("target: closed")

// New starts a target listening on cfg.Address.
func New(cfg Config) (*Target, error) {
	if cfg.Address == "" {
		cfg.Address = "127.0.0.1:0"
	}
	if cfg.DefaultSampleInterval <= 0 {
		cfg.DefaultSampleInterval = time.Second
	}
	if cfg.MinSampleInterval <= 0 {
		cfg.MinSampleInterval = time.Millisecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	t := &Target{
		cfg:     cfg,
		logger:  logger,
		ifaces:  map[string]*iface{},
		changed: make(chan struct{}),
		streams: map[*stream]struct{}{},
	}
	lis, err := net.Listen("tcp", cfg.Address)
	if err != nil {
		return nil, fmt.Errorf("target: listen on %s: %w", cfg.Address, err)
	}
	t.addr = lis.Addr().String()
	t.mu.Lock()
	t.serve(lis)
	t.mu.Unlock()
	return t, nil
}

// Addr returns the address the target listens on, as "127.0.0.1:port".
func (t *Target) Addr() string { return t.addr }

// serve starts a gRPC server on lis; t.mu must be held.
func (t *Target) serve(lis net.Listener) {
	opts := append([]grpc.ServerOption{}, t.cfg.ServerOptions...)
	if t.cfg.TLS != nil {
		opts = append(opts, grpc.Creds(credentials.NewTLS(t.cfg.TLS)))
	}
	if t.cfg.Username != "" {
		opts = append(opts,
			grpc.ChainUnaryInterceptor(t.authUnary),
			grpc.ChainStreamInterceptor(t.authStream))
	}
	srv := grpc.NewServer(opts...)
	gpb.RegisterGNMIServer(srv, &service{t: t})
	t.srv = srv
	t.serving.Add(1)
	go func() {
		defer t.serving.Done()
		// Serve returns when the server is stopped; nothing to report.
		_ = srv.Serve(lis)
	}()
}

// Stop stops serving, as a router that goes away: open streams end and new
// connections are refused. Interface state is kept; see [Target.Restart].
func (t *Target) Stop() {
	t.mu.Lock()
	srv := t.srv
	t.srv = nil
	t.mu.Unlock()
	if srv != nil {
		srv.Stop()
	}
	t.serving.Wait()
}

// Restart serves again on the address the target first bound, after
// [Target.Stop]. It does not reset counters: call [Target.ResetCounters]
// first to emulate a reboot. Restarting a running target is a no-op.
func (t *Target) Restart() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return ErrClosed
	}
	if t.srv != nil {
		return nil
	}
	lis, err := net.Listen("tcp", t.addr)
	if err != nil {
		return fmt.Errorf("target: listen on %s: %w", t.addr, err)
	}
	t.serve(lis)
	return nil
}

// Close stops the target for good. It is safe to call more than once.
func (t *Target) Close() {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	t.Stop()
}

// Stall makes every stream silent (on=true) while keeping it open, as a
// wedged telemetry process does, or resumes sending (on=false).
func (t *Target) Stall(on bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stalled = on
}

// Subscribers returns the number of open Subscribe streams.
func (t *Target) Subscribers() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.streams)
}

// Requests returns copies of the Subscribe requests received so far.
func (t *Target) Requests() []*gpb.SubscribeRequest {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]*gpb.SubscribeRequest, len(t.requests))
	for i, r := range t.requests {
		out[i] = proto.Clone(r).(*gpb.SubscribeRequest)
	}
	return out
}

// Send delivers n, unchanged except for prefix.target when the stream's
// request set one, to every open STREAM subscription, even while stalled.
// It reports how many streams it reached; a stream whose queue is full is
// skipped. Use it to replay recorded notifications or to send timestamps
// out of order.
func (t *Target) Send(n *gpb.Notification) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	sent := 0
	for s := range t.streams {
		select {
		case s.inject <- n:
			sent++
		default:
		}
	}
	return sent
}

// WaitSubscribers blocks until at least n streams are open or ctx is done.
func (t *Target) WaitSubscribers(ctx context.Context, n int) error {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for t.Subscribers() < n {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// notifyLocked wakes ON_CHANGE streams; t.mu must be held.
func (t *Target) notifyLocked() {
	close(t.changed)
	t.changed = make(chan struct{})
}
