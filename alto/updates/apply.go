package updates

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Clients apply the patches; so do this package's tests, to prove every
// patch the server sends turns the previous version into the next one.

// ApplyMergePatch applies an RFC 7396 merge patch to doc and returns the
// result in canonical form (see [Canonical]).
func ApplyMergePatch(doc, patch []byte) ([]byte, error) {
	target, err := decodeValue(doc)
	if err != nil {
		return nil, fmt.Errorf("updates: merge patch: document: %w", err)
	}
	p, err := decodeValue(patch)
	if err != nil {
		return nil, fmt.Errorf("updates: merge patch: %w", err)
	}
	return appendValue(nil, mergeValue(target, p)), nil
}

// mergeValue is RFC 7396 §2 MergePatch(Target, Patch).
func mergeValue(target, p any) any {
	po, ok := p.(map[string]any)
	if !ok {
		return p
	}
	to, ok := target.(map[string]any)
	if !ok {
		to = map[string]any{}
	}
	for k, v := range po {
		if v == nil {
			delete(to, k)
			continue
		}
		to[k] = mergeValue(to[k], v)
	}
	return to
}

// ApplyJSONPatch applies an RFC 6902 JSON patch to doc and returns the
// result in canonical form. It is strict: "replace" and "remove" need an
// existing target, as RFC 6902 §4 says.
func ApplyJSONPatch(doc, patch []byte) ([]byte, error) {
	root, err := decodeValue(doc)
	if err != nil {
		return nil, fmt.Errorf("updates: json patch: document: %w", err)
	}
	pv, err := decodeValue(patch)
	if err != nil {
		return nil, fmt.Errorf("updates: json patch: %w", err)
	}
	ops, ok := pv.([]any)
	if !ok {
		return nil, fmt.Errorf("updates: json patch: not an array of operations")
	}
	for i, o := range ops {
		op, ok := o.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("updates: json patch: operation %d is not an object", i)
		}
		if root, err = applyOp(root, op); err != nil {
			return nil, fmt.Errorf("updates: json patch: operation %d: %w", i, err)
		}
	}
	return appendValue(nil, root), nil
}

func applyOp(root any, op map[string]any) (any, error) {
	name, _ := op["op"].(string)
	path, ok := op["path"].(string)
	if !ok {
		return nil, fmt.Errorf("no path")
	}
	value, hasValue := op["value"]
	switch name {
	case "add", "replace", "test":
		if !hasValue {
			return nil, fmt.Errorf("%s %s: no value", name, path)
		}
	case "move", "copy":
		from, ok := op["from"].(string)
		if !ok {
			return nil, fmt.Errorf("%s %s: no from", name, path)
		}
		v, err := get(root, from)
		if err != nil {
			return nil, err
		}
		if name == "move" {
			if root, err = edit(root, from, "remove", nil); err != nil {
				return nil, err
			}
		} else {
			v = clone(v)
		}
		return edit(root, path, "add", v)
	case "remove":
	default:
		return nil, fmt.Errorf("unknown op %q", name)
	}
	if name == "test" {
		v, err := get(root, path)
		if err != nil {
			return nil, err
		}
		if !equalValues(v, value) {
			return nil, fmt.Errorf("test %s failed", path)
		}
		return root, nil
	}
	return edit(root, path, name, value)
}

func splitPointer(path string) ([]string, error) {
	if path == "" {
		return nil, nil
	}
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("pointer %q does not start with /", path)
	}
	parts := strings.Split(path[1:], "/")
	for i, p := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
	}
	return parts, nil
}

func get(root any, path string) (any, error) {
	parts, err := splitPointer(path)
	if err != nil {
		return nil, err
	}
	cur := root
	for _, p := range parts {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[p]
			if !ok {
				return nil, fmt.Errorf("%s: no member %q", path, p)
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("%s: no element %q", path, p)
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("%s: %q is inside a scalar", path, p)
		}
	}
	return cur, nil
}

// edit performs add, remove or replace at path and returns the new root.
func edit(root any, path, op string, value any) (any, error) {
	parts, err := splitPointer(path)
	if err != nil {
		return nil, err
	}
	if len(parts) == 0 {
		if op == "remove" {
			return nil, nil
		}
		return value, nil
	}
	parent, err := get(root, "/"+strings.Join(escapeAll(parts[:len(parts)-1]), "/"))
	if len(parts) == 1 {
		parent, err = root, nil
	}
	if err != nil {
		return nil, err
	}
	last := parts[len(parts)-1]
	switch c := parent.(type) {
	case map[string]any:
		_, exists := c[last]
		if op != "add" && !exists {
			return nil, fmt.Errorf("%s %s: no such member", op, path)
		}
		if op == "remove" {
			delete(c, last)
		} else {
			c[last] = value
		}
		return root, nil
	case []any:
		i := len(c)
		if last != "-" || op != "add" {
			if i, err = strconv.Atoi(last); err != nil || i < 0 {
				return nil, fmt.Errorf("%s %s: bad index", op, path)
			}
		}
		limit := len(c)
		if op == "add" {
			limit++
		}
		if i >= limit {
			return nil, fmt.Errorf("%s %s: index out of range", op, path)
		}
		var next []any
		switch op {
		case "add":
			next = append(append(append([]any{}, c[:i]...), value), c[i:]...)
		case "remove":
			next = append(append([]any{}, c[:i]...), c[i+1:]...)
		default:
			next = append([]any{}, c...)
			next[i] = value
		}
		return replaceAt(root, parts[:len(parts)-1], next)
	}
	return nil, fmt.Errorf("%s %s: parent is not a container", op, path)
}

// replaceAt stores v at the location of parts (arrays are values, so a
// changed array is written back into its parent).
func replaceAt(root any, parts []string, v any) (any, error) {
	if len(parts) == 0 {
		return v, nil
	}
	return edit(root, "/"+strings.Join(escapeAll(parts), "/"), "replace", v)
}

func escapeAll(parts []string) []string {
	out := make([]string, len(parts))
	for i, p := range parts {
		out[i] = escapePointer(p)
	}
	return out
}

func clone(v any) any {
	b, _ := json.Marshal(v)
	c, _ := decodeValue(b)
	return c
}
