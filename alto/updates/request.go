package updates

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/altosdn/altosdn/alto"
)

// request is an UpdateStreamReq (RFC 8895 §6.5), used both to open a
// stream and for stream control (§7.5).
type request struct {
	add       []addRequest // in the order the client wrote them
	hasAdd    bool
	remove    []string
	hasRemove bool
}

// addRequest is one AddUpdateReq.
type addRequest struct {
	id          string // the substream id, chosen by the client
	resourceID  string
	tag         string
	incremental bool   // incremental-changes; true unless the client says false
	input       []byte // the POST body for POST-mode resources; nil if absent
}

// parseRequest decodes an UpdateStreamReq. Unknown members are ignored
// (RFC 7285 §8.3.7); errors carry the path of the offending field.
func parseRequest(body []byte) (*request, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var top map[string]json.RawMessage
	if err := dec.Decode(&top); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return nil, &alto.Error{Code: alto.CodeSyntax, SyntaxError: "the request is not a JSON object", Err: err}
		}
		return nil, &alto.Error{Code: alto.CodeSyntax, SyntaxError: fmt.Sprintf("offset %d: %v", dec.InputOffset(), err), Err: err}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &alto.Error{Code: alto.CodeSyntax, SyntaxError: fmt.Sprintf("offset %d: data after the JSON object", dec.InputOffset())}
	}
	if top == nil {
		return nil, &alto.Error{Code: alto.CodeSyntax, SyntaxError: "the request is not a JSON object"}
	}
	req := &request{}
	if raw, ok := top["add"]; ok {
		req.hasAdd = true
		var adds map[string]json.RawMessage
		if err := json.Unmarshal(raw, &adds); err != nil || adds == nil {
			return nil, wrongType("add", "an object of substream ids")
		}
		for _, id := range memberOrder(raw) {
			a, err := parseAdd(id, adds[id])
			if err != nil {
				return nil, err
			}
			req.add = append(req.add, a)
		}
	}
	if raw, ok := top["remove"]; ok {
		req.hasRemove = true
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil || items == nil {
			return nil, wrongType("remove", "an array of substream ids")
		}
		req.remove = make([]string, 0, len(items))
		for _, it := range items {
			var id string
			if err := json.Unmarshal(it, &id); err != nil {
				return nil, invalid("remove", string(it), "not a substream id")
			}
			req.remove = append(req.remove, id)
		}
	}
	return req, nil
}

func parseAdd(id string, raw json.RawMessage) (addRequest, error) {
	if !alto.ValidResourceID(id) {
		return addRequest{}, invalid("add", id, "not a valid substream id")
	}
	path := "add/" + id
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return addRequest{}, wrongType(path, "an object")
	}
	a := addRequest{id: id, incremental: true}
	rid, ok := m["resource-id"]
	if !ok {
		return addRequest{}, missing(path + "/resource-id")
	}
	if err := json.Unmarshal(rid, &a.resourceID); err != nil {
		return addRequest{}, wrongType(path+"/resource-id", "a string")
	}
	if t, ok := m["tag"]; ok {
		if err := json.Unmarshal(t, &a.tag); err != nil {
			return addRequest{}, wrongType(path+"/tag", "a string")
		}
	}
	if inc, ok := m["incremental-changes"]; ok {
		if err := json.Unmarshal(inc, &a.incremental); err != nil {
			return addRequest{}, wrongType(path+"/incremental-changes", "a boolean")
		}
	}
	if in, ok := m["input"]; ok {
		a.input = slices.Clone(in)
	}
	return a, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// memberOrder returns the member names of a JSON object in the order they
// are written, each once.
func memberOrder(raw []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil { // {
		return nil
	}
	var keys []string
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := t.(string)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return keys
		}
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	return keys
}
