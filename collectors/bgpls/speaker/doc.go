// Package speaker is an in-process BGP-LS originator built on GoBGP. It
// peers actively with one BGP speaker (normally the altosdn collector),
// never listens, and advertises, changes and withdraws BGP-LS Node, Link
// and Prefix NLRIs, and optionally IPv4/IPv6 unicast routes, described by
// the GoBGP-free types of topology.go.
//
// # Use
//
//	sp, err := speaker.New(speaker.Config{
//		LocalASN: 65000, RouterID: netip.MustParseAddr("192.0.2.2"),
//		LocalAddress: netip.MustParseAddr("127.0.0.2"),
//		PeerAddress:  netip.MustParseAddr("127.0.0.1"), PeerPort: 1179, PeerASN: 65000,
//	}, logger)
//	err = sp.Start(ctx)
//	err = sp.WaitEstablished(ctx)
//	err = sp.Advertise(t)   // add, or replace NLRIs already advertised
//	err = sp.Withdraw(t)    // only identities matter
//	err = sp.Disable(ctx)   // flap: Cease, the table is kept...
//	err = sp.Enable(ctx)    // ...and sent again when the session is back
//	err = sp.Close()        // Cease to the peer: it sees the session drop
//
// Advertise and Withdraw may be called before the session is up; GoBGP
// sends the current table when it comes up. [FromTopology] turns a
// topology model (for example a static demo network) into IS-IS NLRIs, so
// an emulator can originate it in one call.
//
// # Wire encoding
//
// Attribute TLVs are encoded by package rawbgp and handed to GoBGP as
// opaque TLVs, so every metric the topology model has goes on the wire,
// including those GoBGP v4.8 cannot encode itself (RFC 8571 loss and
// bandwidths 1117–1120, prefix metric 1155) and any [TLV] a test adds.
// NLRIs are built the same way and then parsed by GoBGP, which rejects a
// malformed descriptor before anything is sent.
//
// GoBGP as a sender only emits End-of-RIB to peers that negotiated
// graceful restart; set [Config.GracefulRestart] to offer it. With eBGP,
// GoBGP rewrites unicast next hops to its own address; use iBGP (equal
// ASNs, different router-IDs) to keep them.
//
// # Several GoBGP servers in one process
//
// GoBGP v4.8 keeps route-selection settings in package variables that
// every server writes when it starts and reads while it handles routes.
// The values are the same for every server, but to the race detector a
// speaker and a collector in one process race unless their start-ups are
// ordered: start one, call Sync on the running ones, start the next, call
// Sync again.
//
// A Speaker is safe for concurrent use. Close stops every goroutine it
// started, except one GoBGP may leave behind per peer whose session is
// down at that moment (see the collector's tests).
package speaker
