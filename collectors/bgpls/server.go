package bgpls

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	gobgpapi "github.com/osrg/gobgp/v4/api"
	"github.com/osrg/gobgp/v4/pkg/packet/bgp"
	gobgp "github.com/osrg/gobgp/v4/pkg/server"
)

// This file embeds GoBGP: it starts the server, configures the peers and
// points GoBGP's MRT update dump at the tap.

var (
	familyLS   = &gobgpapi.Family{Afi: gobgpapi.Family_AFI_LS, Safi: gobgpapi.Family_SAFI_LS}
	familyIPv4 = &gobgpapi.Family{Afi: gobgpapi.Family_AFI_IP, Safi: gobgpapi.Family_SAFI_UNICAST}
	familyIPv6 = &gobgpapi.Family{Afi: gobgpapi.Family_AFI_IP6, Safi: gobgpapi.Family_SAFI_UNICAST}
)

// families returns the address families to negotiate, as GoBGP's API and
// packet packages name them.
func (c *Config) families() ([]*gobgpapi.Family, []bgp.Family) {
	api, pkt := []*gobgpapi.Family{familyLS}, []bgp.Family{bgp.RF_LS}
	if c.IPv4Unicast {
		api, pkt = append(api, familyIPv4), append(pkt, bgp.RF_IPv4_UC)
	}
	if c.IPv6Unicast {
		api, pkt = append(api, familyIPv6), append(pkt, bgp.RF_IPv6_UC)
	}
	return api, pkt
}

// newServer starts an embedded GoBGP and its management loop. GoBGP logs
// through logger, but only at Warn and above: at Info it reports every
// session event, which the collector logs itself in its own words.
func newServer(ctx context.Context, cfg *Config, logger *slog.Logger) (*gobgp.BgpServer, error) {
	s := gobgp.NewBgpServer(gobgp.LoggerOption(slog.New(minLevel{slog.LevelWarn, logger.Handler()}), nil))
	go s.Serve()
	g := &gobgpapi.Global{Asn: cfg.LocalASN, RouterId: cfg.RouterID.String(), ListenPort: cfg.ListenPort}
	if cfg.ListenAddress.IsValid() {
		g.ListenAddresses = []string{cfg.ListenAddress.String()}
	}
	if err := s.StartBgp(ctx, &gobgpapi.StartBgpRequest{Global: g}); err != nil {
		s.Stop()
		return nil, fmt.Errorf("start bgp: %w", err)
	}
	return s, nil
}

// peerRequest builds GoBGP's peer configuration. Every peer gets an export
// policy that rejects everything: the collector never re-advertises, so
// two route reflectors never learn each other's routes through it. The
// graceful-restart capability is offered in helper mode only, because
// speakers send End-of-RIB only to peers that negotiated it, and
// End-of-RIB is the exact signal that the initial table is complete.
func peerRequest(cfg *Config, p PeerConfig, password string) *gobgpapi.Peer {
	fams, _ := cfg.families()
	req := &gobgpapi.Peer{
		Conf: &gobgpapi.PeerConf{
			NeighborAddress: p.Address.String(),
			PeerAsn:         p.ASN,
			AuthPassword:    password,
			Description:     p.Name,
		},
		Transport: &gobgpapi.Transport{PassiveMode: p.Passive, RemotePort: uint32(p.Port)},
		Timers: &gobgpapi.Timers{Config: &gobgpapi.TimersConfig{
			HoldTime:          p.holdSeconds(),
			KeepaliveInterval: p.holdSeconds() / 3,
			ConnectRetry:      p.retrySeconds(),
		}},
		ApplyPolicy: &gobgpapi.ApplyPolicy{
			ExportPolicy: &gobgpapi.PolicyAssignment{DefaultAction: gobgpapi.RouteAction_ROUTE_ACTION_REJECT},
			// The collector reads routes before policy, so GoBGP's own
			// best-path table would only cost memory and CPU.
			ImportPolicy: &gobgpapi.PolicyAssignment{DefaultAction: gobgpapi.RouteAction_ROUTE_ACTION_REJECT},
		},
		GracefulRestart: &gobgpapi.GracefulRestart{Enabled: true, HelperOnly: true, RestartTime: 120},
	}
	if p.LocalAddress.IsValid() {
		req.Transport.LocalAddress = p.LocalAddress.String()
	}
	if p.EBGPMultihopTTL > 0 {
		req.EbgpMultihop = &gobgpapi.EbgpMultihop{Enabled: true, MultihopTtl: uint32(p.EBGPMultihopTTL)}
	}
	for _, f := range fams {
		req.AfiSafis = append(req.AfiSafis, &gobgpapi.AfiSafi{
			Config:            &gobgpapi.AfiSafiConfig{Family: f, Enabled: true},
			MpGracefulRestart: &gobgpapi.MpGracefulRestart{Config: &gobgpapi.MpGracefulRestartConfig{Enabled: true}},
		})
	}
	return req
}

// holdSeconds returns the hold time in seconds, 90 when unset.
func (p PeerConfig) holdSeconds() uint64 {
	if p.HoldTime == 0 {
		return 90
	}
	return uint64(p.HoldTime / time.Second)
}

// retrySeconds returns the connect retry interval in seconds, 10 when unset.
func (p PeerConfig) retrySeconds() uint64 {
	if p.ConnectRetry == 0 {
		return 10
	}
	return uint64(p.ConnectRetry / time.Second)
}

// readPassword reads a TCP MD5 password file.
func readPassword(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("password file: %w", err)
	}
	pw := strings.TrimSpace(string(b))
	if pw == "" {
		return "", fmt.Errorf("password file %s: empty", path)
	}
	if len(pw) > 80 {
		return "", fmt.Errorf("password file %s: longer than the 80 bytes TCP MD5 allows", path)
	}
	return pw, nil
}

// enableMRT makes GoBGP dump every received UPDATE, as received, into
// the tap's FIFO. GoBGP v4.8's DisableMrt ignores the file name it is
// given, so the dump cannot be stopped again: it ends with the process.
// Only its goroutines remain after Run returns; the FIFO file is gone.
func enableMRT(ctx context.Context, s *gobgp.BgpServer, path string) error {
	err := s.EnableMrt(ctx, &gobgpapi.EnableMrtRequest{DumpType: gobgpapi.EnableMrtRequest_DUMP_TYPE_UPDATES, Filename: path})
	if err != nil {
		return fmt.Errorf("enable mrt dump: %w", err)
	}
	return nil
}

// minLevel drops records below a level before they reach the handler.
type minLevel struct {
	min slog.Level
	h   slog.Handler
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.h.Enabled(ctx, l)
}
func (m minLevel) Handle(ctx context.Context, r slog.Record) error { return m.h.Handle(ctx, r) }
func (m minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{m.min, m.h.WithAttrs(as)}
}
func (m minLevel) WithGroup(name string) slog.Handler { return minLevel{m.min, m.h.WithGroup(name)} }
