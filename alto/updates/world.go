package updates

import (
	"net/netip"
	"strings"

	"github.com/altosdn/altosdn/alto"
)

// A world is one consistent version of every resource: what the hub diffs
// from one map change to the next. In the daemon it is an [alto.Maps]; the
// RFC example tests supply the RFC's documents instead.
type world interface {
	// document returns the GET resource's current document.
	document(res alto.Resource) (*doc, bool)
	// query answers a POST resource's request.
	query(res alto.Resource, input []byte, remote netip.Addr) ([]byte, error)
}

// doc is one version of one resource as clients receive it in a full
// replacement. Its body is shared and never modified.
type doc struct {
	mediaType string
	tag       string // the vtag for a network map; a content hash otherwise
	body      []byte
	// cost and pids are set for full cost maps, which are patched from
	// their matrices rather than from their JSON.
	cost *alto.CostMap
	nm   *alto.NetworkMap
}

// mapsWorld serves the resources of computed maps.
type mapsWorld struct {
	m      *alto.Maps
	limits alto.Limits
}

func (w mapsWorld) document(res alto.Resource) (*doc, bool) {
	switch res.Kind {
	case alto.KindNetworkMap:
		nm := w.m.NetworkMap
		return &doc{mediaType: res.MediaType, tag: nm.Tag, body: nm.Response.Body}, true
	case alto.KindCostMap:
		cm, ok := w.m.CostMap(res.ID)
		if !ok {
			return nil, false
		}
		return &doc{mediaType: res.MediaType, tag: cm.Response.Tag, body: cm.Response.Body, cost: cm, nm: w.m.NetworkMap}, true
	}
	return nil, false
}

func (w mapsWorld) query(res alto.Resource, input []byte, remote netip.Addr) ([]byte, error) {
	return w.m.Query(res, input, remote, w.limits)
}

// isPOST reports whether a resource takes an input.
func isPOST(r alto.Resource) bool { return r.Accepts != "" }

// item is how one resource changed in one map change.
type item struct {
	// fromTag is the version the patch applies to ("" for a resource the
	// previous version lacked). Only the tag is kept, so that queued
	// changes do not hold previous versions in memory.
	fromTag string
	to      *doc
	patch   *patch // nil: only a full replacement will do
}

// size is what sending the change costs at best.
func (it *item) size() int {
	if it.patch != nil {
		return len(it.patch.data)
	}
	return len(it.to.body)
}

// diffItem compares two versions of a resource. It returns nil when the
// content did not change (equal tags): unchanged content sends no event.
func diffItem(res alto.Resource, from, to *doc) *item {
	if from != nil && from.tag == to.tag {
		return nil
	}
	it := &item{to: to}
	if from != nil {
		it.fromTag = from.tag
	}
	switch {
	case from == nil:
	case from.cost != nil && to.cost != nil:
		// A network map whose PIDs changed re-indexes every cost: the map
		// is replaced whole.
		if samePIDs(from.nm, to.nm) {
			if p := diffCostMaps(from.cost, to.cost, to.nm.PIDs, len(to.body)); p != nil {
				it.patch = &patch{alto.MediaTypeMergePatch, p}
			}
		}
	default:
		it.patch = diffDocuments(from.body, to.body, strings.Contains(alto.IncrementalMediaTypes(res), alto.MediaTypeJSONPatch))
	}
	return it
}
