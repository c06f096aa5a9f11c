// Package bgpls is the BGP-LS topology source: it embeds GoBGP
// (github.com/osrg/gobgp/v4), peers with routers or route reflectors, and
// turns BGP-LS Node, Link and Prefix NLRIs (RFC 9552), and optionally
// unicast prefixes, into [topology.Update] values from
// [topology.SourceBGPLS]. README.md is the operator's description.
//
// # Ownership
//
// This package and its sub-packages are the only ones that import GoBGP.
// GoBGP's types stop at convert.go, watch.go, server.go, loop.go (peer
// enable/disable) and tap.go; the
// rib, the derivation and the run loop work on the package's own route
// model (route.go). It must not advertise anything: every peer has an
// export policy that rejects all routes.
//
// # Data flow
//
//	GoBGP watch (pre-policy Adj-RIB-In, End-of-RIB, peer state) ─┐
//	GoBGP MRT update dump → FIFO → tap (TLVs GoBGP drops)         ├─ events → run loop
//	                                                              │    rib (per peer, per NLRI)
//	timers (stale hold, quiet period, backoff, update interval) ──┘    → derive → diff → out
//
// Decoding happens on the callers' goroutines (GoBGP's watcher, the tap's
// reader); only GoBGP-free values reach the run loop. The run loop is the
// only goroutine that touches the rib. Each flush derives the whole graph
// from the rib (merging levels and areas, pseudonodes, next-hop matching)
// and sends the difference to the previous one, so identity changes (a
// router's lowest level going away, two nodes merging by router-ID) are
// handled like any other change.
//
// # Two streams
//
// GoBGP's decoder drops attribute TLVs it does not know, so GoBGP's MRT
// update dump is pointed at a FIFO the collector reads (the tap), which
// receives every UPDATE exactly as the peer sent it. (GoBGP's BMP export
// would carry the same bytes, but in GoBGP v4.8 it races with the server
// goroutine over the peers' OPEN messages; see tap.go.) The tap decodes
// only those TLVs (extras.go) and keys them like the rib does, by GoBGP's
// serialization of the NLRI. The two streams are not ordered with respect
// to each other; both only ever replace a key's value, so they agree once
// both have been read.
//
// # GoBGP's leftovers
//
// GoBGP v4.8 cannot stop an MRT dump (its DisableMrt ignores the file
// name), so after Run returns the dump's goroutines remain until the
// process exits, and GoBGP reopens the FIFO's path once a minute: if the
// process outlives Run by that long, an empty file reappears where the
// FIFO was. GoBGP also keeps route-selection settings in package
// variables, so two GoBGP servers in one process (a collector and a
// speaker) are only race-free if their start-ups are ordered; see
// speaker.Speaker.Sync.
//
// # Sub-packages
//
// speaker originates BGP-LS through a second GoBGP, for tests and
// emulators; rawbgp writes hand-built BGP messages, for what GoBGP cannot
// encode and for replaying captures.
package bgpls
