package static

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/altosdn/altosdn/topology"
)

// readTestdata returns a file from testdata.
func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// nodeByName finds a node by name.
func nodeByName(t *testing.T, topo *Topology, name string) topology.Node {
	t.Helper()
	for _, n := range topo.Nodes {
		if n.Name == name {
			return n
		}
	}
	t.Fatalf("no node named %q", name)
	return topology.Node{}
}

// linkBetween finds the k-th link from a to b (by node name).
func linkBetween(t *testing.T, topo *Topology, a, b string, k uint32) topology.Link {
	t.Helper()
	na, nb := nodeByName(t, topo, a), nodeByName(t, topo, b)
	for _, l := range topo.Links {
		if l.Key.Local == na.ID && l.Key.Remote == nb.ID && l.Key.LocalIfID == k {
			return l
		}
	}
	t.Fatalf("no link %s->%s #%d", a, b, k)
	return topology.Link{}
}

// metric returns a metric's value, failing when it is unset or not static.
func metric(t *testing.T, l topology.Link, m topology.Metric) float64 {
	t.Helper()
	v := l.Metrics[m]
	if !v.Set {
		t.Fatalf("link %s: %s unset", l.ID, m)
	}
	if v.Source != topology.SourceStatic {
		t.Errorf("link %s: %s has source %q, want static", l.ID, m, v.Source)
	}
	return v.V
}

// checkValid asserts what every parsed topology must satisfy: the update
// validates and the graph builds (no dangling links, unique prefixes).
func checkValid(t *testing.T, topo *Topology) {
	t.Helper()
	u := topo.Update()
	if err := u.Validate(); err != nil {
		t.Fatalf("Update().Validate() = %v", err)
	}
	if u.Source != topology.SourceStatic || u.Op != topology.OpReplace {
		t.Fatalf("update source/op = %s/%s, want static/replace", u.Source, u.Op)
	}
	if _, err := topology.NewGraph(u.Nodes, u.Links, u.Prefixes); err != nil {
		t.Fatalf("NewGraph() = %v", err)
	}
}

// wantErr asserts err is non-nil and contains every substring.
func wantErr(t *testing.T, err error, subs ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one containing %q", subs)
	}
	for _, s := range subs {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q\ndoes not contain %q", err, s)
		}
	}
}
