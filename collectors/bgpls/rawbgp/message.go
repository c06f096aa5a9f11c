package rawbgp

import (
	"bytes"
	"encoding/binary"
	"net/netip"
)

// BGP message types (RFC 4271 §4.1).
const (
	MsgOpen         = 1
	MsgUpdate       = 2
	MsgNotification = 3
	MsgKeepalive    = 4
)

// Path attribute flags (RFC 4271 §4.3).
const (
	FlagOptional   = 0x80
	FlagTransitive = 0x40
	FlagPartial    = 0x20
	FlagExtended   = 0x10
)

// Path attribute type codes used by the builders.
const (
	AttrOrigin    = 1
	AttrASPath    = 2
	AttrNextHop   = 3
	AttrLocalPref = 5
	AttrMPReach   = 14
	AttrMPUnreach = 15
	AttrLS        = 29
)

// Address families.
const (
	AFIIPv4     = 1
	AFIIPv6     = 2
	AFILS       = 16388
	SAFIUnicast = 1
	SAFILS      = 71
)

// Family is an AFI/SAFI pair.
type Family struct {
	AFI  uint16
	SAFI uint8
}

// Well-known families.
var (
	FamilyLS   = Family{AFILS, SAFILS}
	FamilyIPv4 = Family{AFIIPv4, SAFIUnicast}
	FamilyIPv6 = Family{AFIIPv6, SAFIUnicast}
)

// Message frames body as a BGP message of type typ: marker, length, type.
func Message(typ byte, body []byte) []byte {
	m := bytes.Repeat([]byte{0xff}, 16)
	m = binary.BigEndian.AppendUint16(m, uint16(19+len(body)))
	m = append(m, typ)
	return append(m, body...)
}

// Keepalive returns a KEEPALIVE message.
func Keepalive() []byte { return Message(MsgKeepalive, nil) }

// Notification returns a NOTIFICATION message.
func Notification(code, subcode byte, data []byte) []byte {
	return Message(MsgNotification, append([]byte{code, subcode}, data...))
}

// Open describes the OPEN message a session sends.
type Open struct {
	AS       uint32     // sent as AS_TRANS in the 2-byte field when above 65535
	HoldTime uint16     // seconds; 0 disables keepalives
	RouterID netip.Addr // IPv4
	Families []Family   // multiprotocol capabilities; empty means BGP-LS only
	// TwoOctetAS leaves out the 4-octet AS capability, for replaying
	// captures whose AS_PATH uses 2-byte AS numbers.
	TwoOctetAS bool
}

// Bytes encodes the OPEN message.
func (o Open) Bytes() []byte {
	fams := o.Families
	if len(fams) == 0 {
		fams = []Family{FamilyLS}
	}
	var caps []byte
	for _, f := range fams {
		caps = append(caps, 1, 4) // multiprotocol, length 4
		caps = binary.BigEndian.AppendUint16(caps, f.AFI)
		caps = append(caps, 0, f.SAFI)
	}
	if !o.TwoOctetAS {
		caps = append(caps, 65, 4)
		caps = binary.BigEndian.AppendUint32(caps, o.AS)
	}
	as2 := uint16(23456) // AS_TRANS
	if o.AS <= 0xffff {
		as2 = uint16(o.AS)
	}
	b := []byte{4}
	b = binary.BigEndian.AppendUint16(b, as2)
	b = binary.BigEndian.AppendUint16(b, o.HoldTime)
	id := o.RouterID.As4()
	b = append(b, id[:]...)
	b = append(b, byte(len(caps)+2), 2, byte(len(caps))) // one capabilities parameter
	return Message(MsgOpen, append(b, caps...))
}

// Update builds an UPDATE message from withdrawn IPv4 routes (already
// encoded, usually nil), path attributes (each from [Attr] or a helper) and
// IPv4 NLRI (usually nil; BGP-LS travels in MP_REACH).
func Update(withdrawn []byte, attrs [][]byte, nlri []byte) []byte {
	var pa []byte
	for _, a := range attrs {
		pa = append(pa, a...)
	}
	b := binary.BigEndian.AppendUint16(nil, uint16(len(withdrawn)))
	b = append(b, withdrawn...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(pa)))
	b = append(b, pa...)
	return Message(MsgUpdate, append(b, nlri...))
}

// Attr encodes one path attribute, switching to the extended length form
// when the value needs it.
func Attr(flags, typ byte, value []byte) []byte {
	if len(value) > 255 {
		flags |= FlagExtended
	}
	a := []byte{flags, typ}
	if flags&FlagExtended != 0 {
		a = binary.BigEndian.AppendUint16(a, uint16(len(value)))
	} else {
		a = append(a, byte(len(value)))
	}
	return append(a, value...)
}

// Origin returns an ORIGIN attribute (0 IGP, 1 EGP, 2 incomplete).
func Origin(o byte) []byte { return Attr(FlagTransitive, AttrOrigin, []byte{o}) }

// ASPath returns an AS_PATH attribute with one AS_SEQUENCE of 4-byte AS
// numbers, or an empty AS_PATH (as iBGP sends) when asns is empty.
func ASPath(asns ...uint32) []byte {
	if len(asns) == 0 {
		return Attr(FlagTransitive, AttrASPath, nil)
	}
	v := []byte{2, byte(len(asns))}
	for _, as := range asns {
		v = binary.BigEndian.AppendUint32(v, as)
	}
	return Attr(FlagTransitive, AttrASPath, v)
}

// LocalPref returns a LOCAL_PREF attribute.
func LocalPref(v uint32) []byte {
	return Attr(FlagTransitive, AttrLocalPref, binary.BigEndian.AppendUint32(nil, v))
}

// NextHop returns an IPv4 NEXT_HOP attribute.
func NextHop(a netip.Addr) []byte {
	b := a.As4()
	return Attr(FlagTransitive, AttrNextHop, b[:])
}

// MPReach returns an MP_REACH_NLRI attribute for family f with next hop nh
// and the given encoded NLRIs.
func MPReach(f Family, nh netip.Addr, nlris ...[]byte) []byte {
	v := binary.BigEndian.AppendUint16(nil, f.AFI)
	v = append(v, f.SAFI)
	v = append(v, byte(nh.BitLen()/8))
	v = append(v, nh.AsSlice()...)
	v = append(v, 0) // reserved
	for _, n := range nlris {
		v = append(v, n...)
	}
	return Attr(FlagOptional, AttrMPReach, v)
}

// MPUnreach returns an MP_UNREACH_NLRI attribute withdrawing nlris; with no
// NLRIs it is the End-of-RIB marker of family f (RFC 4724 §2).
func MPUnreach(f Family, nlris ...[]byte) []byte {
	v := binary.BigEndian.AppendUint16(nil, f.AFI)
	v = append(v, f.SAFI)
	for _, n := range nlris {
		v = append(v, n...)
	}
	return Attr(FlagOptional, AttrMPUnreach, v)
}

// EndOfRIB returns the End-of-RIB UPDATE for family f.
func EndOfRIB(f Family) []byte {
	if f == FamilyIPv4 {
		return Update(nil, nil, nil)
	}
	return Update(nil, [][]byte{MPUnreach(f)}, nil)
}

// IPPrefix encodes a prefix as in IPv4/IPv6 unicast NLRI: length in bits,
// then the significant bytes.
func IPPrefix(p netip.Prefix) []byte {
	p = p.Masked()
	n := (p.Bits() + 7) / 8
	return append([]byte{byte(p.Bits())}, p.Addr().AsSlice()[:n]...)
}
