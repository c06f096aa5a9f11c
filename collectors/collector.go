package collectors

import (
	"context"

	"github.com/altosdn/altosdn/topology"
)

// A Collector feeds topology updates from one kind of source.
//
// Run blocks until ctx is done and then returns nil. It returns a non-nil
// error only for failures that should stop the process (bad configuration,
// a port in use). Transient failures (a peer down, a target unreachable, a
// file that no longer parses) are retried or waited out internally, logged
// at Warn and reflected by Ready. Run must not close out, and every send
// must also select on ctx.Done() so that shutdown never blocks.
type Collector interface {
	// Name is the collector's name in logs and status, e.g. "static".
	Name() string
	Run(ctx context.Context, out chan<- topology.Update) error
	// Ready reports whether the collector has delivered its initial view.
	Ready() bool
}

// Send delivers u on out unless ctx is done first; it reports whether u was
// sent. Collectors use it for every send.
func Send(ctx context.Context, out chan<- topology.Update, u topology.Update) bool {
	select {
	case out <- u:
		return true
	case <-ctx.Done():
		return false
	}
}
