package static

import (
	"fmt"

	"github.com/altosdn/altosdn/topology"
)

// builder accumulates the nodes and links of an imported dataset. It gives
// the importers one set of identity rules:
//
//   - a node's key is {Protocol: static, RouterID: the file's node id};
//   - the k-th link (counting from 0, in file order) between the same two
//     nodes in the same direction gets LocalIfID = RemoteIfID = k, so
//     parallel links keep distinct, stable IDs and the first one has none;
//   - self-loops carry no traffic between nodes and are skipped with a note.
type builder struct {
	format   string
	nodes    []topology.Node
	index    map[string]int // file node id → position in nodes
	links    []topology.Link
	parallel map[[2]topology.NodeID]uint32
	loops    int
	notes    []string
}

func newBuilder(format string) *builder {
	return &builder{format: format, index: map[string]int{}, parallel: map[[2]topology.NodeID]uint32{}}
}

// addNode adds a node; it reports false if the id is already taken.
func (b *builder) addNode(id, name string) bool {
	if _, dup := b.index[id]; dup {
		return false
	}
	if name == "" {
		name = id
	}
	key := topology.NodeKey{Protocol: topology.ProtocolStatic, RouterID: id}
	b.index[id] = len(b.nodes)
	b.nodes = append(b.nodes, topology.Node{ID: key.ID(), Key: key, Name: name})
	return true
}

// node returns the position of the node with the file's id.
func (b *builder) node(id string) (int, bool) {
	i, ok := b.index[id]
	return i, ok
}

// addLink adds a directed link between two node positions.
func (b *builder) addLink(from, to int, m topology.Metrics) {
	if from == to {
		b.loops++
		return
	}
	pair := [2]topology.NodeID{b.nodes[from].ID, b.nodes[to].ID}
	k := b.parallel[pair]
	b.parallel[pair] = k + 1
	key := topology.LinkKey{Local: pair[0], Remote: pair[1], LocalIfID: k, RemoteIfID: k}
	b.links = append(b.links, topology.Link{ID: key.ID(), Key: key, Metrics: m})
}

// addBoth adds an undirected link as two directed links with the same
// metrics; a self-loop counts once.
func (b *builder) addBoth(from, to int, m topology.Metrics) {
	if from == to {
		b.loops++
		return
	}
	b.addLink(from, to, m)
	b.addLink(to, from, m)
}

// note records something the operator should know about the import.
func (b *builder) note(format string, args ...any) {
	b.notes = append(b.notes, fmt.Sprintf(format, args...))
}

// finish synthesises prefixes and returns the topology.
func (b *builder) finish(file string) (*Topology, error) {
	if len(b.nodes) == 0 {
		return nil, parseErr(file, 0, "no nodes")
	}
	ps, err := SynthesizePrefixes(b.nodes)
	if err != nil {
		return nil, &ParseError{File: file, Err: err}
	}
	if b.loops > 0 {
		b.note("self-loops skipped: %d", b.loops)
	}
	return &Topology{
		Format:            b.format,
		Nodes:             b.nodes,
		Links:             b.links,
		Prefixes:          ps,
		SyntheticPrefixes: true,
		Notes:             b.notes,
	}, nil
}

// known returns a metric value from the static source.
func known(v float64) topology.Value { return topology.Known(v, topology.SourceStatic) }
