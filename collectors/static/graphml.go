package static

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/altosdn/altosdn/topology"
)

// gmlData, gmlNode and gmlEdge are the parts of GraphML that are read.
type gmlData struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

type gmlNode struct {
	ID     string     `xml:"id,attr"`
	Data   []gmlData  `xml:"data"`
	Graphs []struct{} `xml:"graph"`
	line   int
}

type gmlEdge struct {
	Source   string     `xml:"source,attr"`
	Target   string     `xml:"target,attr"`
	Directed string     `xml:"directed,attr"`
	Data     []gmlData  `xml:"data"`
	Graphs   []struct{} `xml:"graph"`
	line     int
}

// gmlKey is a declared data key: its attr.name and the elements it is for.
type gmlKey struct{ name, domain string }

type gmlDoc struct {
	keys     map[string]gmlKey
	directed bool // the graph's edgedefault
	nodes    []gmlNode
	edges    []gmlEdge
}

// parseGraphML reads GraphML as written by the Internet Topology Zoo. Only
// the first graph is read. Nodes are identified by their id attribute (labels repeat in many
// Zoo files) and named by their "label" data. Edges are undirected unless
// the graph or the edge says otherwise; each undirected edge becomes two
// directed links with the same metrics:
//
//   - IGP metric 1: the Zoo has no routing weights, so hop count is the
//     only honest default;
//   - max bandwidth = "LinkSpeedRaw" (bit/s) when present and positive;
//   - delay = great-circle distance × 5 µs/km when both ends carry
//     "Latitude" and "Longitude"; otherwise no delay (never 0).
func parseGraphML(file string, data []byte) (*Topology, error) {
	doc, err := readGraphML(file, data)
	if err != nil {
		return nil, err
	}
	errs := &errList{file: file}
	b := newBuilder(FormatGraphML)
	coords := make([]coord, 0, len(doc.nodes))
	for _, n := range doc.nodes {
		attrs := doc.attrs(n.Data, "node")
		if n.ID == "" {
			errs.add(n.line, "node without id")
			continue
		}
		if len(n.Graphs) > 0 {
			errs.add(n.line, "node %s: nested graphs are not supported", n.ID)
			continue
		}
		if !b.addNode(n.ID, strings.TrimSpace(attrs["label"])) {
			errs.add(n.line, "node %s: duplicate id", n.ID)
			continue
		}
		c, err := gmlCoord(attrs)
		if err != nil {
			errs.add(n.line, "node %s: %v", n.ID, err)
		}
		coords = append(coords, c)
	}
	var noSpeed, noDelay int
	for _, e := range doc.edges {
		from, okf := b.node(e.Source)
		to, okt := b.node(e.Target)
		switch {
		case e.Source == "" || e.Target == "":
			errs.add(e.line, "edge without source or target")
			continue
		case !okf || !okt:
			missing := e.Source
			if okf {
				missing = e.Target
			}
			errs.add(e.line, "edge %s-%s: unknown node %q", e.Source, e.Target, missing)
			continue
		case len(e.Graphs) > 0:
			errs.add(e.line, "edge %s-%s: nested graphs are not supported", e.Source, e.Target)
			continue
		}
		directed := doc.directed
		switch e.Directed {
		case "":
		case "true":
			directed = true
		case "false":
			directed = false
		default:
			errs.add(e.line, "edge %s-%s: directed=%q (want true or false)", e.Source, e.Target, e.Directed)
			continue
		}
		var m topology.Metrics
		m[topology.MetricIGP] = known(1)
		if s := strings.TrimSpace(doc.attrs(e.Data, "edge")["LinkSpeedRaw"]); s != "" {
			v, err := parseNonNeg(s)
			if err != nil {
				errs.add(e.line, "edge %s-%s: LinkSpeedRaw: %v", e.Source, e.Target, err)
				continue
			}
			if v > 0 {
				m[topology.MetricMaxBandwidth] = known(v)
			}
		}
		if !m[topology.MetricMaxBandwidth].Set {
			noSpeed++
		}
		if coords[from].ok && coords[to].ok {
			m[topology.MetricDelay] = known(propagationDelay(coords[from], coords[to]))
		} else {
			noDelay++
		}
		if directed {
			b.addLink(from, to, m)
		} else {
			b.addBoth(from, to, m)
		}
	}
	if errs.failed() {
		return nil, errs.err()
	}
	if noSpeed > 0 {
		b.note("%d of %d edges have no LinkSpeedRaw: max bandwidth left unset", noSpeed, len(doc.edges))
	}
	if noDelay > 0 {
		b.note("%d of %d edges lack coordinates at an end: delay left unset", noDelay, len(doc.edges))
	}
	return b.finish(file)
}

// readGraphML collects keys, nodes and edges of the first graph, with the
// line of each element.
func readGraphML(file string, data []byte) (*gmlDoc, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	doc := &gmlDoc{keys: map[string]gmlKey{}}
	root, graphs := false, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, xmlError(file, d, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		line, _ := d.InputPos()
		if !root {
			if se.Name.Local != "graphml" {
				return nil, parseErr(file, line, "not a GraphML document: root element is <%s>", se.Name.Local)
			}
			root = true
			continue
		}
		switch se.Name.Local {
		case "key":
			doc.keys[attr(se, "id")] = gmlKey{name: attr(se, "attr.name"), domain: attr(se, "for")}
			err = d.Skip()
		case "graph":
			if graphs++; graphs > 1 {
				return nil, parseErr(file, line, "more than one graph (only one per file is supported)")
			}
			switch ed := attr(se, "edgedefault"); ed {
			case "directed":
				doc.directed = true
			case "undirected", "":
			default:
				return nil, parseErr(file, line, "graph: edgedefault=%q (want directed or undirected)", ed)
			}
		case "node":
			n := gmlNode{line: line}
			err = d.DecodeElement(&n, &se)
			doc.nodes = append(doc.nodes, n)
		case "edge":
			e := gmlEdge{line: line}
			err = d.DecodeElement(&e, &se)
			doc.edges = append(doc.edges, e)
		default:
			err = d.Skip()
		}
		if err != nil {
			return nil, xmlError(file, d, err)
		}
	}
	if !root {
		return nil, parseErr(file, 0, "not a GraphML document: no <graphml> element")
	}
	if graphs == 0 {
		return nil, parseErr(file, 0, "no <graph> element")
	}
	return doc, nil
}

// attrs maps the attr.name of each data element to its text, keeping only
// keys declared for the given kind of element.
func (doc *gmlDoc) attrs(data []gmlData, kind string) map[string]string {
	m := make(map[string]string, len(data))
	for _, d := range data {
		k, ok := doc.keys[d.Key]
		if ok && (k.domain == kind || k.domain == "all" || k.domain == "") {
			m[k.name] = d.Value
		}
	}
	return m
}

// gmlCoord reads a node's position; a node without both is not an error.
func gmlCoord(attrs map[string]string) (coord, error) {
	lat, lon := strings.TrimSpace(attrs["Latitude"]), strings.TrimSpace(attrs["Longitude"])
	if lat == "" || lon == "" {
		return coord{}, nil
	}
	var c coord
	var err error
	if c.lat, err = parseFinite(lat); err != nil {
		return coord{}, errors.New("Latitude: " + err.Error())
	}
	if c.lon, err = parseFinite(lon); err != nil {
		return coord{}, errors.New("Longitude: " + err.Error())
	}
	if !c.valid() {
		return coord{}, errors.New("Latitude/Longitude " + lat + "/" + lon + " out of range")
	}
	c.ok = true
	return c, nil
}

func attr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// xmlError turns a decoder error into a ParseError with the best line known.
func xmlError(file string, d *xml.Decoder, err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return parseErr(file, se.Line, "%s", strings.TrimPrefix(se.Msg, "xml: "))
	}
	line, _ := d.InputPos()
	return &ParseError{File: file, Line: line, Err: err}
}
