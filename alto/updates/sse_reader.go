package updates

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
)

// An SSEReader reads events from a text/event-stream, as a client does:
// comment lines (keep-alives) are skipped, data fields are joined with
// "\n", and a blank line ends an event. It is what this package's tests
// and the end-to-end tests use to check the server's output.
type SSEReader struct {
	sc *bufio.Scanner
	// Comments counts the comment lines seen so far.
	Comments int
}

// NewSSEReader reads events from r. Lines may be up to maxLine bytes.
func NewSSEReader(r io.Reader, maxLine int) *SSEReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	return &SSEReader{sc: sc}
}

// Next returns the next event. It returns io.EOF when the stream ends
// between events and io.ErrUnexpectedEOF when it ends inside one.
func (r *SSEReader) Next() (Event, error) {
	var name string
	var data bytes.Buffer
	started, hasData := false, false
	for r.sc.Scan() {
		line := r.sc.Text()
		if line == "" {
			if !started {
				continue
			}
			ev := Event{Data: data.Bytes()}
			ev.MediaType, ev.SubstreamID = ParseEventName(name)
			if !hasData {
				return Event{}, fmt.Errorf("updates: sse: event %q without data", name)
			}
			return ev, nil
		}
		if strings.HasPrefix(line, ":") {
			r.Comments++
			continue
		}
		started = true
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			name = value
		case "data":
			if hasData {
				data.WriteByte('\n')
			}
			hasData = true
			data.WriteString(value)
		}
	}
	if err := r.sc.Err(); err != nil {
		return Event{}, fmt.Errorf("updates: sse: %w", err)
	}
	if started {
		return Event{}, io.ErrUnexpectedEOF
	}
	return Event{}, io.EOF
}
