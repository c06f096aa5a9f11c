package emulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/altosdn/altosdn/collectors/bgpls/speaker"
	"github.com/altosdn/altosdn/collectors/gnmi/target"
	"github.com/altosdn/altosdn/collectors/static"
	"github.com/altosdn/altosdn/topology"
)

// Emulator plays a network over BGP-LS and gNMI.
type Emulator struct {
	cfg    Config
	logger *slog.Logger
	net    *network
}

// New loads the topology and checks the configuration. A nil logger
// discards.
func New(cfg Config, logger *slog.Logger) (*Emulator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	var t *static.Topology
	var err error
	if cfg.Topology == "" {
		t, err = static.Demo()
	} else {
		t, err = static.Load(cfg.Topology, static.FormatAuto)
	}
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	n, err := buildNetwork(t)
	if err != nil {
		return nil, err
	}
	return &Emulator{cfg: cfg, logger: logger, net: n}, nil
}

// Routers lists the emulated routers: name, router-ID and, when gNMI is
// served, the gNMI address. A daemon's gNMI targets are configured from it.
func (e *Emulator) Routers() []Router {
	rs := make([]Router, len(e.net.nodes))
	for i, n := range e.net.nodes {
		rs[i] = Router{Name: n.Name, RouterID: n.RouterIDv4}
		if e.cfg.GNMIBasePort != 0 {
			rs[i].GNMI = netip.AddrPortFrom(e.cfg.GNMIAddress, e.cfg.GNMIBasePort+uint16(i)).String()
		}
	}
	return rs
}

// Router is one emulated router.
type Router struct {
	Name     string
	RouterID netip.Addr
	GNMI     string // host:port; empty without telemetry
}

// Run plays the network until ctx is done, then closes the BGP session
// and the gNMI servers and returns nil.
func (e *Emulator) Run(ctx context.Context) error {
	// Start GoBGP only once the collector's GoBGP listens: GoBGP v4.8 sets
	// package variables when a server starts, so two servers in one
	// process (as in the demo) should not start at the same moment.
	if err := waitListening(ctx, e.cfg.Peer); err != nil {
		return nil // ctx ended first
	}
	sp, err := speaker.New(speaker.Config{
		LocalASN: e.cfg.ASN, RouterID: e.cfg.RouterID, LocalAddress: e.cfg.LocalAddress,
		PeerAddress: e.cfg.Peer.Addr(), PeerPort: e.cfg.Peer.Port(), PeerASN: e.cfg.PeerASN,
		GracefulRestart: true,
	}, e.logger.With("part", "bgp"))
	if err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	if err := sp.Start(ctx); err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	defer sp.Close()

	targets, err := e.startTargets()
	defer func() {
		for _, t := range targets {
			t.Close()
		}
	}()
	if err != nil {
		return err
	}

	// The nodes and prefixes never change; links are advertised each step.
	base, err := speaker.FromTopology(e.cfg.ASN, e.net.nodes, nil, e.net.prefixes)
	if err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	if err := sp.Advertise(base); err != nil {
		return fmt.Errorf("emulator: advertise nodes: %w", err)
	}
	e.logger.Info("emulated network playing", "routers", len(e.net.nodes), "links", len(e.net.links),
		"peer", e.cfg.Peer.String(), "gnmi_servers", len(targets))

	start := time.Now()
	tick := time.NewTicker(e.cfg.Step)
	defer tick.Stop()
	prev := -1
	for step := 0; ; step++ {
		down := e.failing(step)
		if down != prev {
			e.logFailure(down, prev)
		}
		f := dayFraction(time.Since(start), e.cfg.DayLength)
		if err := e.play(sp, targets, f, down, down != prev); err != nil {
			e.logger.Warn("emulator step failed", "step", step, "err", err)
		}
		prev = down
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// failing returns the pair of links that is down at a step, or -1.
func (e *Emulator) failing(step int) int {
	if e.cfg.FailEvery == 0 || len(e.net.pairs) == 0 {
		return -1
	}
	cycle, at := step/e.cfg.FailEvery, step%e.cfg.FailEvery
	if at < e.cfg.FailEvery-e.cfg.FailFor {
		return -1
	}
	return (cycle * 7) % len(e.net.pairs) // a different link each cycle
}

func (e *Emulator) logFailure(down, was int) {
	name := func(p int) string {
		a := &e.net.links[e.net.pairs[p][0]]
		name := e.net.nodes[a.node].Name
		if r := e.net.pairs[p][1]; r >= 0 {
			name += "--" + e.net.nodes[e.net.links[r].node].Name
		}
		return name
	}
	if was >= 0 {
		e.logger.Info("emulated link restored", "link", name(was))
	}
	if down >= 0 {
		e.logger.Info("emulated link failed", "link", name(down))
	}
}

// play advertises every link's state at day fraction f and sets the
// telemetry. A newly failed pair is withdrawn.
func (e *Emulator) play(sp *speaker.Speaker, targets []*target.Target, f float64, down int, newlyDown bool) error {
	var up, gone []topology.Link
	var errs []error
	for i := range e.net.links {
		l := &e.net.links[i]
		isDown := down >= 0 && (e.net.pairs[down][0] == i || e.net.pairs[down][1] == i)
		st := e.net.state(i, f, isDown)
		link := l.base
		link.Metrics = st.metrics
		if isDown {
			gone = append(gone, link)
		} else {
			up = append(up, link)
		}
		if len(targets) > 0 {
			errs = append(errs, e.setTelemetry(targets[l.node], l, st))
		}
	}
	if len(gone) > 0 && newlyDown {
		t, err := speaker.FromTopology(e.cfg.ASN, e.net.nodes, gone, nil)
		if err == nil {
			t.Nodes = nil // FromTopology lists every node; only the links go
			err = sp.Withdraw(t)
		}
		errs = append(errs, err)
	}
	t, err := speaker.FromTopology(e.cfg.ASN, e.net.nodes, up, nil)
	if err == nil {
		err = sp.Advertise(t)
	}
	return errors.Join(append(errs, err)...)
}

// setTelemetry drives a link's interface: its oper-status and the rates
// its counters grow at (out: this direction's traffic; in: the reverse's).
func (e *Emulator) setTelemetry(t *target.Target, l *elink, st linkState) error {
	if !st.up {
		return errors.Join(t.SetOperStatus(l.iface, target.OperDown), t.SetRates(l.iface, 0, 0))
	}
	capacity, _ := l.base.Metrics.Get(topology.MetricMaxBandwidth)
	in := 0.0
	if l.reverse >= 0 {
		in = e.net.state(l.reverse, 0, false).utilisation * capacity
	}
	return errors.Join(t.SetOperStatus(l.iface, target.OperUp), t.SetRates(l.iface, in, st.utilisation*capacity))
}

// startTargets starts one gNMI server per router with its interfaces.
func (e *Emulator) startTargets() ([]*target.Target, error) {
	if e.cfg.GNMIBasePort == 0 {
		return nil, nil
	}
	var ts []*target.Target
	for i, r := range e.Routers() {
		t, err := target.New(target.Config{Address: r.GNMI, Name: r.Name, Logger: e.logger.With("router", r.Name)})
		if err != nil {
			return ts, fmt.Errorf("emulator: router %s: %w", r.Name, err)
		}
		ts = append(ts, t)
		for j := range e.net.links {
			l := &e.net.links[j]
			if l.node != i {
				continue
			}
			capacity, _ := l.base.Metrics.Get(topology.MetricMaxBandwidth)
			ifc := target.Interface{Name: l.iface, Speed: uint64(capacity),
				Addresses: []netip.Prefix{netip.PrefixFrom(l.base.Key.LocalAddr, 31)}}
			if err := t.SetInterface(ifc); err != nil {
				return ts, fmt.Errorf("emulator: router %s: %w", r.Name, err)
			}
		}
	}
	return ts, nil
}

// dayFraction maps elapsed time onto an emulated day.
func dayFraction(elapsed, day time.Duration) float64 {
	return float64(elapsed%day) / float64(day)
}

// waitListening returns once something accepts TCP connections at addr, or
// with ctx's error.
func waitListening(ctx context.Context, addr netip.AddrPort) error {
	var d net.Dialer
	for {
		c, err := d.DialContext(ctx, "tcp", addr.String())
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
