package main

import (
	"context"
	"log/slog"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/alto/history"
	"github.com/altosdn/altosdn/alto/inventory"
	"github.com/altosdn/altosdn/topology"
)

// planningParts are the long-running parts behind the RFC 9240 property
// maps and the RFC 8896 calendars: the inventory watcher and the link
// history recorder, and the planning that hands their data to the maps.
type planningParts struct {
	planning  *alto.Planning
	inventory *inventory.Watcher // nil when property maps are off
	history   *history.Recorder  // nil when calendars are off
	// runners are to be run in the daemon's errgroup.
	runners []func(context.Context) error
}

// newPlanningParts loads the inventory (a bad file stops the daemon here,
// as a bad topology file does) and opens the link history (a missing or
// corrupt store only costs the history: see package history).
func newPlanningParts(cfg alto.Config, store *topology.Store, logger *slog.Logger) (*planningParts, error) {
	pc := cfg.Planning
	p := &planningParts{}
	var inv alto.InventorySource
	if pc.PropertyMap.Enabled {
		w, err := inventory.New(pc.Inventory, logger.With("component", "inventory"))
		if err != nil {
			return nil, err
		}
		p.inventory, inv = w, w
		p.runners = append(p.runners, w.Run)
	}
	var hist alto.LinkHistory
	if pc.Calendar.Enabled {
		r, err := history.New(history.Config(pc.History), store, logger.With("component", "history"))
		if err != nil {
			return nil, err
		}
		p.history, hist = r, r
		p.runners = append(p.runners, r.Run)
	}
	p.planning = alto.NewPlanning(cfg, inv, hist, logger.With("component", "planning"))
	return p, nil
}

// maps is what the HTTP server serves: the engine's maps with the
// planning attached.

// planningStatus is the inventory's and the history's part of /status.
type planningStatus struct {
	Inventory *inventory.Status `json:"inventory,omitempty"`
	History   *history.Stats    `json:"history,omitempty"`
}

func (p *planningParts) status() planningStatus {
	var st planningStatus
	if p.inventory != nil {
		s := p.inventory.Status()
		st.Inventory = &s
	}
	if p.history != nil {
		s := p.history.Stats()
		st.History = &s
	}
	return st
}
