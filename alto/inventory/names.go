package inventory

import (
	"fmt"
	"strings"
)

// maxPropertyType is the length limit of an RFC 9240 EntityPropertyType
// (§5.2.1).
const maxPropertyType = 32

// checkPropertyType checks RFC 9240 §5.2.1 syntax: up to 32 characters of
// A-Z a-z 0-9 '-' ':' '_', and a "priv:" prefix followed by more. "pid" is
// the registered property the server derives from its network map, so an
// inventory cannot set it.
func checkPropertyType(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("empty property name")
	case len(s) > maxPropertyType:
		return fmt.Errorf("property %q is longer than %d characters", s, maxPropertyType)
	case s == "priv:":
		return fmt.Errorf("property %q: priv: must be followed by a name", s)
	case s == "pid":
		return fmt.Errorf("property %q is the registered pid property, which the server derives from its network map", s)
	}
	for i := 0; i < len(s); i++ {
		if !typeChar(s[i]) {
			return fmt.Errorf("property %q: character %q not allowed (A-Z a-z 0-9 - : _)", s, s[i])
		}
	}
	return nil
}

func typeChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == ':' || c == '_'
}

// checkName checks the PIDName syntax of RFC 7285 §10.1, which ANE names
// share (RFC 9275 §6.2): up to 64 characters of A-Z a-z 0-9 - : @ _.
func checkName(s string) error {
	if s == "" || len(s) > 64 {
		return fmt.Errorf("%q is not 1 to 64 characters long", s)
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return r > 127 || !(typeChar(byte(r)) || r == '@') }); i >= 0 {
		return fmt.Errorf("%q: character %q not allowed (A-Z a-z 0-9 - : @ _)", s, s[i])
	}
	return nil
}
