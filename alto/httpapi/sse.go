package httpapi

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/alto/updates"
)

// postUpdateStream serves an update stream service (RFC 8895 §6): the
// request names the resources; the response is a text/event-stream that
// stays open, starting with the control event that gives the stream
// control URI.
func (s *Server) postUpdateStream(c *gin.Context) {
	r, ok := s.resources[c.Param("id")]
	if !ok || r.Kind != alto.KindUpdateStream {
		writePlain(c, http.StatusNotFound, "no such update stream service")
		return
	}
	if !acceptable(c.Request.Header.Values("Accept"), alto.MediaTypeEventStream) {
		writePlain(c, http.StatusNotAcceptable, "this resource answers only with "+alto.MediaTypeEventStream)
		return
	}
	body, ok := s.readUpdateRequest(c)
	if !ok {
		return
	}
	st, err := s.hub.Open(r.ID, body, remoteAddr(c.Request))
	if err != nil {
		s.writeUpdateError(c, err)
		return
	}
	defer st.Close()
	h := c.Writer.Header()
	h.Set("Content-Type", alto.MediaTypeEventStream)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // proxies must not hold events back
	c.Status(http.StatusOK)

	rc := http.NewResponseController(c.Writer)
	timeout := s.cfg.Updates.WriteTimeout
	// A deadline outlives the response on a kept-alive connection.
	defer func() { _ = rc.SetWriteDeadline(time.Time{}) }()
	write := func(f func(io.Writer) error) error {
		if err := rc.SetWriteDeadline(time.Now().Add(timeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return err
		}
		if err := f(c.Writer); err != nil {
			return err
		}
		return rc.Flush()
	}
	uri := s.controlURI(st)
	first := updates.ControlEvent(updates.Control{ControlURI: &uri})
	send := func(evs []updates.Event) error {
		return write(func(w io.Writer) error {
			for _, ev := range evs {
				if err := ev.WriteSSE(w); err != nil {
					return err
				}
			}
			return nil
		})
	}
	keepAlive := func() error {
		return write(func(w io.Writer) error {
			_, err := io.WriteString(w, ": keep-alive\n\n")
			return err
		})
	}
	if err := send([]updates.Event{first}); err != nil {
		return
	}
	s.pump(c.Request.Context(), st, send, keepAlive)
}

// controlURI is the stream control URI of a stream: absolute with a base
// URL, otherwise a path the client resolves against the stream's URI.
func (s *Server) controlURI(st *updates.Stream) string {
	return s.uri(alto.Resource{ID: st.ID(), Kind: alto.KindStreamControl})
}

// pump sends a stream's events until the stream ends, the client leaves or
// a write fails (a client that stops reading is dropped once a write blocks
// for the write timeout). Silences longer than the keep-alive interval get
// a keep-alive.
func (s *Server) pump(ctx context.Context, st *updates.Stream, send func([]updates.Event) error, keepAlive func() error) {
	for {
		kctx, cancel := context.WithTimeout(ctx, s.cfg.Updates.KeepAlive)
		evs, err := st.Next(kctx)
		cancel()
		switch {
		case err == nil:
			err = send(evs)
		case errors.Is(err, io.EOF), ctx.Err() != nil:
			return
		default:
			err = keepAlive()
		}
		if err != nil {
			s.logger.Info("update stream client dropped", "stream", st.ID(), "err", err)
			return
		}
	}
}

// readUpdateRequest checks the media type of an update stream or stream
// control request and reads its body; it answers the request itself when
// it returns false.
func (s *Server) readUpdateRequest(c *gin.Context) ([]byte, bool) {
	ct, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || ct != alto.MediaTypeUpdateStreamParams {
		writePlain(c, http.StatusUnsupportedMediaType, "the request body must be "+alto.MediaTypeUpdateStreamParams)
		return nil, false
	}
	return s.readBody(c)
}
