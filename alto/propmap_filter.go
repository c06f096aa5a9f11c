package alto

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// entityRef is a parsed EntityID (RFC 9240 §5.1.3).
type entityRef struct {
	id     string // canonical: prefixes masked, /32 and /128 as addresses
	domain string
	prefix netip.Prefix // ipv4 and ipv6 domains
	name   string       // PID and ANE domains
}

// FilteredPropertyMap answers a filtered property map request (RFC 9240
// §8) sent to resource res. An empty entity list means every entity, an
// empty property list every property the entity's domain has; without a
// property list each entity maps to {}. Prefixes are answered with what
// their addresses inherit, split where values differ within them.
func (m *Maps) FilteredPropertyMap(res Resource, body []byte, limits Limits) ([]byte, error) {
	req, err := decodeRequest(body)
	if err != nil {
		return nil, err
	}
	ents, _, err := getStrings(req, "entities", "", true)
	if err != nil {
		return nil, err
	}
	if len(ents) > limits.MaxEndpoints {
		return nil, invalid("entities", fmt.Sprintf("%d entities", len(ents)), fmt.Sprintf("at most %d entities per request", limits.MaxEndpoints))
	}
	props, hasProps, err := getStrings(req, "properties", "", false)
	if err != nil {
		return nil, err
	}
	props = dedupe(props)
	for _, p := range props {
		if !offersProperty(res, p) {
			return nil, invalid("properties", p, "property not offered by this resource")
		}
	}
	refs := make([]entityRef, 0, len(ents))
	for _, e := range dedupe(ents) {
		ref, err := parseEntity(e, res.Mappings)
		if err != nil {
			return nil, invalid("entities", e, err.Error())
		}
		refs = append(refs, ref)
	}
	v, err := m.planningOrDefault().propertyView(m)
	if err != nil {
		return nil, err
	}

	out := map[string]map[string]any{}
	wanted := func(domain string) []string {
		mapped := res.Mappings[domain]
		if len(props) == 0 {
			return mapped
		}
		return slices.DeleteFunc(slices.Clone(props), func(p string) bool { return !slices.Contains(mapped, p) })
	}
	switch {
	case len(refs) == 0:
		for id, vals := range v.all {
			if !hasProps {
				out[id] = map[string]any{}
				continue
			}
			want := wanted(entityDomain(id, res.Mappings))
			if sel := pick(vals, want); len(sel) > 0 {
				out[id] = sel
			}
		}
	case !hasProps:
		for _, r := range refs {
			out[r.id] = map[string]any{}
		}
	default:
		for _, r := range refs {
			want := wanted(r.domain)
			switch {
			case r.prefix.IsValid():
				for _, p := range want {
					t := v.ip[p]
					if t == nil {
						continue
					}
					for _, pv := range t.resolve(r.prefix) {
						id := prefixEntityID(pv.prefix)
						if out[id] == nil {
							out[id] = map[string]any{}
						}
						out[id][p] = pv.val
					}
				}
			case r.domain == DomainANE:
				if sel := pick(v.anes[r.name], want); len(sel) > 0 {
					out[r.id] = sel
				}
			default:
				if sel := pick(v.pids[r.name], want); len(sel) > 0 {
					out[r.id] = sel
				}
			}
		}
	}
	data, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("alto: encode property map: %w", err)
	}
	b := make([]byte, 0, len(data)+256)
	b = append(b, `{"meta":{"vtag":`...)
	b = appendVersionTag(b, v.vtag)
	b = append(b, `,"dependent-vtags":[`...)
	b = appendVersionTag(b, m.NetworkMap.VersionTag())
	b = append(b, `]},"property-map":`...)
	b = append(b, data...)
	return append(b, '}'), nil
}

func offersProperty(res Resource, p string) bool {
	for _, props := range res.Mappings {
		if slices.Contains(props, p) {
			return true
		}
	}
	return false
}

func pick(vals map[string]any, want []string) map[string]any {
	sel := map[string]any{}
	for _, p := range want {
		if v, ok := vals[p]; ok {
			sel[p] = v
		}
	}
	return sel
}

// entityDomain returns the domain of a well-formed entity ID: the longest
// offered domain name it starts with.
func entityDomain(id string, mappings map[string][]string) string {
	best := ""
	for d := range mappings {
		if len(d) > len(best) && strings.HasPrefix(id, d+":") {
			best = d
		}
	}
	return best
}

// parseEntity reads an EntityID of one of the offered domains. Domain
// names may contain ':' (a resource ID may), so the domain is found by
// matching the offered names rather than by splitting.
func parseEntity(s string, mappings map[string][]string) (entityRef, error) {
	d := entityDomain(s, mappings)
	if d == "" {
		return entityRef{}, fmt.Errorf("not an entity of a domain this resource offers")
	}
	rest := s[len(d)+1:]
	ref := entityRef{domain: d}
	switch {
	case d == DomainIPv4 || d == DomainIPv6:
		p, err := parseEntityPrefix(rest, d == DomainIPv4)
		if err != nil {
			return entityRef{}, err
		}
		ref.prefix, ref.id = p, prefixEntityID(p)
	default: // a PID or an ANE: both names have PIDName syntax (RFC 9275 §6.2)
		if !ValidPIDName(rest) {
			return entityRef{}, fmt.Errorf("%q is not a valid name", rest)
		}
		ref.name, ref.id = rest, s
	}
	return ref, nil
}

// parseEntityPrefix reads an address (its /32 or /128) or a prefix of the
// given family; the prefix must have its host bits clear.
func parseEntityPrefix(s string, v4 bool) (netip.Prefix, error) {
	var p netip.Prefix
	if strings.Contains(s, "/") {
		var err error
		if p, err = netip.ParsePrefix(s); err != nil {
			return p, fmt.Errorf("not an address or prefix")
		}
		if p != p.Masked() {
			return p, fmt.Errorf("host bits set (did you mean %s?)", p.Masked())
		}
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return p, fmt.Errorf("not an address or prefix")
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if p.Addr().Is4() != v4 {
		return p, fmt.Errorf("address family does not match the domain")
	}
	return p, nil
}
