package httpapi

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/topology"
	"github.com/altosdn/altosdn/topology/topologytest"
)

// BenchmarkSSEFanOut: 1,000 SSE subscribers to the routingcost map of a
// 100-PID network, over loopback. Each op publishes new maps (one link
// metric changed) and waits until the last subscriber has read the patch:
// ns/op is the time from the new map to the last client receiving the
// event. It also reports the memory each subscriber costs, server and
// client together (both run in this process).
func BenchmarkSSEFanOut(b *testing.B) {
	const subscribers = 1000
	cfg := alto.DefaultConfig()
	cfg.CostTypes = []alto.CostType{{Metric: alto.MetricRoutingCost, Mode: alto.ModeNumerical}}
	g, err := topologytest.Random(100, 4, 3)
	if err != nil {
		b.Fatal(err)
	}
	links := slices.Clone(g.Links())
	version := func(i int) *alto.Maps {
		ls := slices.Clone(links)
		ls[0].Metrics = ls[0].Metrics.With(topology.MetricIGP, float64(1+i%2*90), "bench")
		ng, err := topology.NewGraph(g.Nodes(), ls, g.Prefixes())
		if err != nil {
			b.Fatal(err)
		}
		m, err := alto.Build(ng, cfg)
		if err != nil {
			b.Fatal(err)
		}
		return m
	}
	maps := []*alto.Maps{version(0), version(1)}
	src := &watchMaps{next: make(chan struct{})}
	src.set(maps[0])
	hc := DefaultConfig()
	hc.Updates.MaxStreams = subscribers + 10
	s, err := New(hc, cfg, src, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	hubDone := make(chan error, 1)
	go func() { hubDone <- s.Updates().Run(ctx) }()
	ts := httptest.NewServer(s.Handler())
	defer func() {
		cancel()
		<-hubDone
		ts.Close()
	}()
	for {
		// The hub publishes the first maps right after it starts.
		st, err := s.Updates().Open(alto.UpdateStreamID, []byte(`{"add":{"rc":{"resource-id":"costmap-routingcost-numerical"}}}`), netip.Addr{})
		if err == nil {
			st.Close()
			break
		}
		time.Sleep(time.Millisecond)
	}

	tr := &http.Transport{MaxIdleConnsPerHost: subscribers, DisableCompression: true}
	client := &http.Client{Transport: tr}
	var memBefore, memAfter runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&memBefore)

	var (
		received atomic.Int64 // patches seen in the current round
		lastRecv atomic.Int64 // unix nanos of the latest receipt
		ready    sync.WaitGroup
	)
	ready.Add(subscribers)
	var wg sync.WaitGroup
	body := `{"add":{"rc":{"resource-id":"costmap-routingcost-numerical"}}}`
	for range subscribers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/updates/update-stream", strings.NewReader(body))
			req.Header.Set("Content-Type", alto.MediaTypeUpdateStreamParams)
			resp, err := client.Do(req)
			if err != nil || resp.StatusCode != http.StatusOK {
				b.Errorf("subscribe: %v %v", err, resp)
				ready.Done()
				return
			}
			defer resp.Body.Close()
			r := bufio.NewReaderSize(resp.Body, 4<<10)
			seenFull := false
			for {
				line, err := r.ReadSlice('\n')
				if err != nil && err != bufio.ErrBufferFull {
					return
				}
				switch {
				case bytes.HasPrefix(line, []byte("event: application/alto-costmap+json")) && !seenFull:
					seenFull = true
					ready.Done()
				case bytes.HasPrefix(line, []byte("event: application/merge-patch+json")):
					lastRecv.Store(time.Now().UnixNano())
					received.Add(1)
				}
			}
		}()
	}
	ready.Wait()
	runtime.GC()
	runtime.ReadMemStats(&memAfter)
	perSub := float64((memAfter.HeapInuse+memAfter.StackInuse)-(memBefore.HeapInuse+memBefore.StackInuse)) / subscribers

	i := 0
	var total time.Duration
	for b.Loop() {
		i++
		received.Store(0)
		start := time.Now()
		src.set(maps[i%2])
		for received.Load() < subscribers {
			time.Sleep(100 * time.Microsecond)
		}
		total += time.Duration(lastRecv.Load() - start.UnixNano())
	}
	b.ReportMetric(float64(total.Milliseconds())/float64(i), "ms-to-last-client")
	b.ReportMetric(perSub, "bytes/subscriber")
	b.ReportMetric(float64(runtime.NumGoroutine())/subscribers, "goroutines/subscriber")
	cancel()
	wg.Wait()
	tr.CloseIdleConnections()
}
