package grpcapi

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/altosdn/altosdn/collectors"
	altov1 "github.com/altosdn/altosdn/proto/alto/v1"
)

// keepClosed is how many ended push streams the status keeps showing, so an
// operator can still read why the last ones failed.
const keepClosed = 8

// pushStatus tracks the push streams for GetStatus.
type pushStatus struct {
	mu     sync.Mutex
	seq    int
	active []*collectors.ItemStatus
	closed []*collectors.ItemStatus
}

func newPushStatus() *pushStatus { return &pushStatus{} }

func (p *pushStatus) open(from string) *collectors.ItemStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	it := &collectors.ItemStatus{
		Name:     fmt.Sprintf("stream %d from %s", p.seq, from),
		State:    "open",
		Up:       true,
		Since:    time.Now(),
		Counters: map[string]uint64{},
	}
	p.active = append(p.active, it)
	return it
}

// accept counts an acknowledged request and the elements it carried.
func (p *pushStatus) accept(it *collectors.ItemStatus, req *altov1.PushTopologyRequest, ack *altov1.PushTopologyResponse) {
	p.mu.Lock()
	defer p.mu.Unlock()
	it.LastUpdate = time.Now()
	it.Counters["requests"]++
	if ack.GetCommitted() {
		it.Counters["updates"]++
	}
	it.Counters["elements"] += uint64(len(req.GetNodes()) + len(req.GetLinks()) + len(req.GetPrefixes()) + len(req.GetOverlays()))
}

func (p *pushStatus) reject(it *collectors.ItemStatus, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	it.Counters["requests"]++
	it.Counters["rejected"]++
	it.LastError = err.Error()
}

func (p *pushStatus) close(it *collectors.ItemStatus) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.active = slices.DeleteFunc(p.active, func(o *collectors.ItemStatus) bool { return o == it })
	it.State, it.Up, it.Since = "closed", false, time.Now()
	p.closed = append(p.closed, it)
	if len(p.closed) > keepClosed {
		p.closed = p.closed[len(p.closed)-keepClosed:]
	}
}

// status describes the push as a collector whose items are its streams,
// open ones first.
func (p *pushStatus) status() collectors.Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := collectors.Status{Name: "controller-push", Ready: true}
	items := slices.Clone(p.active)
	for i := len(p.closed) - 1; i >= 0; i-- {
		items = append(items, p.closed[i])
	}
	for _, it := range items {
		c := *it
		c.Counters = maps.Clone(it.Counters)
		st.Items = append(st.Items, c)
	}
	return st
}

// GetStatus reports the sources, the store and the maps.
func (s *Server) GetStatus(context.Context, *altov1.GetStatusRequest) (*altov1.GetStatusResponse, error) {
	out := &altov1.GetStatusResponse{Version: s.deps.Version}
	var cols []collectors.Status
	if s.deps.Collectors != nil {
		cols = s.deps.Collectors()
	}
	if s.cfg.Push.Enabled {
		cols = append(cols, s.push.status())
	}
	for _, c := range cols {
		pc := &altov1.CollectorStatus{Name: c.Name, Ready: c.Ready}
		for _, it := range c.Items {
			pc.Items = append(pc.Items, &altov1.ItemStatus{
				Name: it.Name, State: it.State, Up: it.Up,
				Since: tsProto(it.Since), LastUpdate: tsProto(it.LastUpdate),
				LastError: it.LastError, Counters: it.Counters,
			})
		}
		out.Collectors = append(out.Collectors, pc)
	}
	if t := s.deps.Topology; t != nil {
		g, st := t.Snapshot(), t.Stats()
		out.Topology = &altov1.TopologyStatus{
			Generation: g.Generation(), Nodes: uint32(g.NumNodes()), Links: uint32(g.NumLinks()),
			Prefixes: uint32(len(g.Prefixes())), UpdatesApplied: st.Applied, UpdatesUnchanged: st.Unchanged,
			UpdatesRejected: st.Rejected, SnapshotsPublished: st.Published, LastError: st.LastError,
		}
	}
	out.Maps = &altov1.MapsStatus{}
	if m, _ := s.deps.Maps.Watch(); m != nil {
		out.Maps = &altov1.MapsStatus{
			Ready: true, Generation: m.Generation, ComputedAt: tsProto(m.ComputedAt),
			DurationMs: float64(m.Duration) / float64(time.Millisecond), Pids: uint32(len(m.NetworkMap.PIDs)),
			NetworkMapVtag: vtagProto(m.NetworkMap.VersionTag()),
		}
	}
	return out, nil
}
