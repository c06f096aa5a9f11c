// Package gnmi is the telemetry collector: it subscribes to routers over
// gNMI and turns their interface counters, speed and oper-status into link
// overlays on the topology that BGP-LS (or a static file) provides.
//
// # What it sends
//
// Only [topology.LinkOverlay] values from source [topology.SourceGNMI]:
// utilised bandwidth (the counter rate), available bandwidth (capacity
// minus use) and a status. An overlay never creates a link, so telemetry
// for links the topology does not know yet is simply held until they
// appear. Capacity is the smaller of the interface's port speed and the
// link's nominal maximum bandwidth, or whichever is known. With
// [Config.DownMeansDown], an interface reported down marks its links down
// for path computation before BGP-LS withdraws them.
//
// # Matching interfaces to links
//
// An interface feeds the link whose local address is one of the
// interface's addresses (its out-octets are the link's traffic) and, when
// the router at the other end is not watched, the reverse link through its
// in-octets. [TargetConfig.InterfaceLinks] names links for interfaces
// without usable addresses. The match is redone whenever the graph changes
// (checked every flush, at most once a second) or an interface's addresses
// change.
//
// # Rates, resets and staleness
//
// Rates come from the devices' notification timestamps, never from arrival
// times. A duplicate or older timestamp is ignored; a counter that goes
// down is a reset (clear counters, reboot) and only re-baselines, unless
// it was near 2^64, which is a wrap; a rate above 1.05 times the port
// speed is dropped. Baselines are forgotten whenever a stream (re)starts,
// because a restarted router's counters may have grown past the old
// values. So a reset never produces a spike. When a target is silent
// longer than the TTL, its measurements expire and its overlays are
// withdrawn: links fall back to their nominal metrics, never to zero.
//
// # Sessions
//
// Each target has one goroutine that dials it (TLS or explicit plaintext,
// username and password as gRPC metadata read from files), checks
// Capabilities, and holds one STREAM subscription with every path in SAMPLE
// mode. A stream silent for the stall timeout is torn down; failures are
// retried with capped exponential backoff and jitter. gRPC keepalive
// defaults to 5 minutes so that servers' ping limits are not tripped.
//
// # Concurrency
//
// Sessions only receive; a single engine goroutine inside [Collector.Run]
// decodes notifications and owns all rates, bindings and sent overlays, so
// that state needs no locks. [Collector.Status], [Collector.Ready] and
// [Collector.Links] may be called from any goroutine.
//
// Only this package and its sub-packages import github.com/openconfig/...;
// they use the generated gNMI protos alone, which do not link glog, so no
// log files are written. The sub-package target is an in-process gNMI
// server for tests and demos.
package gnmi
