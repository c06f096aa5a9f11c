package httpapi

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/altosdn/altosdn/alto"
)

// gzipMinSize is the smallest body worth compressing.
const gzipMinSize = 1024

// writeEncoded writes a pre-encoded resource: it checks Accept, answers
// conditional requests, and picks the gzip form when the client takes it.
// maps, when not nil, dates the response.
func (s *Server) writeEncoded(c *gin.Context, e *alto.Encoded, maps *alto.Maps) {
	req := c.Request
	if !acceptable(req.Header.Values("Accept"), e.MediaType) {
		writePlain(c, http.StatusNotAcceptable, "this resource is only available as "+e.MediaType)
		return
	}
	h := c.Writer.Header()
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", "no-cache")
	if maps != nil {
		h.Set("Last-Modified", maps.ComputedAt.UTC().Format(http.TimeFormat))
	}
	body, etag := e.Body, `"`+e.Tag+`"`
	useGzip := len(e.Body) >= gzipMinSize && acceptsGzip(req.Header.Values("Accept-Encoding"))
	if useGzip {
		// A different representation needs a different strong validator.
		etag = `"` + e.Tag + `-gzip"`
	}
	h.Set("ETag", etag)
	if noneMatch(req.Header.Values("If-None-Match"), e.Tag) {
		c.Status(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return
	}
	if useGzip {
		body = e.Gzipped()
		h.Set("Content-Encoding", "gzip")
	}
	c.Data(http.StatusOK, e.MediaType, body)
}

// noneMatch reports whether an If-None-Match header matches the resource.
// The comparison is weak (RFC 9110 §13.1.2): either representation's tag
// matches, with or without W/.
func noneMatch(headers []string, tag string) bool {
	for _, h := range headers {
		for _, t := range strings.Split(h, ",") {
			t = strings.TrimSpace(t)
			if t == "*" {
				return true
			}
			t = strings.TrimPrefix(t, "W/")
			if t == `"`+tag+`"` || t == `"`+tag+`-gzip"` {
				return true
			}
		}
	}
	return false
}

// writePlain writes a short text response for HTTP-level outcomes that carry
// no ALTO-level information (RFC 7285 §8.5 reserves alto-error+json for
// those that do).
func writePlain(c *gin.Context, status int, msg string) {
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/plain", []byte(msg+"\n"))
}

func writeNotReady(c *gin.Context) {
	c.Header("Retry-After", "1")
	writePlain(c, http.StatusServiceUnavailable, alto.ErrNotReady.Error())
}
