package updates

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"

	"github.com/altosdn/altosdn/alto"
)

// An Event is one RFC 8895 update event: a data update (a full replacement
// in the resource's own media type, or a merge or JSON patch) or a control
// update (application/alto-updatestreamcontrol+json).
type Event struct {
	MediaType string
	// SubstreamID is the data-id: the client's name for the substream. It
	// is empty for control events.
	SubstreamID string
	// Data is one JSON value. It is shared between every stream that sends
	// the same version of a resource and must not be modified.
	Data []byte
}

// Name is the SSE event field: "media-type,data-id", or the media type
// alone for a control event (RFC 8895 §5).
func (e Event) Name() string {
	if e.SubstreamID == "" {
		return e.MediaType
	}
	return e.MediaType + "," + e.SubstreamID
}

// IsControl reports whether e is a control update.
func (e Event) IsControl() bool { return e.MediaType == alto.MediaTypeUpdateStreamControl }

// Control is the data of a control update (RFC 8895 §5.3).
type Control struct {
	// ControlURI is in the first event only; nil there means the stream
	// has no stream control, which this server never does.
	ControlURI *string  `json:"control-uri,omitempty"`
	Started    []string `json:"started,omitempty"`
	Stopped    []string `json:"stopped,omitempty"`
	// Description explains a server-side action: a re-synchronisation, a
	// substream stopped by the server, a shutdown.
	Description string `json:"description,omitempty"`
}

// ControlEvent encodes a control update.
func ControlEvent(c Control) Event {
	b, _ := json.Marshal(c) // strings and string slices: cannot fail
	return Event{MediaType: alto.MediaTypeUpdateStreamControl, Data: b}
}

// AppendSSE writes e in the text/event-stream format: the event field, the
// data split at line breaks into data fields (a client joins them again
// with "\n"), and the blank line that ends the event.
func (e Event) AppendSSE(b []byte) []byte {
	b = append(b, "event: "...)
	b = append(b, e.Name()...)
	b = append(b, '\n')
	data := e.Data
	for {
		line, rest, more := bytes.Cut(data, []byte{'\n'})
		line = bytes.TrimSuffix(line, []byte{'\r'})
		b = append(b, "data: "...)
		b = append(b, line...)
		b = append(b, '\n')
		if !more {
			break
		}
		data = rest
	}
	return append(b, '\n')
}

// AppendWebSocket writes e as this server's WebSocket message: a JSON
// object {"event": <the SSE event field>, "data": <the event data>}, so a
// WebSocket client sees exactly what an SSE client sees.
func (e Event) AppendWebSocket(b []byte) []byte {
	b = append(b, `{"event":`...)
	name, _ := json.Marshal(e.Name()) // a string: cannot fail
	b = append(b, name...)
	b = append(b, `,"data":`...)
	b = append(b, bytes.TrimSpace(e.Data)...)
	return append(b, '}')
}

// ParseEventName splits an SSE event field into media type and data-id.
func ParseEventName(name string) (mediaType, substreamID string) {
	mediaType, substreamID, _ = strings.Cut(name, ",")
	return mediaType, substreamID
}

// WriteSSE writes e as AppendSSE does, without copying data that holds no
// line break: full cost maps run to megabytes and are shared by every
// stream.
func (e Event) WriteSSE(w io.Writer) error {
	if bytes.IndexByte(e.Data, '\n') >= 0 {
		_, err := w.Write(e.AppendSSE(nil))
		return err
	}
	head := make([]byte, 0, 64+len(e.MediaType)+len(e.SubstreamID))
	head = append(head, "event: "...)
	head = append(head, e.Name()...)
	head = append(head, "\ndata: "...)
	if _, err := w.Write(head); err != nil {
		return err
	}
	if _, err := w.Write(e.Data); err != nil {
		return err
	}
	_, err := w.Write([]byte("\n\n"))
	return err
}
