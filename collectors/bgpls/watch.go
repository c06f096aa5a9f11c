package bgpls

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/osrg/gobgp/v4/pkg/apiutil"
	"github.com/osrg/gobgp/v4/pkg/packet/bgp"
	gobgp "github.com/osrg/gobgp/v4/pkg/server"
)

// This file turns GoBGP's watch callbacks into events for the run loop.
// The callbacks run on GoBGP's watcher goroutine, so the decoding happens
// there, in parallel with the loop, and only GoBGP-free values cross.

// event is one thing the run loop learns. Exactly one of paths, eor,
// state and tap is meaningful, as kind says.
type event struct {
	kind evKind
	peer int

	paths       []pathItem
	decodeErrs  int
	unsupported int
	lastErr     error

	eor family

	state stateChange

	tap []tapItem
}

type evKind uint8

const (
	evPaths evKind = iota + 1
	evEoR
	evState
	evTap
)

// pathItem is one advertised or withdrawn NLRI.
type pathItem struct {
	key      string
	withdraw bool
	r        *route
}

type stateChange struct {
	state       string // GoBGP's FSM state, lower case: "idle", "established"...
	established bool
	reason      string // why the session went down, if it did
	families    family // negotiated, when established
}

// watch subscribes to pre-policy Adj-RIB-In updates (every route of every
// peer, not just best paths), End-of-RIB markers and peer state. It does
// not subscribe to GoBGP's synthesized peer-down withdrawals: the
// collector withdraws a lost peer's routes itself, after the stale hold.
func (c *Collector) watch(ctx context.Context, s *gobgp.BgpServer, send func(*event) bool) error {
	cb := gobgp.WatchEventMessageCallbacks{
		OnPathUpdate: func(ps []*apiutil.Path, _ time.Time) {
			for peer, ev := range c.pathEvents(ps) {
				ev.peer = peer
				if !send(ev) {
					return
				}
			}
		},
		OnPathEor: func(p *apiutil.Path, _ time.Time) {
			if i, ok := c.peerIdx[p.PeerAddress.Unmap()]; ok {
				send(&event{kind: evEoR, peer: i, eor: familyOf(p.Family)})
			}
		},
		OnPeerUpdate: func(pe *apiutil.WatchEventMessage_PeerEvent, _ time.Time) {
			if pe.Type == apiutil.PEER_EVENT_END_OF_INIT {
				return
			}
			i, ok := c.peerIdx[pe.Peer.State.NeighborAddress.Unmap()]
			if !ok {
				i, ok = c.peerIdx[pe.Peer.Conf.NeighborAddress.Unmap()]
			}
			if !ok {
				return
			}
			send(&event{kind: evState, peer: i, state: convertState(pe)})
		},
	}
	return s.WatchEvent(ctx, cb, gobgp.WatchUpdate(true, "", ""), gobgp.WatchEor(true), gobgp.WatchPeer())
}

// pathEvents decodes a batch of paths (normally one UPDATE from one peer)
// into one event per peer.
func (c *Collector) pathEvents(ps []*apiutil.Path) map[int]*event {
	evs := map[int]*event{}
	for _, p := range ps {
		i, ok := c.peerIdx[p.PeerAddress.Unmap()]
		if !ok {
			continue
		}
		ev := evs[i]
		if ev == nil {
			ev = &event{kind: evPaths}
			evs[i] = ev
		}
		key, r, err := convertPath(p)
		switch {
		case errors.Is(err, errUnsupported):
			ev.unsupported++
		case err != nil:
			ev.decodeErrs++
			ev.lastErr = err
		default:
			ev.paths = append(ev.paths, pathItem{key: key, withdraw: p.Withdrawal, r: r})
		}
	}
	return evs
}

func familyOf(f bgp.Family) family {
	switch f {
	case bgp.RF_LS:
		return famLS
	case bgp.RF_IPv4_UC:
		return famIPv4
	case bgp.RF_IPv6_UC:
		return famIPv6
	}
	return 0
}

func convertState(pe *apiutil.WatchEventMessage_PeerEvent) stateChange {
	st := pe.Peer.State
	sc := stateChange{
		state:       strings.ToLower(strings.TrimPrefix(st.SessionState.String(), "BGP_FSM_")),
		established: st.SessionState == bgp.BGP_FSM_ESTABLISHED,
	}
	if msg := st.DisconnectMessage; msg != "" {
		sc.reason = msg
	} else if st.DisconnectReason != 0 {
		sc.reason = strings.ToLower(strings.TrimPrefix(st.DisconnectReason.String(), "DISCONNECT_REASON_"))
	}
	if sc.established {
		for _, c := range st.RemoteCap {
			if mp, ok := c.(*bgp.CapMultiProtocol); ok {
				sc.families |= familyOf(mp.CapValue)
			}
		}
	}
	return sc
}
