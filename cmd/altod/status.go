package main

import (
	"time"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/collectors"
	"github.com/altosdn/altosdn/topology"
)

// statusDoc is the document GET /status serves: what an operator checks
// first when the maps look wrong.
type statusDoc struct {
	Ready      bool                `json:"ready"`
	Collectors []collectors.Status `json:"collectors"`
	Topology   topologyStatus      `json:"topology"`
	Maps       *mapsStatus         `json:"maps"`
	Planning   planningStatus      `json:"planning"`
}

type topologyStatus struct {
	Generation uint64         `json:"generation"`
	Nodes      int            `json:"nodes"`
	Links      int            `json:"links"`
	Prefixes   int            `json:"prefixes"`
	Dangling   int            `json:"dangling_links"`
	Updates    topology.Stats `json:"updates"`
}

type mapsStatus struct {
	Generation uint64        `json:"generation"`
	ComputedAt time.Time     `json:"computed_at"`
	Duration   time.Duration `json:"duration_ns"`
	PIDs       int           `json:"pids"`
	VTag       string        `json:"network_map_vtag"`
}

// statusFunc assembles the status document from the running parts.
func statusFunc(cols collectorSet, store *topology.Store, engine *alto.Engine, planning *planningParts, ready func() bool) func() any {
	return func() any {
		doc := statusDoc{Ready: ready(), Planning: planning.status()}
		for _, c := range cols {
			st := collectors.Status{Name: c.Name(), Ready: c.Ready()}
			if r, ok := c.(collectors.StatusReporter); ok {
				st = r.Status()
			}
			doc.Collectors = append(doc.Collectors, st)
		}
		g := store.Snapshot()
		doc.Topology = topologyStatus{Generation: g.Generation(), Nodes: g.NumNodes(), Links: g.NumLinks(),
			Prefixes: len(g.Prefixes()), Dangling: g.Dangling(), Updates: store.Stats()}
		if m := engine.Current(); m != nil {
			doc.Maps = &mapsStatus{Generation: m.Generation, ComputedAt: m.ComputedAt, Duration: m.Duration,
				PIDs: len(m.NetworkMap.PIDs), VTag: m.NetworkMap.Tag}
		}
		return doc
	}
}
