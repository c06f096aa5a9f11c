package alto

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// endpoint is a typed endpoint address (RFC 7285 §10.4) as the client wrote
// it, which is also how responses name it.
type endpoint struct {
	text string
	addr netip.Addr
}

// parseEndpoint reads "ipv4:192.0.2.1" or "ipv6:2001:db8::1".
func parseEndpoint(s string) (netip.Addr, bool) {
	typ, addr, ok := strings.Cut(s, ":")
	if !ok {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(addr)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, false
	}
	switch typ {
	case "ipv4":
		return a, a.Is4()
	case "ipv6":
		return a, a.Is6()
	}
	return netip.Addr{}, false
}

// getEndpoints reads an array of typed endpoint addresses.
func getEndpoints(obj object, key, parent string, required bool, limits Limits) ([]endpoint, error) {
	strs, _, err := getStrings(obj, key, parent, required)
	if err != nil {
		return nil, err
	}
	field := joinPath(parent, key)
	if len(strs) > limits.MaxEndpoints {
		return nil, invalid(field, fmt.Sprintf("%d endpoints", len(strs)), fmt.Sprintf("at most %d endpoints per request", limits.MaxEndpoints))
	}
	out := make([]endpoint, 0, len(strs))
	for _, s := range dedupe(strs) {
		a, ok := parseEndpoint(s)
		if !ok {
			return nil, invalid(field, s, "not a typed endpoint address (ipv4:… or ipv6:…)")
		}
		out = append(out, endpoint{text: s, addr: a})
	}
	return out, nil
}

// EndpointProperties answers an endpoint property request (RFC 7285 §11.4)
// sent to resource res. A property an endpoint does not have is left out
// for that endpoint only.
func (m *Maps) EndpointProperties(res Resource, body []byte, limits Limits) ([]byte, error) {
	req, err := decodeRequest(body)
	if err != nil {
		return nil, err
	}
	props, _, err := getStrings(req, "properties", "", true)
	if err != nil {
		return nil, err
	}
	if len(props) == 0 {
		return nil, invalid("properties", "", "at least one property")
	}
	props = dedupe(props)
	for _, p := range props {
		if !slices.Contains(res.PropTypes, p) {
			return nil, invalid("properties", p, "property not offered by this resource")
		}
	}
	eps, err := getEndpoints(req, "endpoints", "", true, limits)
	if err != nil {
		return nil, err
	}
	if len(eps) == 0 {
		return nil, invalid("endpoints", "", "at least one endpoint")
	}
	pidProp := m.NetworkMap.ResourceID + ".pid"
	out := make(map[string]map[string]string, len(eps))
	for _, ep := range eps {
		vals := map[string]string{}
		for _, p := range props {
			if p == pidProp {
				if i, ok := m.pidLPM.Lookup(ep.addr); ok {
					vals[p] = m.NetworkMap.PIDs[i].Name
				}
				continue
			}
			if n, ok := m.nodeLPM.Lookup(ep.addr); ok {
				if v, ok := nodeProperty(m.graph.Node(int(n)), p); ok {
					vals[p] = v
				}
			}
		}
		out[ep.text] = vals
	}
	resp := struct {
		Meta struct {
			DependentVTags []VersionTag `json:"dependent-vtags"`
		} `json:"meta"`
		Props map[string]map[string]string `json:"endpoint-properties"`
	}{Props: out}
	// Every property is derived from the network map's version.
	resp.Meta.DependentVTags = []VersionTag{m.NetworkMap.VersionTag()}
	b, err := json.Marshal(resp)
	if err != nil {
		return nil, fmt.Errorf("alto: encode endpoint properties: %w", err)
	}
	return b, nil
}

// EndpointCost answers an endpoint cost request (RFC 7285 §11.5, RFC 8189)
// sent to resource res. Endpoints map to PIDs by longest-prefix match and
// take their PIDs' costs. An empty or absent srcs or dsts list stands for
// client, the address the request came from (§11.5.1.3).
func (m *Maps) EndpointCost(res Resource, body []byte, client netip.Addr, limits Limits) ([]byte, error) {
	req, err := decodeRequest(body)
	if err != nil {
		return nil, err
	}
	q, err := parseCostQuery(req, res, m)
	if err != nil {
		return nil, err
	}
	srcs, dsts, err := endpointLists(req, client, limits)
	if err != nil {
		return nil, err
	}
	pidOf := func(eps []endpoint) []int {
		out := make([]int, len(eps))
		for i, ep := range eps {
			out[i] = -1
			if p, ok := m.pidLPM.Lookup(ep.addr); ok {
				out[i] = int(p)
			}
		}
		return out
	}
	srcPID, dstPID := pidOf(srcs), pidOf(dsts)

	b := make([]byte, 0, 256+len(srcs)*len(dsts)*24)
	b = append(b, `{"meta":{`...)
	b = q.appendMetaCostType(b)
	b = q.appendCalendarMeta(b)
	b = append(b, `},"endpoint-cost-map":{`...)
	firstRow := true
	for i, s := range srcs {
		if srcPID[i] < 0 {
			continue
		}
		rowStart := len(b)
		if !firstRow {
			b = append(b, ',')
		}
		b = appendName(b, s.text)
		b = append(b, ":{"...)
		empty := true
		for j, d := range dsts {
			if dstPID[j] < 0 || !q.pass(srcPID[i], dstPID[j]) {
				continue
			}
			mark := len(b)
			if !empty {
				b = append(b, ',')
			}
			b = appendName(b, d.text)
			b = append(b, ':')
			var ok bool
			if b, ok = q.appendValue(b, srcPID[i], dstPID[j]); !ok {
				b = b[:mark]
				continue
			}
			empty = false
		}
		if empty {
			b = b[:rowStart]
			continue
		}
		b = append(b, '}')
		firstRow = false
	}
	return append(b, "}}"...), nil
}

// endpointLists reads endpoints/srcs and endpoints/dsts. An empty or absent
// list stands for client, the address the request came from (RFC 7285
// §11.5.1.3); both empty is an error.
func endpointLists(req object, client netip.Addr, limits Limits) (srcs, dsts []endpoint, err error) {
	filter, _, err := getObject(req, "endpoints", "", true)
	if err != nil {
		return nil, nil, err
	}
	if srcs, err = getEndpoints(filter, "srcs", "endpoints", false, limits); err != nil {
		return nil, nil, err
	}
	if dsts, err = getEndpoints(filter, "dsts", "endpoints", false, limits); err != nil {
		return nil, nil, err
	}
	if len(srcs) == 0 && len(dsts) == 0 {
		return nil, nil, invalid("endpoints", "", "srcs and dsts must not both be empty")
	}
	self := func() []endpoint {
		a := client.Unmap()
		typ := "ipv4:"
		if a.Is6() {
			typ = "ipv6:"
		}
		return []endpoint{{text: typ + a.String(), addr: a}}
	}
	if len(srcs) == 0 {
		srcs = self()
	}
	if len(dsts) == 0 {
		dsts = self()
	}
	return srcs, dsts, nil
}
