// Package collectortest holds what the collectors' tests share: a log sink
// shown only when a test fails, a polling wait that never asserts on
// timing, and the reading of the configuration examples in a collector's
// README. It is not used by production code.
package collectortest
