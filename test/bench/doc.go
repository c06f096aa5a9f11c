// Package bench holds benchmarks that cross package boundaries: a full
// recompute on real datasets loaded through the static collector's
// importers. Run them with `make bench`.
package bench
