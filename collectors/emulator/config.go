package emulator

import (
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// Config configures the emulator.
type Config struct {
	// Enabled says whether the daemon runs the emulator.
	Enabled bool `yaml:"enabled"`
	// Topology is a topology file in any static collector format; empty
	// plays the built-in demo network.
	Topology string `yaml:"topology"`
	// ASN, RouterID and LocalAddress are the emulated BGP-LS speaker's.
	ASN          uint32     `yaml:"asn"`
	RouterID     netip.Addr `yaml:"router_id"`
	LocalAddress netip.Addr `yaml:"local_address"`
	// Peer is the daemon's BGP-LS collector, which must accept a passive
	// session from LocalAddress; PeerASN its AS.
	Peer    netip.AddrPort `yaml:"peer"`
	PeerASN uint32         `yaml:"peer_asn"`
	// GNMIAddress and GNMIBasePort place the routers' gNMI servers: router
	// i (in the order of the topology's nodes, sorted by name) listens on
	// GNMIBasePort+i. GNMIBasePort 0 serves no telemetry.
	GNMIAddress  netip.Addr `yaml:"gnmi_address"`
	GNMIBasePort uint16     `yaml:"gnmi_base_port"`
	// Step is how often the network changes; DayLength how long an
	// emulated day lasts.
	Step      time.Duration `yaml:"step"`
	DayLength time.Duration `yaml:"day_length"`
	// FailEvery is how many steps pass between two link failures; a failed
	// link stays down for FailFor steps. 0 fails no link.
	FailEvery int `yaml:"fail_every"`
	FailFor   int `yaml:"fail_for"`
}

// DefaultConfig returns a disabled emulator that, when enabled, peers with
// a collector on 127.0.0.1:1179 and serves gNMI from port 57400.
func DefaultConfig() Config {
	return Config{
		ASN:          64512,
		RouterID:     netip.MustParseAddr("192.0.2.253"),
		LocalAddress: netip.MustParseAddr("127.0.0.2"),
		Peer:         netip.MustParseAddrPort("127.0.0.1:1179"),
		PeerASN:      64512,
		GNMIAddress:  netip.MustParseAddr("127.0.0.1"),
		GNMIBasePort: 57400,
		Step:         5 * time.Second,
		DayLength:    10 * time.Minute,
		FailEvery:    12,
		FailFor:      4,
	}
}

// Validate checks the configuration; messages name the field.
func (c Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.ASN == 0 || c.PeerASN == 0 {
		add("asn, peer_asn: both are required")
	}
	if !c.RouterID.Is4() {
		add("router_id: %q is not an IPv4 address", c.RouterID)
	}
	if !c.Peer.IsValid() {
		add("peer: required (address:port of the BGP-LS collector)")
	}
	if c.GNMIBasePort != 0 && !c.GNMIAddress.IsValid() {
		add("gnmi_address: required with gnmi_base_port")
	}
	if c.Step <= 0 {
		add("step: must be positive (got %s)", c.Step)
	}
	if c.DayLength < c.Step {
		add("day_length: must be at least one step (got %s)", c.DayLength)
	}
	if c.FailEvery < 0 || c.FailFor < 0 || (c.FailEvery > 0 && c.FailFor >= c.FailEvery) {
		add("fail_every, fail_for: want 0 ≤ fail_for < fail_every (got %d, %d)", c.FailEvery, c.FailFor)
	}
	return errors.Join(errs...)
}
