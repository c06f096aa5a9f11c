package bgpls

import (
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// Config configures the BGP-LS collector. Durations are written as Go
// durations ("30s", "2m") in YAML.
type Config struct {
	// Enabled says whether the daemon runs the collector; New ignores it.
	Enabled bool `yaml:"enabled"`
	// LocalASN is the collector's own AS number.
	LocalASN uint32 `yaml:"local_asn"`
	// RouterID is the collector's BGP identifier, an IPv4 address. For
	// iBGP it must differ from every peer's.
	RouterID netip.Addr `yaml:"router_id"`
	// ListenAddress is where passive sessions are accepted; unset listens
	// on every IPv4 and IPv6 address.
	ListenAddress netip.Addr `yaml:"listen_address"`
	// ListenPort is the TCP port for passive sessions. The default, 1179,
	// needs no privileges; 179 needs CAP_NET_BIND_SERVICE. -1 never
	// listens: every peer must then be active.
	ListenPort int32 `yaml:"listen_port"`
	// IPv4Unicast and IPv6Unicast also negotiate those families, whose
	// prefixes are attached to the node that is their BGP next hop.
	IPv4Unicast bool `yaml:"ipv4_unicast"`
	IPv6Unicast bool `yaml:"ipv6_unicast"`
	// Peers are the BGP-LS speakers or route reflectors to peer with.
	Peers []PeerConfig `yaml:"peers"`
	// StaleHold is how long a peer's routes outlive its session, so that a
	// brief route-reflector flap leaves the maps alone. 0 withdraws them
	// as soon as the session drops.
	StaleHold time.Duration `yaml:"stale_hold"`
	// ConvergenceQuiet is how long a peer that sends no End-of-RIB must
	// add no new route before its initial table counts as complete.
	// Changes to routes it already sent do not count, so a busy network
	// still converges.
	ConvergenceQuiet time.Duration `yaml:"convergence_quiet"`
	// UpdateInterval bounds how often changes are sent to the topology
	// store; a burst of BGP updates within it becomes one topology update.
	UpdateInterval time.Duration `yaml:"update_interval"`
	// BackoffMin and BackoffMax bound the pause before reconnecting to a
	// peer that reset the session again soon after it came up. The first
	// reset is retried at once; each further one within BackoffMax of the
	// session coming up doubles the pause.
	BackoffMin time.Duration `yaml:"backoff_min"`
	BackoffMax time.Duration `yaml:"backoff_max"`
}

// PeerConfig is one BGP peer.
type PeerConfig struct {
	// Name labels the peer in logs and status; it defaults to Address.
	Name string `yaml:"name"`
	// Address is the peer's address; passive sessions are matched by it.
	Address netip.Addr `yaml:"address"`
	// ASN is the peer's AS number; equal to LocalASN for iBGP.
	ASN uint32 `yaml:"asn"`
	// Passive waits for the peer to connect instead of connecting to it.
	Passive bool `yaml:"passive"`
	// Port is the peer's TCP port for active sessions; 0 means 179.
	Port uint16 `yaml:"port"`
	// LocalAddress is the source address of active sessions; unset lets
	// the kernel choose.
	LocalAddress netip.Addr `yaml:"local_address"`
	// PasswordFile holds the TCP MD5 (RFC 2385) password; surrounding
	// white space is ignored. Empty means no password.
	PasswordFile string `yaml:"password_file"`
	// HoldTime is the BGP hold time offered; 0 means 90s.
	HoldTime time.Duration `yaml:"hold_time"`
	// ConnectRetry is the interval between connection attempts of an
	// active session; 0 means 10s.
	ConnectRetry time.Duration `yaml:"connect_retry"`
	// EBGPMultihopTTL allows an eBGP peer that many hops away; 0 keeps
	// the single-hop default.
	EBGPMultihopTTL uint8 `yaml:"ebgp_multihop_ttl"`
}

// DefaultConfig returns the defaults: disabled, listening on port 1179 on
// every address, BGP-LS only, a 30s stale hold, initial convergence after
// 5s of quiet, updates at most every 200ms, reconnect backoff from 5s to
// 2m. LocalASN, RouterID and Peers have no defaults.
func DefaultConfig() Config {
	return Config{
		ListenPort:       1179,
		StaleHold:        30 * time.Second,
		ConvergenceQuiet: 5 * time.Second,
		UpdateInterval:   200 * time.Millisecond,
		BackoffMin:       5 * time.Second,
		BackoffMax:       2 * time.Minute,
	}
}

// Validate checks the configuration. Messages name the field; all
// problems are reported at once.
func (c Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if c.LocalASN == 0 {
		add("local_asn: required")
	}
	if !c.RouterID.IsValid() {
		add("router_id: required")
	} else if !c.RouterID.Is4() || c.RouterID.IsUnspecified() {
		add("router_id: %s is not a usable IPv4 address", c.RouterID)
	}
	if c.ListenPort != -1 && (c.ListenPort < 1 || c.ListenPort > 65535) {
		add("listen_port: must be 1 to 65535, or -1 never to listen (got %d)", c.ListenPort)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"stale_hold", c.StaleHold}, {"convergence_quiet", c.ConvergenceQuiet}} {
		if d.v < 0 {
			add("%s: must not be negative (got %s)", d.name, d.v)
		}
	}
	if c.UpdateInterval <= 0 {
		add("update_interval: must be positive (got %s)", c.UpdateInterval)
	}
	if c.BackoffMin <= 0 {
		add("backoff_min: must be positive (got %s)", c.BackoffMin)
	}
	if c.BackoffMax < c.BackoffMin {
		add("backoff_max: must be at least backoff_min (got %s < %s)", c.BackoffMax, c.BackoffMin)
	}
	if len(c.Peers) == 0 {
		add("peers: at least one peer is required")
	}
	seen := map[netip.Addr]int{}
	for i, p := range c.Peers {
		f := fmt.Sprintf("peers[%d]", i)
		if !p.Address.IsValid() || p.Address.IsUnspecified() {
			add("%s.address: required", f)
		} else if j, dup := seen[p.Address.Unmap()]; dup {
			add("%s.address: %s is also peers[%d]", f, p.Address, j)
		} else {
			seen[p.Address.Unmap()] = i
		}
		if p.ASN == 0 {
			add("%s.asn: required", f)
		}
		if p.Passive && c.ListenPort == -1 {
			add("%s.passive: needs a listener, but listen_port is -1", f)
		}
		if p.Passive && (p.Port != 0 || p.LocalAddress.IsValid()) {
			add("%s: port and local_address apply to active sessions only", f)
		}
		if p.LocalAddress.IsValid() && p.Address.IsValid() && p.LocalAddress.Is4() != p.Address.Is4() {
			add("%s.local_address: %s is not of the same family as %s", f, p.LocalAddress, p.Address)
		}
		if p.HoldTime != 0 && (p.HoldTime < 3*time.Second || p.HoldTime%time.Second != 0) {
			add("%s.hold_time: must be 0 or whole seconds of at least 3s (got %s)", f, p.HoldTime)
		}
		if p.ConnectRetry < 0 || p.ConnectRetry%time.Second != 0 {
			add("%s.connect_retry: must be whole seconds (got %s)", f, p.ConnectRetry)
		}
		if p.EBGPMultihopTTL != 0 && p.ASN == c.LocalASN {
			add("%s.ebgp_multihop_ttl: only for eBGP peers", f)
		}
	}
	return errors.Join(errs...)
}

// name returns the peer's label.
func (p PeerConfig) name() string {
	if p.Name != "" {
		return p.Name
	}
	return p.Address.String()
}
