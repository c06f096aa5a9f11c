// Package topologytest builds topology graphs for tests and benchmarks:
// seeded random networks whose size and shape are under the caller's
// control. It is not used by production code.
package topologytest
