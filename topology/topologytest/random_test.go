package topologytest

import "testing"

func TestRandom(t *testing.T) {
	g, err := Random(300, 4, 7)
	if err != nil {
		t.Fatal(err)
	}
	if g.NumNodes() != 300 || len(g.Prefixes()) != 300 {
		t.Errorf("got %d nodes and %d prefixes; want 300 of each", g.NumNodes(), len(g.Prefixes()))
	}
	// 299 tree links plus about 300 chords, each in both directions.
	if g.NumLinks() < 2*299 || g.NumLinks() > 2*(299+300) {
		t.Errorf("got %d links", g.NumLinks())
	}
	h, _ := Random(300, 4, 7)
	for i := range g.NumLinks() {
		if g.Link(i).ID != h.Link(i).ID || g.Link(i).Metrics != h.Link(i).Metrics {
			t.Fatal("the same seed gave a different graph")
		}
	}
	if _, err := Random(0, 4, 1); err == nil {
		t.Error("Random(0) succeeded")
	}
}
