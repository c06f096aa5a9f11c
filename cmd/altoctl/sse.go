package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/altosdn/altosdn/alto"
)

// Media types of RFC 8895 update streams.
const (
	mediaTypeEventStream         = "text/event-stream"
	mediaTypeUpdateStreamParams  = "application/alto-updatestreamparams+json"
	mediaTypeUpdateStreamControl = "application/alto-updatestreamcontrol+json"
)

// sseEvent is one server-sent event (WHATWG HTML, "server-sent events").
type sseEvent struct {
	Type string
	Data []byte
}

// sseReader splits a text/event-stream into events. Comment lines (the
// keep-alives RFC 8895 asks servers to send) are skipped, data lines are
// joined with newlines, and CRLF line ends are accepted.
type sseReader struct {
	r *bufio.Reader
}

func newSSEReader(r io.Reader) *sseReader { return &sseReader{r: bufio.NewReaderSize(r, 64<<10)} }

// next returns the next event, or io.EOF when the stream ends cleanly.
func (s *sseReader) next() (sseEvent, error) {
	var ev sseEvent
	var data bytes.Buffer
	hasData := false
	for {
		line, err := s.r.ReadString('\n')
		if err != nil && (line == "" || !errors.Is(err, io.EOF)) {
			if errors.Is(err, io.EOF) && hasData {
				return sseEvent{}, io.ErrUnexpectedEOF
			}
			return sseEvent{}, err
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if line == "" {
			if hasData {
				ev.Data = data.Bytes()
				return ev, nil
			}
			ev = sseEvent{} // an event without data is dropped
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			ev.Type = value
		case "data":
			if hasData {
				data.WriteByte('\n')
			}
			data.WriteString(value)
			hasData = true
		}
	}
}

// watchSSE opens an RFC 8895 update stream for resources (all the GET
// resources the stream's uses lists, when empty) and reports each event.
func (e *env) watchSSE(ctx context.Context, id string, resources []string, incremental bool, count int, out *output) error {
	tctx, cancel := e.withTimeout(ctx)
	d, err := e.http().directory(tctx)
	cancel()
	if err != nil {
		return err
	}
	var r *resource
	if id != "" {
		if r, err = d.byID(id, mediaTypeEventStream, mediaTypeUpdateStreamParams); err != nil {
			return err
		}
	} else {
		for _, rid := range d.ids() {
			if x := d.Resources[rid]; x.MediaType == mediaTypeEventStream && x.Accepts == mediaTypeUpdateStreamParams {
				r = x
				break
			}
		}
		if r == nil {
			return errors.New("the server's directory lists no update stream service (RFC 8895): not yet served; use -via grpc with altod")
		}
	}
	if len(resources) == 0 {
		for _, u := range r.Uses {
			if x, ok := d.Resources[u]; ok && x.Accepts == "" {
				resources = append(resources, u)
			}
		}
	}
	if len(resources) == 0 {
		return fmt.Errorf("update stream %s lists no GET resource to follow; name some with -resources", r.ID)
	}
	add := map[string]any{}
	for _, rid := range resources {
		add[rid] = map[string]any{"resource-id": rid, "incremental-changes": incremental}
	}
	body, err := json.Marshal(map[string]any{"add": add})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Accept", mediaTypeEventStream+","+alto.MediaTypeError)
	req.Header.Set("Content-Type", mediaTypeUpdateStreamParams)
	// No client timeout: the stream lasts as long as ctx.
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	defer resp.Body.Close()
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if resp.StatusCode != http.StatusOK || ct != mediaTypeEventStream {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		se := &serverError{URL: r.URL, Status: resp.Status, Text: firstLine(data)}
		if ct == alto.MediaTypeError {
			var eb struct {
				Meta json.RawMessage `json:"meta"`
			}
			if json.Unmarshal(data, &eb) == nil {
				_ = json.Unmarshal(eb.Meta, &se.Meta)
			}
		} else if resp.StatusCode == http.StatusOK {
			return fmt.Errorf("%s: got media type %q, want %q", r.URL, ct, mediaTypeEventStream)
		}
		return se
	}
	sr := newSSEReader(resp.Body)
	for n := 0; count == 0 || n < count; n++ {
		ev, err := sr.next()
		if err != nil {
			if errors.Is(err, io.EOF) || ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("update stream %s: %w", r.ID, err)
		}
		if err := printSSEEvent(e.stdout, ev, out); err != nil {
			return err
		}
	}
	return nil
}

// printSSEEvent shows one update stream event: a control event, a full
// replacement (with its vtag, where it has one) or an incremental change.
func printSSEEvent(w io.Writer, ev sseEvent, out *output) error {
	mediaType, substream, _ := strings.Cut(ev.Type, ",")
	if out.json() {
		data := json.RawMessage(ev.Data)
		if !json.Valid(data) {
			data, _ = json.Marshal(string(ev.Data))
		}
		b, err := json.Marshal(struct {
			MediaType string          `json:"media-type"`
			Substream string          `json:"substream,omitempty"`
			Data      json.RawMessage `json:"data"`
		}{mediaType, substream, data})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	if mediaType == mediaTypeUpdateStreamControl {
		var c struct {
			ControlURI  *string  `json:"control-uri"`
			Started     []string `json:"started"`
			Stopped     []string `json:"stopped"`
			Description string   `json:"description"`
		}
		_ = json.Unmarshal(ev.Data, &c)
		var parts []string
		if c.ControlURI != nil {
			parts = append(parts, "control-uri "+*c.ControlURI)
		}
		if len(c.Started) > 0 {
			parts = append(parts, "started "+strings.Join(c.Started, ","))
		}
		if len(c.Stopped) > 0 {
			parts = append(parts, "stopped "+strings.Join(c.Stopped, ","))
		}
		if c.Description != "" {
			parts = append(parts, c.Description)
		}
		_, err := fmt.Fprintf(w, "control: %s\n", dash(parts))
		return err
	}
	kind := "full " + shortType(mediaType)
	if mediaType == "application/merge-patch+json" || mediaType == "application/json-patch+json" {
		kind = strings.TrimPrefix(strings.TrimSuffix(mediaType, "+json"), "application/")
	}
	line := fmt.Sprintf("%s: %s, %d bytes", orDash(substream), kind, len(ev.Data))
	var meta struct {
		Meta struct {
			VTag      *alto.VersionTag  `json:"vtag"`
			Dependent []alto.VersionTag `json:"dependent-vtags"`
		} `json:"meta"`
	}
	if json.Unmarshal(ev.Data, &meta) == nil {
		if v := meta.Meta.VTag; v != nil {
			line += fmt.Sprintf("; vtag %s %s", v.ResourceID, v.Tag)
		}
		for _, v := range meta.Meta.Dependent {
			line += fmt.Sprintf("; depends on %s %s", v.ResourceID, v.Tag)
		}
	}
	_, err := fmt.Fprintln(w, line)
	return err
}
