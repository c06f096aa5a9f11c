package alto

import (
	"encoding/json"
	"fmt"
	"slices"
)

// ResourceKind is the kind of service an information resource provides.
type ResourceKind int

// Resource kinds.
const (
	KindNetworkMap ResourceKind = iota + 1
	KindCostMap
	KindFilteredNetworkMap
	KindFilteredCostMap
	KindEndpointProp
	KindEndpointCost
	KindPathVectorCostMap
	KindPathVectorEndpointCost
)

// Resource describes one information resource the server offers; transports
// give it a URI and list it in the directory.
type Resource struct {
	ID        string
	Kind      ResourceKind
	MediaType string
	Accepts   string     // request media type; empty for GET resources
	CostTypes []CostType // for cost resources
	// Constraints is the cost-constraints capability: every cost type may
	// be tested in constraints (RFC 7285 §11.3.2.4).
	Constraints bool
	// MaxCostTypes > 0 makes the resource multi-cost (RFC 8189 §4.1).
	MaxCostTypes int
	// Testable lists the cost types constraints may test (RFC 8189); it
	// excludes Constraints.
	Testable  []CostType
	PropTypes []string // endpoint property types
	Uses      []string
	// Mappings are a property map's entity domains and their properties
	// (RFC 9240 §7.4); see propmap_ird.go.
	Mappings map[string][]string
	// Calendar is a cost resource's RFC 8896 calendar; see calendar.go.
	Calendar *CalendarAttributes
}

// IDs of the query resources. Each cost query service comes twice: once
// for RFC 7285 clients (one cost type, constraints on any of them) and once
// multi-cost (RFC 8189), where constraints may test the numerical types.
const (
	FilteredNetworkMapID = "filtered-network-map"
	FilteredCostMapID    = "filtered-cost-map"
	FilteredMultiCostID  = "filtered-multicost-map"
	EndpointPropID       = "endpoint-property"
	EndpointCostID       = "endpoint-cost"
	EndpointMultiCostID  = "endpoint-multicost"
	PathVectorCostMapID  = "filtered-cost-map-pv"
	PathVectorECSID      = "endpoint-cost-pv"
)

// Resources lists every resource the configuration yields, network map first.
func (c Config) Resources() []Resource {
	nm := c.NetworkMap.ResourceID
	uses := []string{nm}
	rs := []Resource{{ID: nm, Kind: KindNetworkMap, MediaType: MediaTypeNetworkMap}}
	advertised := make([]CostType, len(c.CostTypes))
	var testable []CostType
	for i, ct := range c.CostTypes {
		advertised[i] = ct.withContext()
		rs = append(rs, Resource{
			ID: ct.resourceID(), Kind: KindCostMap, MediaType: MediaTypeCostMap,
			CostTypes: []CostType{advertised[i]}, Uses: uses,
		})
		// Constraints on ranks mean little (RFC 7285 §11.3.2.3).
		if ct.Mode == ModeNumerical {
			testable = append(testable, advertised[i])
		}
	}
	rs = append(rs,
		Resource{ID: FilteredNetworkMapID, Kind: KindFilteredNetworkMap, MediaType: MediaTypeNetworkMap,
			Accepts: MediaTypeNetworkMapFilter, Uses: uses},
		Resource{ID: FilteredCostMapID, Kind: KindFilteredCostMap, MediaType: MediaTypeCostMap,
			Accepts: MediaTypeCostMapFilter, CostTypes: advertised, Constraints: true, Uses: uses},
		Resource{ID: FilteredMultiCostID, Kind: KindFilteredCostMap, MediaType: MediaTypeCostMap,
			Accepts: MediaTypeCostMapFilter, CostTypes: advertised, MaxCostTypes: len(advertised),
			Testable: testable, Uses: uses},
		Resource{ID: EndpointPropID, Kind: KindEndpointProp, MediaType: MediaTypeEndpointProp,
			Accepts: MediaTypeEndpointPropParams, PropTypes: c.propTypes()},
		Resource{ID: EndpointCostID, Kind: KindEndpointCost, MediaType: MediaTypeEndpointCost,
			Accepts: MediaTypeEndpointCostParams, CostTypes: advertised, Constraints: true},
		Resource{ID: EndpointMultiCostID, Kind: KindEndpointCost, MediaType: MediaTypeEndpointCost,
			Accepts: MediaTypeEndpointCostParams, CostTypes: advertised, MaxCostTypes: len(advertised),
			Testable: testable},
	)
	if c.PathVector.Enabled {
		pvProps := []string{PropMaxReservableBandwidth}
		pvUses, ecsUses := uses, []string(nil)
		if c.Planning.PropertyMap.Enabled {
			// The property map defines every link as a persistent ANE,
			// under the same names (RFC 9275 §6.4.2).
			pvProps = append(pvProps, PropPersistentEntityID)
			pvUses, ecsUses = []string{nm, PropertyMapID}, []string{PropertyMapID}
		}
		rs = append(rs,
			Resource{ID: PathVectorCostMapID, Kind: KindPathVectorCostMap, MediaType: multipartMediaType(MediaTypeCostMap),
				Accepts: MediaTypeCostMapFilter, CostTypes: []CostType{PathVectorType}, PropTypes: pvProps, Uses: pvUses},
			Resource{ID: PathVectorECSID, Kind: KindPathVectorEndpointCost, MediaType: multipartMediaType(MediaTypeEndpointCost),
				Accepts: MediaTypeEndpointCostParams, CostTypes: []CostType{PathVectorType}, PropTypes: pvProps, Uses: ecsUses},
		)
	}
	return appendUpdateResources(c.appendPlanningResources(rs))
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
	CostTypeNames         []string `json:"cost-type-names,omitempty"`
	CostConstraints       bool     `json:"cost-constraints,omitempty"`
	MaxCostTypes          int      `json:"max-cost-types,omitempty"`
	TestableCostTypeNames []string `json:"testable-cost-type-names,omitempty"`
	PropTypes             []string `json:"prop-types,omitempty"`
	ANEPropertyNames      []string `json:"ane-property-names,omitempty"` // RFC 9275 §7.2.4
	// RFC 8895 §6.3: the update stream service's capabilities.
	IncrementalChangeMediaTypes map[string]string `json:"incremental-change-media-types,omitempty"`
	SupportStreamControl        bool              `json:"support-stream-control,omitempty"`
	// RFC 9240 §7.4 and RFC 8896 §4.1: property maps and cost calendars.
	Mappings           map[string][]string  `json:"mappings,omitempty"`
	CalendarAttributes []CalendarCapability `json:"calendar-attributes,omitempty"`
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
	byID := make(map[string]Resource, len(resources))
	for _, r := range resources {
		byID[r.ID] = r
	}
	for _, r := range resources {
		if !ValidResourceID(r.ID) {
			return nil, nil, fmt.Errorf("alto: directory: invalid resource id %q", r.ID)
		}
		if _, dup := d.Resources[r.ID]; dup {
			return nil, nil, fmt.Errorf("alto: directory: resource id %q used twice", r.ID)
		}
		if r.Constraints && len(r.Testable) > 0 {
			return nil, nil, fmt.Errorf("alto: directory: %s: cost-constraints and testable-cost-type-names exclude each other (RFC 8189 §4.1)", r.ID)
		}
		e := DirectoryEntry{URI: uri(r), MediaType: r.MediaType, Accepts: r.Accepts, Uses: r.Uses}
		if len(r.CostTypes) > 0 || len(r.PropTypes) > 0 {
			e.Capabilities = &Capabilities{CostConstraints: r.Constraints, MaxCostTypes: r.MaxCostTypes, PropTypes: r.PropTypes}
			if r.Kind == KindPathVectorCostMap || r.Kind == KindPathVectorEndpointCost {
				e.Capabilities.PropTypes, e.Capabilities.ANEPropertyNames = nil, r.PropTypes
			}
		}
		addPlanningCapabilities(&e, r)
		addUpdateCapabilities(&e, r, byID)
		for _, ct := range r.CostTypes {
			name := ct.name()
			d.Meta.CostTypes[name] = ct
			e.Capabilities.CostTypeNames = append(e.Capabilities.CostTypeNames, name)
		}
		for _, ct := range r.Testable {
			if !slices.ContainsFunc(r.CostTypes, func(c CostType) bool { return c.Key() == ct.Key() }) {
				return nil, nil, fmt.Errorf("alto: directory: %s: testable cost type %s is not offered", r.ID, ct.Key())
			}
			e.Capabilities.TestableCostTypeNames = append(e.Capabilities.TestableCostTypeNames, ct.name())
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
