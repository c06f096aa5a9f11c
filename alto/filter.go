package alto

import "fmt"

// FilteredNetworkMap answers a filtered network map request (RFC 7285
// §11.3.1) with the encoded response. Unknown PIDs and address types are
// ignored; an empty pids list means every PID. The response carries the
// vtag of the full map.
func (m *Maps) FilteredNetworkMap(body []byte, limits Limits) ([]byte, error) {
	req, err := decodeRequest(body)
	if err != nil {
		return nil, err
	}
	names, _, err := getStrings(req, "pids", "", true)
	if err != nil {
		return nil, err
	}
	if err := checkPIDNames(names, "pids", limits); err != nil {
		return nil, err
	}
	types, hasTypes, err := getStrings(req, "address-types", "", false)
	if err != nil {
		return nil, err
	}
	wantV4, wantV6 := !hasTypes || len(types) == 0, !hasTypes || len(types) == 0
	for _, t := range types {
		wantV4 = wantV4 || t == "ipv4"
		wantV6 = wantV6 || t == "ipv6"
	}

	nm := m.NetworkMap
	selected := nm.PIDs
	if len(names) > 0 {
		selected = nil
		for _, name := range dedupe(names) {
			if i, ok := nm.PIDIndex(name); ok {
				selected = append(selected, nm.PIDs[i])
			}
		}
		sortPIDs(selected)
	}
	b := make([]byte, 0, 256+64*len(selected))
	b = append(b, `{"meta":{"vtag":`...)
	b = appendVersionTag(b, nm.VersionTag())
	b = append(b, `},"network-map":{`...)
	for i, p := range selected {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendName(b, p.Name)
		b = append(b, ":{"...)
		n := len(b)
		if wantV4 {
			b = appendPrefixes(b, "ipv4", p.Prefixes, true)
		}
		if wantV6 {
			if len(b) > n && hasV6(p.Prefixes) {
				b = append(b, ',')
			}
			b = appendPrefixes(b, "ipv6", p.Prefixes, false)
		}
		b = append(b, '}')
	}
	return append(b, "}}"...), nil
}

// checkPIDNames rejects syntactically invalid PID names and over-long
// lists; names that are valid but unknown are the caller's to ignore.
func checkPIDNames(names []string, field string, limits Limits) error {
	if len(names) > limits.MaxPIDs {
		return invalid(field, fmt.Sprintf("%d PIDs", len(names)), fmt.Sprintf("at most %d PIDs per request", limits.MaxPIDs))
	}
	for _, n := range names {
		if !ValidPIDName(n) {
			return invalid(field, n, "not a valid PID name")
		}
	}
	return nil
}
