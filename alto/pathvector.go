package alto

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/altosdn/altosdn/topology"
	"github.com/altosdn/altosdn/topology/spf"
)

// Path vector (RFC 9275). A pair's cost is the list of abstract network
// elements (ANEs) its traffic crosses: here, the links of its IGP shortest
// path. Where several paths tie, one is chosen deterministically: walking
// back from the destination, the equal-cost link with the lowest link ID at
// each hop. A PID's path starts at its first attachment node.

// Path vector identifiers.
const (
	MetricANEPath = "ane-path"
	ModeArray     = "array"

	// ANE properties (RFC 9275 §6.4).
	PropMaxReservableBandwidth = "max-reservable-bandwidth"
	PropPersistentEntityID     = "persistent-entity-id"

	MediaTypePropMap = "application/alto-propmap+json"
)

// PathVectorType is the path vector cost type.
var PathVectorType = CostType{Metric: MetricANEPath, Mode: ModeArray}

// PathVectorConfig configures the path vector resources.
type PathVectorConfig struct {
	// Enabled offers the path vector resources.
	Enabled bool `yaml:"enabled"`
	// ExposeLinkNames names ANEs after the nodes a link joins
	// ("nyc--chi"). Off, ANE names are opaque hashes of the link's
	// identity: stable, but they reveal no names or addresses.
	ExposeLinkNames bool `yaml:"expose_link_names"`
}

// multipartMediaType is a multipart/related resource's media type.
func multipartMediaType(root string) string { return "multipart/related; type=" + root }

// aneName names the ANE of link l, stably across recomputations.
func aneName(l *topology.Link, g *topology.Graph, expose bool) string {
	if expose {
		from, to := l.Key.Local, l.Key.Remote
		if i, ok := g.NodeIndex(from); ok && g.Node(i).Name != "" {
			from = topology.NodeID(g.Node(i).Name)
		}
		if i, ok := g.NodeIndex(to); ok && g.Node(i).Name != "" {
			to = topology.NodeID(g.Node(i).Name)
		}
		f, t := SanitizePIDName(string(from)), SanitizePIDName(string(to))
		if f != "" && t != "" {
			return f[:min(len(f), 31)] + "--" + t[:min(len(t), 31)]
		}
	}
	sum := sha256.Sum256([]byte(l.ID))
	return "L" + hex.EncodeToString(sum[:8])
}

// pvQuery is a parsed path vector request.
type pvQuery struct {
	props []string
}

func parsePVQuery(req object, res Resource) (*pvQuery, error) {
	if _, ok := member(req, "multi-cost-types"); ok {
		return nil, invalid("multi-cost-types", "", "this resource is not multi-cost (max-cost-types is 0)")
	}
	for _, f := range []string{"constraints", "or-constraints", "testable-cost-types"} {
		if _, ok := member(req, f); ok {
			return nil, invalid(f, "", "path vector costs cannot be tested (RFC 9275 §6.5)")
		}
	}
	v, ok := member(req, "cost-type")
	if !ok {
		return nil, missing("cost-type")
	}
	ct, err := decodeCostType(v, "cost-type")
	if err != nil {
		return nil, err
	}
	if err := offered(res, ct, "cost-type", true); err != nil {
		return nil, err
	}
	props, _, err := getStrings(req, "ane-property-names", "", false)
	if err != nil {
		return nil, err
	}
	props = dedupe(props)
	for _, p := range props {
		if !slices.Contains(res.PropTypes, p) {
			return nil, invalid("ane-property-names", p, "ANE property not offered by this resource")
		}
	}
	return &pvQuery{props: props}, nil
}

// pvBuilder collects the paths of one response and the ANEs they name.
type pvBuilder struct {
	m       *Maps
	expose  bool
	solver  *spf.Solver
	trees   map[int32][]int32 // source node -> chosen predecessor link per node (-1: none)
	anes    map[string]int    // ANE name -> link index
	aneList []string
}

func newPVBuilder(m *Maps, expose bool) *pvBuilder {
	return &pvBuilder{m: m, expose: expose, trees: map[int32][]int32{}, anes: map[string]int{}}
}

// path returns the ANE names from PID a to PID b, or false when there is no
// path (or a PID has no attachment node).
func (p *pvBuilder) path(a, b int) ([]string, bool) {
	pids := p.m.NetworkMap.PIDs
	if len(pids[a].Nodes) == 0 || len(pids[b].Nodes) == 0 {
		return nil, false
	}
	src, dst := pids[a].Nodes[0], pids[b].Nodes[0]
	pred, ok := p.trees[src]
	if !ok {
		if p.solver == nil {
			p.solver = spf.NewSolver(p.m.graph, spf.MetricWeight(topology.MetricIGP))
		}
		t := p.solver.Run(int(src))
		g := p.m.graph
		pred = make([]int32, g.NumNodes())
		for v := range pred {
			pred[v] = -1
			if ls := t.PredLinks(v); len(ls) > 0 {
				pred[v] = lowestID(g, ls)
			}
		}
		p.trees[src] = pred
	}
	if src == dst {
		return []string{}, true
	}
	var links []int32
	for v := dst; v != src; {
		l := pred[v]
		if l < 0 {
			return nil, false
		}
		links = append(links, l)
		from, _ := p.m.graph.LinkEnds(int(l))
		v = int32(from)
	}
	names := make([]string, len(links))
	for i := range links {
		l := links[len(links)-1-i]
		n := aneName(p.m.graph.Link(int(l)), p.m.graph, p.expose)
		if _, seen := p.anes[n]; !seen {
			p.anes[n] = int(l)
			p.aneList = append(p.aneList, n)
		}
		names[i] = n
	}
	return names, true
}

func lowestID(g *topology.Graph, ls []int32) int32 {
	best := ls[0]
	for _, l := range ls[1:] {
		if g.Link(int(l)).ID < g.Link(int(best)).ID {
			best = l
		}
	}
	return best
}

// propertyMap renders the ANE property map part.
func (p *pvBuilder) propertyMap(props []string, dependsOn VersionTag) ([]byte, error) {
	pm := map[string]map[string]any{}
	for _, n := range p.aneList {
		vals := map[string]any{}
		for _, prop := range props {
			switch prop {
			case PropMaxReservableBandwidth:
				if v, ok := p.m.graph.Link(p.anes[n]).Metrics.Get(topology.MetricMaxReservableBandwidth); ok {
					vals[prop] = v // bits/s, as RFC 9275 §6.4.1 defines it
				}
			case PropPersistentEntityID:
				// The same link in the property map's self-defined domain.
				vals[prop] = PropertyMapID + "." + DomainANE[1:] + ":" + n
			}
		}
		pm[".ane:"+n] = vals
	}
	out := struct {
		Meta struct {
			DependentVTags []VersionTag `json:"dependent-vtags"`
		} `json:"meta"`
		PropertyMap map[string]map[string]any `json:"property-map"`
	}{PropertyMap: pm}
	out.Meta.DependentVTags = []VersionTag{dependsOn}
	return json.Marshal(out)
}

// Multipart is a multipart/related response (RFC 2387) of two parts.
type Multipart struct {
	ContentType string // with boundary, type and start
	Body        []byte
}

func newMultipart(rootType string, parts [][3]string) Multipart {
	// The boundary is derived from the parts, so it cannot occur in them
	// unless a part quotes its own hash.
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p[2]))
	}
	boundary := "alto-" + hex.EncodeToString(h.Sum(nil)[:12])
	var b bytes.Buffer
	for _, p := range parts { // [content-id, content-type, body]
		fmt.Fprintf(&b, "--%s\r\nContent-ID: <%s>\r\nContent-Type: %s\r\n\r\n%s\r\n", boundary, p[0], p[1], p[2])
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return Multipart{
		ContentType: fmt.Sprintf("multipart/related; boundary=%s; type=%q; start=%q", boundary, rootType, "<"+parts[0][0]+">"),
		Body:        b.Bytes(),
	}
}

// contentID names a part: "<part>@<resource>" keeps it unique per resource
// without inventing a domain name.
func contentID(resourceID, part string) string { return part + "@" + resourceID }

// PathVectorEndpointCost answers a path vector ECS request (RFC 9275 §7.3).
func (m *Maps) PathVectorEndpointCost(res Resource, body []byte, client netip.Addr, limits Limits, expose bool) (Multipart, error) {
	req, err := decodeRequest(body)
	if err != nil {
		return Multipart{}, err
	}
	q, err := parsePVQuery(req, res)
	if err != nil {
		return Multipart{}, err
	}
	srcs, dsts, err := endpointLists(req, client, limits)
	if err != nil {
		return Multipart{}, err
	}
	pv := newPVBuilder(m, expose)
	costs := map[string]map[string][]string{}
	for _, s := range srcs {
		a, ok := m.pidLPM.Lookup(s.addr)
		if !ok {
			continue
		}
		for _, d := range dsts {
			b, ok := m.pidLPM.Lookup(d.addr)
			if !ok {
				continue
			}
			if path, ok := pv.path(int(a), int(b)); ok {
				if costs[s.text] == nil {
					costs[s.text] = map[string][]string{}
				}
				costs[s.text][d.text] = path
			}
		}
	}
	return m.pvResponse(res, pv, q, "ecs", MediaTypeEndpointCost, "endpoint-cost-map", costs, false)
}

// PathVectorCostMap answers a path vector filtered cost map request (RFC
// 9275 §7.2).
func (m *Maps) PathVectorCostMap(res Resource, body []byte, limits Limits, expose bool) (Multipart, error) {
	req, err := decodeRequest(body)
	if err != nil {
		return Multipart{}, err
	}
	q, err := parsePVQuery(req, res)
	if err != nil {
		return Multipart{}, err
	}
	nm := m.NetworkMap
	srcs, dsts, err := pidFilter(nm, req, limits)
	if err != nil {
		return Multipart{}, err
	}
	pv := newPVBuilder(m, expose)
	costs := map[string]map[string][]string{}
	for _, a := range srcs {
		for _, b := range dsts {
			if path, ok := pv.path(a, b); ok {
				if costs[nm.PIDs[a].Name] == nil {
					costs[nm.PIDs[a].Name] = map[string][]string{}
				}
				costs[nm.PIDs[a].Name][nm.PIDs[b].Name] = path
			}
		}
	}
	return m.pvResponse(res, pv, q, "costmap", MediaTypeCostMap, "cost-map", costs, true)
}

// pvResponse assembles the two parts: the path costs, whose vtag names the
// part as "<resource>.<part>" (RFC 9275 §6.6), and the ANE property map
// that depends on it.
func (m *Maps) pvResponse(res Resource, pv *pvBuilder, q *pvQuery, part, mediaType, member string, costs map[string]map[string][]string, dependsOnMap bool) (Multipart, error) {
	type meta struct {
		VTag           VersionTag   `json:"vtag"`
		DependentVTags []VersionTag `json:"dependent-vtags,omitempty"`
		CostType       CostType     `json:"cost-type"`
	}
	var first struct {
		Meta meta `json:"meta"`
	}
	first.Meta.CostType = PathVectorType
	if dependsOnMap {
		first.Meta.DependentVTags = []VersionTag{m.NetworkMap.VersionTag()}
	}
	data, err := json.Marshal(costs)
	if err != nil {
		return Multipart{}, fmt.Errorf("alto: encode path vectors: %w", err)
	}
	first.Meta.VTag = VersionTag{ResourceID: res.ID + "." + part, Tag: contentTag(data)}
	metaJSON, err := json.Marshal(first)
	if err != nil {
		return Multipart{}, fmt.Errorf("alto: encode path vectors: %w", err)
	}
	costPart := strings.TrimSuffix(string(metaJSON), "}") + `,"` + member + `":` + string(data) + "}"
	props, err := pv.propertyMap(q.props, first.Meta.VTag)
	if err != nil {
		return Multipart{}, fmt.Errorf("alto: encode ANE properties: %w", err)
	}
	return newMultipart(mediaType, [][3]string{
		{contentID(res.ID, part), mediaType, costPart},
		{contentID(res.ID, "propmap"), MediaTypePropMap, string(props)},
	}), nil
}
