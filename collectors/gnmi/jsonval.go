package gnmi

import (
	"bytes"
	"encoding/json"
	"slices"

	gpb "github.com/openconfig/gnmi/proto/gnmi"
)

// listKeys are the key leaves of the YANG lists a JSON container may hold;
// entries of other lists are skipped, since they cannot be addressed.
var listKeys = map[string]string{"interface": "name", "subinterface": "index", "address": "ip"}

// maxJSONDepth bounds the recursion over a JSON container; OpenConfig
// interface trees are about ten levels deep.
const maxJSONDepth = 24

// container decodes a JSON object sent for a non-leaf path (IOS-XR sends
// .../interface[name=X]/state as one json_ietf_val) by walking it as if
// each scalar had arrived as its own update.
func (d *decoder) container(es []*gpb.PathElem, tv *gpb.TypedValue) {
	var b []byte
	switch v := tv.GetValue().(type) {
	case *gpb.TypedValue_JsonIetfVal:
		b = v.JsonIetfVal
	case *gpb.TypedValue_JsonVal:
		b = v.JsonVal
	default:
		return
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		d.errs++
		return
	}
	d.walk(slices.Clone(es), obj, "", 0)
}

// walk decodes the members of obj below path; skip names the key member of
// a list entry, which the path already carries.
func (d *decoder) walk(path []*gpb.PathElem, obj map[string]any, skip string, depth int) {
	if depth > maxJSONDepth {
		return
	}
	child := func(e *gpb.PathElem) []*gpb.PathElem {
		return append(slices.Clip(path), e)
	}
	for k, v := range obj {
		n := stripModule(k)
		if n == skip {
			continue
		}
		switch x := v.(type) {
		case map[string]any:
			d.walk(child(&gpb.PathElem{Name: n}), x, "", depth+1)
		case []any:
			key, ok := listKeys[n]
			if !ok {
				continue
			}
			for _, item := range x {
				m, ok := item.(map[string]any)
				if !ok {
					continue
				}
				kv, ok := scalarText(m[key])
				if !ok {
					continue
				}
				d.walk(child(&gpb.PathElem{Name: n, Key: map[string]string{key: kv}}), m, key, depth+1)
			}
		default:
			if tv := scalarValue(x); tv != nil {
				d.leaf(child(&gpb.PathElem{Name: n}), tv, false)
			}
		}
	}
}

// scalarValue wraps a decoded JSON scalar so the leaf decoders can read it.
func scalarValue(v any) *gpb.TypedValue {
	switch x := v.(type) {
	case string:
		return &gpb.TypedValue{Value: &gpb.TypedValue_StringVal{StringVal: x}}
	case json.Number:
		return &gpb.TypedValue{Value: &gpb.TypedValue_JsonIetfVal{JsonIetfVal: []byte(x)}}
	case bool:
		return &gpb.TypedValue{Value: &gpb.TypedValue_BoolVal{BoolVal: x}}
	}
	return nil
}

func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	}
	return "", false
}
