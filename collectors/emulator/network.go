package emulator

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"net/netip"
	"slices"

	"github.com/altosdn/altosdn/collectors/static"
	"github.com/altosdn/altosdn/topology"
)

// network is the emulated network: the topology's routers with router-IDs
// and numbered interfaces, and the traffic pattern of each link.
type network struct {
	nodes    []topology.Node // sorted by name; router i is nodes[i]
	links    []elink
	prefixes []topology.Prefix
	pairs    [][2]int // indices into links of the two directions of each link
}

// elink is one directed link of the emulated network.
type elink struct {
	base    topology.Link // as the topology file gives it, addresses added
	node    int           // index of the router the link leaves
	iface   string        // its interface name on that router
	reverse int           // index of the opposite direction, or -1
	// The daily traffic pattern: peak utilisation and phase (fraction of
	// a day).
	peak, phase float64
}

// buildNetwork turns a topology into the emulated network. Routers get
// router-IDs 198.18.0.i and each link a /31 from 198.18.128.0/17, so that
// BGP-LS and gNMI can name them the same way; traffic peaks and phases are
// drawn from a fixed seed, so every run plays the same day.
func buildNetwork(t *static.Topology) (*network, error) {
	if len(t.Nodes) > 250 {
		return nil, fmt.Errorf("emulator: %d routers; at most 250 are emulated", len(t.Nodes))
	}
	n := &network{nodes: slices.Clone(t.Nodes)}
	slices.SortFunc(n.nodes, func(a, b topology.Node) int { return cmp.Compare(a.Name, b.Name) })
	index := map[topology.NodeID]int{}
	for i := range n.nodes {
		n.nodes[i].RouterIDv4 = netip.AddrFrom4([4]byte{198, 18, 0, byte(i + 1)})
		index[n.nodes[i].ID] = i
	}
	r := rand.New(rand.NewPCG(42, 7))
	pairOf := map[[2]topology.NodeID]int{}
	ifaces := make([]int, len(n.nodes))
	for _, l := range t.Links {
		from, ok := index[l.Key.Local]
		if !ok {
			return nil, fmt.Errorf("emulator: link %s: unknown node", l.ID)
		}
		e := elink{base: l, node: from, reverse: -1, peak: 0.3 + 0.6*r.Float64(), phase: r.Float64()}
		ifaces[from]++
		e.iface = fmt.Sprintf("Ethernet%d", ifaces[from])
		key := [2]topology.NodeID{l.Key.Local, l.Key.Remote}
		if p, ok := pairOf[[2]topology.NodeID{key[1], key[0]}]; ok && n.pairs[p][1] < 0 {
			// The second direction of a link: the opposite end of its /31.
			first := &n.links[n.pairs[p][0]]
			e.base.Key.LocalAddr, e.base.Key.RemoteAddr = first.base.Key.RemoteAddr, first.base.Key.LocalAddr
			e.reverse = n.pairs[p][0]
			first.reverse = len(n.links)
			n.pairs[p][1] = len(n.links)
			delete(pairOf, [2]topology.NodeID{key[1], key[0]})
		} else {
			p := len(n.pairs)
			if p >= 1<<14 {
				return nil, fmt.Errorf("emulator: too many links")
			}
			a := netip.AddrFrom4([4]byte{198, 18, byte(128 + (2*p)>>8), byte(2 * p)})
			e.base.Key.LocalAddr, e.base.Key.RemoteAddr = a, a.Next()
			pairOf[key] = p
			n.pairs = append(n.pairs, [2]int{len(n.links), -1})
		}
		e.base.ID = e.base.Key.ID()
		n.links = append(n.links, e)
	}
	for _, p := range t.Prefixes {
		if _, ok := index[p.Node]; ok {
			n.prefixes = append(n.prefixes, p)
		}
	}
	return n, nil
}

// linkState is a link's condition at one moment.
type linkState struct {
	up          bool
	utilisation float64 // 0..1
	metrics     topology.Metrics
}

// state computes link i at day fraction f (0 ≤ f < 1).
func (n *network) state(i int, f float64, down bool) linkState {
	e := &n.links[i]
	m := e.base.Metrics
	if down {
		return linkState{metrics: m}
	}
	// Traffic follows a daily sine between 20% and 100% of the link's peak.
	u := e.peak * (0.6 + 0.4*math.Sin(2*math.Pi*(f+e.phase)))
	s := linkState{up: true, utilisation: u}
	if capacity, ok := m.Get(topology.MetricMaxBandwidth); ok {
		m = m.With(topology.MetricUtilizedBandwidth, math.Round(u*capacity), sourceTag)
		m = m.With(topology.MetricAvailableBandwidth, math.Round((1-u)*capacity), sourceTag)
		m = m.With(topology.MetricResidualBandwidth, math.Round((1-u)*capacity), sourceTag)
	}
	if d, ok := m.Get(topology.MetricDelay); ok {
		// Queueing adds delay as the link fills, up to 1 ms.
		m = m.With(topology.MetricDelay, math.Round(d+1000*u*u*u), sourceTag)
	}
	// Loss stays negligible until the link nears saturation.
	m = m.With(topology.MetricLoss, lossAt(u), sourceTag)
	s.metrics = m
	return s
}

// lossAt is the loss, in percent, of a link at utilisation u.
func lossAt(u float64) float64 {
	loss := 0.0003
	if u > 0.8 {
		loss += 10 * (u - 0.8) * (u - 0.8)
	}
	return math.Round(loss*1e6) / 1e6
}

// sourceTag marks the values the emulator makes up; they reach the daemon
// over the wire, which retags them.
const sourceTag topology.Source = "emulator"
