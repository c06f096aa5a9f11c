package speaker

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/osrg/gobgp/v4/pkg/apiutil"
	"github.com/osrg/gobgp/v4/pkg/packet/bgp"

	"github.com/altosdn/altosdn/collectors/bgpls/rawbgp"
	"github.com/altosdn/altosdn/topology"
)

// paths converts t into GoBGP paths with nextHop as the BGP next hop of
// the BGP-LS routes. withdraw leaves the BGP-LS attribute out.
func paths(t Topology, nextHop netip.Addr, withdraw bool) ([]*apiutil.Path, error) {
	var out []*apiutil.Path
	var errs []error
	ls := func(what string, i int, nlri []byte, tlvs [][]byte, err error) {
		if err == nil {
			var p *apiutil.Path
			p, err = lsPath(nlri, tlvs, nextHop, withdraw)
			if err == nil {
				out = append(out, p)
				return
			}
		}
		errs = append(errs, fmt.Errorf("%s[%d]: %w", what, i, err))
	}
	for i, n := range t.Nodes {
		nlri, tlvs, err := nodeNLRI(n)
		ls("nodes", i, nlri, tlvs, err)
	}
	for i, l := range t.Links {
		nlri, tlvs, err := linkNLRI(l)
		ls("links", i, nlri, tlvs, err)
	}
	for i, p := range t.Prefixes {
		nlri, tlvs, err := prefixNLRI(p)
		ls("prefixes", i, nlri, tlvs, err)
	}
	for i, r := range t.Routes {
		p, err := unicastPath(r, withdraw)
		if err != nil {
			errs = append(errs, fmt.Errorf("routes[%d]: %w", i, err))
			continue
		}
		out = append(out, p)
	}
	return out, errors.Join(errs...)
}

func nodeNLRI(n Node) ([]byte, [][]byte, error) {
	d, err := descriptor(n.Protocol, n.Descriptor)
	if err != nil {
		return nil, nil, err
	}
	var tlvs [][]byte
	if n.Name != "" {
		tlvs = append(tlvs, rawbgp.NodeName(n.Name))
	}
	if n.RouterIDv4.IsValid() {
		tlvs = append(tlvs, rawbgp.RouterIDv4(n.RouterIDv4))
	}
	if n.RouterIDv6.IsValid() {
		tlvs = append(tlvs, rawbgp.RouterIDv6(n.RouterIDv6))
	}
	return rawbgp.NodeNLRI(byte(n.Protocol), n.Identifier, d), appendExtra(tlvs, n.ExtraTLVs), nil
}

func linkNLRI(l Link) ([]byte, [][]byte, error) {
	local, err := descriptor(l.Protocol, l.Local)
	if err != nil {
		return nil, nil, fmt.Errorf("local: %w", err)
	}
	remote, err := descriptor(l.Protocol, l.Remote)
	if err != nil {
		return nil, nil, fmt.Errorf("remote: %w", err)
	}
	// Link descriptors in ascending type order (RFC 9552 §5.2.2).
	var desc [][]byte
	if l.LocalID != 0 || l.RemoteID != 0 {
		desc = append(desc, rawbgp.LinkIDs(l.LocalID, l.RemoteID))
	}
	for _, a := range []netip.Addr{l.LocalAddr, l.RemoteAddr} {
		if a.IsValid() && a.Is4() != l.LocalAddr.Is4() {
			return nil, nil, errors.New("interface and neighbour addresses of different families")
		}
	}
	if l.LocalAddr.IsValid() {
		desc = append(desc, rawbgp.InterfaceAddr(l.LocalAddr))
	}
	if l.RemoteAddr.IsValid() {
		desc = append(desc, rawbgp.NeighborAddr(l.RemoteAddr))
	}
	if l.MTID != 0 {
		desc = append(desc, rawbgp.MTID(l.MTID))
	}
	tlvs, err := linkAttrs(l)
	if err != nil {
		return nil, nil, err
	}
	return rawbgp.LinkNLRI(byte(l.Protocol), l.Identifier, local, remote, desc...), tlvs, nil
}

// linkAttrs encodes the link's metrics in ascending TLV order.
func linkAttrs(l Link) ([][]byte, error) {
	m := &l.Metrics
	var tlvs [][]byte
	get := func(k topology.Metric) (float64, bool) { return m.Get(k) }
	if l.AdminGroup != 0 {
		tlvs = append(tlvs, rawbgp.AdminGroup(l.AdminGroup))
	}
	if v, ok := get(topology.MetricMaxBandwidth); ok {
		tlvs = append(tlvs, rawbgp.MaxBandwidth(v))
	}
	if v, ok := get(topology.MetricMaxReservableBandwidth); ok {
		tlvs = append(tlvs, rawbgp.MaxReservableBandwidth(v))
	}
	if v, ok := get(topology.MetricUnreservedBandwidth); ok {
		tlvs = append(tlvs, rawbgp.UnreservedBandwidth(v))
	}
	if v, ok := get(topology.MetricTE); ok {
		tlvs = append(tlvs, rawbgp.TEMetric(uint32(v)))
	}
	if v, ok := get(topology.MetricIGP); ok {
		if v > 0xffffff {
			return nil, fmt.Errorf("igp metric %g does not fit 24 bits", v)
		}
		tlvs = append(tlvs, rawbgp.IGPMetric(uint32(v)))
	}
	if len(l.SRLGs) > 0 {
		tlvs = append(tlvs, rawbgp.SRLG(l.SRLGs...))
	}
	if v, ok := get(topology.MetricDelay); ok {
		tlvs = append(tlvs, rawbgp.Delay(uint32(v), false))
	}
	lo, okLo := get(topology.MetricMinDelay)
	hi, okHi := get(topology.MetricMaxDelay)
	if okLo || okHi {
		if !okLo {
			lo = hi
		}
		if !okHi {
			hi = lo
		}
		tlvs = append(tlvs, rawbgp.MinMaxDelay(uint32(lo), uint32(hi), false))
	}
	if v, ok := get(topology.MetricDelayVariation); ok {
		tlvs = append(tlvs, rawbgp.DelayVariation(uint32(v)))
	}
	if v, ok := get(topology.MetricLoss); ok {
		tlvs = append(tlvs, rawbgp.Loss(v, false))
	}
	if v, ok := get(topology.MetricResidualBandwidth); ok {
		tlvs = append(tlvs, rawbgp.ResidualBandwidth(v))
	}
	if v, ok := get(topology.MetricAvailableBandwidth); ok {
		tlvs = append(tlvs, rawbgp.AvailableBandwidth(v))
	}
	if v, ok := get(topology.MetricUtilizedBandwidth); ok {
		tlvs = append(tlvs, rawbgp.UtilizedBandwidth(v))
	}
	return appendExtra(tlvs, l.ExtraTLVs), nil
}

func prefixNLRI(p Prefix) ([]byte, [][]byte, error) {
	d, err := descriptor(p.Protocol, p.Node)
	if err != nil {
		return nil, nil, err
	}
	if !p.Prefix.IsValid() {
		return nil, nil, errors.New("invalid prefix")
	}
	var desc [][]byte
	if p.MTID != 0 {
		desc = append(desc, rawbgp.MTID(p.MTID))
	}
	if p.OSPFRouteType != 0 {
		desc = append(desc, rawbgp.OSPFRouteType(p.OSPFRouteType))
	}
	var tlvs [][]byte
	if p.Metric.Set {
		tlvs = append(tlvs, rawbgp.PrefixMetric(uint32(p.Metric.V)))
	}
	return rawbgp.PrefixNLRI(byte(p.Protocol), p.Identifier, d, p.Prefix.Masked(), desc...), appendExtra(tlvs, p.ExtraTLVs), nil
}

func appendExtra(tlvs [][]byte, extra []TLV) [][]byte {
	for _, t := range extra {
		tlvs = append(tlvs, rawbgp.TLV(t.Type, t.Value))
	}
	return tlvs
}

func descriptor(p topology.Protocol, d NodeDescriptor) (rawbgp.NodeDesc, error) {
	out := rawbgp.NodeDesc{AS: d.AS, BGPLSID: d.BGPLSID}
	if p == topology.ProtocolOSPFv2 || p == topology.ProtocolOSPFv3 {
		area := d.OSPFArea
		out.OSPFArea = &area
	}
	if d.IGPRouterID != "" {
		rid, err := ParseIGPRouterID(d.IGPRouterID)
		if err != nil {
			return out, err
		}
		out.IGPRouterID = rid
	}
	if d.BGPRouterID.IsValid() {
		if !d.BGPRouterID.Is4() {
			return out, fmt.Errorf("bgp router-id %s is not IPv4", d.BGPRouterID)
		}
		out.BGPRouterID = d.BGPRouterID
	}
	if out.IGPRouterID == nil && !(out.BGPRouterID.IsValid() && out.AS != 0) {
		return out, errors.New("a node descriptor needs an IGP router-ID, or a BGP router-ID and an AS")
	}
	return out, nil
}

var isoSeparators = strings.NewReplacer(".", "", "-", "")

// ParseIGPRouterID parses an IGP router-ID written as described at
// [NodeDescriptor.IGPRouterID] into its wire bytes.
func ParseIGPRouterID(s string) ([]byte, error) {
	if a, b, ok := strings.Cut(s, ":"); ok {
		x, err1 := netip.ParseAddr(a)
		y, err2 := netip.ParseAddr(b)
		if err1 != nil || err2 != nil || !x.Is4() || !y.Is4() {
			return nil, fmt.Errorf("igp router-id %q: want rid:ifaddr with two IPv4 addresses", s)
		}
		return append(x.AsSlice(), y.AsSlice()...), nil
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Is4() {
		return a.AsSlice(), nil
	}
	// ISO system ID, with an optional pseudonode byte after '.' or '-'.
	h := isoSeparators.Replace(s)
	b, err := hex.DecodeString(h)
	if err != nil || (len(b) != 6 && len(b) != 7) {
		return nil, fmt.Errorf("igp router-id %q: not an IPv4 address, ISO system ID or LAN ID", s)
	}
	return b, nil
}

func lsPath(nlri []byte, tlvs [][]byte, nextHop netip.Addr, withdraw bool) (*apiutil.Path, error) {
	n, err := bgp.NLRIFromSlice(bgp.RF_LS, nlri)
	if err != nil {
		return nil, fmt.Errorf("nlri: %w", err)
	}
	nh, err := bgp.NewPathAttributeNextHop(nextHop)
	if err != nil {
		return nil, fmt.Errorf("next hop: %w", err)
	}
	attrs := []bgp.PathAttributeInterface{bgp.NewPathAttributeOrigin(0), nh}
	if !withdraw && len(tlvs) > 0 {
		ls := &bgp.PathAttributeLs{PathAttribute: bgp.PathAttribute{
			Flags: bgp.PathAttrFlags[bgp.BGP_ATTR_TYPE_LS], Type: bgp.BGP_ATTR_TYPE_LS,
		}}
		for _, t := range tlvs {
			ls.TLVs = append(ls.TLVs, &opaqueTLV{b: t})
		}
		attrs = append(attrs, ls)
	}
	return &apiutil.Path{Family: bgp.RF_LS, Nlri: n, Attrs: attrs, Withdrawal: withdraw}, nil
}

func unicastPath(r Route, withdraw bool) (*apiutil.Path, error) {
	if !r.Prefix.IsValid() {
		return nil, errors.New("invalid prefix")
	}
	fam := bgp.RF_IPv4_UC
	if r.Prefix.Addr().Is6() {
		fam = bgp.RF_IPv6_UC
	}
	n, err := bgp.NewIPAddrPrefix(r.Prefix.Masked())
	if err != nil {
		return nil, err
	}
	nh, err := bgp.NewPathAttributeNextHop(r.NextHop)
	if err != nil {
		return nil, fmt.Errorf("next hop: %w", err)
	}
	return &apiutil.Path{Family: fam, Nlri: n, Attrs: []bgp.PathAttributeInterface{bgp.NewPathAttributeOrigin(0), nh}, Withdrawal: withdraw}, nil
}

// opaqueTLV carries an encoded TLV through GoBGP unchanged. GoBGP only
// serializes it; it never decodes into one.
type opaqueTLV struct{ b []byte }

func (t *opaqueTLV) Len() int { return len(t.b) }
func (t *opaqueTLV) DecodeFromBytes([]byte) error {
	return errors.New("opaque tlv: decode not supported")
}
func (t *opaqueTLV) Serialize() ([]byte, error)   { return t.b, nil }
func (t *opaqueTLV) String() string               { return fmt.Sprintf("{tlv %x}", t.b) }
func (t *opaqueTLV) MarshalJSON() ([]byte, error) { return json.Marshal(t.String()) }
func (t *opaqueTLV) GetLsTLV() bgp.LsTLV {
	return bgp.LsTLV{Type: bgp.LsTLVType(uint16(t.b[0])<<8 | uint16(t.b[1])), Length: uint16(len(t.b) - 4)}
}
