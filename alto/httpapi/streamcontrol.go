package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/altosdn/altosdn/alto"
	"github.com/altosdn/altosdn/alto/updates"
)

// postStreamControl serves a stream's control service (RFC 8895 §7): 204
// once the request is applied, 404 for a stream that is closed or never
// was, 400 with an ALTO error otherwise.
func (s *Server) postStreamControl(c *gin.Context) {
	body, ok := s.readUpdateRequest(c)
	if !ok {
		return
	}
	if err := s.hub.Control(c.Param("id"), body); err != nil {
		s.writeUpdateError(c, err)
		return
	}
	// The change is applied before the answer: 204, not 202 (§7.6).
	c.Status(http.StatusNoContent)
	c.Writer.WriteHeaderNow()
}

// writeUpdateError answers a failed update stream or stream control
// request.
func (s *Server) writeUpdateError(c *gin.Context, err error) {
	if status, body, ok := listValueError(err); ok {
		c.Header("Cache-Control", "no-store")
		c.Data(status, alto.MediaTypeError, body)
		return
	}
	switch {
	case errors.Is(err, updates.ErrStreamClosed):
		writePlain(c, http.StatusNotFound, "no such update stream")
	case errors.Is(err, alto.ErrUnknownResource):
		writePlain(c, http.StatusNotFound, "no such resource")
	case errors.Is(err, updates.ErrTooManyStreams), errors.Is(err, updates.ErrNotRunning):
		c.Header("Retry-After", "5")
		writePlain(c, http.StatusServiceUnavailable, err.Error())
	default:
		s.writeError(c, err)
	}
}

// listValueError renders the E_INVALID_FIELD_VALUE whose value is an array
// of substream ids (RFC 8895 §7.6).
func listValueError(err error) (int, []byte, bool) {
	var le *updates.ListValueError
	if !errors.As(err, &le) {
		return 0, nil, false
	}
	var body struct {
		Meta struct {
			Code  alto.ErrorCode `json:"code"`
			Field string         `json:"field"`
			Value []string       `json:"value"`
		} `json:"meta"`
	}
	body.Meta.Code, body.Meta.Field, body.Meta.Value = alto.CodeInvalidFieldValue, le.Field, le.Values
	b, _ := json.Marshal(body) // strings: cannot fail
	return http.StatusBadRequest, b, true
}

// errorJSON is the application/alto-error+json body for err, or nil when
// err carries no ALTO-level information.
func errorJSON(err error) []byte {
	if _, b, ok := listValueError(err); ok {
		return b
	}
	var ae *alto.Error
	if !errors.As(err, &ae) {
		return nil
	}
	var body errorBody
	body.Meta.Code, body.Meta.Field, body.Meta.Value, body.Meta.SyntaxError = ae.Code, ae.Field, ae.Value, ae.SyntaxError
	b, _ := json.Marshal(body)
	return b
}
