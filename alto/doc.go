// Package alto derives ALTO information resources (RFC 7285) from topology
// snapshots: PIDs and the network map, cost maps, version tags and the
// information resource directory.
//
// # Ownership
//
// alto is the protocol domain. It imports topology and topology/spf and
// nothing that speaks a wire protocol: no HTTP framework, no gRPC, no
// collectors. The alto/httpapi package serves what it builds.
//
// # Data flow
//
// An [Engine] watches a topology source. When the graph changes it waits at
// least the configured minimum interval since its last computation (so a
// burst of changes costs one recomputation), builds a complete new [Maps]
// value with [Build], and publishes it through an atomic pointer. Readers
// call [Engine.Current] and never see a half-built map. A Maps value and
// everything it holds are immutable: the encoded JSON bodies are computed
// once per change and shared by every request.
//
// # Version tags
//
// A vtag is a hash of a resource's content, so identical maps carry
// identical tags on every replica and across restarts, and a change in
// content always changes the tag. Resources whose content did not change
// keep their previous encoded body (and its cached compressed form).
//
// # Property maps and calendars
//
// RFC 9240 entity property maps (propmap*.go) and RFC 8896 cost calendars
// (calendar*.go) need more than a topology snapshot: the operator's
// inventory (package alto/inventory) and the recorded link history
// (package alto/history). A [Planning] holds both; the [Engine] attaches
// it to every [Maps] it publishes ([Engine.SetPlanning]). Maps without one
// still serve both, with no inventory and with calendars that repeat the
// current costs.
package alto
