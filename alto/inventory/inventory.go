package inventory

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Inventory is one parsed inventory file. It is immutable once returned.
type Inventory struct {
	// PIDs holds the properties of PIDs, by PID name.
	PIDs map[string]Properties
	// Prefixes holds the properties of address blocks; keys are masked
	// prefixes, /32 or /128 for single addresses.
	Prefixes map[netip.Prefix]Properties
	// ANEs holds the properties of abstract network elements, by name.
	ANEs map[string]Properties
	// Digest is a hash of the file's content, for logs and version tags.
	Digest string
}

// Properties maps a declared property type to its value: a string, an
// int64, a float64, a bool, or nil for null ("defined to have no value").
type Properties map[string]any

// Empty is the inventory of no file. Like every Inventory it must not be
// modified.
var Empty = &Inventory{PIDs: map[string]Properties{}, Prefixes: map[netip.Prefix]Properties{}, ANEs: map[string]Properties{}}

// Entities returns the number of entities with properties.
func (inv *Inventory) Entities() int { return len(inv.PIDs) + len(inv.Prefixes) + len(inv.ANEs) }

// Parse decodes an inventory file and checks it against the declared
// property types. Errors name the line and the field, e.g.
// "line 7: prefixes.192.0.2.1/24: host bits set".
func Parse(data []byte, declared []string) (*Inventory, error) {
	sum := sha256.Sum256(data)
	inv := &Inventory{PIDs: map[string]Properties{}, Prefixes: map[netip.Prefix]Properties{}, ANEs: map[string]Properties{},
		Digest: hex.EncodeToString(sum[:20])}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, errors.New(strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if doc.Kind == 0 || len(doc.Content) == 0 { // an empty file
		return inv, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return inv, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, at(root, "", "the inventory must be a mapping with pids, prefixes and anes")
	}
	p := parser{declared: declared}
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if seen[k.Value] {
			return nil, at(k, k.Value, "section given twice")
		}
		seen[k.Value] = true
		var err error
		switch k.Value {
		case "pids":
			err = p.section(v, "pids", func(key *yaml.Node, path string, props Properties) error {
				if err := checkName(key.Value); err != nil {
					return at(key, path, "not a PID name: "+err.Error())
				}
				inv.PIDs[key.Value] = props
				return nil
			})
		case "prefixes":
			err = p.section(v, "prefixes", func(key *yaml.Node, path string, props Properties) error {
				pr, err := parsePrefix(key.Value)
				if err != nil {
					return at(key, path, err.Error())
				}
				if _, dup := inv.Prefixes[pr]; dup {
					return at(key, path, fmt.Sprintf("the same prefix as another entry (%s)", pr))
				}
				inv.Prefixes[pr] = props
				return nil
			})
		case "anes":
			err = p.section(v, "anes", func(key *yaml.Node, path string, props Properties) error {
				if err := checkName(key.Value); err != nil {
					return at(key, path, "not an ANE name: "+err.Error())
				}
				inv.ANEs[key.Value] = props
				return nil
			})
		default:
			err = at(k, k.Value, "unknown section (want pids, prefixes or anes)")
		}
		if err != nil {
			return nil, err
		}
	}
	return inv, nil
}

type parser struct{ declared []string }

// section walks one section: a mapping of entity → properties.
func (p parser) section(n *yaml.Node, name string, add func(key *yaml.Node, path string, props Properties) error) error {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // "pids:" with nothing under it
	}
	if n.Kind != yaml.MappingNode {
		return at(n, name, "must be a mapping of entities to their properties")
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		path := name + "." + k.Value
		if k.Kind != yaml.ScalarNode {
			return at(k, name, "an entity must be named by a scalar")
		}
		if seen[k.Value] {
			return at(k, path, "entity given twice")
		}
		seen[k.Value] = true
		props, err := p.properties(v, path)
		if err != nil {
			return err
		}
		if err := add(k, path, props); err != nil {
			return err
		}
	}
	return nil
}

func (p parser) properties(n *yaml.Node, path string) (Properties, error) {
	props := Properties{}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return props, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, at(n, path, "must be a mapping of properties to values")
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		field := path + "." + k.Value
		if !slices.Contains(p.declared, k.Value) {
			return nil, at(k, field, fmt.Sprintf("property %q is not declared (declared: %s)", k.Value, strings.Join(p.declared, ", ")))
		}
		if _, dup := props[k.Value]; dup {
			return nil, at(k, field, "property given twice")
		}
		val, err := scalar(v)
		if err != nil {
			return nil, at(v, field, err.Error())
		}
		props[k.Value] = val
	}
	return props, nil
}

// scalar decodes a property value. Lists and mappings are refused: the
// RFC allows any JSON value, but a value clients can compare is what
// placement decisions need.
func scalar(n *yaml.Node) (any, error) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.ScalarNode {
		return nil, errors.New("a value must be a string, a number, a boolean or null")
	}
	switch n.Tag {
	case "!!null":
		return nil, nil
	case "!!bool":
		var b bool
		err := n.Decode(&b)
		return b, err
	case "!!int":
		var i int64
		if err := n.Decode(&i); err != nil {
			return nil, fmt.Errorf("integer %s out of range", n.Value)
		}
		return i, nil
	case "!!float":
		var f float64
		if err := n.Decode(&f); err != nil {
			return nil, err
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%s is not a finite number", n.Value)
		}
		return f, nil
	case "!!str", "!!timestamp": // a date is kept as written
		return n.Value, nil
	}
	return nil, fmt.Errorf("value of type %s not allowed (want a string, a number, a boolean or null)", n.Tag)
}

// parsePrefix reads a prefix or a single address (its /32 or /128).
func parsePrefix(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("%q is not an IPv4 or IPv6 prefix or address", s)
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an IPv4 or IPv6 prefix or address", s)
	}
	if p != p.Masked() {
		return netip.Prefix{}, fmt.Errorf("%s has host bits set (did you mean %s?)", s, p.Masked())
	}
	return p, nil
}

// at formats an error with the node's line and the field's path.
func at(n *yaml.Node, path, msg string) error {
	if path == "" {
		return fmt.Errorf("line %d: %s", n.Line, msg)
	}
	return fmt.Errorf("line %d: %s: %s", n.Line, path, msg)
}
