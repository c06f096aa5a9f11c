package alto

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/altosdn/altosdn/topology"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeSource publishes graphs on demand, like topology.Store.
type fakeSource struct {
	mu   sync.Mutex
	g    *topology.Graph
	next chan struct{}
}

func newFakeSource(g *topology.Graph) *fakeSource {
	return &fakeSource{g: g, next: make(chan struct{})}
}

func (f *fakeSource) Watch() (*topology.Graph, <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.g, f.next
}

func (f *fakeSource) publish(g *topology.Graph) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.g = g
	close(f.next)
	f.next = make(chan struct{})
}

func TestEngineCoalescesBursts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		store := topology.NewStore(topology.DefaultConfig(), nil)
		src := newFakeSource(store.Snapshot())
		cfg := DefaultConfig()
		cfg.RecomputeMinInterval = 2 * time.Second
		e, err := NewEngine(cfg, src, nil)
		if err != nil {
			t.Fatal(err)
		}
		if e.Current() != nil {
			t.Fatal("maps exist before Run")
		}
		go func() { _ = e.Run(ctx) }()
		synctest.Wait()
		if e.Current() == nil {
			t.Fatal("no maps after the first computation")
		}

		publications := 0
		go func() {
			for {
				_, ch := e.Watch()
				select {
				case <-ch:
					publications++
				case <-ctx.Done():
					return
				}
			}
		}()
		// 100 topology changes over one second.
		for i := range 100 {
			name := string(rune('a'+i%26)) + string(rune('a'+i/26))
			store.Apply(topology.Update{Source: "s", Nodes: []topology.Node{{ID: topology.NodeID(name), Name: name}},
				Prefixes: []topology.Prefix{{Node: topology.NodeID(name), Prefix: prefixFor(i)}}})
			store.Flush()
			src.publish(store.Snapshot())
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(5 * time.Second)
		synctest.Wait()
		m := e.Current()
		if m.Generation != store.Snapshot().Generation() || len(m.NetworkMap.PIDs) != 101 {
			t.Errorf("maps at generation %d with %d PIDs; want generation %d with 101", m.Generation, len(m.NetworkMap.PIDs), store.Snapshot().Generation())
		}
		if publications < 1 || publications > 2 {
			t.Errorf("%d computations for a 1s burst with a 2s minimum interval; want 1 or 2", publications)
		}
		cancel()
		synctest.Wait()
	})
}

func TestEngineReusesUnchangedResources(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		g := ecmpNet().graph(t)
		src := newFakeSource(g)
		cfg := DefaultConfig()
		e, _ := NewEngine(cfg, src, nil)
		go func() { _ = e.Run(ctx) }()
		synctest.Wait()
		first := e.Current()

		// Same content, new snapshot: every resource is carried over as is.
		src.publish(ecmpNet().graph(t))
		time.Sleep(cfg.RecomputeMinInterval)
		synctest.Wait()
		second := e.Current()
		if second == first {
			t.Fatal("no recomputation after a new snapshot")
		}
		if second.NetworkMap != first.NetworkMap {
			t.Error("unchanged network map was replaced")
		}
		for i := range first.CostMaps {
			if second.CostMaps[i] != first.CostMaps[i] {
				t.Errorf("unchanged %s was replaced", first.CostMaps[i].ResourceID)
			}
		}
		cancel()
		synctest.Wait()
	})
}

func TestNewEngineRejectsBadConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.CostTypes = []CostType{{Metric: "hopcount", Mode: "numerical"}}
	if _, err := NewEngine(cfg, newFakeSource(nil), nil); err == nil {
		t.Error("config without routingcost accepted")
	}
}
