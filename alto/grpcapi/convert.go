package grpcapi

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/altosdn/altosdn/alto"
	altov1 "github.com/altosdn/altosdn/proto/alto/v1"
	"github.com/altosdn/altosdn/topology"
)

// This file is the only one that translates between generated protobuf
// types and domain types. Conversion from the wire checks every field and
// names it in the error, so a controller learns which element of which
// request was wrong; the store's own validation stays the backstop.

// elements is the content of one push request, converted.
type elements struct {
	nodes    []topology.Node
	links    []topology.Link
	prefixes []topology.Prefix
	overlays []topology.LinkOverlay
}

func (e *elements) count() int {
	return len(e.nodes) + len(e.links) + len(e.prefixes) + len(e.overlays)
}

func (e *elements) add(o *elements) {
	e.nodes = append(e.nodes, o.nodes...)
	e.links = append(e.links, o.links...)
	e.prefixes = append(e.prefixes, o.prefixes...)
	e.overlays = append(e.overlays, o.overlays...)
}

func (e *elements) update(src topology.Source, op topology.Op) topology.Update {
	return topology.Update{Source: src, Op: op, Nodes: e.nodes, Links: e.links, Prefixes: e.prefixes, Overlays: e.overlays}
}

// converter turns push requests into elements. It remembers the identities
// seen in a REPLACE across its chunks, so a duplicate in a later chunk is
// reported with its field.
type converter struct {
	src      topology.Source
	withdraw bool
	nodes    map[topology.NodeID]string // → field that defined it
	links    map[topology.LinkID]string
}

func newConverter(src topology.Source, withdraw bool) *converter {
	return &converter{src: src, withdraw: withdraw, nodes: map[topology.NodeID]string{}, links: map[topology.LinkID]string{}}
}

func (c *converter) convert(req *altov1.PushTopologyRequest) (*elements, error) {
	e := &elements{}
	for i, n := range req.GetNodes() {
		field := fmt.Sprintf("nodes[%d]", i)
		node, err := c.node(n, field)
		if err != nil {
			return nil, err
		}
		if !c.withdraw {
			if first, dup := c.nodes[node.ID]; dup {
				return nil, invalid(field, string(node.ID), "node defined twice (first as %s)", first)
			}
			c.nodes[node.ID] = field
		}
		e.nodes = append(e.nodes, node)
	}
	for i, l := range req.GetLinks() {
		field := fmt.Sprintf("links[%d]", i)
		link, err := c.link(l, field)
		if err != nil {
			return nil, err
		}
		if !c.withdraw {
			if first, dup := c.links[link.ID]; dup {
				return nil, invalid(field, string(link.ID), "link defined twice (first as %s)", first)
			}
			c.links[link.ID] = field
		}
		e.links = append(e.links, link)
	}
	for i, p := range req.GetPrefixes() {
		pfx, err := c.prefix(p, fmt.Sprintf("prefixes[%d]", i))
		if err != nil {
			return nil, err
		}
		e.prefixes = append(e.prefixes, pfx)
	}
	for i, o := range req.GetOverlays() {
		ov, err := c.overlay(o, fmt.Sprintf("overlays[%d]", i))
		if err != nil {
			return nil, err
		}
		e.overlays = append(e.overlays, ov)
	}
	return e, nil
}

func nodeKey(k *altov1.NodeKey, field string) (topology.NodeKey, error) {
	if k == nil {
		return topology.NodeKey{}, missing(field)
	}
	if k.GetRouterId() == "" {
		return topology.NodeKey{}, missing(field + ".router_id")
	}
	p := k.GetProtocol()
	if p < 0 || p > math.MaxUint8 {
		return topology.NodeKey{}, invalid(field+".protocol", strconv.Itoa(int(p)), "protocol out of range")
	}
	return topology.NodeKey{
		Protocol: topology.Protocol(p),
		Instance: k.GetInstance(),
		AS:       k.GetAsn(),
		Area:     k.GetArea(),
		RouterID: k.GetRouterId(),
	}, nil
}

func nodeRef(r *altov1.NodeRef, field string) (topology.NodeID, error) {
	switch {
	case r == nil || (r.GetKey() == nil && r.GetId() == ""):
		return "", missing(field)
	case r.GetKey() != nil && r.GetId() != "":
		return "", invalid(field, r.GetId(), "set key or id, not both")
	case r.GetId() != "":
		return topology.NodeID(r.GetId()), nil
	}
	k, err := nodeKey(r.GetKey(), field+".key")
	if err != nil {
		return "", err
	}
	return k.ID(), nil
}

func addr(s, field string, want4, want6 bool) (netip.Addr, error) {
	if s == "" {
		return netip.Addr{}, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, invalid(field, s, "not an IP address")
	}
	a = a.Unmap()
	if want4 && !a.Is4() || want6 && !a.Is6() {
		return netip.Addr{}, invalid(field, s, "wrong address family")
	}
	return a, nil
}

func (c *converter) node(n *altov1.Node, field string) (topology.Node, error) {
	if n == nil {
		return topology.Node{}, missing(field)
	}
	key, err := nodeKey(n.GetKey(), field+".key")
	if err != nil {
		return topology.Node{}, err
	}
	node := topology.Node{ID: key.ID(), Key: key, Name: n.GetName(), Pseudo: n.GetPseudo()}
	if c.withdraw {
		return node, nil
	}
	if node.RouterIDv4, err = addr(n.GetRouterIdV4(), field+".router_id_v4", true, false); err != nil {
		return topology.Node{}, err
	}
	if node.RouterIDv6, err = addr(n.GetRouterIdV6(), field+".router_id_v6", false, true); err != nil {
		return topology.Node{}, err
	}
	return node, nil
}

func linkKey(k *altov1.LinkKey, field string) (topology.LinkKey, error) {
	if k == nil {
		return topology.LinkKey{}, missing(field)
	}
	var key topology.LinkKey
	var err error
	if key.Local, err = nodeRef(k.GetLocal(), field+".local"); err != nil {
		return key, err
	}
	if key.Remote, err = nodeRef(k.GetRemote(), field+".remote"); err != nil {
		return key, err
	}
	if key.Local == key.Remote {
		return key, invalid(field+".remote", string(key.Remote), "a link must join two different nodes")
	}
	if key.LocalAddr, err = addr(k.GetLocalAddr(), field+".local_addr", false, false); err != nil {
		return key, err
	}
	if key.RemoteAddr, err = addr(k.GetRemoteAddr(), field+".remote_addr", false, false); err != nil {
		return key, err
	}
	if key.LocalAddr.IsValid() && key.RemoteAddr.IsValid() && key.LocalAddr.Is4() != key.RemoteAddr.Is4() {
		return key, invalid(field+".remote_addr", k.GetRemoteAddr(), "local and remote addresses are of different families")
	}
	if k.GetMtid() > math.MaxUint16 {
		return key, invalid(field+".mtid", strconv.FormatUint(uint64(k.GetMtid()), 10), "multi-topology ID above 65535")
	}
	key.LocalIfID, key.RemoteIfID, key.MTID = k.GetLocalIfId(), k.GetRemoteIfId(), uint16(k.GetMtid())
	return key, nil
}

func (c *converter) link(l *altov1.Link, field string) (topology.Link, error) {
	if l == nil {
		return topology.Link{}, missing(field)
	}
	key, err := linkKey(l.GetKey(), field+".key")
	if err != nil {
		return topology.Link{}, err
	}
	link := topology.Link{ID: key.ID(), Key: key, Down: l.GetDown()}
	if c.withdraw {
		return link, nil
	}
	link.Metrics, err = metrics(l.GetMetrics(), field+".metrics", c.src)
	return link, err
}

// metricFields lists the proto metric fields with their topology metric.
var metricFields = []struct {
	name   string
	metric topology.Metric
	get    func(*altov1.LinkMetrics) *float64
}{
	{"igp_metric", topology.MetricIGP, func(m *altov1.LinkMetrics) *float64 { return m.IgpMetric }},
	{"te_metric", topology.MetricTE, func(m *altov1.LinkMetrics) *float64 { return m.TeMetric }},
	{"max_bandwidth_bps", topology.MetricMaxBandwidth, func(m *altov1.LinkMetrics) *float64 { return m.MaxBandwidthBps }},
	{"max_reservable_bandwidth_bps", topology.MetricMaxReservableBandwidth, func(m *altov1.LinkMetrics) *float64 { return m.MaxReservableBandwidthBps }},
	{"unreserved_bandwidth_bps", topology.MetricUnreservedBandwidth, func(m *altov1.LinkMetrics) *float64 { return m.UnreservedBandwidthBps }},
	{"delay_us", topology.MetricDelay, func(m *altov1.LinkMetrics) *float64 { return m.DelayUs }},
	{"min_delay_us", topology.MetricMinDelay, func(m *altov1.LinkMetrics) *float64 { return m.MinDelayUs }},
	{"max_delay_us", topology.MetricMaxDelay, func(m *altov1.LinkMetrics) *float64 { return m.MaxDelayUs }},
	{"delay_variation_us", topology.MetricDelayVariation, func(m *altov1.LinkMetrics) *float64 { return m.DelayVariationUs }},
	{"loss_percent", topology.MetricLoss, func(m *altov1.LinkMetrics) *float64 { return m.LossPercent }},
	{"residual_bandwidth_bps", topology.MetricResidualBandwidth, func(m *altov1.LinkMetrics) *float64 { return m.ResidualBandwidthBps }},
	{"available_bandwidth_bps", topology.MetricAvailableBandwidth, func(m *altov1.LinkMetrics) *float64 { return m.AvailableBandwidthBps }},
	{"utilized_bandwidth_bps", topology.MetricUtilizedBandwidth, func(m *altov1.LinkMetrics) *float64 { return m.UtilizedBandwidthBps }},
}

func metrics(m *altov1.LinkMetrics, field string, src topology.Source) (topology.Metrics, error) {
	var out topology.Metrics
	if m == nil {
		return out, nil
	}
	for _, f := range metricFields {
		p := f.get(m)
		if p == nil {
			continue
		}
		v := *p
		text := strconv.FormatFloat(v, 'g', -1, 64)
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			return out, invalid(field+"."+f.name, text, "not a finite number")
		case v < 0:
			return out, invalid(field+"."+f.name, text, "negative")
		case f.metric == topology.MetricLoss && v > 100:
			return out, invalid(field+"."+f.name, text, "loss above 100 percent")
		}
		out = out.With(f.metric, v, src)
	}
	lo, hasLo := out.Get(topology.MetricMinDelay)
	hi, hasHi := out.Get(topology.MetricMaxDelay)
	if hasLo && hasHi && lo > hi {
		return out, invalid(field+".min_delay_us", strconv.FormatFloat(lo, 'g', -1, 64), "above max_delay_us")
	}
	return out, nil
}

func (c *converter) prefix(p *altov1.Prefix, field string) (topology.Prefix, error) {
	if p == nil {
		return topology.Prefix{}, missing(field)
	}
	node, err := nodeRef(p.GetNode(), field+".node")
	if err != nil {
		return topology.Prefix{}, err
	}
	if p.GetPrefix() == "" {
		return topology.Prefix{}, missing(field + ".prefix")
	}
	pfx, err := netip.ParsePrefix(p.GetPrefix())
	if err != nil {
		return topology.Prefix{}, invalid(field+".prefix", p.GetPrefix(), "not a CIDR prefix")
	}
	if pfx != pfx.Masked() {
		return topology.Prefix{}, invalid(field+".prefix", p.GetPrefix(), "host bits set (want %s)", pfx.Masked())
	}
	out := topology.Prefix{Node: node, Prefix: pfx}
	if p.Metric != nil && !c.withdraw {
		v := p.GetMetric()
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return topology.Prefix{}, invalid(field+".metric", strconv.FormatFloat(v, 'g', -1, 64), "not a finite, non-negative number")
		}
		out.Metric = topology.Known(v, c.src)
	}
	return out, nil
}

func (c *converter) overlay(o *altov1.LinkOverlay, field string) (topology.LinkOverlay, error) {
	if o == nil {
		return topology.LinkOverlay{}, missing(field)
	}
	key, err := linkKey(o.GetLink(), field+".link")
	if err != nil {
		return topology.LinkOverlay{}, err
	}
	out := topology.LinkOverlay{Link: key.ID()}
	if c.withdraw {
		return out, nil
	}
	switch o.GetStatus() {
	case altov1.LinkStatus_LINK_STATUS_UNSPECIFIED:
		out.Status = topology.StatusUnknown
	case altov1.LinkStatus_LINK_STATUS_UP:
		out.Status = topology.StatusUp
	case altov1.LinkStatus_LINK_STATUS_DOWN:
		out.Status = topology.StatusDown
	default:
		return out, invalid(field+".status", strconv.Itoa(int(o.GetStatus())), "unknown link status")
	}
	out.Metrics, err = metrics(o.GetMetrics(), field+".metrics", c.src)
	return out, err
}

func operation(op altov1.Operation) (topology.Op, error) {
	switch op {
	case altov1.Operation_OPERATION_UPSERT:
		return topology.OpUpsert, nil
	case altov1.Operation_OPERATION_WITHDRAW:
		return topology.OpWithdraw, nil
	case altov1.Operation_OPERATION_REPLACE:
		return topology.OpReplace, nil
	case altov1.Operation_OPERATION_UNSPECIFIED:
		return 0, missing("operation")
	}
	return 0, invalid("operation", strconv.Itoa(int(op)), "unknown operation")
}

// ---------------------------------------------------------------------------
// Maps to the wire.

func vtagProto(v alto.VersionTag) *altov1.VersionTag {
	return &altov1.VersionTag{ResourceId: v.ResourceID, Tag: v.Tag}
}

func networkMapProto(nm *alto.NetworkMap) *altov1.NetworkMap {
	out := &altov1.NetworkMap{Vtag: vtagProto(nm.VersionTag()), Pids: make([]*altov1.Pid, len(nm.PIDs))}
	for i, p := range nm.PIDs {
		pid := &altov1.Pid{Name: p.Name}
		for _, pfx := range p.Prefixes {
			if pfx.Addr().Is4() {
				pid.Ipv4 = append(pid.Ipv4, pfx.String())
			} else {
				pid.Ipv6 = append(pid.Ipv6, pfx.String())
			}
		}
		out.Pids[i] = pid
	}
	return out
}

// costMapProto lists the defined costs of cm, whose PIDs are those of nm (a
// cost map always depends on the network map published with it).
func costMapProto(cm *alto.CostMap, nm *alto.NetworkMap) (*altov1.CostMap, error) {
	if cm.DependentVTag != nm.VersionTag() || cm.NumPIDs() != len(nm.PIDs) {
		return nil, fmt.Errorf("cost map %s does not depend on network map %s", cm.ResourceID, nm.Tag)
	}
	out := &altov1.CostMap{
		ResourceId:     cm.ResourceID,
		CostType:       &altov1.CostType{Metric: cm.Type.Metric, Mode: cm.Type.Mode},
		DependentVtags: []*altov1.VersionTag{vtagProto(cm.DependentVTag)},
		Tag:            cm.Response.Tag,
	}
	n := len(nm.PIDs)
	for s := range n {
		var row *altov1.CostMapRow
		for d := range n {
			v, ok := cm.Cost(s, d)
			if !ok {
				continue
			}
			if row == nil {
				row = &altov1.CostMapRow{Src: nm.PIDs[s].Name}
			}
			row.Costs = append(row.Costs, &altov1.CostMapEntry{Dst: nm.PIDs[d].Name, Cost: v})
		}
		if row != nil {
			out.Rows = append(out.Rows, row)
		}
	}
	return out, nil
}

func resourceProto(r alto.Resource) (*altov1.Resource, bool) {
	out := &altov1.Resource{ResourceId: r.ID, MediaType: r.MediaType, Uses: r.Uses}
	switch r.Kind {
	case alto.KindNetworkMap:
		out.Kind = altov1.ResourceKind_RESOURCE_KIND_NETWORK_MAP
	case alto.KindCostMap:
		out.Kind = altov1.ResourceKind_RESOURCE_KIND_COST_MAP
	default:
		return nil, false // filtered and endpoint services are HTTP only
	}
	for _, ct := range r.CostTypes {
		out.CostTypes = append(out.CostTypes, &altov1.CostType{Metric: ct.Metric, Mode: ct.Mode})
	}
	return out, true
}

func tsProto(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}
