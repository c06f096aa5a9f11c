package alto

import (
	"net/netip"
	"strconv"
)

// NetworkMap is a computed network map resource (RFC 7285 §11.2.1).
type NetworkMap struct {
	ResourceID string
	// Tag is the vtag: a hash of the map's content.
	Tag  string
	PIDs []PID // sorted by name
	// Response is the complete encoded GET response.
	Response *Encoded

	index map[string]int
}

func newNetworkMap(resourceID string, pids []PID) *NetworkMap {
	data := encodeNetworkMapData(nil, pids)
	m := &NetworkMap{ResourceID: resourceID, Tag: contentTag(data), PIDs: pids, index: make(map[string]int, len(pids))}
	for i, p := range pids {
		m.index[p.Name] = i
	}
	body := make([]byte, 0, len(data)+128)
	body = append(body, `{"meta":{"vtag":`...)
	body = appendVersionTag(body, m.VersionTag())
	body = append(body, `},"network-map":`...)
	body = append(body, data...)
	body = append(body, '}')
	m.Response = newEncoded(MediaTypeNetworkMap, body)
	return m
}

// VersionTag returns the map's vtag.
func (m *NetworkMap) VersionTag() VersionTag {
	return VersionTag{ResourceID: m.ResourceID, Tag: m.Tag}
}

// PIDIndex returns the index of the named PID in PIDs.
func (m *NetworkMap) PIDIndex(name string) (int, bool) {
	i, ok := m.index[name]
	return i, ok
}

// encodeNetworkMapData writes the NetworkMapData object. PID names and
// prefixes contain no characters that JSON needs escaped, so they are
// written as they are.
func encodeNetworkMapData(b []byte, pids []PID) []byte {
	b = append(b, '{')
	for i, p := range pids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, p.Name)
		b = append(b, ":{"...)
		b = appendPrefixes(b, "ipv4", p.Prefixes, true)
		if hasV4(p.Prefixes) && hasV6(p.Prefixes) {
			b = append(b, ',')
		}
		b = appendPrefixes(b, "ipv6", p.Prefixes, false)
		b = append(b, '}')
	}
	return append(b, '}')
}

func appendPrefixes(b []byte, family string, ps []netip.Prefix, v4 bool) []byte {
	first := true
	for _, p := range ps {
		if p.Addr().Is4() != v4 {
			continue
		}
		if first {
			b = append(b, '"')
			b = append(b, family...)
			b = append(b, `":[`...)
			first = false
		} else {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = p.AppendTo(b)
		b = append(b, '"')
	}
	if !first {
		b = append(b, ']')
	}
	return b
}

func hasV4(ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Addr().Is4() {
			return true
		}
	}
	return false
}

func hasV6(ps []netip.Prefix) bool {
	for _, p := range ps {
		if !p.Addr().Is4() {
			return true
		}
	}
	return false
}

func appendVersionTag(b []byte, v VersionTag) []byte {
	b = append(b, `{"resource-id":`...)
	b = strconv.AppendQuote(b, v.ResourceID)
	b = append(b, `,"tag":`...)
	b = strconv.AppendQuote(b, v.Tag)
	return append(b, '}')
}
