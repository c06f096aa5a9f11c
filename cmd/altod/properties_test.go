package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/topology"
)

func TestPlanningParts(t *testing.T) {
	dir := t.TempDir()
	invPath := filepath.Join(dir, "inventory.yaml")
	if err := os.WriteFile(invPath, []byte("prefixes:\n  0.0.0.0/0: {site: everywhere}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := alto.DefaultConfig()
	cfg.Planning.Inventory.File = invPath
	cfg.Planning.History.Path = filepath.Join(dir, "history.db")
	store := topology.NewStore(topology.DefaultConfig(), nil)
	engine, err := alto.NewEngine(cfg, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := newPlanningParts(cfg, store, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if len(parts.runners) != 2 || parts.status().Inventory.Entities != 1 || parts.status().History.Backend != "file" {
		t.Fatalf("parts %+v, status %+v", parts, parts.status())
	}
	engine.SetPlanning(parts.planning)
	ctx, cancel := context.WithCancel(context.Background())
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return engine.Run(gctx) })
	for _, run := range parts.runners {
		g.Go(func() error { return run(gctx) })
	}
	src := engine
	deadline := time.Now().Add(10 * time.Second)
	for src.Current() == nil && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	m := src.Current()
	if m == nil {
		t.Fatal("no maps")
	}
	var res alto.Resource
	for _, r := range cfg.Resources() {
		if r.ID == alto.FilteredPropertyMapID {
			res = r
		}
	}
	out, err := m.FilteredPropertyMap(res, []byte(`{"entities":["ipv4:192.0.2.1"],"properties":[".site"]}`), cfg.Limits)
	if err != nil || !strings.Contains(string(out), `"ipv4:192.0.2.1":{".site":"everywhere"}`) {
		t.Errorf("%s %v", out, err)
	}
	cancel()
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}

	// A bad inventory stops the daemon at startup.
	if err := os.WriteFile(invPath, []byte("prefixes:\n  0.0.0.1/0: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := newPlanningParts(cfg, store, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "host bits set") {
		t.Errorf("bad inventory: %v", err)
	}
}
