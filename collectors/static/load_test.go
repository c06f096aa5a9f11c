package static

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadAuto(t *testing.T) {
	tests := []struct {
		file, format string
	}{
		{"Abilene.graph", FormatRepetita},
		{"Abilene.graphml", FormatGraphML},
		{"abilene.txt", FormatSNDlib},
		{"parallel.good.yaml", FormatNative},
		{"minimal.good.json", FormatNative},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			for _, f := range []string{FormatAuto, "", tc.format} {
				topo, err := Load(filepath.Join("testdata", tc.file), f)
				if err != nil {
					t.Fatalf("format %q: %v", f, err)
				}
				if topo.Format != tc.format {
					t.Errorf("format %q: parsed as %q, want %q", f, topo.Format, tc.format)
				}
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path, format string
		want               []string
	}{
		{"unknown extension", write("topo.csv", "a,b\n"), FormatAuto, []string{"topo.csv: cannot tell the format from the extension \".csv\""}},
		{"no extension", write("topo", "x"), FormatAuto, []string{"cannot tell the format"}},
		{"txt without header", write("topo.txt", "NODES (\n)\n"), FormatAuto, []string{"topo.txt: a .txt file without the \"?SNDlib native format\" header; set format"}},
		{"unknown format", write("t.yaml", "x"), "xml", []string{`unknown format "xml"`}},
		{"wrong format", filepath.Join("testdata", "Abilene.graph"), FormatNative, []string{"Abilene.graph:1:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.path, tc.format)
			wantErr(t, err, tc.want...)
		})
	}
	_, err := Load(filepath.Join(dir, "missing.yaml"), FormatAuto)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestParseErrorShape(t *testing.T) {
	_, err := Load("testdata/unknown_node.bad.yaml", FormatAuto)
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is not a *ParseError", err)
	}
	if pe.File != "testdata/unknown_node.bad.yaml" || pe.Line != 14 {
		t.Errorf("ParseError{File: %q, Line: %d}, want testdata/unknown_node.bad.yaml, 14", pe.File, pe.Line)
	}
}
