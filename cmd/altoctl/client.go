package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"time"

	"github.com/altosdn/altosdn/alto"
)

// client fetches ALTO resources, resolving the directory's relative URIs
// against the directory's own URL as RFC 7285 §9.2.2 requires.
type client struct {
	dirURL string
	http   *http.Client
}

func newClient(dirURL string) *client {
	return &client{dirURL: dirURL, http: &http.Client{Timeout: 60 * time.Second}}
}

// altoError is an application/alto-error+json body.
type altoError struct {
	Meta struct {
		Code        string `json:"code"`
		Field       string `json:"field"`
		Value       string `json:"value"`
		SyntaxError string `json:"syntax-error"`
	} `json:"meta"`
}

// get fetches rawURL expecting mediaType and decodes the JSON body into v.
func (c *client) get(ctx context.Context, rawURL, mediaType string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", mediaType+","+alto.MediaTypeError)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("read %s: %w", rawURL, err)
	}
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if ct == alto.MediaTypeError {
		var e altoError
		if err := json.Unmarshal(body, &e); err == nil {
			return fmt.Errorf("%s: %s %s field=%q value=%q %s", rawURL, resp.Status, e.Meta.Code, e.Meta.Field, e.Meta.Value, e.Meta.SyntaxError)
		}
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s: %s", rawURL, resp.Status, firstLine(body))
	}
	if ct != mediaType {
		return fmt.Errorf("%s: got media type %q, want %q", rawURL, ct, mediaType)
	}
	if raw, ok := v.(*json.RawMessage); ok {
		*raw = body
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%s: decode: %w", rawURL, err)
	}
	return nil
}

func firstLine(b []byte) string {
	for i, c := range b {
		if c == '\n' {
			return string(b[:i])
		}
	}
	return string(b)
}

// directory fetches the IRD.
func (c *client) directory(ctx context.Context) (*alto.Directory, error) {
	var d alto.Directory
	if err := c.get(ctx, c.dirURL, alto.MediaTypeDirectory, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// resolve turns a directory URI into an absolute URL.
func (c *client) resolve(ref string) (string, error) {
	base, err := url.Parse(c.dirURL)
	if err != nil {
		return "", fmt.Errorf("server URL: %w", err)
	}
	u, err := base.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("resource URI %q: %w", ref, err)
	}
	return u.String(), nil
}

// resource finds a resource in the directory and returns its absolute URL.
func (c *client) resource(ctx context.Context, pick func(*alto.Directory) (string, error)) (string, alto.DirectoryEntry, error) {
	d, err := c.directory(ctx)
	if err != nil {
		return "", alto.DirectoryEntry{}, err
	}
	id, err := pick(d)
	if err != nil {
		return "", alto.DirectoryEntry{}, err
	}
	e, ok := d.Resources[id]
	if !ok {
		return "", alto.DirectoryEntry{}, fmt.Errorf("the directory has no resource %q", id)
	}
	u, err := c.resolve(e.URI)
	return u, e, err
}
