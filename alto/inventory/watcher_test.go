package inventory

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// write replaces the file and moves its modification time on, so a poll
// sees the change even within the file system's timestamp granularity.
func write(t *testing.T, path, content string, step int) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	mt := time.Now().Add(time.Duration(step) * time.Second)
	if err := os.Chtimes(path, mt, mt); err != nil {
		t.Fatal(err)
	}
}

func site(w *Watcher, pid string) any { return w.Current().PIDs[pid]["site"] }

func TestWatcherReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inventory.yaml")
	write(t, path, "pids:\n  a: {site: one}\n", 0)
	var logs bytes.Buffer
	cfg := DefaultConfig()
	cfg.File = path
	w, err := New(cfg, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if site(w, "a") != "one" {
		t.Fatalf("site %v after load", site(w, "a"))
	}
	first := w.Current()

	if w.Poll() {
		t.Error("an unchanged file counted as a change")
	}
	write(t, path, "pids:\n  a: {site: two}\n", 1)
	if !w.Poll() || site(w, "a") != "two" {
		t.Fatalf("site %v after a reload", site(w, "a"))
	}
	if first.PIDs["a"]["site"] != "one" {
		t.Error("a reload modified the previous inventory")
	}

	// A bad file is rejected: the last good inventory stays, the status
	// and the log say why, once.
	write(t, path, "pids:\n  a: {gpu: 1}\n", 2)
	if w.Poll() || site(w, "a") != "two" {
		t.Fatalf("site %v after a bad file", site(w, "a"))
	}
	write(t, path, "pids:\n  a: {gpu: 1}\n", 3) // touched, same content
	w.Poll()
	if st := w.Status(); !strings.Contains(st.LastError, `property "gpu" is not declared`) || st.Digest == "" {
		t.Errorf("status %+v", st)
	}
	if n := strings.Count(logs.String(), "inventory file rejected"); n != 1 {
		t.Errorf("rejection logged %d times; want 1:\n%s", n, logs.String())
	}

	// A missing file keeps the inventory too; its return is picked up.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if w.Poll() || site(w, "a") != "two" {
		t.Fatal("a missing file changed the inventory")
	}
	write(t, path, "pids:\n  a: {site: three}\n", 4)
	if !w.Poll() || site(w, "a") != "three" || w.Status().LastError != "" {
		t.Fatalf("site %v, status %+v after the file came back", site(w, "a"), w.Status())
	}
}

func TestWatcherStartup(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	write(t, bad, "prefixes:\n  10.0.0.1/8: {}\n", 0)
	cfg := DefaultConfig()
	cfg.File = bad
	if _, err := New(cfg, nil); err == nil || !strings.Contains(err.Error(), "bad.yaml: line 2: prefixes.10.0.0.1/8: 10.0.0.1/8 has host bits set") {
		t.Errorf("bad file at startup: %v", err)
	}
	cfg.File = filepath.Join(dir, "missing.yaml")
	if _, err := New(cfg, nil); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file at startup: %v", err)
	}
	cfg.File = ""
	w, err := New(cfg, nil)
	if err != nil || w.Current().Entities() != 0 {
		t.Fatalf("no file: %v", err)
	}
	// Without a file Run just waits.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
}

func TestWatcherRunPolls(t *testing.T) {
	path := filepath.Join(t.TempDir(), "inventory.yaml")
	write(t, path, "pids:\n  a: {site: one}\n", 0)
	cfg := DefaultConfig()
	cfg.File, cfg.PollInterval = path, time.Millisecond
	w, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	write(t, path, "pids:\n  a: {site: two}\n", 1)
	deadline := time.Now().Add(10 * time.Second)
	for site(w, "a") != "two" && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Error(err)
	}
	if site(w, "a") != "two" {
		t.Error("Run never picked up the change")
	}
}
