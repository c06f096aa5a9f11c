package static

import (
	"slices"

	"github.com/altosdn/altosdn/topology"
)

// Topology is a parsed topology file: the nodes, directed links and prefixes
// it describes, every metric tagged with [topology.SourceStatic].
type Topology struct {
	// Format is the format the file was parsed as (never [FormatAuto]).
	Format string
	Nodes  []topology.Node
	Links  []topology.Link
	// Prefixes are the file's own prefixes (native format) or, for imported
	// datasets, synthetic ones; see SyntheticPrefixes.
	Prefixes []topology.Prefix
	// SyntheticPrefixes is set when the format carries no prefixes and they
	// were made up by the rule of [SynthesizePrefixes].
	SyntheticPrefixes bool
	// Notes lists what the importer changed or dropped that an operator
	// should know about, e.g. skipped self-loops. The collector logs them.
	Notes []string
}

// Update returns an [topology.OpReplace] update from [topology.SourceStatic]
// carrying the whole topology. Its slices are copies, so the update may be
// sent while t is reused.
func (t *Topology) Update() topology.Update {
	return topology.Update{
		Source:   topology.SourceStatic,
		Op:       topology.OpReplace,
		Nodes:    slices.Clone(t.Nodes),
		Links:    slices.Clone(t.Links),
		Prefixes: slices.Clone(t.Prefixes),
	}
}
