package alto

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Requests are decoded into generic JSON values and then walked, so that
// every problem can be reported as RFC 7285 §8.5.2 wants it: the error code,
// the path of the offending field ("cost-type/cost-mode") and, for bad
// values, the value as text. Unknown fields are ignored (§8.3.7).

type object = map[string]any

// decodeRequest parses a request body that must be a JSON object.
func decodeRequest(body []byte) (object, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, syntaxError(body, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &Error{Code: CodeSyntax, SyntaxError: fmt.Sprintf("offset %d: data after the JSON object", dec.InputOffset())}
	}
	obj, ok := v.(object)
	if !ok {
		return nil, &Error{Code: CodeSyntax, SyntaxError: "the request body is not a JSON object"}
	}
	return obj, nil
}

// syntaxError says where the body stops being JSON, as line and column.
func syntaxError(body []byte, err error) *Error {
	var se *json.SyntaxError
	offset := int64(len(body))
	msg := err.Error()
	switch {
	case errors.As(err, &se):
		offset = se.Offset - 1 // Offset counts the offending byte

	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		msg = "unexpected end of input"
	}
	line, col := 1, 1
	for _, c := range body[:min(int(offset), len(body))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return &Error{Code: CodeSyntax, SyntaxError: fmt.Sprintf("line %d, column %d: %s", line, col, msg), Err: err}
}

func missing(field string) *Error { return &Error{Code: CodeMissingField, Field: field} }

func wrongType(field, want string) *Error {
	return &Error{Code: CodeInvalidFieldType, Field: field, Err: fmt.Errorf("want %s", want)}
}

func invalid(field, value, why string) *Error {
	return &Error{Code: CodeInvalidFieldValue, Field: field, Value: value, Err: errors.New(why)}
}

// joinPath builds a field path such as "cost-type/cost-metric".
func joinPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "/" + key
}

// member returns obj[key]; a JSON null counts as absent.
func member(obj object, key string) (any, bool) {
	v, ok := obj[key]
	return v, ok && v != nil
}

func getObject(obj object, key, parent string, required bool) (object, bool, error) {
	v, ok := member(obj, key)
	if !ok {
		if required {
			return nil, false, missing(joinPath(parent, key))
		}
		return nil, false, nil
	}
	o, isObj := v.(object)
	if !isObj {
		return nil, false, wrongType(joinPath(parent, key), "an object")
	}
	return o, true, nil
}

func getArray(obj object, key, parent string, required bool) ([]any, bool, error) {
	v, ok := member(obj, key)
	if !ok {
		if required {
			return nil, false, missing(joinPath(parent, key))
		}
		return nil, false, nil
	}
	a, isArr := v.([]any)
	if !isArr {
		return nil, false, wrongType(joinPath(parent, key), "an array")
	}
	return a, true, nil
}

// getStrings returns an array of strings. An element of another type is an
// invalid value, not an invalid type (RFC 7285 §8.5.2), reported with the
// array's name and the element as text.
func getStrings(obj object, key, parent string, required bool) ([]string, bool, error) {
	a, ok, err := getArray(obj, key, parent, required)
	if !ok || err != nil {
		return nil, ok, err
	}
	out := make([]string, 0, len(a))
	for _, e := range a {
		s, isStr := e.(string)
		if !isStr {
			return nil, true, invalid(joinPath(parent, key), valueText(e), "array elements must be strings")
		}
		out = append(out, s)
	}
	return out, true, nil
}

func getString(obj object, key, parent string, required bool) (string, bool, error) {
	v, ok := member(obj, key)
	if !ok {
		if required {
			return "", false, missing(joinPath(parent, key))
		}
		return "", false, nil
	}
	s, isStr := v.(string)
	if !isStr {
		return "", false, wrongType(joinPath(parent, key), "a string")
	}
	return s, true, nil
}

// valueText renders a JSON value for an error's value field; numbers become
// their text (RFC 7285 §8.5.2).
func valueText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return "null"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// decodeCostType reads a CostType object; description is ignored.
func decodeCostType(v any, path string) (CostType, error) {
	o, ok := v.(object)
	if !ok {
		return CostType{}, wrongType(path, "a cost type object")
	}
	metric, _, err := getString(o, "cost-metric", path, true)
	if err != nil {
		return CostType{}, err
	}
	mode, _, err := getString(o, "cost-mode", path, true)
	if err != nil {
		return CostType{}, err
	}
	ct := CostType{Metric: metric, Mode: mode}
	ctx, ok, err := getObject(o, "cost-context", path, false)
	if err != nil {
		return CostType{}, err
	}
	if ok {
		if ct.Context.Source, _, err = getString(ctx, "cost-source", joinPath(path, "cost-context"), true); err != nil {
			return CostType{}, err
		}
	}
	return ct, nil
}

// dedupe removes repeated strings, keeping the first of each.
func dedupe(xs []string) []string {
	seen := make(map[string]bool, len(xs))
	out := xs[:0:0]
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
