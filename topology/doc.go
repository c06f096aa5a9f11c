// Package topology is the graph model of altosdn: nodes, directed links and
// prefixes with their metrics, published as immutable snapshots.
//
// # Ownership
//
// topology imports only the standard library. It knows nothing of ALTO, of
// BGP-LS or of gNMI: collectors translate their wire formats into [Update]
// values, and the alto package derives maps from [Graph] snapshots.
//
// # Identity
//
// A [Node] is identified by a [NodeKey] built from its routing-protocol
// identity (protocol, instance, AS, area or level, IGP router-ID). A [Link] is
// directed and identified by its two end nodes plus the interface addresses or
// identifiers that tell parallel links apart. A [Prefix] is identified by the
// node that originates it and the prefix itself.
//
// # Metrics
//
// Every metric is optional. A [Value] remembers whether it is set and which
// [Source] set it, so an absent metric is never read as zero. Units are fixed
// by [Metric]: delays in microseconds, bandwidths in bits per second, loss and
// utilisation in percent.
//
// # Data flow and concurrency
//
// [Update] values are the only way to change the graph. Each collector owns a
// [Source] and sends updates tagged with it; a [Store] is the single writer
// that applies them and publishes a new immutable [*Graph] through an atomic
// pointer. A burst of updates is coalesced into one snapshot and one signal on
// [Store.Changed]. Nothing obtained from [Store.Snapshot] may be mutated:
// builders create new values.
package topology
