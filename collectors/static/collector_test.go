package static

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/collectortest"
	"github.com/altosdn/altosdn/topology"
)

// receive waits for the next update.
func receive(t *testing.T, ch <-chan topology.Update) topology.Update {
	t.Helper()
	select {
	case u := <-ch:
		return u
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting for an update")
		return topology.Update{}
	}
}

const (
	twoNodes = `nodes:
  - {id: a, prefixes: [10.0.1.0/24]}
  - {id: b, prefixes: [10.0.2.0/24]}
links:
  - {from: a, to: b, metric: 10}
`
	threeNodes = `nodes:
  - {id: a, prefixes: [10.0.1.0/24]}
  - {id: b, prefixes: [10.0.2.0/24]}
  - {id: c, prefixes: [10.0.3.0/24]}
links:
  - {from: a, to: b, metric: 10}
  - {from: b, to: c, metric: 5}
`
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runCollector starts Run and returns the update channel and a channel that
// yields Run's result.
func runCollector(t *testing.T, c *Collector) (<-chan topology.Update, <-chan error) {
	t.Helper()
	ctx := t.Context()
	out := make(chan topology.Update)
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx, out) }()
	t.Cleanup(func() {
		// t.Context is cancelled just before cleanups run.
		if err := <-done; err != nil {
			t.Errorf("Run() = %v, want nil", err)
		}
	})
	return out, done
}

func TestCollectorDemo(t *testing.T) {
	logger, logs := collectortest.Logger(t)
	c, err := New(DefaultConfig(), logger)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != "static" {
		t.Errorf("Name() = %q", c.Name())
	}
	if c.Ready() {
		t.Error("Ready() before the first send")
	}
	out, _ := runCollector(t, c)
	u := receive(t, out)
	if u.Op != topology.OpReplace || u.Source != topology.SourceStatic || len(u.Nodes) != 11 || len(u.Links) != 28 {
		t.Errorf("update %s from %s with %d nodes, %d links", u.Op, u.Source, len(u.Nodes), len(u.Links))
	}
	collectortest.WaitFor(t, "Ready", c.Ready)
	for _, want := range []string{"built-in demo network", "synthetic"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs do not mention %q", want)
		}
	}
}

func TestCollectorReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "topo.yaml")
	writeFile(t, path, twoNodes)
	logger, logs := collectortest.Logger(t)
	cfg := DefaultConfig()
	cfg.File, cfg.ReloadInterval = path, 10*time.Millisecond
	c, err := New(cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := runCollector(t, c)

	if u := receive(t, out); len(u.Nodes) != 2 || len(u.Links) != 2 {
		t.Fatalf("first update: %d nodes, %d links; want 2, 2", len(u.Nodes), len(u.Links))
	}
	collectortest.WaitFor(t, "Ready", c.Ready)

	// A changed file that parses is sent whole.
	writeFile(t, path, threeNodes)
	if u := receive(t, out); u.Op != topology.OpReplace || len(u.Nodes) != 3 || len(u.Links) != 4 {
		t.Fatalf("reload: %s with %d nodes, %d links; want replace with 3, 4", u.Op, len(u.Nodes), len(u.Links))
	}

	// A broken rewrite is logged and nothing is sent.
	writeFile(t, path, twoNodes+"  - {from: a, to: nowhere}\n")
	collectortest.WaitFor(t, "the rejection to be logged", func() bool {
		return strings.Contains(logs.String(), "topology file rejected")
	})
	if !strings.Contains(logs.String(), `unknown node \"nowhere\"`) {
		t.Error("the warning does not carry the parse error")
	}
	select {
	case u := <-out:
		t.Fatalf("broken file sent an update with %d nodes", len(u.Nodes))
	default:
	}

	// Fixing the file resumes updates.
	writeFile(t, path, twoNodes)
	if u := receive(t, out); len(u.Nodes) != 2 {
		t.Fatalf("after the fix: %d nodes, want 2", len(u.Nodes))
	}
}

func TestCollectorFileRemoved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "topo.yaml")
	writeFile(t, path, twoNodes)
	logger, logs := collectortest.Logger(t)
	cfg := DefaultConfig()
	cfg.File, cfg.ReloadInterval = path, 10*time.Millisecond
	c, err := New(cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := runCollector(t, c)
	receive(t, out)
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	collectortest.WaitFor(t, "the missing file to be logged", func() bool {
		return strings.Contains(logs.String(), "topology file unreadable")
	})
	// The file comes back with new content, which is sent.
	writeFile(t, path, threeNodes)
	if u := receive(t, out); len(u.Nodes) != 3 {
		t.Fatalf("after restore: %d nodes, want 3", len(u.Nodes))
	}
	if n := strings.Count(logs.String(), "topology file unreadable"); n != 1 {
		t.Errorf("unreadable file logged %d times, want once", n)
	}
}

func TestCollectorNoReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "topo.yaml")
	writeFile(t, path, twoNodes)
	cfg := DefaultConfig()
	cfg.File, cfg.ReloadInterval = path, 0
	c, err := New(cfg, nil) // nil logger discards
	if err != nil {
		t.Fatal(err)
	}
	out, _ := runCollector(t, c)
	receive(t, out)
	writeFile(t, path, threeNodes)
	select {
	case <-out:
		t.Fatal("reload_interval 0 still reloaded")
	case <-time.After(50 * time.Millisecond):
	}
}

func TestCollectorStopsBeforeSend(t *testing.T) {
	c, err := New(DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := c.Run(ctx, make(chan topology.Update)); err != nil {
		t.Errorf("Run() = %v, want nil", err)
	}
	if c.Ready() {
		t.Error("Ready() without a send")
	}
}

func TestNewErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, bad, twoNodes+"  - {from: a, to: xyz}\n")
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"invalid config", Config{Format: "x"}, `static: format: unknown format "x"`},
		{"missing file", Config{File: filepath.Join(dir, "nope.yaml")}, "static: stat "},
		{"directory", Config{File: dir}, "is a directory"},
		{"bad file", Config{File: bad}, `static: ` + bad + `:6: link a->xyz: unknown node "xyz"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := New(tc.cfg, nil)
			if c != nil {
				t.Error("New returned a collector with an error")
			}
			wantErr(t, err, tc.want)
		})
	}
}
