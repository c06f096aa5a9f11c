// Package target is an in-process gNMI target: a gRPC server that answers
// Subscribe and Capabilities for a set of emulated interfaces whose
// counters, oper-status, port speed and addresses a Go caller drives.
//
// It exists so that the gNMI collector can be tested over real gRPC on the
// loopback interface, and so that a demo emulator can serve telemetry for
// its routers. It is not a general gNMI server: it knows the OpenConfig
// interface leaves listed below and nothing else.
//
// # Served leaves
//
// For every interface, under /interfaces/interface[name=NAME]:
//
//	state/name, state/oper-status
//	state/counters/{in,out}-{octets,pkts,errors,discards}, state/counters/last-clear
//	ethernet/state/port-speed, ethernet/state/negotiated-port-speed   (when a speed is set)
//	subinterfaces/subinterface[index=0]/ipv{4,6}/addresses/address[ip=IP]/state/{ip,prefix-length}
//
// # Subscribe semantics
//
// STREAM and ONCE are supported, POLL is not. A STREAM subscription first
// sends every matching leaf, then a sync_response, then:
//
//   - SAMPLE and TARGET_DEFINED subscriptions every sample interval (0 means
//     [Config.DefaultSampleInterval]); idle counters are re-sent, as a router
//     does;
//   - ON_CHANGE subscriptions whenever the caller changes an interface.
//
// Each notification carries one interface: the prefix is the keyed interface
// path and the updates are relative to it, as many routers send them. Its
// timestamp is the sampling time from [Config.Now]. Encodings PROTO and
// JSON_IETF are supported (RFC 7951: 64-bit integers as JSON strings).
// Subscription paths may use "*" as a key value or an element name; origins
// and module prefixes in element names are ignored.
//
// # Driving it
//
// [Target.SetInterface] adds or replaces an interface. Counters can be set
// ([Target.SetCounters], [Target.AddCounters]) or made to grow at a rate
// ([Target.SetRates]); they are read at each sample time, so rates computed
// from consecutive samples are exact. [Target.ResetCounters] emulates
// "clear counters", [Target.Stall] keeps streams open but silent,
// [Target.Stop] and [Target.Restart] emulate a router going away and coming
// back on the same address, and [Target.Send] injects a raw notification
// (recorded device output, out-of-order timestamps).
//
// # Concurrency
//
// All methods are safe for concurrent use. Each Subscribe stream runs in the
// gRPC server's goroutine for it; [Target.Close] stops them all.
package target
