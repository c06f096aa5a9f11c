package gnmi

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"time"
)

// Encodings a target can be asked for, as named in TargetConfig.Encoding.
const (
	EncodingProto    = "proto"
	EncodingJSONIETF = "json_ietf"
)

// DefaultPaths are subscribed when a target lists none: the interface
// counters, oper-status and speed that the overlays need, and the
// interface addresses that match interfaces to links.
var DefaultPaths = []string{
	"/interfaces/interface/state/counters/in-octets",
	"/interfaces/interface/state/counters/out-octets",
	"/interfaces/interface/state/counters/in-errors",
	"/interfaces/interface/state/counters/out-errors",
	"/interfaces/interface/state/counters/in-discards",
	"/interfaces/interface/state/counters/out-discards",
	"/interfaces/interface/state/counters/last-clear",
	"/interfaces/interface/state/oper-status",
	"/interfaces/interface/ethernet/state/port-speed",
	"/interfaces/interface/ethernet/state/negotiated-port-speed",
	"/interfaces/interface/aggregation/state/lag-speed",
	"/interfaces/interface/subinterfaces/subinterface/ipv4/addresses/address/state/ip",
	"/interfaces/interface/subinterfaces/subinterface/ipv6/addresses/address/state/ip",
}

// Config configures the gNMI collector.
type Config struct {
	// Enabled says whether the daemon runs the collector; New ignores it.
	Enabled bool `yaml:"enabled"`
	// Targets are the routers to subscribe to.
	Targets []TargetConfig `yaml:"targets"`
	// TTL is how long a target's telemetry stays valid without news. When
	// it runs out, the target's overlays are withdrawn and links fall back
	// to their nominal values. 0 means three sample intervals of the
	// target.
	TTL time.Duration `yaml:"ttl"`
	// StallTimeout is how long a stream may stay silent before it is torn
	// down and redialled. 0 means two sample intervals plus 5 seconds.
	StallTimeout time.Duration `yaml:"stall_timeout"`
	// DownMeansDown marks a link down for path computation when telemetry
	// reports either of its interfaces down, before BGP-LS withdraws it.
	DownMeansDown bool `yaml:"down_means_down"`
	// ReconnectMin and ReconnectMax bound the exponential backoff between
	// attempts to reach a target.
	ReconnectMin time.Duration `yaml:"reconnect_min"`
	ReconnectMax time.Duration `yaml:"reconnect_max"`
	// KeepaliveTime is the gRPC keepalive interval for an idle connection.
	// Servers reject pings more often than 5 minutes by default
	// (GOAWAY too_many_pings), so keep it at 5m or above unless the target
	// permits more; dead peers are caught sooner by StallTimeout.
	KeepaliveTime time.Duration `yaml:"keepalive_time"`
	// KeepaliveTimeout is how long to wait for a keepalive answer.
	KeepaliveTimeout time.Duration `yaml:"keepalive_timeout"`
}

// TargetConfig configures one gNMI target.
type TargetConfig struct {
	// Name identifies the target in logs and status; required, unique.
	Name string `yaml:"name"`
	// Address is host:port of the gNMI server; required.
	Address string `yaml:"address"`
	// TLS configures transport security; plaintext needs tls.insecure.
	TLS TLSConfig `yaml:"tls"`
	// UsernameFile and PasswordFile hold the credentials sent as "username"
	// and "password" gRPC metadata. Both or neither. They are read at
	// startup and again at every reconnection, so rotated secrets apply.
	UsernameFile string `yaml:"username_file"`
	PasswordFile string `yaml:"password_file"`
	// Encoding is proto (default) or json_ietf.
	Encoding string `yaml:"encoding"`
	// SampleInterval is the SAMPLE interval asked of the target.
	SampleInterval time.Duration `yaml:"sample_interval"`
	// Paths are the subscribed paths; empty means DefaultPaths.
	Paths []string `yaml:"paths"`
	// PrefixTarget is sent as prefix.target; routers usually want it empty,
	// gNMI proxies want the device name.
	PrefixTarget string `yaml:"prefix_target"`

	// The topology node this target is: the node with this router-ID, the
	// node with this address (router-ID or a link's local address), or the
	// node with this name or node ID. Without any of them, the node named
	// like the target, or whose router-ID is the target's host address.
	// Interfaces are matched to links by address without a node; the node
	// restricts that match to its own links and enables InterfaceLinks.
	RouterID    netip.Addr `yaml:"router_id"`
	NodeAddress netip.Addr `yaml:"node_address"`
	NodeName    string     `yaml:"node_name"`

	// InterfaceLinks maps interface names to links, for interfaces whose
	// addresses telemetry does not give or that are unnumbered. A value is
	// the link's local address, a link ID, or the neighbour node (name,
	// node ID or router-ID) when exactly one link leads to it.
	InterfaceLinks map[string]string `yaml:"interface_links"`
}

// TLSConfig configures a target's transport security.
type TLSConfig struct {
	// Insecure selects plaintext gRPC; it must be set explicitly and cannot
	// be combined with the other keys.
	Insecure bool `yaml:"insecure"`
	// CAFile holds the CAs that sign the target's certificate; empty means
	// the system roots.
	CAFile string `yaml:"ca_file"`
	// CertFile and KeyFile are the client certificate, for targets that
	// require one. Both or neither.
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
	// ServerName overrides the name checked in the target's certificate.
	ServerName string `yaml:"server_name"`
	// SkipVerify accepts any server certificate (encrypted but not
	// authenticated); for labs only.
	SkipVerify bool `yaml:"skip_verify"`
}

// DefaultConfig returns the defaults: disabled, no targets, automatic TTL
// and stall timeout, telemetry "down" marks links down, reconnect backoff
// from 1s to 1m, gRPC keepalive every 5m with a 20s timeout.
func DefaultConfig() Config {
	return Config{
		DownMeansDown:    true,
		ReconnectMin:     time.Second,
		ReconnectMax:     time.Minute,
		KeepaliveTime:    5 * time.Minute,
		KeepaliveTimeout: 20 * time.Second,
	}
}

// DefaultSampleInterval is the sample interval of a target that sets none.
const DefaultSampleInterval = 10 * time.Second

// withDefaults fills a target's unset fields.
func (t TargetConfig) withDefaults() TargetConfig {
	if t.Encoding == "" {
		t.Encoding = EncodingProto
	}
	if t.SampleInterval == 0 {
		t.SampleInterval = DefaultSampleInterval
	}
	if len(t.Paths) == 0 {
		t.Paths = DefaultPaths
	}
	return t
}

// ttl returns the staleness TTL for a target.
func (c Config) ttl(t TargetConfig) time.Duration {
	if c.TTL > 0 {
		return c.TTL
	}
	return 3 * t.withDefaults().SampleInterval
}

// stallTimeout returns the stall timeout for a target.
func (c Config) stallTimeout(t TargetConfig) time.Duration {
	if c.StallTimeout > 0 {
		return c.StallTimeout
	}
	return 2*t.withDefaults().SampleInterval + 5*time.Second
}

// minKeepalive is grpc-go's floor for client keepalive pings.
const minKeepalive = 10 * time.Second

// Validate checks the configuration. Messages name the field.
func (c Config) Validate() error {
	var errs []error
	add := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
	}
	if c.TTL < 0 {
		add("ttl", "must not be negative (got %s)", c.TTL)
	}
	if c.StallTimeout < 0 {
		add("stall_timeout", "must not be negative (got %s)", c.StallTimeout)
	}
	if c.ReconnectMin <= 0 {
		add("reconnect_min", "must be positive (got %s)", c.ReconnectMin)
	}
	if c.ReconnectMax < c.ReconnectMin {
		add("reconnect_max", "must not be below reconnect_min (got %s < %s)", c.ReconnectMax, c.ReconnectMin)
	}
	if c.KeepaliveTime < minKeepalive {
		add("keepalive_time", "must be at least %s (got %s)", minKeepalive, c.KeepaliveTime)
	}
	if c.KeepaliveTimeout <= 0 {
		add("keepalive_timeout", "must be positive (got %s)", c.KeepaliveTimeout)
	}
	names := map[string]int{}
	for i, t := range c.Targets {
		field := fmt.Sprintf("targets[%d]", i)
		if t.Name != "" {
			field = fmt.Sprintf("targets[%d] (%s)", i, t.Name)
			if j, dup := names[t.Name]; dup {
				add(field+".name", "duplicate of targets[%d]", j)
			}
			names[t.Name] = i
		}
		errs = append(errs, t.validate(field, c)...)
	}
	return errors.Join(errs...)
}

func (t TargetConfig) validate(field string, c Config) []error {
	var errs []error
	add := func(sub, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s.%s: %s", field, sub, fmt.Sprintf(format, args...)))
	}
	if t.Name == "" {
		add("name", "required")
	}
	if t.Address == "" {
		add("address", "required")
	} else if _, port, err := net.SplitHostPort(t.Address); err != nil || port == "" {
		add("address", "want host:port (got %q)", t.Address)
	}
	if (t.UsernameFile == "") != (t.PasswordFile == "") {
		add("password_file", "username_file and password_file go together")
	}
	tl := t.TLS
	if tl.Insecure && (tl.CAFile != "" || tl.CertFile != "" || tl.KeyFile != "" || tl.ServerName != "" || tl.SkipVerify) {
		add("tls.insecure", "plaintext cannot be combined with ca_file, cert_file, key_file, server_name or skip_verify")
	}
	if (tl.CertFile == "") != (tl.KeyFile == "") {
		add("tls.key_file", "cert_file and key_file go together")
	}
	if tl.SkipVerify && tl.CAFile != "" {
		add("tls.skip_verify", "contradicts ca_file")
	}
	if t.Encoding != "" && !slices.Contains([]string{EncodingProto, EncodingJSONIETF}, t.Encoding) {
		add("encoding", "want %s or %s (got %q)", EncodingProto, EncodingJSONIETF, t.Encoding)
	}
	if t.SampleInterval < 0 {
		add("sample_interval", "must not be negative (got %s)", t.SampleInterval)
	}
	for i, p := range t.Paths {
		if _, err := parsePath(p); err != nil {
			add(fmt.Sprintf("paths[%d]", i), "%v", err)
		}
	}
	if iv := t.withDefaults().SampleInterval; iv > 0 {
		if c.TTL > 0 && c.TTL <= iv {
			add("sample_interval", "must be shorter than ttl (got %s, ttl %s)", iv, c.TTL)
		}
		if c.StallTimeout > 0 && c.StallTimeout <= iv {
			add("sample_interval", "must be shorter than stall_timeout (got %s, stall_timeout %s)", iv, c.StallTimeout)
		}
	}
	for name, sel := range t.InterfaceLinks {
		if name == "" || sel == "" {
			add("interface_links", "empty interface name or link (got %q: %q)", name, sel)
		}
	}
	return errs
}
