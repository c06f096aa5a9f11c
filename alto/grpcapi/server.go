package grpcapi

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/collectors"
	altov1 "github.com/altosdn/altosdn/proto/alto/v1"
	"github.com/altosdn/altosdn/topology"
)

// MapSource gives the current maps and a channel closed when newer ones are
// published; *alto.Engine is one.
type MapSource interface {
	Watch() (*alto.Maps, <-chan struct{})
}

// TopologySource describes the topology store; *topology.Store is one.
type TopologySource interface {
	Snapshot() *topology.Graph
	Stats() topology.Stats
}

// Deps are what the server reads from and writes to.
type Deps struct {
	// ALTO is the map configuration; it says which resources exist.
	ALTO alto.Config
	Maps MapSource
	// Topology may be nil; the status then has no topology section.
	Topology TopologySource
	// Updates receives pushed topology. It is the channel every collector
	// sends on; the server never closes it.
	Updates chan<- topology.Update
	// Collectors reports the other topology sources; nil reports none.
	Collectors func() []collectors.Status
	// Version is the daemon's version, for the status.
	Version string
}

// Server implements altov1.AltoServiceServer.
type Server struct {
	altov1.UnimplementedAltoServiceServer

	cfg       Config
	deps      Deps
	logger    *slog.Logger
	resources []alto.Resource
	push      *pushStatus

	// runDone is the run context's Done channel, set by Serve: streams
	// select on it so that shutdown never waits on a watch or a full
	// update channel.
	runDone atomic.Pointer[<-chan struct{}]
	addr    atomic.Pointer[net.TCPAddr]
}

var _ altov1.AltoServiceServer = (*Server)(nil)

// New checks the configuration and builds the server. A nil logger discards.
func New(cfg Config, deps Deps, logger *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("grpc: %w", err)
	}
	if deps.Maps == nil || deps.Updates == nil && cfg.Push.Enabled {
		return nil, fmt.Errorf("grpc: a map source and, with the push enabled, an update channel are required")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, deps: deps, logger: logger, resources: deps.ALTO.Resources(), push: newPushStatus()}
	return s, nil
}

// Register adds the service to g; Run does this itself, tests may use it to
// serve on a listener of their own.
func (s *Server) Register(g *grpc.Server) { altov1.RegisterAltoServiceServer(g, s) }

// Addr returns the address the server listens on once Run has bound it.
func (s *Server) Addr() *net.TCPAddr { return s.addr.Load() }

// Run serves until ctx is done, then stops gracefully: in-flight unary
// calls finish and open streams (watches, pushes) are ended, within
// ShutdownTimeout, after which the server stops hard. It returns nil on a
// clean stop.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("grpc: listen on %s: %w", s.cfg.Listen, err)
	}
	return s.Serve(ctx, ln)
}

// Serve is Run on a listener the caller opened.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if a, ok := ln.Addr().(*net.TCPAddr); ok {
		s.addr.Store(a)
	}
	done := ctx.Done()
	s.runDone.Store(&done)
	g := grpc.NewServer(grpc.MaxRecvMsgSize(s.cfg.MaxRecvMessageBytes))
	s.Register(g)
	errc := make(chan error, 1)
	go func() { errc <- g.Serve(ln) }()
	s.logger.Info("grpc serving", "addr", ln.Addr().String(), "push", s.cfg.Push.Enabled)

	select {
	case err := <-errc:
		return fmt.Errorf("grpc: serve: %w", err)
	case <-ctx.Done():
	}
	// Streams see ctx done through runDone and return, so GracefulStop
	// only waits for calls in flight.
	stopped := make(chan struct{})
	go func() { g.GracefulStop(); close(stopped) }()
	t := time.NewTimer(s.cfg.ShutdownTimeout)
	defer t.Stop()
	select {
	case <-stopped:
	case <-t.C:
		s.logger.Warn("grpc graceful stop timed out; closing connections", "timeout", s.cfg.ShutdownTimeout)
		g.Stop()
		<-stopped
	}
	if err := <-errc; err != nil && err != grpc.ErrServerStopped {
		return fmt.Errorf("grpc: serve: %w", err)
	}
	return nil
}

// stopping returns a channel closed when the server shuts down (never
// closed when the server was not started by Run or Serve).
func (s *Server) stopping() <-chan struct{} {
	if p := s.runDone.Load(); p != nil {
		return *p
	}
	return nil
}
