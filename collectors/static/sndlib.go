package static

import (
	"math"
	"slices"
	"strings"

	"github.com/altosdn/altosdn/topology"
)

// sndlibHeader starts every file in SNDlib's native format; format "auto"
// looks for it in .txt files.
const sndlibHeader = "?SNDlib native format"

// sndlibUnits maps the META "unit" of a file to bits per second. SNDlib
// gives capacities and demands in that unit; files without it (most of
// them) have capacities in abstract units.
var sndlibUnits = map[string]float64{
	"BITSPERSEC":  1,
	"BITPERSEC":   1,
	"KBITPERSEC":  1e3,
	"MBITPERSEC":  1e6,
	"GBITPERSEC":  1e9,
	"TBITSPERSEC": 1e12,
	"TBITPERSEC":  1e12,
}

// sndTok is one token of an SNDlib file; a META section is kept as raw
// lines, because its values are free text with unbalanced parentheses.
type sndTok struct {
	text string
	line int
	raw  bool
}

type sndNode struct {
	id   string
	c    coord
	line int
}

type sndLink struct {
	id, src, dst string
	capacity     float64 // pre-installed capacity, in the META unit
	routingCost  float64
	line         int
}

// parseSNDlib reads SNDlib's native format (type: network):
//
//	NODES ( <id> ( <lon> <lat> ) … )
//	LINKS ( <id> ( <src> <dst> ) <preinstalled_cap> <preinstalled_cap_cost>
//	        <routing_cost> <setup_cost> ( {<module_cap> <module_cost>}* ) … )
//
// META is read for its unit; DEMANDS and ADMISSIBLE_PATHS are skipped. Links
// are undirected; each becomes two directed links with the same metrics:
//
//   - IGP metric = routing_cost when it is above 0, else 1 (hop count);
//   - max bandwidth = preinstalled_cap converted to bits/s, only when META
//     names a bit-rate unit and the capacity is above 0. Without a unit the
//     capacity is in abstract units and is dropped rather than guessed.
//     Module capacities are what could be installed, not what is, and are
//     ignored;
//   - delay from the great-circle distance at 5 µs/km, only when every node's
//     coordinates are a valid longitude/latitude; several SNDlib networks use
//     drawing coordinates, which give no distance.
func parseSNDlib(file string, data []byte) (*Topology, error) {
	toks := sndTokenize(data)
	errs := &errList{file: file}
	var nodes []sndNode
	var links []sndLink
	unit := ""
	sections := map[string]int{} // section name → line
	for i := 0; i < len(toks) && !errs.failed(); {
		name := toks[i]
		if i+1 >= len(toks) || toks[i+1].text != "(" || name.raw {
			errs.add(name.line, "want \"<SECTION> (\", got %q", name.text)
			break
		}
		if first, dup := sections[name.text]; dup {
			errs.add(name.line, "section %s repeated (first at line %d)", name.text, first)
			break
		}
		sections[name.text] = name.line
		i += 2
		switch name.text {
		case "META":
			unit, i = sndMeta(toks, i, errs)
		case "NODES":
			nodes, i = sndNodes(toks, i, errs)
		case "LINKS":
			links, i = sndLinks(toks, i, errs)
		case "DEMANDS", "ADMISSIBLE_PATHS":
			i = sndSkip(toks, i, name, errs)
		default:
			errs.add(name.line, "unknown section %q", name.text)
		}
	}
	if errs.failed() {
		return nil, errs.err()
	}
	return buildSNDlib(file, nodes, links, unit)
}

func buildSNDlib(file string, nodes []sndNode, links []sndLink, unit string) (*Topology, error) {
	errs := &errList{file: file}
	b := newBuilder(FormatSNDlib)
	geographic := true
	coords := make([]coord, 0, len(nodes)) // by builder position
	for _, n := range nodes {
		if !b.addNode(n.id, n.id) {
			errs.add(n.line, "node %s: duplicate id", n.id)
			continue
		}
		coords = append(coords, n.c)
		geographic = geographic && n.c.ok && n.c.valid()
	}
	scale, unitKnown := sndlibUnits[strings.ToUpper(unit)]
	seen := map[string]bool{}
	var hops, dropped int
	for _, l := range links {
		from, okf := b.node(l.src)
		to, okt := b.node(l.dst)
		switch {
		case seen[l.id]:
			errs.add(l.line, "link %s: duplicate id", l.id)
			continue
		case !okf:
			errs.add(l.line, "link %s: unknown node %q", l.id, l.src)
			continue
		case !okt:
			errs.add(l.line, "link %s: unknown node %q", l.id, l.dst)
			continue
		}
		seen[l.id] = true
		m := sndMetrics(l, scale, unitKnown)
		if l.routingCost == 0 {
			hops++
		}
		if l.capacity > 0 && !unitKnown {
			dropped++
		}
		if geographic {
			m[topology.MetricDelay] = known(propagationDelay(coords[from], coords[to]))
		}
		b.addBoth(from, to, m)
	}
	if errs.failed() {
		return nil, errs.err()
	}
	if hops > 0 {
		b.note("%d of %d links have routing_cost 0: IGP metric 1 used", hops, len(links))
	}
	if dropped > 0 {
		b.note("META gives no bit-rate unit (%q): %d capacities dropped, max bandwidth left unset", unit, dropped)
	}
	if !geographic && len(links) > 0 {
		b.note("node coordinates are not all longitude/latitude: delay left unset")
	}
	return b.finish(file)
}

func sndMetrics(l sndLink, scale float64, unitKnown bool) topology.Metrics {
	var m topology.Metrics
	igp := l.routingCost
	if igp <= 0 {
		igp = 1
	}
	m[topology.MetricIGP] = known(igp)
	if bw := l.capacity * scale; unitKnown && bw > 0 && !math.IsInf(bw, 0) {
		m[topology.MetricMaxBandwidth] = known(bw)
	}
	return m
}

// sndMeta reads "key = value" lines up to the closing parenthesis and
// returns the unit.
func sndMeta(toks []sndTok, i int, errs *errList) (unit string, next int) {
	for ; i < len(toks); i++ {
		t := toks[i]
		if !t.raw {
			if t.text != ")" {
				errs.add(t.line, "META: want one \"key = value\" per line")
			}
			return unit, i + 1
		}
		k, v, ok := strings.Cut(t.text, "=")
		if !ok {
			if strings.TrimSpace(t.text) != "" && !strings.HasPrefix(strings.TrimSpace(t.text), "#") {
				errs.add(t.line, "META: want \"key = value\", got %q", strings.TrimSpace(t.text))
			}
			continue
		}
		if strings.TrimSpace(k) == "unit" {
			unit = strings.TrimSpace(v)
		}
	}
	errs.add(lastLine(toks), "META: missing closing parenthesis")
	return unit, i
}

// sndNodes reads "<id> [( <lon> <lat> )]" entries.
func sndNodes(toks []sndTok, i int, errs *errList) ([]sndNode, int) {
	var nodes []sndNode
	for i < len(toks) {
		t := toks[i]
		if t.text == ")" {
			return nodes, i + 1
		}
		if t.text == "(" {
			errs.add(t.line, "NODES: want a node id, got \"(\"")
			return nodes, len(toks)
		}
		n := sndNode{id: t.text, line: t.line}
		i++
		if i < len(toks) && toks[i].text == "(" {
			if !sndExpect(toks, i+3, ")") || sndParen(toks[i+1]) || sndParen(toks[i+2]) {
				errs.add(t.line, "node %s: want \"( <longitude> <latitude> )\"", n.id)
				return nodes, len(toks)
			}
			lon, err1 := parseFinite(toks[i+1].text)
			lat, err2 := parseFinite(toks[i+2].text)
			if err := firstErr(err1, err2); err != nil {
				errs.add(t.line, "node %s: coordinates: %v", n.id, err)
			}
			n.c = coord{lat: lat, lon: lon, ok: true}
			i += 4
		}
		nodes = append(nodes, n)
	}
	errs.add(lastLine(toks), "NODES: missing closing parenthesis")
	return nodes, i
}

// sndLinks reads "<id> ( <src> <dst> ) <cap> <cap_cost> <routing_cost>
// <setup_cost> ( <modules> )" entries.
func sndLinks(toks []sndTok, i int, errs *errList) ([]sndLink, int) {
	var links []sndLink
	for i < len(toks) {
		t := toks[i]
		if t.text == ")" {
			return links, i + 1
		}
		l := sndLink{id: t.text, line: t.line}
		if t.text == "(" {
			errs.add(t.line, "LINKS: want a link id, got \"(\"")
			return links, len(toks)
		}
		if !sndExpect(toks, i+1, "(") || !sndExpect(toks, i+4, ")") || !sndExpect(toks, i+9, "(") ||
			slices.ContainsFunc(toks[i+2:i+4], sndParen) || slices.ContainsFunc(toks[i+5:i+9], sndParen) {
			errs.add(t.line, "link %s: want \"<id> ( <src> <dst> ) <cap> <cap_cost> <routing_cost> <setup_cost> ( <modules> )\"", l.id)
			return links, len(toks)
		}
		l.src, l.dst = toks[i+2].text, toks[i+3].text
		var vals [4]float64
		for k := range vals {
			v, err := parseNonNeg(toks[i+5+k].text)
			if err != nil {
				errs.add(t.line, "link %s: %s: %v", l.id, sndLinkFields[k], err)
			}
			vals[k] = v
		}
		l.capacity, l.routingCost = vals[0], vals[2]
		for i += 10; i < len(toks) && toks[i].text != ")"; i++ {
			if _, err := parseNonNeg(toks[i].text); err != nil {
				errs.add(toks[i].line, "link %s: module: %v", l.id, err)
				return links, len(toks)
			}
		}
		i++ // the modules' ")"
		links = append(links, l)
	}
	errs.add(lastLine(toks), "LINKS: missing closing parenthesis")
	return links, i
}

var sndLinkFields = [4]string{"preinstalled_cap", "preinstalled_cap_cost", "routing_cost", "setup_cost"}

// sndSkip skips a section's balanced parentheses.
func sndSkip(toks []sndTok, i int, section sndTok, errs *errList) int {
	for depth := 1; i < len(toks); i++ {
		switch toks[i].text {
		case "(":
			depth++
		case ")":
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	errs.add(section.line, "%s: missing closing parenthesis", section.text)
	return i
}

func sndExpect(toks []sndTok, i int, text string) bool {
	return i < len(toks) && !toks[i].raw && toks[i].text == text
}

func sndParen(t sndTok) bool { return t.text == "(" || t.text == ")" }

func lastLine(toks []sndTok) int {
	if len(toks) == 0 {
		return 0
	}
	return toks[len(toks)-1].line
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// sndTokenize splits a file into tokens with their lines. Comments run from
// '#' to the end of the line; lines starting with '?' are headers.
// Parentheses are tokens of their own.
func sndTokenize(data []byte) []sndTok {
	var toks []sndTok
	inMeta := false
	for n, l := range strings.Split(string(data), "\n") {
		line := n + 1
		if inMeta {
			if strings.TrimSpace(l) == ")" {
				toks = append(toks, sndTok{text: ")", line: line})
				inMeta = false
			} else {
				toks = append(toks, sndTok{text: l, line: line, raw: true})
			}
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(l), "?") {
			continue
		}
		if k := strings.IndexByte(l, '#'); k >= 0 {
			l = l[:k]
		}
		first := len(toks)
		for _, f := range strings.Fields(l) {
			// Split "(x)" into "(", "x", ")".
			for f != "" {
				k := strings.IndexAny(f, "()")
				switch {
				case k < 0:
					toks = append(toks, sndTok{text: f, line: line})
					f = ""
				case k > 0:
					toks = append(toks, sndTok{text: f[:k], line: line})
					f = f[k:]
				default:
					toks = append(toks, sndTok{text: f[:1], line: line})
					f = f[1:]
				}
			}
		}
		if len(toks)-first == 2 && toks[first].text == "META" && toks[first+1].text == "(" {
			inMeta = true
		}
	}
	return toks
}
