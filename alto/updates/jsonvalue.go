package updates

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Documents are diffed and patched as generic JSON values: objects are
// map[string]any, numbers json.Number (so they keep their exact text).

func decodeValue(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("data after the JSON value")
	}
	return v, nil
}

// appendValue writes v compactly, object members sorted by name and
// without HTML escaping.
func appendValue(b []byte, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // values that came from decodeValue always encode
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})...)
}

// Canonical re-encodes a JSON document with sorted object members and no
// insignificant white space, keeping numbers as written. Two documents
// with the same content have the same canonical form.
func Canonical(doc []byte) ([]byte, error) {
	v, err := decodeValue(doc)
	if err != nil {
		return nil, fmt.Errorf("updates: canonical: %w", err)
	}
	return appendValue(nil, v), nil
}

// equalValues compares decoded JSON values; numbers compare by their text
// (the encoders here write each number one way only).
func equalValues(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !equalValues(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equalValues(x[i], y[i]) {
				return false
			}
		}
		return true
	case json.Number:
		y, ok := b.(json.Number)
		return ok && x == y
	default:
		return a == b
	}
}
