// Command altod is the altosdn daemon: it collects the network's topology,
// derives ALTO maps from it and serves them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sync/errgroup"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/alto/httpapi"
	"github.com/altosdn/altosdn/topology"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintf(os.Stderr, "altod: %v\n", err)
		os.Exit(1)
	}
}

// run is main without os.Exit, so tests can call it.
func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("altod", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "path to the YAML config file (default: built-in defaults)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *showVersion {
		fmt.Fprintln(stderr, "altod", version)
		return nil
	}
	cfg, err := LoadConfig(*configPath)
	if err != nil {
		return err
	}
	logger, err := newLogger(stderr, cfg.Log)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	// Everything is constructed before anything runs, so a bad topology file
	// or an unresolvable directory stops the daemon before it serves.
	store := topology.NewStore(cfg.Topology, logger.With("component", "topology"))
	engine, err := alto.NewEngine(cfg.ALTO, store, logger.With("component", "alto"))
	if err != nil {
		return err
	}
	cols, err := newCollectors(cfg.Collectors, store, logger)
	if err != nil {
		return err
	}
	// Ready once every collector has delivered its initial view and the maps
	// reflect a published topology rather than the empty start-up graph.
	ready := func() bool {
		m := engine.Current()
		return cols.ready() && m != nil && (m.Generation > 0 || len(cols) == 0)
	}
	// The inventory and the link history feed property maps and calendars.
	planning, err := newPlanningParts(cfg.ALTO, store, logger)
	if err != nil {
		return err
	}
	engine.SetPlanning(planning.planning)
	httpSrv, err := httpapi.New(cfg.HTTP, cfg.ALTO, engine, ready, logger.With("component", "http"))
	if err != nil {
		return err
	}

	httpSrv.SetStatus(statusFunc(cols, store, engine, planning, ready))
	emu, err := newEmulator(cfg.Emulator, logger)
	if err != nil {
		return err
	}

	updates := make(chan topology.Update, cfg.Topology.UpdateBuffer)
	grpcSrv, err := newGRPCServer(cfg, engine, store, updates, cols, logger)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return store.Run(ctx, updates) })
	g.Go(func() error { return engine.Run(ctx) })
	for _, c := range cols {
		g.Go(func() error { return c.Run(ctx, updates) })
	}
	g.Go(func() error { return httpSrv.Run(ctx) })
	if emu != nil {
		g.Go(func() error { return emu.Run(ctx) })
	}
	g.Go(func() error { return httpSrv.Updates().Run(ctx) })
	for _, run := range planning.runners {
		g.Go(func() error { return run(ctx) })
	}
	if grpcSrv != nil {
		g.Go(func() error { return grpcSrv.Run(ctx) })
	}

	logger.Info("altod started", "version", version, "config", *configPath, "collectors", cols.names())
	err = g.Wait()
	if err != nil {
		logger.Error("altod stopped", "err", err)
		return err
	}
	logger.Info("altod stopped")
	return nil
}
