package gnmi

import (
	"maps"
	"sync"
	"time"

	"github.com/altosdn/altosdn/collectors"
)

// Session states shown in Status.
const (
	stateIdle       = "idle"       // Run not started
	stateConnecting = "connecting" // dialling, asking capabilities, subscribing
	stateSubscribed = "subscribed" // stream open, before the initial sync
	stateSynced     = "synced"     // initial sync received; streaming
	stateBackoff    = "backoff"    // waiting before the next attempt
)

// Counter names in ItemStatus.Counters.
const (
	cntNotifications = "notifications"     // notifications received
	cntDecodeErrors  = "decode_errors"     // known leaves with unreadable values
	cntReconnects    = "reconnects"        // streams (re)started after the first
	cntStalls        = "stalls"            // streams torn down as silent
	cntResets        = "counter_resets"    // interfaces whose counters were reset (clear, reboot)
	cntWraps         = "counter_wraps"     // counter64 wraps
	cntStale         = "stale_samples"     // duplicate or out-of-order timestamps
	cntImplausible   = "implausible_rates" // rates above the port speed, dropped
	cntNoTimestamp   = "no_timestamp"      // notifications without timestamp
	cntInterfaces    = "interfaces"        // interfaces known
	cntLinks         = "links_matched"     // links fed by this target
	cntExpired       = "expired"           // times telemetry went stale (TTL)
)

// board holds the per-target health shown by Status. Sessions and the
// engine write it; Status reads it from any goroutine.
type board struct {
	mu    sync.Mutex
	items []collectors.ItemStatus
}

func newBoard(targets []TargetConfig) *board {
	b := &board{items: make([]collectors.ItemStatus, len(targets))}
	for i, t := range targets {
		b.items[i] = collectors.ItemStatus{Name: t.Name, State: stateIdle, Counters: map[string]uint64{}}
	}
	return b
}

// setState records a session state change; err may be nil.
func (b *board) setState(i int, state string, up bool, err error, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	it := &b.items[i]
	if it.State != state {
		it.State, it.Since = state, now
	}
	it.Up = up
	if err != nil {
		it.LastError = err.Error()
	}
}

// count adds n to a counter.
func (b *board) count(i int, name string, n uint64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	b.items[i].Counters[name] += n
	b.mu.Unlock()
}

// set sets a gauge-like counter.
func (b *board) set(i int, name string, v uint64) {
	b.mu.Lock()
	b.items[i].Counters[name] = v
	b.mu.Unlock()
}

// received records data from a target.
func (b *board) received(i int, now time.Time) {
	b.mu.Lock()
	b.items[i].LastUpdate = now
	b.items[i].Counters[cntNotifications]++
	b.mu.Unlock()
}

// snapshot returns deep copies of the items.
func (b *board) snapshot() []collectors.ItemStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]collectors.ItemStatus, len(b.items))
	for i, it := range b.items {
		it.Counters = maps.Clone(it.Counters)
		out[i] = it
	}
	return out
}
