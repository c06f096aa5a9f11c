package alto

import (
	"bytes"
	"compress/gzip"
	"sync"
)

// Encoded is a response body encoded once and shared by every request for
// the same version of a resource. Its gzip form is made on first demand and
// then cached, so neither JSON encoding nor compression happens per request.
type Encoded struct {
	MediaType string
	Body      []byte
	// Tag is a content hash of Body, usable as a strong HTTP entity tag.
	Tag string

	gzipOnce sync.Once
	gzipped  []byte
}

func newEncoded(mediaType string, body []byte) *Encoded {
	return &Encoded{MediaType: mediaType, Body: body, Tag: contentTag(body)}
}

// Gzipped returns Body compressed with gzip.
func (e *Encoded) Gzipped() []byte {
	e.gzipOnce.Do(func() {
		var buf bytes.Buffer
		buf.Grow(len(e.Body) / 6)
		// BestSpeed: cost maps are large and change often; the size gain of
		// higher levels is small for this repetitive JSON.
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed) // the level is valid
		_, _ = zw.Write(e.Body)                            // writes to a bytes.Buffer cannot fail
		_ = zw.Close()
		e.gzipped = buf.Bytes()
	})
	return e.gzipped
}
