package collectors

import "time"

// Status is a collector's health as shown on status pages and in logs.
type Status struct {
	Name  string `json:"name"`
	Ready bool   `json:"ready"`
	// Items are the collector's sessions: BGP peers, gNMI targets, files.
	Items []ItemStatus `json:"items,omitempty"`
}

// ItemStatus is the health of one session of a collector.
type ItemStatus struct {
	Name       string            `json:"name"`  // peer address, target name, file path
	State      string            `json:"state"` // e.g. "established", "connecting", "loaded"
	Up         bool              `json:"up"`
	Since      time.Time         `json:"since,omitzero"`       // when State was entered
	LastUpdate time.Time         `json:"last_update,omitzero"` // last data received
	LastError  string            `json:"last_error,omitempty"`
	Counters   map[string]uint64 `json:"counters,omitempty"` // e.g. "nlri_received", "decode_errors"
}

// StatusReporter is implemented by collectors that can describe their
// sessions. The daemon's status endpoint lists every collector; those that
// do not implement it show only their name and readiness.
type StatusReporter interface {
	Status() Status
}
