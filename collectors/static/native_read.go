package static

import (
	"fmt"
	"net/netip"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// read is the first pass of the native parser: it reads the YAML tree into
// node and link specs, checking each value on its own.
func (p *nativeParser) read(root *yaml.Node) {
	f := p.fields(root, "topology", "nodes", "links")
	if f == nil {
		return
	}
	if n := f["nodes"]; n != nil {
		for i, item := range p.list(n, "nodes") {
			p.readNode(i, item)
		}
	}
	if n := f["links"]; n != nil {
		for i, item := range p.list(n, "links") {
			p.readLink(i, item)
		}
	}
}

func (p *nativeParser) readNode(i int, item *yaml.Node) {
	label := fmt.Sprintf("nodes[%d]", i)
	if v := lookup(item, "id"); v != nil && v.Kind == yaml.ScalarNode && !isNull(v) {
		label = fmt.Sprintf("node %q", v.Value)
	}
	f := p.fields(item, label, nodeKeys...)
	if f == nil {
		return
	}
	n := nativeNode{line: item.Line}
	ok := true
	if v := f["id"]; v == nil {
		p.errs.add(item.Line, "%s: missing id", label)
		ok = false
	} else {
		n.id, ok = p.str(v, label+": id")
	}
	if v := f["name"]; v != nil {
		n.name, _ = p.str(v, label+": name")
	}
	if v := f["router_id"]; v != nil {
		n.rid4 = p.addr(v, label+": router_id", 4)
	}
	if v := f["router_id_v6"]; v != nil {
		n.rid6 = p.addr(v, label+": router_id_v6", 6)
	}
	if v := f["as"]; v != nil {
		if s, good := p.str(v, label+": as"); good {
			as, err := strconv.ParseUint(s, 10, 32)
			if err != nil {
				p.errs.add(v.Line, "%s: as: want a number from 0 to 4294967295, got %q", label, s)
			}
			n.as = uint32(as)
		}
	}
	if v := f["area"]; v != nil {
		n.area, _ = p.str(v, label+": area")
	}
	if v := f["prefixes"]; v != nil {
		for _, pv := range p.list(v, label+": prefixes") {
			if pfx, good := p.readPrefix(pv, label); good {
				n.prefixes = append(n.prefixes, pfx)
			}
		}
	}
	if ok {
		p.nodes = append(p.nodes, n)
	}
}

// readPrefix reads "10.1.0.0/16" or {prefix: 10.1.0.0/16, metric: 10}.
func (p *nativeParser) readPrefix(v *yaml.Node, label string) (nativePrefix, bool) {
	pfx := nativePrefix{line: v.Line}
	text := v
	if v.Kind == yaml.MappingNode {
		f := p.fields(v, label+": prefix", prefixKeys...)
		if f == nil {
			return pfx, false
		}
		if text = f["prefix"]; text == nil {
			p.errs.add(v.Line, "%s: prefix entry without prefix", label)
			return pfx, false
		}
		if m := f["metric"]; m != nil {
			mv, ok := p.metricValue(m, label+": prefix metric", kindNumber)
			if !ok {
				return pfx, false
			}
			pfx.metric = known(mv)
		}
	}
	s, ok := p.str(text, label+": prefix")
	if !ok {
		return pfx, false
	}
	pp, err := netip.ParsePrefix(s)
	switch {
	case err != nil:
		p.errs.add(text.Line, "%s: invalid prefix %q", label, s)
		return pfx, false
	case pp != pp.Masked():
		p.errs.add(text.Line, "%s: prefix %s has host bits set (did you mean %s?)", label, s, pp.Masked())
		return pfx, false
	}
	pfx.prefix = pp
	return pfx, true
}

func (p *nativeParser) readLink(i int, item *yaml.Node) {
	from, to := lookup(item, "from"), lookup(item, "to")
	label := fmt.Sprintf("links[%d]", i)
	if from != nil && to != nil && from.Kind == yaml.ScalarNode && to.Kind == yaml.ScalarNode {
		label = fmt.Sprintf("link %s->%s", from.Value, to.Value)
	}
	f := p.fields(item, label, linkKeys...)
	if f == nil {
		return
	}
	l := nativeLink{line: item.Line, label: label, bidirectional: true}
	ok := true
	for _, end := range []struct {
		key  string
		id   *string
		line *int
	}{{"from", &l.from, &l.fromLine}, {"to", &l.to, &l.toLine}} {
		v := f[end.key]
		if v == nil {
			p.errs.add(item.Line, "%s: missing %s", label, end.key)
			ok = false
			continue
		}
		*end.line = v.Line
		id, good := p.str(v, label+": "+end.key)
		*end.id, ok = id, ok && good
	}
	for _, m := range linkMetrics {
		if v := f[m.key]; v != nil {
			if x, good := p.metricValue(v, label+": "+m.key, m.kind); good {
				l.metrics[m.metric] = known(x)
			}
		}
	}
	if v := f["local_addr"]; v != nil {
		l.local = p.addr(v, label+": local_addr", 0)
	}
	if v := f["remote_addr"]; v != nil {
		l.remote = p.addr(v, label+": remote_addr", 0)
	}
	if v := f["bidirectional"]; v != nil {
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!bool" || v.Decode(&l.bidirectional) != nil {
			p.errs.add(v.Line, "%s: bidirectional: want true or false, got %s", label, kindName(v))
		}
	}
	if ok {
		p.links = append(p.links, l)
	}
}

// addr reads an IP address; family is 4, 6 or 0 for either.
func (p *nativeParser) addr(v *yaml.Node, label string, family int) netip.Addr {
	s, ok := p.str(v, label)
	if !ok {
		return netip.Addr{}
	}
	a, err := netip.ParseAddr(s)
	switch {
	case err != nil || a.Zone() != "":
		p.errs.add(v.Line, "%s: invalid IP address %q", label, s)
		return netip.Addr{}
	case family == 4 && !a.Is4():
		p.errs.add(v.Line, "%s: %s is not an IPv4 address", label, s)
		return netip.Addr{}
	case family == 6 && !a.Is6():
		p.errs.add(v.Line, "%s: %s is not an IPv6 address", label, s)
		return netip.Addr{}
	}
	return a
}
