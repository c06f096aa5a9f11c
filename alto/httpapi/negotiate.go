package httpapi

import (
	"mime"
	"strconv"
	"strings"
)

// acceptable reports whether Accept headers allow mediaType. No header
// allows anything. A range with q=0 excludes.
func acceptable(headers []string, mediaType string) bool {
	if len(headers) == 0 {
		return true
	}
	// Compare base types: a resource's type may carry parameters
	// ("multipart/related; type=…", unquoted as RFC 9275 writes it, which
	// the mime package rejects) that Accept headers rarely repeat.
	mediaType, _, _ = strings.Cut(mediaType, ";")
	mediaType = strings.TrimSpace(mediaType)
	typ, _, _ := strings.Cut(mediaType, "/")
	for _, h := range headers {
		for _, part := range strings.Split(h, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			mr, params, err := mime.ParseMediaType(part)
			if err != nil {
				continue
			}
			if q, ok := params["q"]; ok {
				if f, err := strconv.ParseFloat(q, 64); err != nil || f <= 0 {
					continue
				}
			}
			if mr == mediaType || mr == "*/*" || mr == typ+"/*" {
				return true
			}
		}
	}
	return false
}

// acceptsGzip reports whether Accept-Encoding allows gzip.
func acceptsGzip(headers []string) bool {
	for _, h := range headers {
		for _, part := range strings.Split(h, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "*" {
				continue
			}
			if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
				if f, err := strconv.ParseFloat(q, 64); err != nil || f <= 0 {
					continue
				}
			}
			return true
		}
	}
	return false
}
