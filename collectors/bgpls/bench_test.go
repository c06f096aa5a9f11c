package bgpls_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/altosdn/altosdn/collectors/bgpls/speaker"
	"github.com/altosdn/altosdn/topology"
)

// largeLS builds an IS-IS L2 domain of n nodes with links/2 adjacencies
// (a ring plus random chords, both directions, fixed seed) and prefixes
// spread evenly over the nodes.
func largeLS(n, links, prefixes int) speaker.Topology {
	rng := rand.New(rand.NewPCG(1, 2))
	d := func(i int) speaker.NodeDescriptor {
		return speaker.NodeDescriptor{AS: 65001, IGPRouterID: fmt.Sprintf("0000.%04x.%04x", i>>16, i&0xffff)}
	}
	var t speaker.Topology
	for i := range n {
		t.Nodes = append(t.Nodes, speaker.Node{Protocol: l2, Descriptor: d(i), Name: fmt.Sprintf("r%d", i),
			RouterIDv4: netip.AddrFrom4([4]byte{10, 255, byte(i >> 8), byte(i)})})
	}
	seen := map[[2]int]bool{}
	for k := 0; len(t.Links) < links; k++ {
		a, b := k, (k+1)%n
		if k >= n {
			a, b = rng.IntN(n), rng.IntN(n)
		}
		if a == b || seen[[2]int{a, b}] || seen[[2]int{b, a}] {
			continue
		}
		seen[[2]int{a, b}] = true
		id := uint32(len(t.Links) + 1)
		mt := m(float64(topology.MetricIGP), float64(1+rng.IntN(100)), float64(topology.MetricTE), 10,
			float64(topology.MetricMaxBandwidth), 1e10, float64(topology.MetricDelay), float64(100+rng.IntN(5000)))
		t.Links = append(t.Links,
			speaker.Link{Protocol: l2, Local: d(a), Remote: d(b), LocalID: id, RemoteID: id + 1, Metrics: mt},
			speaker.Link{Protocol: l2, Local: d(b), Remote: d(a), LocalID: id + 1, RemoteID: id, Metrics: mt})
	}
	for i := range prefixes {
		node := i % n
		p := netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(100 + i>>16), byte(i >> 8), byte(i), 0}), 24)
		t.Prefixes = append(t.Prefixes, speaker.Prefix{Protocol: l2, Node: d(node), Prefix: p, Metric: topology.Known(float64(i%50), "")})
	}
	return t
}

// peakHeap samples the heap until stop is closed and returns the peaks
// of HeapAlloc (live and not yet collected objects) and Sys (memory
// obtained from the OS).
func peakHeap(stop <-chan struct{}) func() (uint64, uint64) {
	var peak, peakSys atomic.Uint64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			if ms.Sys > peakSys.Load() {
				peakSys.Store(ms.Sys)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() (uint64, uint64) { wg.Wait(); return peak.Load(), peakSys.Load() }
}

// BenchmarkConvergeLarge sends an LS table of 2,000 nodes, 8,000 links and
// 20,000 prefixes from an in-process GoBGP speaker over a real session and
// measures until the topology store holds all of it, prefix metrics (TLV
// 1155, read by the tap) included. The session is up
// before the clock starts, so GoBGP's connection delay is not counted.
// Peak heap covers the whole process: both GoBGP instances (each holds
// the table), the collector and the store.
func BenchmarkConvergeLarge(b *testing.B) {
	const nodes, links, prefixes = 2000, 8000, 20000
	topo := largeLS(nodes, links, prefixes)
	var secs float64
	var peak, peakSys uint64
	for range b.N {
		b.StopTimer()
		cfg := config(b)
		addr := loopback(b)
		peerFor(&cfg, addr, 65001)
		h := start(b, cfg)
		sp := h.speak(b, addr, 65001, withGR)
		runtime.GC()
		stop := make(chan struct{})
		peakOf := peakHeap(stop)
		start := time.Now()
		b.StartTimer()
		if err := sp.Advertise(topo); err != nil {
			b.Fatal(err)
		}
		converged := func() error {
			if err := h.graphHas(nodes, links, prefixes)(); err != nil {
				return err
			}
			// The prefix metrics come through the tap: wait for them too.
			for _, p := range h.store.Snapshot().Prefixes() {
				if !p.Metric.Set {
					return fmt.Errorf("prefix %s without metric", p.Prefix)
				}
			}
			return nil
		}
		var ribFull time.Duration
		for converged() != nil {
			if ribFull == 0 && h.peerStatus(addr.String()).Counters["nlri_current"] == nodes+links+prefixes {
				ribFull = time.Since(start)
			}
			if time.Since(start) > 2*time.Minute {
				b.Fatalf("not converged after 2m: %v", converged())
			}
			time.Sleep(5 * time.Millisecond)
		}
		b.StopTimer()
		secs += time.Since(start).Seconds()
		b.Logf("all routes received after %s, in the store after %s", ribFull, time.Since(start))
		close(stop)
		p, ps := peakOf()
		peak, peakSys = max(peak, p), max(peakSys, ps)
	}
	b.ReportMetric(secs/float64(b.N), "s/converge")
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(peakSys)/1e6, "peak-sys-MB")
}
