package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/alto/updates"
)

// MapSource gives the current maps; nil until the first computation.
type MapSource interface {
	Current() *alto.Maps
}

// Server serves the ALTO resources of one engine configuration.
type Server struct {
	cfg     Config
	altoCfg alto.Config
	maps    MapSource
	ready   func() bool
	logger  *slog.Logger

	router    *gin.Engine
	resources map[string]alto.Resource
	directory *alto.Encoded
	hub       *updates.Hub
	draining  atomic.Bool
	status    atomic.Pointer[func() any]
	addr      atomic.Pointer[net.TCPAddr]
}

// New builds the server for the resources an ALTO configuration yields. ready
// reports whether the sources have delivered their initial topology; nil
// means always. It fails when the directory would not resolve.
func New(cfg Config, altoCfg alto.Config, maps MapSource, ready func() bool, logger *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("http: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if ready == nil {
		ready = func() bool { return true }
	}
	s := &Server{cfg: cfg, altoCfg: altoCfg, maps: maps, ready: ready, logger: logger, resources: map[string]alto.Resource{}}
	rs := altoCfg.Resources()
	for _, r := range rs {
		s.resources[r.ID] = r
	}
	_, dir, err := alto.NewDirectory(rs, altoCfg.NetworkMap.ResourceID, s.uri)
	if err != nil {
		return nil, fmt.Errorf("http: %w", err)
	}
	s.directory = dir
	if s.hub, err = updates.NewHub(cfg.Updates, altoCfg, maps, logger.With("part", "updates")); err != nil {
		return nil, fmt.Errorf("http: %w", err)
	}
	gin.SetMode(gin.ReleaseMode) // no debug banner; we log requests ourselves
	s.router = s.routes()
	return s, nil
}

// Updates returns the hub behind the update stream services. It must be
// run (alongside Run) for streams to open; until then they answer 503.
func (s *Server) Updates() *updates.Hub { return s.hub }

// Handler returns the server's HTTP handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.router }

// Addr returns the address the server listens on once Run has bound it.
func (s *Server) Addr() *net.TCPAddr { return s.addr.Load() }

// uri returns the URI a resource is served at, as advertised in the IRD.
func (s *Server) uri(r alto.Resource) string {
	return strings.TrimRight(s.cfg.BaseURL, "/") + resourcePath(r)
}

// Run serves until ctx is done, then fails /readyz for ShutdownDelay and
// drains in-flight requests within ShutdownTimeout. It returns nil on a clean
// stop.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("http: listen on %s: %w", s.cfg.Listen, err)
	}
	if a, ok := ln.Addr().(*net.TCPAddr); ok {
		s.addr.Store(a)
	}
	srv := &http.Server{
		Handler:           s.router,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.logger.Info("http serving", "addr", ln.Addr().String())

	select {
	case err := <-errc:
		return fmt.Errorf("http: serve: %w", err)
	case <-ctx.Done():
	}
	s.draining.Store(true)
	if s.cfg.ShutdownDelay > 0 {
		time.Sleep(s.cfg.ShutdownDelay)
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("http: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http: serve: %w", err)
	}
	return nil
}
