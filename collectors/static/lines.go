package static

import "strings"

// lineReader walks a text file line by line for the line-oriented importers,
// remembering 1-based line numbers for error messages.
type lineReader struct {
	lines []string
	next  int // index of the next line to read
}

func newLineReader(data []byte) *lineReader {
	return &lineReader{lines: strings.Split(string(data), "\n")}
}

// fields returns the whitespace-separated fields of the next non-blank line
// and its number, or ok=false at the end of the file.
func (r *lineReader) fields() (fs []string, line int, ok bool) {
	for r.next < len(r.lines) {
		r.next++
		if fs := strings.Fields(r.lines[r.next-1]); len(fs) > 0 {
			return fs, r.next, true
		}
	}
	return nil, r.next, false
}
