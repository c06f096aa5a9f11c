package updates

import (
	"slices"
	"strconv"
	"strings"

	"github.com/altosdn/altosdn/alto"
)

// patch is an incremental update, encoded once and shared.
type patch struct {
	mediaType string
	data      []byte
}

// diffDocuments returns the smallest incremental form of the change from
// document a to document b: a merge patch (RFC 7396) unless a JSON patch
// (RFC 6902) is smaller or the merge patch cannot say it, because b holds
// a null that a merge patch would read as a deletion. It returns nil when
// the full document b is no larger than any patch, or a document is not
// JSON.
func diffDocuments(a, b []byte, allowJSONPatch bool) *patch {
	va, err := decodeValue(a)
	if err != nil {
		return nil
	}
	vb, err := decodeValue(b)
	if err != nil {
		return nil
	}
	var best *patch
	if mp, ok := mergePatch(va, vb); ok {
		best = &patch{alto.MediaTypeMergePatch, appendValue(nil, mp)}
	}
	if allowJSONPatch {
		jp := appendJSONPatch(nil, va, vb)
		if best == nil || len(jp) < len(best.data) {
			best = &patch{alto.MediaTypeJSONPatch, jp}
		}
	}
	if best == nil || len(best.data) >= len(b) {
		return nil
	}
	return best
}

// mergePatch returns the merge patch that turns a into b. It reports false
// when no merge patch can: b is not an object, or a member b adds or
// changes holds a null outside an array (RFC 7396 deletes it).
func mergePatch(a, b any) (map[string]any, bool) {
	ao, okA := a.(map[string]any)
	bo, okB := b.(map[string]any)
	if !okB {
		return nil, false
	}
	if !okA {
		ao = map[string]any{}
	}
	p := map[string]any{}
	for k := range ao {
		if _, ok := bo[k]; !ok {
			p[k] = nil
		}
	}
	for k, bv := range bo {
		av, had := ao[k]
		if had && equalValues(av, bv) {
			continue
		}
		if _, isObj := bv.(map[string]any); isObj && had {
			if _, wasObj := av.(map[string]any); wasObj {
				sub, ok := mergePatch(av, bv)
				if !ok {
					return nil, false
				}
				p[k] = sub
				continue
			}
		}
		if hasMergeNull(bv) {
			return nil, false
		}
		p[k] = bv
	}
	return p, true
}

// hasMergeNull reports whether v is or holds (outside arrays) a null.
func hasMergeNull(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case map[string]any:
		for _, e := range x {
			if hasMergeNull(e) {
				return true
			}
		}
	}
	return false
}

// appendJSONPatch writes the JSON patch that turns a into b. Objects are
// walked member by member in name order; arrays keep their common head and
// tail, and the middle is replaced element by element, then trimmed or
// extended, unless replacing the whole array is shorter.
func appendJSONPatch(b []byte, va, vb any) []byte {
	b = append(b, '[')
	n := len(b)
	b = appendOps(b, "", va, vb)
	if len(b) > n {
		b = b[:len(b)-1] // the last op's comma
	}
	return append(b, ']')
}

func appendOps(b []byte, path string, a, c any) []byte {
	if equalValues(a, c) {
		return b
	}
	switch x := a.(type) {
	case map[string]any:
		y, ok := c.(map[string]any)
		if !ok {
			break
		}
		keys := make([]string, 0, len(x)+len(y))
		for k := range x {
			keys = append(keys, k)
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			p := path + "/" + escapePointer(k)
			xv, inX := x[k]
			yv, inY := y[k]
			switch {
			case !inY:
				b = appendOp(b, "remove", p, nil, false)
			case !inX:
				b = appendOp(b, "add", p, yv, true)
			default:
				b = appendOps(b, p, xv, yv)
			}
		}
		return b
	case []any:
		y, ok := c.([]any)
		if !ok {
			break
		}
		whole := appendOp(nil, "replace", path, y, true)
		ops := appendArrayOps(nil, path, x, y)
		if len(ops) < len(whole) {
			return append(b, ops...)
		}
		return append(b, whole...)
	}
	return appendOp(b, "replace", path, c, true)
}

func appendArrayOps(b []byte, path string, x, y []any) []byte {
	head := 0
	for head < len(x) && head < len(y) && equalValues(x[head], y[head]) {
		head++
	}
	tail := 0
	for tail < len(x)-head && tail < len(y)-head && equalValues(x[len(x)-1-tail], y[len(y)-1-tail]) {
		tail++
	}
	xm, ym := x[head:len(x)-tail], y[head:len(y)-tail]
	common := min(len(xm), len(ym))
	for i := range common {
		b = appendOps(b, path+"/"+strconv.Itoa(head+i), xm[i], ym[i])
	}
	for range len(xm) - common {
		b = appendOp(b, "remove", path+"/"+strconv.Itoa(head+common), nil, false)
	}
	for i := common; i < len(ym); i++ {
		b = appendOp(b, "add", path+"/"+strconv.Itoa(head+i), ym[i], true)
	}
	return b
}

// appendOp writes one operation and a trailing comma.
func appendOp(b []byte, op, path string, v any, withValue bool) []byte {
	b = append(b, `{"op":"`...)
	b = append(b, op...)
	b = append(b, `","path":`...)
	b = appendValue(b, path)
	if withValue {
		b = append(b, `,"value":`...)
		b = appendValue(b, v)
	}
	return append(b, "},"...)
}

// escapePointer escapes a member name for a JSON pointer (RFC 6901 §3).
func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
