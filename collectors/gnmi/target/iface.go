package target

import (
	"fmt"
	"math"
	"net/netip"
	"slices"
	"time"
)

// OperStatus is an OpenConfig interface oper-status value.
type OperStatus string

// Oper-status values of openconfig-interfaces.
const (
	OperUp             OperStatus = "UP"
	OperDown           OperStatus = "DOWN"
	OperLowerLayerDown OperStatus = "LOWER_LAYER_DOWN"
	OperTesting        OperStatus = "TESTING"
	OperUnknown        OperStatus = "UNKNOWN"
	OperDormant        OperStatus = "DORMANT"
	OperNotPresent     OperStatus = "NOT_PRESENT"
)

// Interface is the static side of an emulated interface.
type Interface struct {
	Name string
	// OperStatus defaults to UP.
	OperStatus OperStatus
	// Speed is the port speed in bits/s, served as the ETHERNET_SPEED
	// identity nearest to it (SPEED_UNKNOWN when none is close); 0 serves
	// no speed leaves.
	Speed uint64
	// Addresses are the interface's addresses, served on subinterface 0.
	Addresses []netip.Prefix
}

// Counters are an interface's counter64 leaves.
type Counters struct {
	InOctets, OutOctets     uint64
	InPkts, OutPkts         uint64
	InErrors, OutErrors     uint64
	InDiscards, OutDiscards uint64
}

// add returns c plus d, wrapping like counter64.
func (c Counters) add(d Counters) Counters {
	return Counters{
		InOctets: c.InOctets + d.InOctets, OutOctets: c.OutOctets + d.OutOctets,
		InPkts: c.InPkts + d.InPkts, OutPkts: c.OutPkts + d.OutPkts,
		InErrors: c.InErrors + d.InErrors, OutErrors: c.OutErrors + d.OutErrors,
		InDiscards: c.InDiscards + d.InDiscards, OutDiscards: c.OutDiscards + d.OutDiscards,
	}
}

// iface is an interface's full state. Counters grow at inRate/outRate
// (bits/s) between reads; frac keeps the sub-octet remainders so that the
// long-run rate is exact.
type iface struct {
	Interface
	c               Counters
	inRate, outRate float64
	at              time.Time // when c was last brought up to date
	fracIn, fracOut float64
	lastClear       int64 // ns since the epoch; 0 until the first reset
	pktSize         float64
}

// advance brings the counters up to now.
func (f *iface) advance(now time.Time) {
	dt := now.Sub(f.at).Seconds()
	if dt <= 0 {
		return
	}
	f.at = now
	grow := func(rate float64, frac *float64) uint64 {
		if rate <= 0 {
			return 0
		}
		x := rate*dt/8 + *frac
		whole := math.Floor(x)
		*frac = x - whole
		return uint64(whole)
	}
	in := grow(f.inRate, &f.fracIn)
	out := grow(f.outRate, &f.fracOut)
	f.c.InOctets += in
	f.c.OutOctets += out
	// Packets follow octets at a fixed average size, so pkts look alive.
	f.c.InPkts += uint64(float64(in) / f.pktSize)
	f.c.OutPkts += uint64(float64(out) / f.pktSize)
}

// SetInterface adds an interface or replaces its static side; counters and
// rates of an existing interface are kept.
func (t *Target) SetInterface(ifc Interface) error {
	if ifc.Name == "" {
		return fmt.Errorf("target: interface without a name")
	}
	if ifc.OperStatus == "" {
		ifc.OperStatus = OperUp
	}
	ifc.Addresses = slices.Clone(ifc.Addresses)
	t.mu.Lock()
	defer t.mu.Unlock()
	f, ok := t.ifaces[ifc.Name]
	if !ok {
		f = &iface{at: t.cfg.Now(), pktSize: 500}
		t.ifaces[ifc.Name] = f
	}
	f.Interface = ifc
	t.notifyLocked()
	return nil
}

// RemoveInterface deletes an interface; streams stop sending it.
func (t *Target) RemoveInterface(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.ifaces, name)
	t.notifyLocked()
}

// update runs fn on the named interface with its counters brought up to
// date; changed says whether ON_CHANGE streams must be woken.
func (t *Target) update(name string, changed bool, fn func(f *iface)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, ok := t.ifaces[name]
	if !ok {
		return fmt.Errorf("target: unknown interface %q", name)
	}
	f.advance(t.cfg.Now())
	fn(f)
	if changed {
		t.notifyLocked()
	}
	return nil
}

// SetOperStatus changes an interface's oper-status.
func (t *Target) SetOperStatus(name string, s OperStatus) error {
	return t.update(name, true, func(f *iface) { f.OperStatus = s })
}

// SetSpeed changes an interface's port speed (bits/s; 0 removes it).
func (t *Target) SetSpeed(name string, bps uint64) error {
	return t.update(name, true, func(f *iface) { f.Speed = bps })
}

// SetCounters sets an interface's counters to c.
func (t *Target) SetCounters(name string, c Counters) error {
	return t.update(name, false, func(f *iface) { f.c = c; f.fracIn, f.fracOut = 0, 0 })
}

// AddCounters adds d to an interface's counters.
func (t *Target) AddCounters(name string, d Counters) error {
	return t.update(name, false, func(f *iface) { f.c = f.c.add(d) })
}

// SetRates makes an interface's in and out octet counters grow at the given
// rates in bits/s from now on (0 stops them). Packet counters follow at an
// average packet size of 500 octets.
func (t *Target) SetRates(name string, inBps, outBps float64) error {
	if inBps < 0 || outBps < 0 || math.IsNaN(inBps) || math.IsNaN(outBps) || math.IsInf(inBps, 0) || math.IsInf(outBps, 0) {
		return fmt.Errorf("target: rates must be finite and not negative (got %g, %g)", inBps, outBps)
	}
	return t.update(name, false, func(f *iface) { f.inRate, f.outRate = inBps, outBps })
}

// ResetCounters sets an interface's counters to zero and its last-clear
// leaf to now, as "clear counters" or a reboot does. Rates keep applying.
func (t *Target) ResetCounters(name string) error {
	return t.update(name, false, func(f *iface) {
		f.c = Counters{}
		f.fracIn, f.fracOut = 0, 0
		f.lastClear = t.cfg.Now().UnixNano()
	})
}

// ReadCounters returns an interface's counters as of now.
func (t *Target) ReadCounters(name string) (Counters, error) {
	var c Counters
	err := t.update(name, false, func(f *iface) { c = f.c })
	return c, err
}

// Interfaces returns the names of the interfaces, sorted.
func (t *Target) Interfaces() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	names := make([]string, 0, len(t.ifaces))
	for n := range t.ifaces {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
