package static

import (
	"bytes"
	"testing"
)

func TestDemo(t *testing.T) {
	topo, err := Demo()
	if err != nil {
		t.Fatal(err)
	}
	checkValid(t, topo)
	if len(topo.Nodes) != 11 || len(topo.Links) != 28 || len(topo.Prefixes) != 22 {
		t.Errorf("demo has %d nodes, %d links, %d prefixes; want 11, 28, 22",
			len(topo.Nodes), len(topo.Links), len(topo.Prefixes))
	}
	// The embedded copy must stay the upstream file (see demo/ATTRIBUTION.md).
	if !bytes.Equal(demoAbilene, readTestdata(t, "Abilene.graph")) {
		t.Error("demo/Abilene.graph differs from testdata/Abilene.graph")
	}
}
