package static

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Load reads and parses a topology file in the given format (one of the
// Format constants; "" means auto). Errors name the file and, where there
// is one, the line.
func Load(path, format string) (*Topology, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err // *fs.PathError already names the file
	}
	return Parse(data, path, format)
}

// Parse parses the contents of a topology file. name is the file's name,
// used in error messages and, with format auto, to choose the parser.
func Parse(data []byte, name, format string) (*Topology, error) {
	f, err := detectFormat(name, data, format)
	if err != nil {
		return nil, err
	}
	var t *Topology
	switch f {
	case FormatNative:
		t, err = parseNative(name, data)
	case FormatRepetita:
		t, err = parseRepetita(name, data)
	case FormatGraphML:
		t, err = parseGraphML(name, data)
	case FormatSNDlib:
		t, err = parseSNDlib(name, data)
	}
	if err != nil {
		return nil, err
	}
	// The parsers check everything the store would; this is a backstop so
	// that a parser bug fails loudly here rather than as a rejected update.
	if u := t.Update(); u.Validate() != nil {
		return nil, &ParseError{File: name, Err: fmt.Errorf("internal error: %w", u.Validate())}
	}
	return t, nil
}

// detectFormat resolves format auto from the file's extension: .yaml, .yml
// and .json are native, .graph Repetita, .graphml GraphML, and .txt SNDlib
// when the file starts with the SNDlib header.
func detectFormat(name string, data []byte, format string) (string, error) {
	switch format {
	case FormatNative, FormatRepetita, FormatGraphML, FormatSNDlib:
		return format, nil
	case FormatAuto, "":
	default:
		return "", fmt.Errorf("unknown format %q (want %s)", format, strings.Join(formats, ", "))
	}
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".yaml", ".yml", ".json":
		return FormatNative, nil
	case ".graph":
		return FormatRepetita, nil
	case ".graphml":
		return FormatGraphML, nil
	case ".txt":
		if bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n\ufeff"), []byte(sndlibHeader)) {
			return FormatSNDlib, nil
		}
		return "", parseErr(name, 0, "a .txt file without the %q header; set format", sndlibHeader)
	default:
		return "", parseErr(name, 0, "cannot tell the format from the extension %q; set format to native, repetita, graphml or sndlib", ext)
	}
}
