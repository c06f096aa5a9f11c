// Package grpcapi serves the altosdn gRPC API (proto/alto/v1): a topology
// push for SDN controllers, the ALTO maps and their changes, and the
// daemon's status.
//
// It is a thin adapter, like alto/httpapi: the maps come from the engine
// (the same [*alto.Maps] the HTTP server writes, so contents and vtags are
// identical), and pushed topology goes to the topology store as
// [topology.Update]s on the daemon's update channel, tagged with the
// controller's source name. The generated protobuf types stay inside this
// package and cmd/altoctl; convert.go is the one file that translates
// between them and the domain types, and errors.go the one place that maps
// errors to gRPC status codes.
//
// # Push semantics
//
// An UPSERT or WITHDRAW request is one topology.Update: validated whole and
// either handed to the store or rejected with INVALID_ARGUMENT, which ends
// the stream. Earlier, acknowledged requests stay applied (prefix
// semantics across a stream). A REPLACE may span several requests; it is
// held in memory and applied as one update when its last chunk arrives, so
// an invalid chunk, a broken stream or a cancelled call applies none of it
// (all-or-nothing within a replacement). The store validates each update
// again and applies it atomically, so the graph is never half-changed.
//
// An acknowledgement means the update was validated and queued in order; the
// store applies it and the engine recomputes the maps shortly after. A
// controller's contribution outlives its stream: a reconnecting controller
// resynchronises with a REPLACE.
//
// # Concurrency
//
// Each RPC runs on its own goroutine. Handlers read immutable maps through
// the engine and never share mutable state but the push status, which is
// guarded by a mutex.
package grpcapi
