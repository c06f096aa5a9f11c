package rawbgp

import (
	"encoding/binary"
	"math"
	"net/netip"
)

// BGP-LS NLRI types (RFC 9552 §5.2).
const (
	NLRINode     = 1
	NLRILink     = 2
	NLRIPrefixV4 = 3
	NLRIPrefixV6 = 4
)

// TLV encodes one BGP-LS TLV: 2-byte type, 2-byte length, value.
func TLV(typ uint16, value []byte) []byte {
	b := binary.BigEndian.AppendUint16(nil, typ)
	b = binary.BigEndian.AppendUint16(b, uint16(len(value)))
	return append(b, value...)
}

func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func concat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// NodeDesc is a node descriptor. Sub-TLVs are written in ascending type
// order, as RFC 9552 §5.2.1.4 requires; zero fields are left out except
// IGPRouterID, which is written whenever it is non-empty.
type NodeDesc struct {
	AS          uint32
	BGPLSID     uint32
	OSPFArea    *uint32 // written when non-nil, so area 0 can be sent
	IGPRouterID []byte  // raw: 4 or 8 bytes (OSPF), 6 or 7 bytes (IS-IS)
	BGPRouterID netip.Addr
}

// Bytes encodes the descriptor as a TLV of type typ (256 local, 257 remote).
func (d NodeDesc) Bytes(typ uint16) []byte {
	var v []byte
	if d.AS != 0 {
		v = append(v, TLV(512, u32(d.AS))...)
	}
	if d.BGPLSID != 0 {
		v = append(v, TLV(513, u32(d.BGPLSID))...)
	}
	if d.OSPFArea != nil {
		v = append(v, TLV(514, u32(*d.OSPFArea))...)
	}
	if len(d.IGPRouterID) > 0 {
		v = append(v, TLV(515, d.IGPRouterID)...)
	}
	if d.BGPRouterID.IsValid() {
		b := d.BGPRouterID.As4()
		v = append(v, TLV(516, b[:])...)
	}
	return TLV(typ, v)
}

func lsNLRI(typ uint16, proto byte, ident uint64, body ...[]byte) []byte {
	v := binary.BigEndian.AppendUint64([]byte{proto}, ident)
	v = append(v, concat(body...)...)
	n := binary.BigEndian.AppendUint16(nil, typ)
	n = binary.BigEndian.AppendUint16(n, uint16(len(v)))
	return append(n, v...)
}

// NodeNLRI encodes a Node NLRI.
func NodeNLRI(proto byte, ident uint64, local NodeDesc) []byte {
	return lsNLRI(NLRINode, proto, ident, local.Bytes(256))
}

// LinkNLRI encodes a Link NLRI; linkDescs are link descriptor TLVs such as
// [InterfaceAddr], [NeighborAddr], [LinkIDs] or [MTID].
func LinkNLRI(proto byte, ident uint64, local, remote NodeDesc, linkDescs ...[]byte) []byte {
	return lsNLRI(NLRILink, proto, ident, local.Bytes(256), remote.Bytes(257), concat(linkDescs...))
}

// PrefixNLRI encodes a Prefix NLRI (type 3 or 4 from the prefix's family);
// extra are prefix descriptor TLVs such as [MTID] or [OSPFRouteType], which
// are written before IP reachability as RFC 9552 orders them.
func PrefixNLRI(proto byte, ident uint64, node NodeDesc, p netip.Prefix, extra ...[]byte) []byte {
	typ := uint16(NLRIPrefixV4)
	if p.Addr().Is6() {
		typ = NLRIPrefixV6
	}
	return lsNLRI(typ, proto, ident, node.Bytes(256), concat(extra...), TLV(265, IPPrefix(p)))
}

// InterfaceAddr is link descriptor 259 (IPv4) or 261 (IPv6).
func InterfaceAddr(a netip.Addr) []byte {
	if a.Is4() {
		return TLV(259, a.AsSlice())
	}
	return TLV(261, a.AsSlice())
}

// NeighborAddr is link descriptor 260 (IPv4) or 262 (IPv6).
func NeighborAddr(a netip.Addr) []byte {
	if a.Is4() {
		return TLV(260, a.AsSlice())
	}
	return TLV(262, a.AsSlice())
}

// LinkIDs is link descriptor 258, the link local/remote identifiers.
func LinkIDs(local, remote uint32) []byte { return TLV(258, concat(u32(local), u32(remote))) }

// MTID is descriptor 263 with the given multi-topology IDs.
func MTID(ids ...uint16) []byte {
	var v []byte
	for _, id := range ids {
		v = binary.BigEndian.AppendUint16(v, id&0x0fff)
	}
	return TLV(263, v)
}

// OSPFRouteType is prefix descriptor 264.
func OSPFRouteType(t byte) []byte { return TLV(264, []byte{t}) }

// LSAttr returns the BGP-LS attribute (path attribute 29) holding tlvs.
func LSAttr(tlvs ...[]byte) []byte { return Attr(FlagOptional, AttrLS, concat(tlvs...)) }

// Attribute TLVs. Bandwidths are taken in bits per second and written in
// bytes per second as the wire wants; delays are in microseconds.

// NodeName is TLV 1026.
func NodeName(name string) []byte { return TLV(1026, []byte(name)) }

// RouterIDv4 is TLV 1028, the local IPv4 router-ID.
func RouterIDv4(a netip.Addr) []byte { return TLV(1028, a.AsSlice()) }

// RouterIDv6 is TLV 1029, the local IPv6 router-ID.
func RouterIDv6(a netip.Addr) []byte { return TLV(1029, a.AsSlice()) }

// IGPMetric is TLV 1095 in its 3-byte form.
func IGPMetric(m uint32) []byte { return TLV(1095, u32(m)[1:]) }

// TEMetric is TLV 1092.
func TEMetric(m uint32) []byte { return TLV(1092, u32(m)) }

// AdminGroup is TLV 1088.
func AdminGroup(g uint32) []byte { return TLV(1088, u32(g)) }

func bw(bitsPerSecond float64) []byte {
	return u32(math.Float32bits(float32(bitsPerSecond / 8)))
}

// MaxBandwidth is TLV 1089.
func MaxBandwidth(bitsPerSecond float64) []byte { return TLV(1089, bw(bitsPerSecond)) }

// MaxReservableBandwidth is TLV 1090.
func MaxReservableBandwidth(bitsPerSecond float64) []byte { return TLV(1090, bw(bitsPerSecond)) }

// UnreservedBandwidth is TLV 1091 with the same value at all eight
// priorities.
func UnreservedBandwidth(bitsPerSecond float64) []byte {
	var v []byte
	for range 8 {
		v = append(v, bw(bitsPerSecond)...)
	}
	return TLV(1091, v)
}

// SRLG is TLV 1096, the shared risk link groups.
func SRLG(groups ...uint32) []byte {
	var v []byte
	for _, g := range groups {
		v = append(v, u32(g)...)
	}
	return TLV(1096, v)
}

// Delay is TLV 1114, the unidirectional link delay.
func Delay(us uint32, anomalous bool) []byte { return TLV(1114, delay24(us, anomalous)) }

// MinMaxDelay is TLV 1115.
func MinMaxDelay(minUS, maxUS uint32, anomalous bool) []byte {
	return TLV(1115, concat(delay24(minUS, anomalous), delay24(maxUS, false)))
}

// DelayVariation is TLV 1116.
func DelayVariation(us uint32) []byte { return TLV(1116, delay24(us, false)) }

func delay24(v uint32, a bool) []byte {
	b := u32(v & 0xffffff)
	if a {
		b[0] |= 0x80
	}
	return b
}

// LossUnit is the unit of TLV 1117 in percent (RFC 8571 §4.4).
const LossUnit = 0.000003

// Loss is TLV 1117, the unidirectional link loss, given in percent.
func Loss(percent float64, anomalous bool) []byte {
	return TLV(1117, delay24(uint32(math.Round(percent/LossUnit)), anomalous))
}

// ResidualBandwidth is TLV 1118.
func ResidualBandwidth(bitsPerSecond float64) []byte { return TLV(1118, bw(bitsPerSecond)) }

// AvailableBandwidth is TLV 1119.
func AvailableBandwidth(bitsPerSecond float64) []byte { return TLV(1119, bw(bitsPerSecond)) }

// UtilizedBandwidth is TLV 1120.
func UtilizedBandwidth(bitsPerSecond float64) []byte { return TLV(1120, bw(bitsPerSecond)) }

// PrefixMetric is TLV 1155.
func PrefixMetric(m uint32) []byte { return TLV(1155, u32(m)) }

// ASLA is TLV 1122, the application-specific link attributes (RFC 9294 §4):
// standard and user-defined application bit masks followed by link
// attribute sub-TLVs built with the functions above.
func ASLA(sabm, udabm []byte, subTLVs ...[]byte) []byte {
	v := []byte{byte(len(sabm)), byte(len(udabm)), 0, 0}
	v = append(v, sabm...)
	v = append(v, udabm...)
	return TLV(1122, append(v, concat(subTLVs...)...))
}
