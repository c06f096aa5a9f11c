package alto

import (
	"strings"
	"testing"
)

func TestSanitizePIDName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"nyc-core-1", "nyc-core-1"},
		{"0_New_York", "0_New_York"},
		{"San+Jose,+CA4062", "San-Jose-CA4062"},
		{"192.0.2.1", "192-0-2-1"},
		{"2001:db8::1", "2001:db8::1"},
		{"  spaces  and\ttabs ", "spaces-and-tabs"},
		{"--lead-and-trail--", "lead-and-trail"},
		{"router@site:1", "router@site:1"},
		{"Zürich", "Z-rich"},
		{"...", ""},
		{"", ""},
		{strings.Repeat("a", 70), strings.Repeat("a", 64)},
	}
	for _, tc := range tests {
		got := SanitizePIDName(tc.in)
		if got != tc.want {
			t.Errorf("SanitizePIDName(%q) = %q; want %q", tc.in, got, tc.want)
		}
		if got != "" && !ValidPIDName(got) {
			t.Errorf("SanitizePIDName(%q) = %q is not a valid PIDName", tc.in, got)
		}
	}
}

func TestValidPIDName(t *testing.T) {
	for name, want := range map[string]bool{
		"PID1": true, "mypid:west@dc_1": true, "a.b": false, "": false, "a b": false,
		strings.Repeat("x", 64): true, strings.Repeat("x", 65): false, "é": false,
	} {
		if got := ValidPIDName(name); got != want {
			t.Errorf("ValidPIDName(%q) = %v; want %v", name, got, want)
		}
	}
}

func TestUniqueNamer(t *testing.T) {
	u := newUniqueNamer("default")
	long := strings.Repeat("n", 64)
	got := []string{u.name("a"), u.name("a"), u.name("default"), u.name("a"), u.name(long), u.name(long)}
	want := []string{"a", "a-2", "default-2", "a-3", long, strings.Repeat("n", 62) + "-2"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("name %d = %q; want %q", i, got[i], want[i])
		}
		if !ValidPIDName(got[i]) {
			t.Errorf("name %q is not valid", got[i])
		}
	}
}
