package topology

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Protocol is the routing protocol a node or link was learnt from, with the
// values of the BGP-LS Protocol-ID registry (RFC 9552 §5.2) where one exists.
type Protocol uint8

// Protocols. ProtocolStatic doubles as "configured by hand".
const (
	ProtocolUnknown Protocol = 0
	ProtocolISISL1  Protocol = 1
	ProtocolISISL2  Protocol = 2
	ProtocolOSPFv2  Protocol = 3
	ProtocolDirect  Protocol = 4
	ProtocolStatic  Protocol = 5
	ProtocolOSPFv3  Protocol = 6
	ProtocolBGP     Protocol = 7
)

var protocolNames = [...]string{"unknown", "isis-l1", "isis-l2", "ospfv2", "direct", "static", "ospfv3", "bgp"}

// String returns the lower-case protocol name used in node identifiers.
func (p Protocol) String() string {
	if int(p) < len(protocolNames) {
		return protocolNames[p]
	}
	return "proto" + strconv.Itoa(int(p))
}

// NodeKey is the routing-protocol identity of a node. Two updates that carry
// the same key describe the same node.
type NodeKey struct {
	Protocol Protocol
	Instance uint64 // BGP-LS Identifier (routing universe)
	AS       uint32
	Area     string // OSPF area or IS-IS area/level, as text
	RouterID string // IGP router-ID as text: an IPv4 address or an ISO system ID
	// BGPLSID is the BGP-LS Identifier (RFC 9552 node descriptor TLV 513,
	// deprecated but still sent by some producers); 0 when absent. It is
	// part of the identity because two routing domains may reuse IGP
	// router-IDs and tell them apart only by this number.
	BGPLSID uint32
}

// ID returns the canonical identifier of the key. It is stable across
// restarts and replicas, so it can be used in vtags and logs.
func (k NodeKey) ID() NodeID {
	var b strings.Builder
	b.WriteString(k.Protocol.String())
	b.WriteByte('/')
	b.WriteString(strconv.FormatUint(k.Instance, 10))
	b.WriteByte('/')
	b.WriteString(strconv.FormatUint(uint64(k.AS), 10))
	b.WriteByte('/')
	b.WriteString(k.Area)
	b.WriteByte('/')
	b.WriteString(k.RouterID)
	if k.BGPLSID != 0 {
		// Appended only when set, so that keys without one keep the IDs
		// they had before the field existed.
		b.WriteString("/ls=")
		b.WriteString(strconv.FormatUint(uint64(k.BGPLSID), 10))
	}
	return NodeID(b.String())
}

// NodeID identifies a node in a graph; see [NodeKey.ID].
type NodeID string

// Node is a forwarding node (router, switch or pseudonode).
type Node struct {
	ID   NodeID
	Key  NodeKey
	Name string // host name, if known

	RouterIDv4 netip.Addr // zero when unknown
	RouterIDv6 netip.Addr // zero when unknown

	// Pseudo marks a LAN pseudonode; it forwards but attaches no endpoints.
	Pseudo bool
}

func (n *Node) validate() error {
	if n.ID == "" {
		return fmt.Errorf("node: empty id")
	}
	if n.RouterIDv4.IsValid() && !n.RouterIDv4.Is4() {
		return fmt.Errorf("node %s: ipv4 router-id %s is not IPv4", n.ID, n.RouterIDv4)
	}
	if n.RouterIDv6.IsValid() && !n.RouterIDv6.Is6() {
		return fmt.Errorf("node %s: ipv6 router-id %s is not IPv6", n.ID, n.RouterIDv6)
	}
	return nil
}
