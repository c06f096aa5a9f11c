package bgpls

import (
	"context"

	gobgpapi "github.com/osrg/gobgp/v4/api"
)

// GoBGPRunning reports whether Run has started GoBGP.
func (c *Collector) GoBGPRunning() bool { return c.server.Load() != nil }

// SyncGoBGP returns once the collector's GoBGP has handled every earlier
// request; see speaker.Speaker.Sync for why tests need it.
func (c *Collector) SyncGoBGP(ctx context.Context) error {
	s := c.server.Load()
	if s == nil {
		return nil
	}
	return s.ListPeer(ctx, &gobgpapi.ListPeerRequest{}, func(*gobgpapi.Peer) {})
}
