package static

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// The native format is decoded from yaml.Node trees rather than into
// structs: nodes keep their line numbers for error messages, and unknown or
// repeated keys are caught here (yaml.Node.Decode would not honour
// KnownFields).

// yamlLine matches the position yaml.v3 puts in its syntax errors.
var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// yamlError restates a yaml.v3 syntax error as a ParseError.
func yamlError(file string, err error) error {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &ParseError{File: file, Line: line, Err: errors.New(m[2])}
	}
	return &ParseError{File: file, Err: err}
}

// lookup returns the value of key in a mapping node, or nil.
func lookup(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// fields checks that n is a mapping with only the allowed keys, each once,
// and returns its values by key. Problems are reported under label.
func (p *nativeParser) fields(n *yaml.Node, label string, allowed ...string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		p.errs.add(n.Line, "%s: want a mapping, got %s", label, kindName(n))
		return nil
	}
	m := make(map[string]*yaml.Node, len(n.Content)/2)
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode {
			p.errs.add(k.Line, "%s: keys must be plain words", label)
			continue
		}
		if line, dup := first[k.Value]; dup {
			p.errs.add(k.Line, "%s: key %q repeated (first at line %d)", label, k.Value, line)
			continue
		}
		first[k.Value] = k.Line
		if !slices.Contains(allowed, k.Value) {
			p.errs.add(k.Line, "%s: unknown key %q", label, k.Value)
			continue
		}
		m[k.Value] = n.Content[i+1]
	}
	return m
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "a document"
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

func isNumber(n *yaml.Node) bool {
	t := n.ShortTag()
	return n.Kind == yaml.ScalarNode && (t == "!!int" || t == "!!float")
}

// str returns a scalar's text; null and non-scalars are errors.
func (p *nativeParser) str(n *yaml.Node, label string) (string, bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) || n.Value == "" {
		p.errs.add(n.Line, "%s: want a value, got %s", label, kindName(n))
		return "", false
	}
	return n.Value, true
}

// list returns a sequence's items; null is an empty list.
func (p *nativeParser) list(n *yaml.Node, label string) []*yaml.Node {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.errs.add(n.Line, "%s: want a list, got %s", label, kindName(n))
		return nil
	}
	return n.Content
}

// rejectAliases reports every alias: they would let a small file expand to
// a huge topology, and a topology file gains little from them.
func (p *nativeParser) rejectAliases(n *yaml.Node) {
	if n.Kind == yaml.AliasNode {
		p.errs.add(n.Line, "aliases (*%s) are not supported", n.Value)
		return
	}
	for _, c := range n.Content {
		p.rejectAliases(c)
	}
}
