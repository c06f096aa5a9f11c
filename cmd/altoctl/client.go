package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/altosdn/altosdn/alto"
)

// client speaks RFC 7285 over HTTP to any ALTO server. It reads the
// directory (following links to secondary directories, RFC 7285 §9.2.4),
// resolves every URI against the directory it came from (§9.2.2), and
// checks the media type of every answer (§8.3).
type client struct {
	dirURL string
	http   *http.Client
}

func newClient(dirURL string, timeout time.Duration) *client {
	return &client{dirURL: dirURL, http: &http.Client{Timeout: timeout}}
}

// serverError is an error answer, with the ALTO error's fields when the
// body was application/alto-error+json.
type serverError struct {
	URL    string
	Status string
	Meta   struct {
		Code        string `json:"code"`
		Field       string `json:"field"`
		Value       string `json:"value"`
		SyntaxError string `json:"syntax-error"`
	}
	Text string // the first line of a non-ALTO error body
}

func (e *serverError) Error() string {
	if e.Meta.Code == "" {
		return fmt.Sprintf("%s: %s: %s", e.URL, e.Status, e.Text)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "server error %s", e.Meta.Code)
	if e.Meta.Field != "" {
		fmt.Fprintf(&b, " field %q", e.Meta.Field)
	}
	if e.Meta.Value != "" {
		fmt.Fprintf(&b, " value %q", e.Meta.Value)
	}
	if e.Meta.SyntaxError != "" {
		fmt.Fprintf(&b, ": %s", e.Meta.SyntaxError)
	}
	fmt.Fprintf(&b, " (%s from %s)", e.Status, e.URL)
	return b.String()
}

// get fetches rawURL expecting mediaType and returns the body.
func (c *client) get(ctx context.Context, rawURL, mediaType string) ([]byte, error) {
	return c.do(ctx, http.MethodGet, rawURL, mediaType, "", nil)
}

// post sends body as contentType to rawURL, expecting mediaType.
func (c *client) post(ctx context.Context, rawURL, mediaType, contentType string, body any) ([]byte, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	return c.do(ctx, http.MethodPost, rawURL, mediaType, contentType, data)
}

func (c *client) do(ctx context.Context, method, rawURL, mediaType, contentType string, body []byte) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", mediaType+","+alto.MediaTypeError)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", rawURL, err)
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if ct == alto.MediaTypeError || resp.StatusCode != http.StatusOK {
		e := &serverError{URL: rawURL, Status: resp.Status, Text: firstLine(data)}
		if ct == alto.MediaTypeError {
			var body struct {
				Meta json.RawMessage `json:"meta"`
			}
			if json.Unmarshal(data, &body) == nil {
				_ = json.Unmarshal(body.Meta, &e.Meta)
			}
		}
		return nil, e
	}
	if ct != mediaType {
		return nil, fmt.Errorf("%s: got media type %q, want %q", rawURL, ct, mediaType)
	}
	return data, nil
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}

// The directory as a client sees it: every resource of the root IRD and of
// the IRDs it links to, with cost type names resolved in the IRD that
// defines them and URIs made absolute.
type directory struct {
	DefaultNetworkMap string
	Resources         map[string]*resource
}

// resource is one IRD entry.
type resource struct {
	ID              string
	URL             string // absolute
	MediaType       string
	Accepts         string
	CostTypes       []alto.CostType // resolved from cost-type-names
	CostTypeNames   []string
	CostConstraints bool
	PropTypes       []string
	Uses            []string
	Raw             json.RawMessage // the entry as served
}

type wireDirectory struct {
	Meta struct {
		CostTypes         map[string]alto.CostType `json:"cost-types"`
		DefaultNetworkMap string                   `json:"default-alto-network-map"`
	} `json:"meta"`
	Resources map[string]json.RawMessage `json:"resources"`
}

type wireEntry struct {
	URI          string `json:"uri"`
	MediaType    string `json:"media-type"`
	Accepts      string `json:"accepts"`
	Capabilities struct {
		CostTypeNames   []string `json:"cost-type-names"`
		CostConstraints bool     `json:"cost-constraints"`
		PropTypes       []string `json:"prop-types"`
	} `json:"capabilities"`
	Uses []string `json:"uses"`
}

// maxDirectories bounds how many linked directories are read.
const maxDirectories = 16

// directory reads the root IRD and the IRDs it links to.
func (c *client) directory(ctx context.Context) (*directory, error) {
	d := &directory{Resources: map[string]*resource{}}
	queue, seen := []string{c.dirURL}, map[string]bool{c.dirURL: true}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		data, err := c.get(ctx, u, alto.MediaTypeDirectory)
		if err != nil {
			return nil, err
		}
		var wd wireDirectory
		if err := json.Unmarshal(data, &wd); err != nil {
			return nil, fmt.Errorf("%s: decode directory: %w", u, err)
		}
		if u == c.dirURL {
			d.DefaultNetworkMap = wd.Meta.DefaultNetworkMap
		}
		for id, raw := range wd.Resources {
			var e wireEntry
			if err := json.Unmarshal(raw, &e); err != nil {
				return nil, fmt.Errorf("%s: resource %s: %w", u, id, err)
			}
			abs, err := resolveRef(u, e.URI)
			if err != nil {
				return nil, err
			}
			if e.MediaType == alto.MediaTypeDirectory {
				if !seen[abs] && len(seen) < maxDirectories {
					seen[abs] = true
					queue = append(queue, abs)
				}
				continue
			}
			if _, dup := d.Resources[id]; dup {
				continue // the first directory that lists an ID wins
			}
			r := &resource{ID: id, URL: abs, MediaType: e.MediaType, Accepts: e.Accepts, Uses: e.Uses, Raw: raw,
				CostTypeNames: e.Capabilities.CostTypeNames, CostConstraints: e.Capabilities.CostConstraints,
				PropTypes: e.Capabilities.PropTypes}
			for _, name := range e.Capabilities.CostTypeNames {
				if ct, ok := wd.Meta.CostTypes[name]; ok {
					r.CostTypes = append(r.CostTypes, ct)
				}
			}
			d.Resources[id] = r
		}
	}
	if d.DefaultNetworkMap == "" {
		return nil, fmt.Errorf("%s: the directory names no default network map", c.dirURL)
	}
	return d, nil
}

// resolveRef turns a directory URI into an absolute URL.
func resolveRef(base, ref string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("server URL: %w", err)
	}
	u, err := b.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("resource URI %q: %w", ref, err)
	}
	return u.String(), nil
}

// ids returns the resource IDs in order.
func (d *directory) ids() []string {
	return sortedKeys(d.Resources)
}

// byID returns the named resource, checking its media type and accepts.
func (d *directory) byID(id, mediaType, accepts string) (*resource, error) {
	r, ok := d.Resources[id]
	if !ok {
		return nil, fmt.Errorf("the directory has no resource %q", id)
	}
	if r.MediaType != mediaType || r.Accepts != accepts {
		return nil, fmt.Errorf("resource %q is %s accepting %q, not %s accepting %q", id, r.MediaType, r.Accepts, mediaType, accepts)
	}
	return r, nil
}

// find picks the resource of a media type and accepts type that offers the
// cost type (when ct is not nil), preferring one that uses the default
// network map, then the first by ID.
func (d *directory) find(mediaType, accepts string, ct *alto.CostType, what string) (*resource, error) {
	var best *resource
	for _, id := range d.ids() {
		r := d.Resources[id]
		if r.MediaType != mediaType || r.Accepts != accepts {
			continue
		}
		if ct != nil && !slices.ContainsFunc(r.CostTypes, func(t alto.CostType) bool { return t.Metric == ct.Metric && t.Mode == ct.Mode }) {
			continue
		}
		if best == nil || !slices.Contains(best.Uses, d.DefaultNetworkMap) && slices.Contains(r.Uses, d.DefaultNetworkMap) {
			best = r
		}
	}
	if best == nil {
		if ct != nil {
			what += " for " + ct.Metric + "/" + ct.Mode
		}
		return nil, fmt.Errorf("the directory offers no %s", what)
	}
	return best, nil
}
