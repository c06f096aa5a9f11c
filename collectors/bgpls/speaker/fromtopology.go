package speaker

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"

	"github.com/altosdn/altosdn/topology"
)

// FromTopology describes a network of the topology model as one IS-IS
// level-2 domain in AS as, so an emulator can originate, say, the static
// collector's demo network over BGP-LS.
//
// Node i (in the order given) gets the system ID 0000.iiii.iiii with i
// counted from 1; a pseudonode gets that ID with circuit 1 as its LAN ID.
// So pass the same nodes in the same order to every call whose results
// go to one speaker; links and prefixes may be any subset. Names and
// router-IDs are kept (a node without a name is named after its ID).
// Links keep their interface addresses, link identifiers,
// multi-topology ID and every metric; a link with neither addresses nor
// identifiers gets a local identifier made from its ID (a 32-bit hash),
// so parallel links stay apart and a link keeps its identity whatever
// else is passed with it. Links marked Down are left out, as an IGP would
// not advertise them. Prefixes keep their metric.
func FromTopology(as uint32, nodes []topology.Node, links []topology.Link, prefixes []topology.Prefix) (Topology, error) {
	var t Topology
	desc := make(map[topology.NodeID]NodeDescriptor, len(nodes))
	for i, n := range nodes {
		id := make([]byte, 6, 7)
		binary.BigEndian.PutUint32(id[2:], uint32(i+1))
		if n.Pseudo {
			id = append(id, 1)
		}
		d := NodeDescriptor{AS: as, IGPRouterID: isoText(id)}
		if _, dup := desc[n.ID]; dup {
			return Topology{}, fmt.Errorf("speaker: node %s listed twice", n.ID)
		}
		desc[n.ID] = d
		name := n.Name
		if name == "" && !n.Pseudo {
			name = string(n.ID)
		}
		t.Nodes = append(t.Nodes, Node{
			Protocol: topology.ProtocolISISL2, Descriptor: d, Name: name,
			RouterIDv4: n.RouterIDv4, RouterIDv6: n.RouterIDv6,
		})
	}
	for _, l := range links {
		if l.Down {
			continue
		}
		a, ok1 := desc[l.Key.Local]
		b, ok2 := desc[l.Key.Remote]
		if !ok1 || !ok2 {
			return Topology{}, fmt.Errorf("speaker: link %s: unknown end node", l.ID)
		}
		sl := Link{
			Protocol: topology.ProtocolISISL2, Local: a, Remote: b,
			LocalAddr: l.Key.LocalAddr, RemoteAddr: l.Key.RemoteAddr,
			LocalID: l.Key.LocalIfID, RemoteID: l.Key.RemoteIfID,
			MTID: l.Key.MTID, Metrics: l.Metrics, AdminGroup: l.AdminGroup,
		}
		if !sl.LocalAddr.IsValid() && !sl.RemoteAddr.IsValid() && sl.LocalID == 0 && sl.RemoteID == 0 {
			h := fnv.New32a()
			h.Write([]byte(l.ID))
			sl.LocalID = max(h.Sum32(), 1) // 0 would mean "not sent"
		}
		t.Links = append(t.Links, sl)
	}
	for _, p := range prefixes {
		d, ok := desc[p.Node]
		if !ok {
			return Topology{}, fmt.Errorf("speaker: prefix %s: unknown node %s", p.Prefix, p.Node)
		}
		t.Prefixes = append(t.Prefixes, Prefix{Protocol: topology.ProtocolISISL2, Node: d, Prefix: p.Prefix, Metric: p.Metric})
	}
	return t, nil
}

func isoText(b []byte) string {
	s := fmt.Sprintf("%02x%02x.%02x%02x.%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5])
	if len(b) == 7 {
		s += fmt.Sprintf(".%02x", b[6])
	}
	return s
}
