package gnmi

import (
	"math"
	"net/netip"
	"strconv"
	"strings"

	gpb "github.com/openconfig/gnmi/proto/gnmi"
)

// leafKind is what a decoded sample is about.
type leafKind uint8

const (
	leafNone leafKind = iota
	leafInOctets
	leafOutOctets
	leafInErrors
	leafOutErrors
	leafInDiscards
	leafOutDiscards
	leafLastClear
	leafOperStatus
	leafPortSpeed       // bits/s
	leafNegotiatedSpeed // bits/s
	leafLagSpeed        // bits/s (sent in Mbit/s)
	leafAddress         // an interface address
	leafInterface       // the whole interface (only deleted)
	leafName            // the interface's name as a leaf, for targets without list keys
)

var leafNames = [...]string{"none", "in-octets", "out-octets", "in-errors", "out-errors",
	"in-discards", "out-discards", "last-clear", "oper-status", "port-speed",
	"negotiated-port-speed", "lag-speed", "address", "interface", "name"}

func (k leafKind) String() string {
	if int(k) < len(leafNames) {
		return leafNames[k]
	}
	return "leaf(" + strconv.Itoa(int(k)) + ")"
}

// operStatus is an interface's oper-status reduced to what routing needs.
type operStatus uint8

const (
	operUnknown operStatus = iota // TESTING, DORMANT, UNKNOWN…: no opinion
	operUp
	operDown // DOWN, LOWER_LAYER_DOWN, NOT_PRESENT
)

func (o operStatus) String() string {
	switch o {
	case operUp:
		return "up"
	case operDown:
		return "down"
	}
	return "unknown"
}

// sample is one decoded interface leaf of a notification.
type sample struct {
	iface   string
	kind    leafKind
	u       uint64 // counters, last-clear, speeds in bits/s
	oper    operStatus
	addr    netip.Addr
	name    string // leafName
	deleted bool
}

// decoder turns notifications into samples. Its buffers are reused: the
// samples returned by decode are valid until the next call.
type decoder struct {
	buf   []sample
	elems []*gpb.PathElem
	errs  int // values of known leaves that could not be read, since creation
}

// decode returns the interface samples of n; everything that is not an
// interface leaf this package uses is skipped. The notification timestamp
// is read by the caller.
func (d *decoder) decode(n *gpb.Notification) []sample {
	d.buf = d.buf[:0]
	prefix := n.GetPrefix()
	for _, u := range n.GetUpdate() {
		es := d.join(prefix, u.GetPath())
		d.leaf(es, u.GetVal(), false)
	}
	for _, p := range n.GetDelete() {
		es := d.join(prefix, p)
		d.leaf(es, nil, true)
	}
	d.fillNames()
	return d.buf
}

// join concatenates prefix and path elements into the scratch slice. The
// deprecated string form (path.element) is converted, reading the value
// after "interface" as its name key.
func (d *decoder) join(prefix, p *gpb.Path) []*gpb.PathElem {
	d.elems = d.elems[:0]
	for _, q := range [2]*gpb.Path{prefix, p} {
		if q == nil {
			continue
		}
		//lint:ignore SA1019 old devices still send the deprecated path.element
		if len(q.GetElem()) == 0 && len(q.GetElement()) > 0 {
			//lint:ignore SA1019 see above
			d.elems = appendElements(d.elems, q.GetElement())
			continue
		}
		d.elems = append(d.elems, q.GetElem()...)
	}
	return d.elems
}

func appendElements(es []*gpb.PathElem, names []string) []*gpb.PathElem {
	keyOf := map[string]string{"interface": "name", "subinterface": "index", "address": "ip"}
	for i := 0; i < len(names); i++ {
		e := &gpb.PathElem{Name: names[i]}
		if k, ok := keyOf[stripModule(names[i])]; ok && i+1 < len(names) {
			e.Key = map[string]string{k: names[i+1]}
			i++
		}
		es = append(es, e)
	}
	return es
}

// stripModule drops a YANG module prefix ("oc-if:counters" → "counters").
// A name whose prefix does not start with a letter (a MAC address used as
// a path element) is left alone.
func stripModule(name string) string {
	i := strings.IndexByte(name, ':')
	if i <= 0 {
		return name
	}
	if c := name[0]; (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
		return name
	}
	return name[i+1:]
}

// name returns the i-th element's name without module prefix, or "".
func name(es []*gpb.PathElem, i int) string {
	if i < len(es) {
		return stripModule(es[i].GetName())
	}
	return ""
}

// ifaceRoot finds the interface list entry in a path: /interfaces/interface
// (OpenConfig) or /interface at the root (SR Linux style). It returns the
// interface name (from the name key, "" when the target sends none) and the
// elements below the entry; ok is false for other paths.
func ifaceRoot(es []*gpb.PathElem) (iface string, rest []*gpb.PathElem, ok bool) {
	switch {
	case name(es, 0) == "interfaces" && name(es, 1) == "interface":
		return es[1].GetKey()["name"], es[2:], true
	case name(es, 0) == "interface":
		return es[0].GetKey()["name"], es[1:], true
	case name(es, 0) == "interfaces" && len(es) == 1:
		return "", nil, true // the whole list: only a JSON container can follow
	}
	return "", nil, false
}

// leaf decodes one update (tv != nil) or delete.
func (d *decoder) leaf(es []*gpb.PathElem, tv *gpb.TypedValue, deleted bool) {
	iface, rest, ok := ifaceRoot(es)
	if !ok {
		return
	}
	if deleted {
		d.deleted(iface, rest)
		return
	}
	if len(es) == 1 && name(es, 0) == "interfaces" {
		d.container(es, tv)
		return
	}
	kind := classify(rest)
	switch kind {
	case leafNone:
		d.container(es, tv)
	case leafAddress:
		d.address(iface, rest, tv)
	case leafOperStatus:
		if s, ok := toString(tv); ok {
			d.add(sample{iface: iface, kind: kind, oper: parseOper(s)})
		} else {
			d.errs++
		}
	case leafPortSpeed, leafNegotiatedSpeed:
		s, ok := toString(tv)
		if !ok {
			d.errs++
			return
		}
		if bps, known := parseSpeed(s); known {
			d.add(sample{iface: iface, kind: kind, u: bps})
		}
	case leafName:
		if s, ok := toString(tv); ok {
			d.add(sample{iface: iface, kind: kind, name: strings.Trim(s, `"\`)})
		}
	default: // counters and lag-speed
		v, ok := toUint(tv)
		if !ok {
			d.errs++
			return
		}
		if kind == leafLagSpeed {
			v *= 1e6 // lag-speed is in Mbit/s
		}
		d.add(sample{iface: iface, kind: kind, u: v})
	}
}

func (d *decoder) add(s sample) { d.buf = append(d.buf, s) }

// classify names the leaf at rest, the path below an interface entry.
func classify(rest []*gpb.PathElem) leafKind {
	switch len(rest) {
	case 1:
		if name(rest, 0) == "name" {
			return leafName
		}
	case 2:
		switch name(rest, 0) + "/" + name(rest, 1) {
		case "state/oper-status":
			return leafOperStatus
		case "state/name", "config/name":
			return leafName
		case "statistics/in-octets": // native models (IOS-XE, SR Linux)
			return leafInOctets
		case "statistics/out-octets":
			return leafOutOctets
		}
	case 3:
		if name(rest, 0) == "state" && name(rest, 1) == "counters" {
			if name(rest, 2) == "name" { // Ciena: the key as a leaf of counters
				return leafName
			}
			return counterKind(name(rest, 2))
		}
		switch name(rest, 0) + "/" + name(rest, 1) + "/" + name(rest, 2) {
		case "ethernet/state/port-speed":
			return leafPortSpeed
		case "ethernet/state/negotiated-port-speed":
			return leafNegotiatedSpeed
		case "aggregation/state/lag-speed":
			return leafLagSpeed
		}
	}
	if len(rest) >= 5 && name(rest, 0) == "subinterfaces" && name(rest, 1) == "subinterface" &&
		(name(rest, 2) == "ipv4" || name(rest, 2) == "ipv6") && name(rest, 3) == "addresses" && name(rest, 4) == "address" {
		return leafAddress
	}
	return leafNone
}

func counterKind(n string) leafKind {
	switch n {
	case "in-octets":
		return leafInOctets
	case "out-octets":
		return leafOutOctets
	case "in-errors":
		return leafInErrors
	case "out-errors":
		return leafOutErrors
	case "in-discards":
		return leafInDiscards
	case "out-discards":
		return leafOutDiscards
	case "last-clear":
		return leafLastClear
	}
	return leafNone
}

// address decodes a leaf under .../addresses/address: the list key gives
// the address; without a key, the ip leaf's value does. Link-local IPv6
// addresses never identify a link and are skipped.
func (d *decoder) address(iface string, rest []*gpb.PathElem, tv *gpb.TypedValue) {
	ip := rest[4].GetKey()["ip"]
	if ip == "" {
		if len(rest) != 7 || name(rest, 6) != "ip" {
			return
		}
		s, ok := toString(tv)
		if !ok {
			d.errs++
			return
		}
		ip = s
	}
	a, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		d.errs++
		return
	}
	if a.IsLinkLocalUnicast() {
		return
	}
	d.add(sample{iface: iface, kind: leafAddress, addr: a.Unmap()})
}

// deleted decodes a delete of an interface or one of its addresses; other
// deletes (a counter leaf) are ignored, since the next sample tells more.
func (d *decoder) deleted(iface string, rest []*gpb.PathElem) {
	switch {
	case iface != "" && len(rest) == 0:
		d.add(sample{iface: iface, kind: leafInterface, deleted: true})
	case classify(rest) == leafAddress:
		if a, err := netip.ParseAddr(rest[4].GetKey()["ip"]); err == nil {
			d.add(sample{iface: iface, kind: leafAddress, addr: a.Unmap(), deleted: true})
		}
	}
}

// fillNames gives samples without an interface key the name leaf of the
// same notification, for targets (Ciena) that send the interface list
// without keys and the name as a leaf.
func (d *decoder) fillNames() {
	missing, named := false, ""
	for i := range d.buf {
		if d.buf[i].iface == "" {
			missing = true
			if d.buf[i].kind == leafName && named == "" {
				named = d.buf[i].name
			}
		}
	}
	if !missing {
		return
	}
	k := 0
	for _, s := range d.buf {
		if s.iface == "" {
			if named == "" {
				continue // cannot be attributed: drop
			}
			s.iface = named
		}
		d.buf[k] = s
		k++
	}
	d.buf = d.buf[:k]
}

// toUint reads a counter-like value from any encoding a target may use.
func toUint(tv *gpb.TypedValue) (uint64, bool) {
	switch v := tv.GetValue().(type) {
	case *gpb.TypedValue_UintVal:
		return v.UintVal, true
	case *gpb.TypedValue_IntVal:
		return uint64(v.IntVal), v.IntVal >= 0
	case *gpb.TypedValue_StringVal:
		return parseUint(v.StringVal)
	case *gpb.TypedValue_AsciiVal:
		return parseUint(v.AsciiVal)
	case *gpb.TypedValue_DoubleVal:
		return floatUint(v.DoubleVal)
	case *gpb.TypedValue_FloatVal:
		//lint:ignore SA1019 deprecated, but devices send it
		return floatUint(float64(v.FloatVal))
	case *gpb.TypedValue_DecimalVal:
		//lint:ignore SA1019 deprecated, but devices send it
		dv := v.DecimalVal
		if dv.GetPrecision() == 0 && dv.GetDigits() >= 0 {
			return uint64(dv.GetDigits()), true
		}
		return floatUint(float64(dv.GetDigits()) / math.Pow10(int(dv.GetPrecision())))
	case *gpb.TypedValue_JsonIetfVal:
		return jsonUint(v.JsonIetfVal)
	case *gpb.TypedValue_JsonVal:
		return jsonUint(v.JsonVal)
	}
	return 0, false
}

func parseUint(s string) (uint64, bool) {
	u, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	return u, err == nil
}

// floatUint accepts finite, non-negative floats below 2^64.
func floatUint(f float64) (uint64, bool) {
	if math.IsNaN(f) || f < 0 || f >= 1<<64 {
		return 0, false
	}
	return uint64(f), true
}

// jsonUint reads an RFC 7951 integer: a JSON string for 64-bit types, a
// JSON number otherwise.
func jsonUint(b []byte) (uint64, bool) {
	s := strings.TrimSpace(string(b))
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	if u, ok := parseUint(s); ok {
		return u, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return floatUint(f)
}

// toString reads a string-like value (enumerations, identities, addresses).
func toString(tv *gpb.TypedValue) (string, bool) {
	switch v := tv.GetValue().(type) {
	case *gpb.TypedValue_StringVal:
		return v.StringVal, true
	case *gpb.TypedValue_AsciiVal:
		return v.AsciiVal, true
	case *gpb.TypedValue_JsonIetfVal:
		return jsonString(v.JsonIetfVal)
	case *gpb.TypedValue_JsonVal:
		return jsonString(v.JsonVal)
	}
	return "", false
}

func jsonString(b []byte) (string, bool) {
	s := strings.TrimSpace(string(b))
	if len(s) < 2 || s[0] != '"' {
		return "", false
	}
	u, err := strconv.Unquote(s)
	if err != nil {
		// JSON escapes that Go does not know (\/) are rare in these values.
		return s[1 : len(s)-1], s[len(s)-1] == '"'
	}
	return u, true
}

// parseOper maps an oper-status enumeration to what routing needs.
func parseOper(s string) operStatus {
	switch strings.ToUpper(stripModule(strings.TrimSpace(s))) {
	case "UP":
		return operUp
	case "DOWN", "LOWER_LAYER_DOWN", "NOT_PRESENT":
		return operDown
	}
	return operUnknown
}

// parseSpeed reads an ETHERNET_SPEED identity such as
// "openconfig-if-ethernet:SPEED_100GB" or "SPEED_2500MB" in bits/s; known
// is false for SPEED_UNKNOWN and anything unreadable.
func parseSpeed(s string) (bps uint64, known bool) {
	s, ok := strings.CutPrefix(stripModule(strings.TrimSpace(s)), "SPEED_")
	if !ok {
		return 0, false
	}
	var mult float64
	switch {
	case strings.HasSuffix(s, "MB"):
		mult = 1e6
	case strings.HasSuffix(s, "GB"):
		mult = 1e9
	case strings.HasSuffix(s, "TB"):
		mult = 1e12
	default:
		return 0, false
	}
	n, err := strconv.ParseUint(s[:len(s)-2], 10, 32)
	if err != nil || n == 0 {
		return 0, false
	}
	return uint64(float64(n) * mult), true
}
