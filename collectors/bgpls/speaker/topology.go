package speaker

import (
	"net/netip"

	"github.com/altosdn/altosdn/topology"
)

// Topology is what a speaker advertises or withdraws.
type Topology struct {
	Nodes    []Node
	Links    []Link
	Prefixes []Prefix
	Routes   []Route // IPv4/IPv6 unicast
}

// NodeDescriptor identifies a node in BGP-LS (RFC 9552 §5.2.1.4).
type NodeDescriptor struct {
	AS      uint32
	BGPLSID uint32 // TLV 513, sent only when non-zero
	// OSPFArea is sent for OSPFv2 and OSPFv3 only, area 0 included.
	OSPFArea uint32
	// IGPRouterID is written as text: "10.0.0.1" (OSPF), "0000.0000.0001"
	// (IS-IS), "0000.0000.0001.01" or "0000.0000.0001-01" (IS-IS
	// pseudonode), "10.0.0.1:10.1.1.2" (OSPF pseudonode: DR router-ID and
	// interface address).
	IGPRouterID string
	// BGPRouterID identifies BGP (Protocol-ID 7) nodes, with AS.
	BGPRouterID netip.Addr
}

// Node is a Node NLRI with its attributes.
type Node struct {
	Protocol   topology.Protocol
	Identifier uint64 // routing universe
	Descriptor NodeDescriptor
	Name       string     // TLV 1026
	RouterIDv4 netip.Addr // TLV 1028
	RouterIDv6 netip.Addr // TLV 1029
	ExtraTLVs  []TLV      // appended to the BGP-LS attribute as they are
}

// Link is a Link NLRI with its attributes.
type Link struct {
	Protocol      topology.Protocol
	Identifier    uint64
	Local, Remote NodeDescriptor
	// LocalAddr and RemoteAddr are the interface and neighbour addresses
	// (IPv4 or IPv6); LocalID and RemoteID the link identifiers. Zero
	// values are not sent.
	LocalAddr, RemoteAddr netip.Addr
	LocalID, RemoteID     uint32
	MTID                  uint16 // sent when non-zero
	// Metrics are in topology units (bits/s, µs, percent) and sent in
	// BGP-LS units: IGP 1095, TE 1092, bandwidths 1089–1091 and
	// 1118–1120, delays 1114–1116, loss 1117. Unset metrics are not sent.
	Metrics    topology.Metrics
	AdminGroup uint32   // TLV 1088, sent when non-zero
	SRLGs      []uint32 // TLV 1096
	ExtraTLVs  []TLV
}

// Prefix is a Prefix NLRI with its attributes.
type Prefix struct {
	Protocol      topology.Protocol
	Identifier    uint64
	Node          NodeDescriptor
	Prefix        netip.Prefix
	MTID          uint16         // sent when non-zero
	OSPFRouteType uint8          // sent when non-zero
	Metric        topology.Value // TLV 1155, sent when set
	ExtraTLVs     []TLV
}

// Route is an IPv4 or IPv6 unicast route.
type Route struct {
	Prefix  netip.Prefix
	NextHop netip.Addr
}

// TLV is a raw BGP-LS attribute TLV, sent as given.
type TLV struct {
	Type  uint16
	Value []byte
}
