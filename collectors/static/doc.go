// Package static is the static topology source: it serves a topology read
// from a file, or a built-in demo network when no file is configured.
//
// # Formats
//
// The native format is YAML (or JSON) listing nodes with their prefixes and
// links with their metrics; README.md documents every key. Three public
// dataset formats can be imported as they are: Repetita .graph files,
// Internet Topology Zoo GraphML and SNDlib's native format. Datasets carry
// no prefixes, so the importers synthesise one IPv4 and one IPv6 prefix per
// node ([SynthesizePrefixes]) and say so in the logs.
//
// All nodes get the protocol [topology.ProtocolStatic], and every metric the
// source [topology.SourceStatic], so a static topology never merges with
// nodes learnt from a routing protocol; it only ranks below them in the
// store's source priority.
//
// # Errors
//
// A file is accepted whole or not at all. Problems are reported as
// [*ParseError] values of the form "file:line: message", all of them at
// once (up to a limit), so a file can be fixed in one pass.
//
// # Lifecycle
//
// [New] loads the file at once, so a bad file fails startup. [Collector.Run]
// sends it as one [topology.OpReplace] update and then polls the file; a
// changed file that parses is sent whole again, one that does not is logged
// and ignored, and the last good topology stays. Run is the only goroutine
// that touches the collector's state after New; Ready may be called from
// any goroutine.
package static
