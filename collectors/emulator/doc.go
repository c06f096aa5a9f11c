// Package emulator plays a small live network for demonstrations and
// end-to-end tests: the routers of a topology file (by default the static
// collector's demo network) speak BGP-LS to the daemon's BGP-LS collector
// over a real session on loopback, and each router serves gNMI interface
// telemetry on its own loopback port.
//
// # What moves
//
// Every Step, the emulator advances a compressed day (DayLength long). Each
// link carries traffic that follows a daily curve with its own phase; from
// it come the link's utilised and available bandwidth, a queueing delay on
// top of the link's propagation delay, and a loss that grows as the link
// nears saturation. These are re-advertised over BGP-LS (RFC 8571 TLVs
// 1114, 1117, 1119, 1120) and drive the gNMI counters. Once a cycle one
// link fails for a few steps: it is withdrawn from BGP-LS and its
// interfaces report oper-status DOWN, then it comes back.
//
// The emulator sends nothing to the topology store itself: the daemon sees
// only what its collectors receive over the wire.
package emulator
