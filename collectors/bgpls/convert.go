package bgpls

import (
	"errors"
	"fmt"
	"math"
	"net/netip"

	"github.com/osrg/gobgp/v4/pkg/apiutil"
	"github.com/osrg/gobgp/v4/pkg/packet/bgp"

	"github.com/altosdn/altosdn/topology"
)

// This file is the boundary between GoBGP's packet types and the
// collector's own route model: everything past it is GoBGP-free.

// errUnsupported marks NLRIs the collector deliberately ignores (SRv6 SID
// NLRIs, other families); they are counted, not treated as errors.
var errUnsupported = errors.New("unsupported nlri")

// convertPath turns one GoBGP path into the collector's key and route.
// Withdrawals carry the route's identity too, since the derivation ignores
// it for them. It never panics on odd input; it returns an error instead.
func convertPath(p *apiutil.Path) (key string, r *route, err error) {
	defer func() {
		if v := recover(); v != nil {
			key, r, err = "", nil, fmt.Errorf("decode %s path: panic: %v", p.Family, v)
		}
	}()
	switch n := p.Nlri.(type) {
	case *bgp.LsAddrPrefix:
		return convertLS(n, p.Attrs)
	case *bgp.IPAddrPrefix:
		if p.Family != bgp.RF_IPv4_UC && p.Family != bgp.RF_IPv6_UC {
			return "", nil, fmt.Errorf("%w: family %s", errUnsupported, p.Family)
		}
		pfx := n.Prefix.Masked()
		r := &route{Kind: kindUnicast, Prefix: pfx, NextHop: nextHop(p.Attrs)}
		return unicastKey(pfx), r, nil
	case nil:
		return "", nil, errors.New("path without nlri")
	default:
		return "", nil, fmt.Errorf("%w: %T in family %s", errUnsupported, n, p.Family)
	}
}

// unicastKey is the table key of a unicast route. The first byte keeps it
// apart from serialized BGP-LS NLRIs, which start with a 2-byte type.
func unicastKey(p netip.Prefix) string { return "\xffu" + p.String() }

// lsKey is the table key of a BGP-LS NLRI: its serialized form, the same
// key GoBGP's own table uses, so NLRIs GoBGP keeps apart stay apart here.
func lsKey(n *bgp.LsAddrPrefix) (string, error) {
	b, err := n.Serialize()
	if err != nil {
		return "", fmt.Errorf("serialize nlri: %w", err)
	}
	return string(b), nil
}

func nextHop(attrs []bgp.PathAttributeInterface) netip.Addr {
	for _, a := range attrs {
		switch a := a.(type) {
		case *bgp.PathAttributeNextHop:
			return a.Value
		case *bgp.PathAttributeMpReachNLRI:
			return a.Nexthop
		}
	}
	return netip.Addr{}
}

func convertLS(n *bgp.LsAddrPrefix, attrs []bgp.PathAttributeInterface) (string, *route, error) {
	key, err := lsKey(n)
	if err != nil {
		return "", nil, err
	}
	r, err := convertLSNLRI(n)
	if err != nil {
		return "", nil, err
	}
	for _, a := range attrs {
		if ls, ok := a.(*bgp.PathAttributeLs); ok {
			applyLsAttr(r, ls)
		}
	}
	return key, r, nil
}

// convertLSNLRI converts the NLRI part, without attributes.
func convertLSNLRI(n *bgp.LsAddrPrefix) (*route, error) {
	r := &route{}
	var local, remote bgp.LsTLVInterface
	var desc []bgp.LsTLVInterface
	switch v := n.NLRI.(type) {
	case *bgp.LsNodeNLRI:
		r.Kind, local, r.nodeInfo = kindNode, v.LocalNodeDesc, &nodeInfo{}
		r.Protocol, r.Identifier = topology.Protocol(v.ProtocolID), v.Identifier
	case *bgp.LsLinkNLRI:
		r.Kind, local, remote, desc = kindLink, v.LocalNodeDesc, v.RemoteNodeDesc, v.LinkDesc
		r.linkInfo = &linkInfo{}
		r.Protocol, r.Identifier = topology.Protocol(v.ProtocolID), v.Identifier
	case *bgp.LsPrefixV4NLRI:
		r.Kind, local, desc = kindPrefix, v.LocalNodeDesc, v.PrefixDesc
		r.Protocol, r.Identifier = topology.Protocol(v.ProtocolID), v.Identifier
	case *bgp.LsPrefixV6NLRI:
		r.Kind, local, desc = kindPrefix, v.LocalNodeDesc, v.PrefixDesc
		r.Protocol, r.Identifier = topology.Protocol(v.ProtocolID), v.Identifier
	default:
		return nil, fmt.Errorf("%w: bgp-ls nlri type %d", errUnsupported, n.Type)
	}
	var err error
	if r.Local, err = convertNodeDesc(local); err != nil {
		return nil, fmt.Errorf("local node descriptor: %w", err)
	}
	if r.Kind == kindLink {
		if r.Remote, err = convertNodeDesc(remote); err != nil {
			return nil, fmt.Errorf("remote node descriptor: %w", err)
		}
	}
	var v4l, v4r, v6l, v6r netip.Addr
	ipv6 := n.Type == bgp.LS_NLRI_TYPE_PREFIX_IPV6
	for _, t := range desc {
		switch t := t.(type) {
		case *bgp.LsTLVLinkID:
			if r.linkInfo != nil {
				r.LocalID, r.RemoteID = t.Local, t.Remote
			}
		case *bgp.LsTLVIPv4InterfaceAddr:
			v4l = t.IP
		case *bgp.LsTLVIPv4NeighborAddr:
			v4r = t.IP
		case *bgp.LsTLVIPv6InterfaceAddr:
			v6l = t.IP
		case *bgp.LsTLVIPv6NeighborAddr:
			v6r = t.IP
		case *bgp.LsTLVMultiTopoID:
			for _, id := range t.MultiTopoIDs {
				r.MTIDs = append(r.MTIDs, id&0x0fff) // the top 4 bits are flags (RFC 9552 §5.2.2.1)
			}
		case *bgp.LsTLVOspfRouteType:
			r.OSPFRouteType = uint8(t.RouteType)
		case *bgp.LsTLVIPReachability:
			p, err := reachability(t, ipv6)
			if err != nil {
				return nil, err
			}
			r.Prefix = p
		}
	}
	if r.linkInfo != nil {
		if v4l.IsValid() || v4r.IsValid() {
			r.LocalAddr, r.RemoteAddr = v4l, v4r
		} else {
			r.LocalAddr, r.RemoteAddr = v6l, v6r
		}
	}
	if r.Kind == kindPrefix && !r.Prefix.IsValid() {
		return nil, errors.New("prefix nlri without ip reachability")
	}
	return r, nil
}

func convertNodeDesc(t bgp.LsTLVInterface) (nodeDesc, error) {
	nd, ok := t.(*bgp.LsTLVNodeDescriptor)
	if !ok || nd == nil {
		return nodeDesc{}, fmt.Errorf("unexpected descriptor %T", t)
	}
	var d nodeDesc
	for _, s := range nd.SubTLVs {
		switch s := s.(type) {
		case *bgp.LsTLVAutonomousSystem:
			d.AS = s.ASN
		case *bgp.LsTLVBgpLsID:
			d.BGPLSID = s.BGPLsID
		case *bgp.LsTLVOspfAreaID:
			d.Area = s.AreaID
		case *bgp.LsTLVIgpRouterID:
			d.IGPRouterID = string(s.RouterID)
		case *bgp.LsTLVBgpRouterID:
			d.BGPRouterID = s.RouterID
		case *bgp.LsTLVBgpConfederationMember:
			d.Confed = s.BgpConfederationMember
		}
	}
	if d.IGPRouterID == "" && !d.BGPRouterID.IsValid() {
		return nodeDesc{}, errors.New("neither igp nor bgp router-id")
	}
	return d, nil
}

// reachability decodes TLV 265 (RFC 9552 §5.2.3.2): a prefix length and
// the significant bytes of the prefix.
func reachability(t *bgp.LsTLVIPReachability, ipv6 bool) (netip.Prefix, error) {
	var b [16]byte
	copy(b[:], t.Prefix)
	addr := netip.AddrFrom16(b)
	if !ipv6 {
		addr = netip.AddrFrom4([4]byte(b[:4]))
	}
	p, err := addr.Prefix(int(t.PrefixLength))
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("ip reachability: %w", err)
	}
	return p, nil
}

// applyLsAttr copies what GoBGP decoded from the BGP-LS attribute into r.
// Bandwidths arrive in bytes per second and become bits per second.
func applyLsAttr(r *route, ls *bgp.PathAttributeLs) {
	switch {
	case r.Kind == kindNode && r.nodeInfo == nil:
		r.nodeInfo = &nodeInfo{}
	case r.Kind == kindLink && r.linkInfo == nil:
		r.linkInfo = &linkInfo{}
	}
	if r.Kind == kindNode {
		// Extract keeps only the last of repeated router-IDs; next-hop
		// matching wants all of them.
		for _, t := range ls.TLVs {
			switch t := t.(type) {
			case *bgp.LsTLVLocalIPv4RouterID:
				r.Addresses = append(r.Addresses, t.IP)
			case *bgp.LsTLVLocalIPv6RouterID:
				r.Addresses = append(r.Addresses, t.IP)
			}
		}
	}
	x := ls.Extract()
	set := func(k topology.Metric, v float64) {
		r.Metrics[k] = topology.Known(v, topology.SourceBGPLS)
	}
	setBW := func(k topology.Metric, v *float32) {
		if v == nil {
			return
		}
		f := float64(*v)
		if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
			return // the store would reject the whole update
		}
		set(k, f*8)
	}
	switch r.Kind {
	case kindNode:
		if x.Node.Name != nil {
			r.Name = *x.Node.Name
		}
		if x.Node.LocalRouterID != nil {
			r.RouterIDv4 = *x.Node.LocalRouterID
		}
		if x.Node.LocalRouterIDv6 != nil {
			r.RouterIDv6 = *x.Node.LocalRouterIDv6
		}
	case kindLink:
		l := &x.Link
		if l.IGPMetric != nil {
			set(topology.MetricIGP, float64(*l.IGPMetric))
		}
		if l.DefaultTEMetric != nil {
			set(topology.MetricTE, float64(*l.DefaultTEMetric))
		}
		setBW(topology.MetricMaxBandwidth, l.Bandwidth)
		setBW(topology.MetricMaxReservableBandwidth, l.ReservableBandwidth)
		if l.UnreservedBandwidth != nil {
			setBW(topology.MetricUnreservedBandwidth, &l.UnreservedBandwidth[0])
		}
		if l.UnidirectionalLinkDelay != nil {
			set(topology.MetricDelay, float64(l.UnidirectionalLinkDelay.Delay&0xffffff))
		}
		if d := l.MinMaxUnidirectionalLinkDelay; d != nil {
			set(topology.MetricMinDelay, float64(d.MinDelay&0xffffff))
			set(topology.MetricMaxDelay, float64(d.MaxDelay&0xffffff))
		}
		if l.UnidirectionalDelayVariation != nil {
			set(topology.MetricDelayVariation, float64(*l.UnidirectionalDelayVariation&0xffffff))
		}
		if l.AdminGroup != nil {
			r.AdminGroup = *l.AdminGroup
		}
	}
}
