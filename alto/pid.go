package alto

import (
	"cmp"
	"net/netip"
	"regexp"
	"slices"
	"strconv"

	"github.com/altosdn/altosdn/topology"
)

// PID is one provider-defined identifier of a network map: a named group of
// endpoint prefixes and the nodes those endpoints attach to.
type PID struct {
	Name     string
	Prefixes []netip.Prefix // IPv4 before IPv6, each in address order
	// Nodes are the graph indices of the attachment nodes whose costs the
	// PID's costs are derived from. The default PID has none.
	Nodes []int32
}

var (
	allIPv4 = netip.MustParsePrefix("0.0.0.0/0")
	allIPv6 = netip.MustParsePrefix("::/0")
)

// prefixOwner records which node a prefix is attached to.
type prefixOwner struct {
	node   int32
	metric topology.Value
}

// better reports whether o should own a prefix rather than p: a lower
// advertised metric wins, a set metric beats an unset one, and the lower
// node index (the lower node ID) breaks ties, so the choice is stable.
func (o prefixOwner) better(p prefixOwner) bool {
	switch {
	case o.metric.Set && !p.metric.Set:
		return true
	case o.metric.Set && p.metric.Set && o.metric.V != p.metric.V:
		return o.metric.V < p.metric.V
	case !o.metric.Set && p.metric.Set:
		return false
	}
	return o.node < p.node
}

// assignPIDs forms the PIDs of a network map. Every prefix ends up in exactly
// one PID: a prefix attached to several nodes (anycast) goes to the best
// owner, and explicitly configured prefixes leave the node-derived PIDs.
func assignPIDs(g *topology.Graph, cfg NetworkMapConfig, pattern *regexp.Regexp) ([]PID, map[netip.Prefix]prefixOwner) {
	owners := map[netip.Prefix]prefixOwner{}
	for i := range g.NumNodes() {
		for _, p := range g.NodePrefixes(i) {
			o := prefixOwner{node: int32(i), metric: p.Metric}
			if cur, ok := owners[p.Prefix]; !ok || o.better(cur) {
				owners[p.Prefix] = o
			}
		}
	}
	explicit := map[netip.Prefix]bool{}
	reserved := []string{cfg.DefaultPID}
	for _, e := range cfg.Explicit {
		reserved = append(reserved, e.Name)
		for _, p := range e.Prefixes {
			explicit[p] = true
		}
	}

	// Group the remaining prefixes by the key of their owner node.
	nodePrefixes := make([][]netip.Prefix, g.NumNodes())
	for p, o := range owners {
		if !explicit[p] {
			nodePrefixes[o.node] = append(nodePrefixes[o.node], p)
		}
	}
	namer := newUniqueNamer(reserved...)
	var pids []PID
	groups := map[string]int{} // group key -> index in pids
	for i := range g.NumNodes() {
		if len(nodePrefixes[i]) == 0 {
			continue
		}
		n := g.Node(i)
		key, grouped := groupKey(n, cfg.Grouping, pattern)
		if grouped {
			if at, ok := groups[key]; ok {
				pids[at].Nodes = append(pids[at].Nodes, int32(i))
				pids[at].Prefixes = append(pids[at].Prefixes, nodePrefixes[i]...)
				continue
			}
			groups[key] = len(pids)
		} else {
			key = nodePIDBase(n)
		}
		pids = append(pids, PID{Name: namer.name(key), Nodes: []int32{int32(i)}, Prefixes: nodePrefixes[i]})
	}

	for _, e := range cfg.Explicit {
		pid := PID{Name: e.Name, Prefixes: slices.Clone(e.Prefixes)}
		for _, p := range e.Prefixes {
			if o, ok := coveringOwner(owners, p); ok && !slices.Contains(pid.Nodes, o) {
				pid.Nodes = append(pid.Nodes, o)
			}
		}
		slices.Sort(pid.Nodes)
		pids = append(pids, pid)
	}

	def := PID{Name: cfg.DefaultPID}
	for _, p := range []netip.Prefix{allIPv4, allIPv6} {
		if _, taken := owners[p]; !taken && !explicit[p] {
			def.Prefixes = append(def.Prefixes, p)
		}
	}
	if len(def.Prefixes) > 0 {
		pids = append(pids, def)
	}

	for i := range pids {
		slices.SortFunc(pids[i].Prefixes, comparePrefixes)
	}
	sortPIDs(pids)
	return pids, owners
}

func sortPIDs(pids []PID) {
	slices.SortFunc(pids, func(a, b PID) int { return cmp.Compare(a.Name, b.Name) })
}

// coveringOwner finds the node owning the longest node prefix that covers p
// (p itself included), for attaching an explicitly configured PID to the
// topology.
func coveringOwner(owners map[netip.Prefix]prefixOwner, p netip.Prefix) (int32, bool) {
	for bits := p.Bits(); bits >= 0; bits-- {
		q := netip.PrefixFrom(p.Addr(), bits).Masked()
		if o, ok := owners[q]; ok {
			return o.node, true
		}
	}
	return 0, false
}

// groupKey returns the group a node belongs to under a grouping policy, or
// false when the node gets a PID of its own.
func groupKey(n *topology.Node, grouping string, pattern *regexp.Regexp) (string, bool) {
	switch grouping {
	case GroupAS:
		if n.Key.AS != 0 {
			return "as" + strconv.FormatUint(uint64(n.Key.AS), 10), true
		}
	case GroupArea:
		if s := SanitizePIDName(n.Key.Area); s != "" {
			return "area-" + s, true
		}
	case GroupNamePattern:
		if pattern == nil {
			break
		}
		m := pattern.FindStringSubmatch(n.Name)
		if m == nil {
			break
		}
		key := m[0]
		if len(m) > 1 {
			key = m[1]
		}
		if s := SanitizePIDName(key); s != "" {
			return s, true
		}
	}
	return "", false
}

// nodePIDBase derives a PID name from the most human-friendly identity a
// node has: its name, then its router-IDs, then its IGP router-ID.
func nodePIDBase(n *topology.Node) string {
	for _, cand := range []string{n.Name, addrString(n.RouterIDv4), addrString(n.RouterIDv6), n.Key.RouterID} {
		if s := SanitizePIDName(cand); s != "" {
			return s
		}
	}
	return "node"
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

func comparePrefixes(a, b netip.Prefix) int {
	if c := a.Addr().Compare(b.Addr()); c != 0 {
		return c
	}
	return cmp.Compare(a.Bits(), b.Bits())
}
