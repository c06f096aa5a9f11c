package alto

import (
	"encoding/json"
	"fmt"
	"slices"
)

// ResourceKind is the kind of service an information resource provides.
type ResourceKind int

// Resource kinds served today. Filtered maps and the endpoint services
// extend this list.
const (
	KindNetworkMap ResourceKind = iota + 1
	KindCostMap
)

// Resource describes one information resource the server offers; transports
// give it a URI and list it in the directory.
type Resource struct {
	ID        string
	Kind      ResourceKind
	MediaType string
	Accepts   string     // request media type; empty for GET resources
	CostTypes []CostType // for cost resources
	Uses      []string
}

// Resources lists every resource the configuration yields, network map first.
func (c Config) Resources() []Resource {
	nm := c.NetworkMap.ResourceID
	rs := []Resource{{ID: nm, Kind: KindNetworkMap, MediaType: MediaTypeNetworkMap}}
	for _, ct := range c.CostTypes {
		rs = append(rs, Resource{
			ID: ct.resourceID(), Kind: KindCostMap, MediaType: MediaTypeCostMap,
			CostTypes: []CostType{ct}, Uses: []string{nm},
		})
	}
	return rs
}

// Directory is an information resource directory (RFC 7285 §9).
type Directory struct {
	Meta      DirectoryMeta             `json:"meta"`
	Resources map[string]DirectoryEntry `json:"resources"`
}

// DirectoryMeta is the IRD's meta member.
type DirectoryMeta struct {
	CostTypes         map[string]CostType `json:"cost-types,omitempty"`
	DefaultNetworkMap string              `json:"default-alto-network-map"`
}

// DirectoryEntry is one IRD resource entry.
type DirectoryEntry struct {
	URI          string        `json:"uri"`
	MediaType    string        `json:"media-type"`
	Accepts      string        `json:"accepts,omitempty"`
	Capabilities *Capabilities `json:"capabilities,omitempty"`
	Uses         []string      `json:"uses,omitempty"`
}

// Capabilities are a resource's IRD capabilities.
type Capabilities struct {
	CostTypeNames []string `json:"cost-type-names,omitempty"`
}

// NewDirectory builds the IRD for resources, with uri giving each one's
// URI, and returns it encoded. It fails when a resource ID is invalid or
// repeated, or a `uses` entry does not resolve: a server must not advertise
// a dependency graph its clients cannot follow.
func NewDirectory(resources []Resource, defaultNetworkMap string, uri func(Resource) string) (*Directory, *Encoded, error) {
	d := &Directory{
		Meta:      DirectoryMeta{CostTypes: map[string]CostType{}, DefaultNetworkMap: defaultNetworkMap},
		Resources: map[string]DirectoryEntry{},
	}
	for _, r := range resources {
		if !ValidResourceID(r.ID) {
			return nil, nil, fmt.Errorf("alto: directory: invalid resource id %q", r.ID)
		}
		if _, dup := d.Resources[r.ID]; dup {
			return nil, nil, fmt.Errorf("alto: directory: resource id %q used twice", r.ID)
		}
		e := DirectoryEntry{URI: uri(r), MediaType: r.MediaType, Accepts: r.Accepts, Uses: r.Uses}
		if len(r.CostTypes) > 0 {
			e.Capabilities = &Capabilities{}
			for _, ct := range r.CostTypes {
				name := ct.name()
				d.Meta.CostTypes[name] = CostType{Metric: ct.Metric, Mode: ct.Mode, Description: ct.Description}
				e.Capabilities.CostTypeNames = append(e.Capabilities.CostTypeNames, name)
			}
		}
		d.Resources[r.ID] = e
	}
	for id, e := range d.Resources {
		for _, u := range e.Uses {
			if _, ok := d.Resources[u]; !ok {
				return nil, nil, fmt.Errorf("alto: directory: resource %q uses unknown resource %q", id, u)
			}
		}
	}
	if e, ok := d.Resources[defaultNetworkMap]; !ok || e.MediaType != MediaTypeNetworkMap {
		return nil, nil, fmt.Errorf("alto: directory: default network map %q is not a network map resource", defaultNetworkMap)
	}
	if len(d.Meta.CostTypes) == 0 {
		d.Meta.CostTypes = nil
	}
	body, err := json.Marshal(d)
	if err != nil {
		return nil, nil, fmt.Errorf("alto: directory: %w", err)
	}
	return d, newEncoded(MediaTypeDirectory, body), nil
}

// ResourceIDs returns the directory's resource IDs in sorted order.
func (d *Directory) ResourceIDs() []string {
	ids := make([]string, 0, len(d.Resources))
	for id := range d.Resources {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
