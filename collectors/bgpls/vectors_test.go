package bgpls

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vector reads a hex byte vector from testdata (see testdata/README.md).
func vector(t testing.TB, name string) []byte {
	t.Helper()
	s, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	b, err := hex.DecodeString(strings.TrimSpace(string(s)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}
