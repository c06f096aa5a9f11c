package alto

import (
	"fmt"
	"strings"
)

// maxIdentLen is the length limit of PIDNames and ResourceIDs (RFC 7285 §10.1, §10.2).
const maxIdentLen = 64

// pidChar reports whether c may appear in a PIDName or ResourceID. The '.'
// is reserved by RFC 7285 §10.1 and not accepted here.
func pidChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == ':' || c == '@' || c == '_'
}

// ValidPIDName reports whether s is a valid PIDName (RFC 7285 §10.1).
func ValidPIDName(s string) bool { return validIdent(s) }

// ValidResourceID reports whether s is a valid ResourceID (RFC 7285 §10.2).
func ValidResourceID(s string) bool { return validIdent(s) }

func validIdent(s string) bool {
	if s == "" || len(s) > maxIdentLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !pidChar(s[i]) {
			return false
		}
	}
	return true
}

// SanitizePIDName turns free text (a host name, a router-ID) into a valid
// PIDName: every run of characters outside the PIDName alphabet becomes one
// '-', leading and trailing '-' are dropped, and the result is cut to 64
// characters. It returns "" when nothing usable is left.
func SanitizePIDName(s string) string {
	var b strings.Builder
	dash := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if pidChar(c) && c != '-' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteByte(c)
			continue
		}
		dash = true
	}
	out := b.String()
	if len(out) > maxIdentLen {
		out = strings.TrimRight(out[:maxIdentLen], "-")
	}
	return out
}

// uniqueNamer hands out unique PIDNames, appending "-2", "-3"… to repeats
// while keeping within the length limit.
type uniqueNamer struct{ used map[string]bool }

func newUniqueNamer(reserved ...string) *uniqueNamer {
	u := &uniqueNamer{used: map[string]bool{}}
	for _, r := range reserved {
		u.used[r] = true
	}
	return u
}

func (u *uniqueNamer) name(base string) string {
	if !u.used[base] {
		u.used[base] = true
		return base
	}
	for i := 2; ; i++ {
		suffix := fmt.Sprintf("-%d", i)
		stem := base
		if len(stem)+len(suffix) > maxIdentLen {
			stem = stem[:maxIdentLen-len(suffix)]
		}
		if n := stem + suffix; !u.used[n] {
			u.used[n] = true
			return n
		}
	}
}
