package history

import (
	"bytes"
	"context"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	"go.uber.org/goleak"

	"github.com/altosdn/altosdn/topology"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// line is a two-node graph with one link a->b carrying the given metrics.
func line(t *testing.T, ms topology.Metrics) *topology.Graph {
	t.Helper()
	var nodes []topology.Node
	for _, n := range []string{"a", "b"} {
		k := topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: n}
		nodes = append(nodes, topology.Node{ID: k.ID(), Key: k, Name: n})
	}
	k := topology.LinkKey{Local: nodes[0].ID, Remote: nodes[1].ID}
	g, err := topology.NewGraph(nodes, []topology.Link{{ID: k.ID(), Key: k, Metrics: ms}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func metrics(delay, avail float64) topology.Metrics {
	return topology.Metrics{}.
		With(topology.MetricIGP, 10, "test").
		With(topology.MetricDelay, delay, "test").
		With(topology.MetricAvailableBandwidth, avail, "test")
}

var (
	monday = time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)
	linkAB = topology.LinkKey{Local: topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: "a"}.ID(),
		Remote: topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: "b"}.ID()}.ID()
)

func logTo(buf *bytes.Buffer) *slog.Logger { return slog.New(slog.NewTextHandler(buf, nil)) }

func newRecorder(t *testing.T, path string, logs *bytes.Buffer) *Recorder {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Path = path
	cfg.Retention = 21 * 24 * time.Hour
	r, err := New(cfg, nil, logTo(logs))
	if err != nil {
		t.Fatal(err)
	}
	r.now = func() time.Time { return monday.Add(30 * 24 * time.Hour) }
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// record stores one sample per (offset, delay, avail) triple.
func record(t *testing.T, r *Recorder, at time.Time, delay, avail float64) {
	t.Helper()
	if err := r.Record(at, line(t, metrics(delay, avail))); err != nil {
		t.Fatal(err)
	}
}

func TestMeans(t *testing.T) {
	for _, backend := range []string{"memory", "file"} {
		t.Run(backend, func(t *testing.T) {
			path := ""
			if backend == "file" {
				path = filepath.Join(t.TempDir(), "history.db")
			}
			var logs bytes.Buffer
			r := newRecorder(t, path, &logs)
			// Two Mondays 09:00-10:00 with samples at :00 and :30, one
			// sample outside the window, and a Tuesday.
			record(t, r, monday.Add(9*time.Hour), 100, 8e9)
			record(t, r, monday.Add(9*time.Hour+30*time.Minute), 200, 6e9)
			record(t, r, monday.Add(10*time.Hour), 999, 1)
			record(t, r, monday.Add(7*24*time.Hour+9*time.Hour), 300, 4e9)
			record(t, r, monday.Add(24*time.Hour+9*time.Hour), 555, 1)

			starts := []time.Time{monday.Add(9 * time.Hour), monday.Add(7*24*time.Hour + 9*time.Hour)}
			got, err := r.Means(starts, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			ms, ok := got[linkAB]
			if !ok || len(got) != 1 {
				t.Fatalf("means %v; want one link", got)
			}
			if d, _ := ms.Get(topology.MetricDelay); d != 200 { // (100+200+300)/3
				t.Errorf("mean delay %v; want 200", d)
			}
			if a, _ := ms.Get(topology.MetricAvailableBandwidth); a != 6e9 {
				t.Errorf("mean available bandwidth %v; want 6e9", a)
			}
			if _, ok := ms.Get(topology.MetricIGP); ok {
				t.Error("the IGP metric is configuration, not history")
			}
			if ms[topology.MetricDelay].Source != SourceHistory {
				t.Errorf("source %q", ms[topology.MetricDelay].Source)
			}
			if none, _ := r.Means([]time.Time{monday.Add(3 * time.Hour)}, time.Hour); len(none) != 0 {
				t.Errorf("an empty window gave %v", none)
			}
			if st := r.Stats(); st.Samples != 5 || st.Links != 1 || st.Backend != backend || !st.Oldest.Equal(monday.Add(9*time.Hour)) {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func TestRetention(t *testing.T) {
	var logs bytes.Buffer
	r := newRecorder(t, filepath.Join(t.TempDir(), "h.db"), &logs)
	for d := range 30 {
		record(t, r, monday.Add(time.Duration(d)*24*time.Hour), float64(d), 1)
	}
	st := r.Stats()
	// Retention is 21 days: the sample of day 29 keeps days 8..29.
	if st.Samples != 22 || !st.Oldest.Equal(monday.Add(8*24*time.Hour)) {
		t.Errorf("after pruning: %+v", st)
	}
}

func TestHistorySurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "history.db") // the directory is created
	var logs bytes.Buffer
	r := newRecorder(t, path, &logs)
	record(t, r, monday, 100, 1e9)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	r2 := newRecorder(t, path, &logs)
	got, err := r2.Means([]time.Time{monday}, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	ms := got[linkAB]
	if d, _ := ms.Get(topology.MetricDelay); d != 100 {
		t.Errorf("after a restart: %v", got)
	}
	// New links after a restart get new indices; old ones keep theirs.
	record(t, r2, monday.Add(time.Hour), 50, 1e9)
	if st := r2.Stats(); st.Links != 1 || st.Samples != 2 || st.Backend != "file" {
		t.Errorf("stats %+v", st)
	}
	if !strings.Contains(logs.String(), "samples=1") {
		t.Errorf("the reopening was not logged with its samples:\n%s", logs.String())
	}
}

func TestCorruptStoreStartsEmpty(t *testing.T) {
	foreign := func(t *testing.T, path string) {
		db, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		err = db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucket([]byte("something-else"))
			if err != nil {
				return err
			}
			return b.Put([]byte("k"), []byte("v"))
		})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, path string)
	}{
		{"garbage", func(t *testing.T, path string) {
			if err := os.WriteFile(path, bytes.Repeat([]byte("not a database "), 2000), 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"truncated", func(t *testing.T, path string) {
			var logs bytes.Buffer
			r := newRecorder(t, path, &logs)
			record(t, r, monday, 1, 1)
			r.Close()
			if err := os.Truncate(path, 1024); err != nil {
				t.Fatal(err)
			}
		}},
		{"another application's database", foreign},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "history.db")
			tc.setup(t, path)
			var logs bytes.Buffer
			r := newRecorder(t, path, &logs)
			if st := r.Stats(); st.Samples != 0 || st.Backend != "file" {
				t.Errorf("stats %+v; want an empty file store", st)
			}
			if !strings.Contains(logs.String(), "moved aside") {
				t.Errorf("no log of the corrupt store:\n%s", logs.String())
			}
			aside, _ := filepath.Glob(path + ".corrupt-*")
			if len(aside) != 1 {
				t.Errorf("moved-aside files %v; want one", aside)
			}
			// The new store works and persists.
			record(t, r, monday, 7, 1)
			r.Close()
			r2 := newRecorder(t, path, &logs)
			if st := r2.Stats(); st.Samples != 1 {
				t.Errorf("after reopening the new store: %+v", st)
			}
		})
	}
}

func TestUnusableStoreFallsBackToMemory(t *testing.T) {
	dir := t.TempDir()
	// A path under a regular file can never be created, even by root.
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	r := newRecorder(t, filepath.Join(blocker, "history.db"), &logs)
	if r.Stats().Backend != "memory" || !strings.Contains(logs.String(), "store unavailable") {
		t.Errorf("backend %s; logs:\n%s", r.Stats().Backend, logs.String())
	}
	record(t, r, monday, 1, 1)
	if r.Stats().Samples != 1 {
		t.Error("the memory fallback does not record")
	}

	// A store another process holds is left alone.
	path := filepath.Join(dir, "held.db")
	held := newRecorder(t, path, &logs)
	record(t, held, monday, 1, 1)
	logs.Reset()
	other := newRecorder(t, path, &logs)
	if other.Stats().Backend != "memory" || !strings.Contains(logs.String(), "locked by another process") {
		t.Errorf("second opener: backend %s; logs:\n%s", other.Stats().Backend, logs.String())
	}
	if aside, _ := filepath.Glob(path + ".corrupt-*"); len(aside) != 0 {
		t.Error("a locked store was moved aside")
	}
}

func TestRunSamples(t *testing.T) {
	var logs bytes.Buffer
	cfg := DefaultConfig()
	r, err := New(cfg, fixedSource{line(t, metrics(5, 1))}, logTo(&logs))
	if err != nil {
		t.Fatal(err)
	}
	r.cfg.SampleInterval = time.Millisecond // below what Validate allows, for speed
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for r.Stats().Samples < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if r.Stats().Samples < 3 {
		t.Errorf("Run took %d samples", r.Stats().Samples)
	}
}

type fixedSource struct{ g *topology.Graph }

func (f fixedSource) Snapshot() *topology.Graph { return f.g }

func TestSampleEncoding(t *testing.T) {
	ms := metrics(123.5, 1e10).With(topology.MetricLoss, 0.25, "test")
	b := appendLink([]byte{sampleFormat}, 300, &ms)
	var got []float64
	err := decodeSample(b, func(idx uint32, mask byte, vals *[len(recorded)]float64) {
		if idx != 300 {
			t.Errorf("index %d", idx)
		}
		for i := range recorded {
			if mask&(1<<i) != 0 {
				got = append(got, vals[i])
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{123.5, 0.25, 1e10} // recorded order: delay, loss, available
	for i := range want {
		if i >= len(got) || math.Abs(got[i]-want[i]) > want[i]*1e-7 {
			t.Fatalf("decoded %v; want %v", got, want)
		}
	}
	for cut := 1; cut < len(b); cut++ {
		if decodeSample(b[:cut], func(uint32, byte, *[len(recorded)]float64) {}) == nil && cut > 1 {
			t.Errorf("a sample cut at %d bytes decoded", cut)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{DefaultConfig(), ""},
		{Config{SampleInterval: time.Millisecond, Retention: time.Hour}, "sample_interval: must be at least 1s"},
		{Config{SampleInterval: time.Hour, Retention: time.Minute}, "retention: must be at least sample_interval"},
		{Config{SampleInterval: time.Second, Retention: 1000 * time.Hour}, "more than 1048576 samples"},
	}
	for _, tc := range tests {
		err := tc.cfg.Validate()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: got %v; want %q", tc.cfg, err, tc.want)
		}
	}
}
