package main

import (
	"log/slog"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/alto/grpcapi"
	"github.com/altosdn/altosdn/collectors"
	"github.com/altosdn/altosdn/topology"
)

// newGRPCServer builds the gRPC server when it is enabled, else returns nil.
// Its topology push sends on the same channel as the collectors, so the
// store applies pushed updates in order with theirs, under the push's own
// source name.
func newGRPCServer(cfg Config, engine *alto.Engine, store *topology.Store, updates chan<- topology.Update,
	cols collectorSet, logger *slog.Logger) (*grpcapi.Server, error) {
	if !cfg.GRPC.Enabled {
		return nil, nil
	}
	return grpcapi.New(cfg.GRPC, grpcapi.Deps{
		ALTO:       cfg.ALTO,
		Maps:       engine,
		Topology:   store,
		Updates:    updates,
		Collectors: cols.statuses,
		Version:    version,
	}, logger.With("component", "grpc"))
}

// statuses describes every collector: in full where it reports its
// sessions, else by name and readiness.
func (cs collectorSet) statuses() []collectors.Status {
	out := make([]collectors.Status, len(cs))
	for i, c := range cs {
		if r, ok := c.(collectors.StatusReporter); ok {
			out[i] = r.Status()
			continue
		}
		out[i] = collectors.Status{Name: c.Name(), Ready: c.Ready()}
	}
	return out
}
