package target

import (
	"strconv"
	"strings"

	gpb "github.com/openconfig/gnmi/proto/gnmi"
)

// valueKind says how a leaf's value is typed on the wire.
type valueKind uint8

const (
	kindUint64 valueKind = iota // counter64 and friends: JSON string in JSON_IETF
	kindSmall                   // uint8 and similar: JSON number in JSON_IETF
	kindString                  // strings, enumerations and identities
)

// leaf is one value under an interface, with its path relative to
// /interfaces/interface[name=NAME].
type leaf struct {
	rel  []*gpb.PathElem
	kind valueKind
	u    uint64
	s    string
}

func elems(names ...string) []*gpb.PathElem {
	es := make([]*gpb.PathElem, len(names))
	for i, n := range names {
		es[i] = &gpb.PathElem{Name: n}
	}
	return es
}

// Relative paths of the fixed leaves, built once; they are never mutated.
var (
	pathName       = elems("state", "name")
	pathOperStatus = elems("state", "oper-status")
	pathLastClear  = elems("state", "counters", "last-clear")
	pathPortSpeed  = elems("ethernet", "state", "port-speed")
	pathNegSpeed   = elems("ethernet", "state", "negotiated-port-speed")
	counterPaths   = func() [8][]*gpb.PathElem {
		var ps [8][]*gpb.PathElem
		for i, n := range counterNames {
			ps[i] = elems("state", "counters", n)
		}
		return ps
	}()
)

var counterNames = [8]string{
	"in-octets", "out-octets", "in-pkts", "out-pkts",
	"in-errors", "out-errors", "in-discards", "out-discards",
}

func (c Counters) values() [8]uint64 {
	return [8]uint64{c.InOctets, c.OutOctets, c.InPkts, c.OutPkts, c.InErrors, c.OutErrors, c.InDiscards, c.OutDiscards}
}

// leaves lists the interface's leaves; counters must be up to date.
func (f *iface) leaves() []leaf {
	ls := make([]leaf, 0, 16+4*len(f.Addresses))
	ls = append(ls,
		leaf{rel: pathName, kind: kindString, s: f.Name},
		leaf{rel: pathOperStatus, kind: kindString, s: string(f.OperStatus)})
	for i, v := range f.c.values() {
		ls = append(ls, leaf{rel: counterPaths[i], kind: kindUint64, u: v})
	}
	ls = append(ls, leaf{rel: pathLastClear, kind: kindUint64, u: uint64(f.lastClear)})
	if f.Speed > 0 {
		id := "openconfig-if-ethernet:" + speedIdentity(f.Speed)
		ls = append(ls,
			leaf{rel: pathPortSpeed, kind: kindString, s: id},
			leaf{rel: pathNegSpeed, kind: kindString, s: id})
	}
	for _, p := range f.Addresses {
		fam := "ipv4"
		if p.Addr().Is6() && !p.Addr().Is4In6() {
			fam = "ipv6"
		}
		ip := p.Addr().String()
		base := func(leafName string) []*gpb.PathElem {
			return []*gpb.PathElem{
				{Name: "subinterfaces"},
				{Name: "subinterface", Key: map[string]string{"index": "0"}},
				{Name: fam},
				{Name: "addresses"},
				{Name: "address", Key: map[string]string{"ip": ip}},
				{Name: "state"},
				{Name: leafName},
			}
		}
		ls = append(ls,
			leaf{rel: base("ip"), kind: kindString, s: ip},
			leaf{rel: base("prefix-length"), kind: kindSmall, u: uint64(p.Bits())})
	}
	return ls
}

// speeds are the ETHERNET_SPEED identities of openconfig-if-ethernet.
var speeds = []struct {
	id  string
	bps uint64
}{
	{"SPEED_10MB", 10e6}, {"SPEED_100MB", 100e6}, {"SPEED_1GB", 1e9},
	{"SPEED_2500MB", 2.5e9}, {"SPEED_5GB", 5e9}, {"SPEED_10GB", 10e9},
	{"SPEED_25GB", 25e9}, {"SPEED_40GB", 40e9}, {"SPEED_50GB", 50e9},
	{"SPEED_100GB", 100e9}, {"SPEED_200GB", 200e9}, {"SPEED_400GB", 400e9},
	{"SPEED_600GB", 600e9}, {"SPEED_800GB", 800e9}, {"SPEED_1600GB", 1600e9},
}

// speedIdentity returns the identity for bps, or SPEED_UNKNOWN when no
// identity is within 1% of it.
func speedIdentity(bps uint64) string {
	for _, s := range speeds {
		if d := float64(bps) - float64(s.bps); d < 0.01*float64(s.bps) && -d < 0.01*float64(s.bps) {
			return s.id
		}
	}
	return "SPEED_UNKNOWN"
}

// typed encodes a leaf's value in the requested encoding.
func (l *leaf) typed(enc gpb.Encoding) *gpb.TypedValue {
	if enc == gpb.Encoding_PROTO {
		switch l.kind {
		case kindString:
			return &gpb.TypedValue{Value: &gpb.TypedValue_StringVal{StringVal: l.s}}
		default:
			return &gpb.TypedValue{Value: &gpb.TypedValue_UintVal{UintVal: l.u}}
		}
	}
	var js string
	switch l.kind {
	case kindUint64: // RFC 7951 §6.1: 64-bit integers are JSON strings
		js = `"` + strconv.FormatUint(l.u, 10) + `"`
	case kindSmall:
		js = strconv.FormatUint(l.u, 10)
	default:
		js = strconv.Quote(l.s) // leaf values here are ASCII, so Go quoting is valid JSON
	}
	if enc == gpb.Encoding_JSON {
		return &gpb.TypedValue{Value: &gpb.TypedValue_JsonVal{JsonVal: []byte(js)}}
	}
	return &gpb.TypedValue{Value: &gpb.TypedValue_JsonIetfVal{JsonIetfVal: []byte(js)}}
}

// stripModule drops a YANG module prefix ("openconfig-interfaces:interfaces").
func stripModule(name string) string {
	if i := strings.IndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// normalize returns a subscription path's elements with module prefixes
// stripped; the result shares no maps with p.
func normalize(prefix, p *gpb.Path) []*gpb.PathElem {
	var out []*gpb.PathElem
	for _, src := range [][]*gpb.PathElem{prefix.GetElem(), p.GetElem()} {
		for _, e := range src {
			n := &gpb.PathElem{Name: stripModule(e.GetName())}
			if len(e.GetKey()) > 0 {
				n.Key = make(map[string]string, len(e.GetKey()))
				for k, v := range e.GetKey() {
					n.Key[k] = v
				}
			}
			out = append(out, n)
		}
	}
	return out
}

// matches reports whether subscription path sub covers the leaf rel of
// interface name: sub must be a prefix of the leaf's full path, where "*"
// matches any element name or key value and a missing key matches any.
func matches(sub []*gpb.PathElem, name string, rel []*gpb.PathElem) bool {
	if len(sub) > 2+len(rel) {
		return false
	}
	for i, s := range sub {
		var e *gpb.PathElem
		switch i {
		case 0:
			e = &gpb.PathElem{Name: "interfaces"}
		case 1:
			e = &gpb.PathElem{Name: "interface", Key: map[string]string{"name": name}}
		default:
			e = rel[i-2]
		}
		if s.Name != "*" && s.Name != e.Name {
			return false
		}
		for k, v := range s.Key {
			if v != "*" && e.Key[k] != v {
				return false
			}
		}
	}
	return true
}
