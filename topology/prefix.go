package topology

import (
	"fmt"
	"net/netip"
)

// Prefix is an address prefix attached to (originated by) a node.
type Prefix struct {
	Node   NodeID
	Prefix netip.Prefix // always masked
	Metric Value        // prefix metric, if advertised
}

// PrefixKey identifies an attached prefix.
type PrefixKey struct {
	Node   NodeID
	Prefix netip.Prefix
}

// Key returns the prefix's identity.
func (p *Prefix) Key() PrefixKey { return PrefixKey{Node: p.Node, Prefix: p.Prefix} }

func (p *Prefix) validate() error {
	if p.Node == "" {
		return fmt.Errorf("prefix %s: missing node", p.Prefix)
	}
	if !p.Prefix.IsValid() {
		return fmt.Errorf("prefix of node %s: invalid prefix", p.Node)
	}
	if p.Prefix != p.Prefix.Masked() {
		return fmt.Errorf("prefix %s of node %s: host bits set", p.Prefix, p.Node)
	}
	if p.Metric.Set && p.Metric.V < 0 {
		return fmt.Errorf("prefix %s of node %s: negative metric", p.Prefix, p.Node)
	}
	return nil
}
