package updates

import (
	"strings"
	"testing"

	"github.com/altosdn/altosdn/alto"
)

func TestDiffDocumentsPicksTheSmallest(t *testing.T) {
	long := `"` + strings.Repeat("x", 40) + `"`
	arr := func(extra string) string {
		var items []string
		for range 20 {
			items = append(items, long)
		}
		if extra != "" {
			items = append(items[:10], append([]string{extra}, items[10:]...)...)
		}
		return `{"meta":{"vtag":{"tag":"1"}},"m":{"p":[` + strings.Join(items, ",") + `]}}`
	}
	tests := []struct {
		name, a, b string
		json       bool
		want       string // media type; "" for a full replacement
	}{
		{"one member: merge patch", `{"a":{"x":1,"y":2,"pad":"` + strings.Repeat("p", 80) + `"}}`, `{"a":{"x":1,"y":3,"pad":"` + strings.Repeat("p", 80) + `"}}`, true, alto.MediaTypeMergePatch},
		{"one element into a long array: JSON patch", arr(""), arr(`"new"`), true, alto.MediaTypeJSONPatch},
		{"the same, JSON patch not offered: merge patch", arr(""), arr(`"new"`), false, alto.MediaTypeMergePatch},
		{"a null value: merge patch cannot say it", `{"a":{"x":1},"pad":"` + strings.Repeat("p", 80) + `"}`, `{"a":{"x":null},"pad":"` + strings.Repeat("p", 80) + `"}`, true, alto.MediaTypeJSONPatch},
		{"a null, no JSON patch: full", `{"a":{"x":1},"pad":"` + strings.Repeat("p", 80) + `"}`, `{"a":{"x":null},"pad":"` + strings.Repeat("p", 80) + `"}`, false, ""},
		{"everything changed: full", `{"a":1,"b":2}`, `{"c":3,"d":4}`, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := diffDocuments([]byte(tc.a), []byte(tc.b), tc.json)
			got := ""
			if p != nil {
				got = p.mediaType
				apply := ApplyMergePatch
				if got == alto.MediaTypeJSONPatch {
					apply = ApplyJSONPatch
				}
				res, err := apply([]byte(tc.a), p.data)
				if err != nil {
					t.Fatal(err)
				}
				if string(res) != string(canonical(t, []byte(tc.b))) {
					t.Errorf("patch %s gives %s; want %s", p.data, res, tc.b)
				}
				if len(p.data) >= len(tc.b) {
					t.Errorf("a %d-byte patch for a %d-byte document", len(p.data), len(tc.b))
				}
			}
			if got != tc.want {
				t.Errorf("got %q; want %q", got, tc.want)
			}
		})
	}
}

func TestApplyJSONPatchOps(t *testing.T) {
	doc := `{"a":{"b":[1,2,3]},"c":"x"}`
	tests := []struct{ patch, want string }{
		{`[{"op":"add","path":"/a/b/-","value":4}]`, `{"a":{"b":[1,2,3,4]},"c":"x"}`},
		{`[{"op":"remove","path":"/a/b/0"}]`, `{"a":{"b":[2,3]},"c":"x"}`},
		{`[{"op":"move","from":"/c","path":"/d"}]`, `{"a":{"b":[1,2,3]},"d":"x"}`},
		{`[{"op":"copy","from":"/a/b","path":"/e"}]`, `{"a":{"b":[1,2,3]},"c":"x","e":[1,2,3]}`},
		{`[{"op":"test","path":"/c","value":"x"},{"op":"replace","path":"/c","value":null}]`, `{"a":{"b":[1,2,3]},"c":null}`},
		{`[{"op":"replace","path":"/nope","value":1}]`, "error"},
		{`[{"op":"test","path":"/c","value":"y"}]`, "error"},
		{`[{"op":"add","path":"/a/b/9","value":1}]`, "error"},
	}
	for _, tc := range tests {
		got, err := ApplyJSONPatch([]byte(doc), []byte(tc.patch))
		if tc.want == "error" {
			if err == nil {
				t.Errorf("%s: applied; want an error", tc.patch)
			}
			continue
		}
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: %s, %v; want %s", tc.patch, got, err, tc.want)
		}
	}
}
