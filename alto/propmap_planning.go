package alto

import (
	"log/slog"
	"sync"
	"time"

	"github.com/altosdn/altosdn/alto/inventory"
	"github.com/altosdn/altosdn/topology"
)

// InventorySource gives the operator's current inventory (an
// *inventory.Watcher).
type InventorySource interface {
	Current() *inventory.Inventory
}

// LinkHistory is the recorded link metrics (a *history.Recorder).
type LinkHistory interface {
	// Means returns, per link, the mean of each recorded metric over the
	// samples taken in [s, s+d) for every s in starts; metrics without
	// samples are unset.
	Means(starts []time.Time, d time.Duration) (map[topology.LinkID]topology.Metrics, error)
}

// Planning holds what the property maps and the calendars need besides
// the maps: the inventory and the link history. It caches what it derives
// from them: one property map per maps version and inventory, one forecast
// per maps version and calendar start. It is safe for concurrent use.
type Planning struct {
	cfg    Config
	inv    InventorySource // nil: no inventory
	hist   LinkHistory     // nil: calendars repeat the current values
	logger *slog.Logger
	now    func() time.Time

	propMu sync.Mutex
	prop   *propView

	calMu sync.Mutex
	cal   *forecast
}

// NewPlanning returns the planning inputs of an ALTO configuration. inv
// and hist may be nil. A nil logger discards.
func NewPlanning(cfg Config, inv InventorySource, hist LinkHistory, logger *slog.Logger) *Planning {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Planning{cfg: cfg, inv: inv, hist: hist, logger: logger, now: time.Now}
}

func (p *Planning) inventory() *inventory.Inventory {
	if p.inv == nil {
		return inventory.Empty
	}
	if inv := p.inv.Current(); inv != nil {
		return inv
	}
	return inventory.Empty
}

// WithPlanning returns a copy of m whose property maps and calendars use
// p. m itself is not changed.
func (m *Maps) WithPlanning(p *Planning) *Maps {
	c := *m
	c.planning = p
	return &c
}

// Planning returns the planning the maps use, nil when they have none:
// their property maps then carry no inventory and their calendars repeat
// the current values.
func (m *Maps) Planning() *Planning { return m.planning }
