package static

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The fuzz targets check the contract of every parser: never panic, and
// whatever parses is a valid, self-consistent topology. Seeds are the
// testdata files of each format.

func FuzzParseNative(f *testing.F) {
	addSeeds(f, "*.yaml", "*.json")
	f.Add([]byte("nodes: [{id: a, prefixes: [10.0.0.0/8]}, {id: b}]\nlinks: [{from: a, to: b, bandwidth: 1G, delay: 1ms, loss: 1%}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParser(t, parseNative, data) })
}

func FuzzParseRepetita(f *testing.F) {
	addSeeds(f, "Abilene.graph")
	f.Add([]byte("NODES 2\na 0 0\nb 0 0\nEDGES 2\ne 0 1 1 1 1\nf 1 1 1 1 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParser(t, parseRepetita, data) })
}

func FuzzParseGraphML(f *testing.F) {
	addSeeds(f, "*.graphml")
	f.Add([]byte(gml("undirected", []string{"0:A:1:2", "1:B"}, `<edge source="0" target="1"><data key="d3">1e9</data></edge>`)))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParser(t, parseGraphML, data) })
}

func FuzzParseSNDlib(f *testing.F) {
	// abilene.txt without its 132 demands: minimising inputs derived from
	// the whole file takes the fuzzer most of a short run.
	whole, err := os.ReadFile(filepath.Join("testdata", "abilene.txt"))
	if err != nil {
		f.Fatal(err)
	}
	head, _, _ := bytes.Cut(whole, []byte("# DEMAND SECTION"))
	f.Add(head)
	f.Add([]byte("META (\n unit = MBITPERSEC\n)\nNODES (\n A ( 1 2 )\n B ( 3 4 )\n)\nLINKS (\n L ( A B ) 10 0 2 0 ( 1 2 )\n)\n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzParser(t, parseSNDlib, data) })
}

func addSeeds(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		files, _ := filepath.Glob(filepath.Join("testdata", p))
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
}

func fuzzParser(t *testing.T, parse func(string, []byte) (*Topology, error), data []byte) {
	topo, err := parse("fuzz", data)
	if err != nil {
		if topo != nil {
			t.Fatal("a topology returned with an error")
		}
		return
	}
	checkValid(t, topo)
}
