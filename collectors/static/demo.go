package static

import _ "embed"

// demoAbilene is Repetita's cleaned copy of the Topology Zoo's Abilene
// network; see demo/ATTRIBUTION.md.
//
//go:embed demo/Abilene.graph
var demoAbilene []byte

// demoFile names the demo network in logs and errors.
const demoFile = "builtin:demo/Abilene.graph"

// Demo returns the built-in demo network served when no file is configured:
// Abilene, the US research backbone of about 2005, as cleaned by Repetita
// (11 nodes, 28 directed links with IGP weights, bandwidths and delays),
// with synthetic prefixes.
func Demo() (*Topology, error) {
	return Parse(demoAbilene, demoFile, FormatRepetita)
}
