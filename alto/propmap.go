package alto

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strconv"

	"github.com/altosdn/altosdn/alto/inventory"
	"github.com/altosdn/altosdn/topology"
)

// Entity property maps (RFC 9240). Entities come from three places:
//
//   - the network map: every prefix of a PID ("ipv4:192.0.2.0/24") has
//     the property "<network map>.pid"; every PID
//     ("<network map>.pid:nyc") has its attachment nodes' AS (.asn), host
//     names (.node-names) and router-IDs (.router-ids);
//   - the topology: every link is an ANE (".ane:<name>", named as in path
//     vectors) with its max-reservable-bandwidth and .capacity (its
//     maximum bandwidth), both in bits/s;
//   - the inventory: properties the operator attaches to PIDs, prefixes and
//     ANEs, served as ".<type>", or as given for "priv:" types.
//
// Addresses and prefixes inherit (RFC 9240 §6.1.3): an address without a
// value takes the value of the longest prefix covering it that has one,
// and null stops the inheritance. The full map lists values where they are
// defined and leaves inheritance to the client, as the RFC allows; the
// filtered map resolves it (propmap_inherit.go). PIDs and ANEs do not
// inherit.

// propView is the property map of one maps version and one inventory.
type propView struct {
	maps *Maps
	inv  *inventory.Inventory

	ip   map[string]*prefixTable   // property → its values on prefixes
	pids map[string]map[string]any // PID name → properties
	anes map[string]map[string]any // ANE name → properties
	all  map[string]map[string]any // entity ID → properties: the full map
	vtag VersionTag
	full *Encoded // the full map's response
}

// propertyView returns the property map of m's version and the current
// inventory, computing it on first use.
func (p *Planning) propertyView(m *Maps) (*propView, error) {
	inv := p.inventory()
	p.propMu.Lock()
	defer p.propMu.Unlock()
	if v := p.prop; v != nil && v.maps == m && v.inv == inv {
		return v, nil
	}
	v, err := buildPropView(m, inv, p.cfg.PathVector.ExposeLinkNames)
	if err != nil {
		return nil, err
	}
	p.prop = v
	return v, nil
}

// planningOrDefault returns m's planning, or one without inventory or
// history for maps that have none.
func (m *Maps) planningOrDefault() *Planning {
	if m.planning != nil {
		return m.planning
	}
	cfg := DefaultConfig()
	cfg.NetworkMap.ResourceID = m.NetworkMap.ResourceID
	return NewPlanning(cfg, nil, nil, nil)
}

func buildPropView(m *Maps, inv *inventory.Inventory, expose bool) (*propView, error) {
	v := &propView{maps: m, inv: inv, ip: map[string]*prefixTable{},
		pids: map[string]map[string]any{}, anes: map[string]map[string]any{}, all: map[string]map[string]any{}}
	nm := m.NetworkMap
	pidProp := nm.ResourceID + ".pid"
	setIP := func(prop string, pr netip.Prefix, val any) {
		t := v.ip[prop]
		if t == nil {
			t = &prefixTable{vals: map[netip.Prefix]any{}}
			v.ip[prop] = t
		}
		t.vals[pr] = val
	}
	for _, pid := range nm.PIDs {
		for _, pr := range pid.Prefixes {
			setIP(pidProp, pr, pid.Name)
		}
	}
	for pr, props := range inv.Prefixes {
		for t, val := range props {
			setIP(inventoryPropertyName(t), pr, val)
		}
	}
	for _, t := range v.ip {
		t.sort()
	}

	g := m.graph
	for _, pid := range nm.PIDs {
		props := pidProperties(g, pid)
		for t, val := range inv.PIDs[pid.Name] {
			props[inventoryPropertyName(t)] = val
		}
		v.pids[pid.Name] = props
	}
	for i := range g.NumLinks() {
		l := g.Link(i)
		name := aneName(l, g, expose)
		if _, dup := v.anes[name]; dup {
			continue // parallel links named alike: the first (lowest ID) speaks for them
		}
		props := map[string]any{}
		if bw, ok := l.Metrics.Get(topology.MetricMaxReservableBandwidth); ok {
			props[PropMaxReservableBandwidth] = bw
		}
		if bw, ok := l.Metrics.Get(topology.MetricMaxBandwidth); ok {
			props[PropCapacity] = bw
		}
		v.anes[name] = props
	}
	for name, inprops := range inv.ANEs {
		props := v.anes[name]
		if props == nil {
			props = map[string]any{}
			v.anes[name] = props
		}
		for t, val := range inprops {
			props[inventoryPropertyName(t)] = val
		}
	}

	for prop, t := range v.ip {
		for _, pr := range t.sorted {
			id := prefixEntityID(pr)
			if v.all[id] == nil {
				v.all[id] = map[string]any{}
			}
			v.all[id][prop] = t.vals[pr]
		}
	}
	for name, props := range v.pids {
		if len(props) > 0 {
			v.all[pidProp+":"+name] = props
		}
	}
	for name, props := range v.anes {
		if len(props) > 0 {
			v.all[DomainANE+":"+name] = props
		}
	}
	data, err := json.Marshal(v.all)
	if err != nil {
		return nil, fmt.Errorf("alto: encode property map: %w", err)
	}
	v.vtag = VersionTag{ResourceID: PropertyMapID, Tag: contentTag(data)}
	body := make([]byte, 0, len(data)+256)
	body = append(body, `{"meta":{"vtag":`...)
	body = appendVersionTag(body, v.vtag)
	body = append(body, `,"dependent-vtags":[`...)
	body = appendVersionTag(body, nm.VersionTag())
	body = append(body, `]},"property-map":`...)
	body = append(body, data...)
	v.full = newEncoded(MediaTypePropMap, append(body, '}'))
	return v, nil
}

// pidProperties derives a PID's properties from its attachment nodes.
func pidProperties(g *topology.Graph, pid PID) map[string]any {
	props := map[string]any{}
	var names, ids []string
	var as uint32
	sameAS := true
	for i, n := range pid.Nodes {
		node := g.Node(int(n))
		if node.Name != "" {
			names = append(names, node.Name)
		}
		for _, a := range []netip.Addr{node.RouterIDv4, node.RouterIDv6} {
			if a.IsValid() {
				ids = append(ids, a.String())
			}
		}
		if i == 0 {
			as = node.Key.AS
		}
		sameAS = sameAS && node.Key.AS == as
	}
	if len(pid.Nodes) > 0 && sameAS && as != 0 {
		props[PropASN] = strconv.FormatUint(uint64(as), 10)
	}
	if len(names) > 0 {
		props[PropNodeNames] = names
	}
	if len(ids) > 0 {
		props[PropRouterIDs] = slices.Compact(ids)
	}
	return props
}

// prefixEntityID names a prefix entity; a /32 or /128 is written as its
// address, as the RFC's examples do.
func prefixEntityID(p netip.Prefix) string {
	domain := DomainIPv4 + ":"
	if p.Addr().Is6() {
		domain = DomainIPv6 + ":"
	}
	if p.IsSingleIP() {
		return domain + p.Addr().String()
	}
	return domain + p.String()
}

// PropertyMap returns the full property map (RFC 9240 §7) of m's version
// and the current inventory, encoded once and shared.
func (m *Maps) PropertyMap() (*Encoded, error) {
	v, err := m.planningOrDefault().propertyView(m)
	if err != nil {
		return nil, err
	}
	return v.full, nil
}
