package bgpls_test

import (
	"testing"

	"go.uber.org/goleak"
)

// GoBGP v4.8 can leave one goroutine behind per peer whose session is down
// when the server stops: the peer's outgoing InfiniteChannel is closed and
// then drained with a non-blocking loop (pkg/server/util.go,
// cleanInfiniteChannel), which returns before the channel's buffer
// goroutine has handed over a message still queued for the dead session,
// so that goroutine blocks for good. It happens only when a peer is
// deleted or the server stopped, i.e. once at shutdown, and holds a few
// queued messages; nothing of ours is involved.
//
// GoBGP v4.8 also cannot stop an MRT update dump (DisableMrt ignores the
// file name it is given, pkg/server/server.go), and StopBgp leaves dumps
// running, so the dump the collector's tap reads outlives Run: its loop,
// its watcher's loop and that watcher's InfiniteChannel stay. A watch of
// the collector's own left running would still show: its WatchEvent
// goroutine is not ignored.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		goleak.IgnoreTopFunction("github.com/eapache/channels.(*InfiniteChannel).infiniteBuffer"),
		goleak.IgnoreTopFunction("github.com/osrg/gobgp/v4/pkg/server.(*mrtWriter).loop"),
		goleak.IgnoreTopFunction("github.com/osrg/gobgp/v4/pkg/server.(*watcher).loop"))
}
