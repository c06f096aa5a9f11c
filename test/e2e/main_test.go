package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binDir holds the binaries built for this test run.
var binDir string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "altosdn-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command("go", "build", "-o", dir+string(os.PathSeparator), "../../cmd/altod", "../../cmd/altoctl")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building binaries:", err)
		return 1
	}
	binDir = dir
	return m.Run()
}

// daemon is a running altod.
type daemon struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port

	mu   sync.Mutex
	logs bytes.Buffer
	done chan error
}

// startDaemon writes config (YAML, without the http and log sections, which
// it adds) and starts altod; it returns once the daemon serves HTTP.
func startDaemon(t *testing.T, config string) *daemon {
	t.Helper()
	return startDaemonHTTP(t, "", config)
}

// startDaemonHTTP is startDaemon with more settings for the http section
// (a YAML flow mapping's members, e.g. "updates: {queue_changes: 2}").
func startDaemonHTTP(t *testing.T, httpExtra, config string) *daemon {
	t.Helper()
	cfgPath := filepath.Join(t.TempDir(), "altod.yaml")
	if httpExtra != "" {
		httpExtra = ", " + httpExtra
	}
	full := "log: {format: json, level: debug}\nhttp: {listen: \"127.0.0.1:0\", shutdown_delay: 100ms, shutdown_timeout: 5s" + httpExtra + "}\n" + config
	if err := os.WriteFile(cfgPath, []byte(full), 0o644); err != nil {
		t.Fatal(err)
	}
	d := &daemon{cmd: exec.Command(filepath.Join(binDir, "altod"), "-config", cfgPath), done: make(chan error, 1)}
	stderr, err := d.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Bytes()
			d.mu.Lock()
			d.logs.Write(line)
			d.logs.WriteByte('\n')
			d.mu.Unlock()
			var rec struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal(line, &rec) == nil && rec.Msg == "http serving" {
				addr <- rec.Addr
			}
		}
		d.done <- d.cmd.Wait()
	}()
	t.Cleanup(func() {
		if d.cmd.ProcessState == nil {
			_ = d.cmd.Process.Kill()
			<-d.done
		}
		if t.Failed() {
			t.Logf("altod logs:\n%s", d.Logs())
		}
	})
	select {
	case a := <-addr:
		d.base = "http://" + a
	case err := <-d.done:
		t.Fatalf("altod exited before serving: %v\n%s", err, d.Logs())
	case <-time.After(30 * time.Second):
		t.Fatalf("altod did not start serving\n%s", d.Logs())
	}
	return d
}

// Logs returns what the daemon has logged so far.
func (d *daemon) Logs() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.logs.String()
}

// waitReady polls /readyz until it answers 200.
func (d *daemon) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(d.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("altod never became ready\n%s", d.Logs())
}

// stop sends SIGTERM and expects a clean exit.
func (d *daemon) stop(t *testing.T) {
	t.Helper()
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-d.done:
		if err != nil {
			t.Errorf("altod exited with %v after SIGTERM; want 0\n%s", err, d.Logs())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("altod did not exit after SIGTERM\n%s", d.Logs())
	}
}

// get fetches a URL and returns status, Content-Type and body.
func get(t *testing.T, url, accept string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

// altoctl runs the CLI against the daemon and returns its stdout.
func altoctl(t *testing.T, d *daemon, args ...string) string {
	t.Helper()
	cmd := exec.Command(filepath.Join(binDir, "altoctl"), append([]string{"-server", d.base + "/directory"}, args...)...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("altoctl %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.String()
}
