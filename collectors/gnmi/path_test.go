package gnmi

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	gpb "github.com/openconfig/gnmi/proto/gnmi"
	"google.golang.org/protobuf/testing/protocmp"
)

func TestParsePath(t *testing.T) {
	e := func(name string, kv ...string) *gpb.PathElem {
		pe := &gpb.PathElem{Name: name}
		for i := 0; i+1 < len(kv); i += 2 {
			if pe.Key == nil {
				pe.Key = map[string]string{}
			}
			pe.Key[kv[i]] = kv[i+1]
		}
		return pe
	}
	tests := []struct {
		in      string
		want    *gpb.Path
		wantErr bool
	}{
		{in: "/", want: &gpb.Path{}},
		{in: "/interfaces/interface/state", want: &gpb.Path{Elem: []*gpb.PathElem{e("interfaces"), e("interface"), e("state")}}},
		{in: "/interfaces/interface[name=Ethernet1/1]/state",
			want: &gpb.Path{Elem: []*gpb.PathElem{e("interfaces"), e("interface", "name", "Ethernet1/1"), e("state")}}},
		{in: `/a[k=x\]y][j=*]/b`, want: &gpb.Path{Elem: []*gpb.PathElem{e("a", "k", "x]y", "j", "*"), e("b")}}},
		{in: "openconfig:/interfaces", want: &gpb.Path{Origin: "openconfig", Elem: []*gpb.PathElem{e("interfaces")}}},
		{in: "/openconfig-interfaces:interfaces", want: &gpb.Path{Elem: []*gpb.PathElem{e("openconfig-interfaces:interfaces")}}},
		{in: "interfaces", wantErr: true},
		{in: "/a//b", wantErr: true},
		{in: "/a/", wantErr: true},
		{in: "/a[k]", wantErr: true},
		{in: "/a[k=v", wantErr: true},
		{in: "/a[=v]", wantErr: true},
		{in: "/a[k=v][k=w]", wantErr: true},
		{in: "/a[k=v]b", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parsePath(tc.in)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("parsePath(%q) = %v, want an error", tc.in, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got, protocmp.Transform()); diff != "" {
				t.Errorf("parsePath(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
			// Printing and parsing again gives the same elements.
			again, err := parsePath(pathString(got.GetElem()))
			if err != nil || !cmp.Equal(got.GetElem(), again.GetElem(), protocmp.Transform()) {
				t.Errorf("round trip of %q via %q = %v, %v", tc.in, pathString(got.GetElem()), again, err)
			}
		})
	}
}
