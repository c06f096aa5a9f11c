package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/altosdn/altosdn/alto"
)

// statusFor is the one place that maps errors to HTTP statuses. ALTO errors
// are 400, as RFC 8895 §6.6 and RFC 9569 §6.2 specify for their services
// (RFC 7285 leaves the status open).
func statusFor(err error) int {
	var ae *alto.Error
	switch {
	case errors.As(err, &ae):
		return http.StatusBadRequest
	case errors.Is(err, alto.ErrUnknownResource):
		return http.StatusNotFound
	case errors.Is(err, alto.ErrNotReady):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// errorBody is an application/alto-error+json body (RFC 7285 §8.5.2).
type errorBody struct {
	Meta struct {
		Code        alto.ErrorCode `json:"code"`
		Field       string         `json:"field,omitempty"`
		Value       string         `json:"value,omitempty"`
		SyntaxError string         `json:"syntax-error,omitempty"`
	} `json:"meta"`
}

// writeError answers a failed request: ALTO errors with their code, field
// and value; anything else without leaking internals.
func (s *Server) writeError(c *gin.Context, err error) {
	status := statusFor(err)
	var ae *alto.Error
	if !errors.As(err, &ae) {
		if status == http.StatusServiceUnavailable {
			writeNotReady(c)
			return
		}
		s.logger.Error("request failed", "path", c.Request.URL.Path, "err", err)
		writePlain(c, status, http.StatusText(status))
		return
	}
	s.logger.Debug("request rejected", "path", c.Request.URL.Path, "err", err)
	var body errorBody
	body.Meta.Code, body.Meta.Field, body.Meta.Value, body.Meta.SyntaxError = ae.Code, ae.Field, ae.Value, ae.SyntaxError
	if body.Meta.Value != "" && body.Meta.Field == "" {
		body.Meta.Value = "" // RFC 7285 §8.5.2: no value without its field
	}
	b, _ := json.Marshal(body) // plain strings: cannot fail
	c.Header("Cache-Control", "no-store")
	c.Data(status, alto.MediaTypeError, b)
}
