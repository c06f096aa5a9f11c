package gnmi

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	gpb "github.com/openconfig/gnmi/proto/gnmi"
)

// parsePath parses a gNMI path string such as
// "/interfaces/interface[name=Ethernet1/1]/state/counters". Key values may
// contain "/" and escaped "\]" or "\\". An "origin:" before the first "/"
// sets the origin ("openconfig:/interfaces"); a module prefix inside an
// element ("/openconfig-interfaces:interfaces") stays part of its name.
func parsePath(s string) (*gpb.Path, error) {
	p := &gpb.Path{}
	if i := strings.Index(s, ":/"); i > 0 && !strings.ContainsAny(s[:i], "/[") {
		p.Origin, s = s[:i], s[i+1:]
	}
	if !strings.HasPrefix(s, "/") {
		return nil, fmt.Errorf("path %q: must start with /", s)
	}
	rest := s[1:]
	for rest != "" {
		var e *gpb.PathElem
		var err error
		e, rest, err = parseElem(rest)
		if err != nil {
			return nil, fmt.Errorf("path %q: %w", s, err)
		}
		p.Elem = append(p.Elem, e)
	}
	return p, nil
}

// parseElem parses one element and returns what follows its "/".
func parseElem(s string) (*gpb.PathElem, string, error) {
	i := strings.IndexAny(s, "/[")
	if i < 0 {
		i = len(s)
	}
	e := &gpb.PathElem{Name: s[:i]}
	if e.Name == "" {
		return nil, "", errors.New("empty element name")
	}
	if strings.ContainsAny(e.Name, "]= ") {
		return nil, "", fmt.Errorf("element %q: bad character", e.Name)
	}
	s = s[i:]
	for strings.HasPrefix(s, "[") {
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return nil, "", fmt.Errorf("element %q: key without =", e.Name)
		}
		k := s[1:eq]
		if k == "" || strings.ContainsAny(k, "[]/") {
			return nil, "", fmt.Errorf("element %q: bad key name %q", e.Name, k)
		}
		var v strings.Builder
		j := eq + 1
		for ; j < len(s) && s[j] != ']'; j++ {
			if s[j] == '\\' && j+1 < len(s) {
				j++
			}
			v.WriteByte(s[j])
		}
		if j == len(s) {
			return nil, "", fmt.Errorf("element %q: unterminated key %q", e.Name, k)
		}
		if e.Key == nil {
			e.Key = map[string]string{}
		}
		if _, dup := e.Key[k]; dup {
			return nil, "", fmt.Errorf("element %q: key %q twice", e.Name, k)
		}
		e.Key[k] = v.String()
		s = s[j+1:]
	}
	switch {
	case s == "":
		return e, "", nil
	case s[0] == '/':
		if s == "/" {
			return nil, "", errors.New("trailing /")
		}
		return e, s[1:], nil
	default:
		return nil, "", fmt.Errorf("element %q: unexpected %q", e.Name, s)
	}
}

// pathString formats elements as a path string, keys sorted, for logs.
func pathString(es []*gpb.PathElem) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteByte('/')
		b.WriteString(e.GetName())
		keys := make([]string, 0, len(e.GetKey()))
		for k := range e.GetKey() {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			b.WriteByte('[')
			b.WriteString(k)
			b.WriteByte('=')
			b.WriteString(strings.NewReplacer(`\`, `\\`, `]`, `\]`).Replace(e.GetKey()[k]))
			b.WriteByte(']')
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}
