package alto

import "slices"

// Kinds of the property map resources (RFC 9240). They are numbered apart
// from the other kinds so that each list can grow on its own.
const (
	// KindPropertyMap is a full property map (GET).
	KindPropertyMap ResourceKind = 200 + iota
	// KindFilteredPropertyMap is a filtered property map (POST).
	KindFilteredPropertyMap
)

// IDs of the property map and calendar resources.
const (
	PropertyMapID          = "property-map"
	FilteredPropertyMapID  = "filtered-property-map"
	CalendarCostMapID      = "filtered-cost-map-calendar"
	CalendarEndpointCostID = "endpoint-cost-calendar"
)

// MediaTypePropMapParams is the filtered property map request (RFC 9240 §8.1).
const MediaTypePropMapParams = "application/alto-propmapparams+json"

// Entity domains of the property maps: addresses and prefixes, the PIDs of
// the network map ("<network map>.pid") and the ANEs, self-defined as in
// the path vector responses (RFC 9275 §6.2).
const (
	DomainIPv4 = "ipv4"
	DomainIPv6 = "ipv6"
	DomainANE  = ".ane"
)

// Properties derived from the topology. All are self-defined (RFC 9240
// §5.2.2) but max-reservable-bandwidth, registered by RFC 9275.
const (
	// PropASN is a PID's AS number, as a string, when its attachment
	// nodes share one.
	PropASN = ".asn"
	// PropNodeNames are the host names of a PID's attachment nodes.
	PropNodeNames = ".node-names"
	// PropRouterIDs are the IPv4 and IPv6 router-IDs of a PID's
	// attachment nodes.
	PropRouterIDs = ".router-ids"
	// PropCapacity is an ANE's (a link's) maximum bandwidth in bits/s.
	PropCapacity = ".capacity"
)

// derivedProperties are served from the topology; an inventory may not
// set them.
var derivedProperties = []string{PropASN, PropNodeNames, PropRouterIDs, PropCapacity, PropMaxReservableBandwidth}

// appendPlanningResources adds the property maps and the calendar
// resources the configuration enables.
func (c Config) appendPlanningResources(rs []Resource) []Resource {
	uses := []string{c.NetworkMap.ResourceID}
	if c.Planning.PropertyMap.Enabled {
		mappings := c.propertyMappings()
		rs = append(rs,
			Resource{ID: PropertyMapID, Kind: KindPropertyMap, MediaType: MediaTypePropMap, Uses: uses, Mappings: mappings},
			Resource{ID: FilteredPropertyMapID, Kind: KindFilteredPropertyMap, MediaType: MediaTypePropMap,
				Accepts: MediaTypePropMapParams, Uses: uses, Mappings: mappings},
		)
	}
	cal := c.calendarAttributes()
	if cal == nil {
		return rs
	}
	// Every cost type is offered, so that a multi-cost request can mix
	// calendared and current values; the calendar attributes say which
	// are calendared. Constraints are not offered: a calendared request's
	// are ignored (RFC 8896 §5).
	advertised := make([]CostType, len(c.CostTypes))
	for i, ct := range c.CostTypes {
		advertised[i] = ct.withContext()
	}
	return append(rs,
		Resource{ID: CalendarCostMapID, Kind: KindFilteredCostMap, MediaType: MediaTypeCostMap, Accepts: MediaTypeCostMapFilter,
			CostTypes: advertised, MaxCostTypes: len(advertised), Uses: uses, Calendar: cal},
		Resource{ID: CalendarEndpointCostID, Kind: KindEndpointCost, MediaType: MediaTypeEndpointCost, Accepts: MediaTypeEndpointCostParams,
			CostTypes: advertised, MaxCostTypes: len(advertised), Calendar: cal},
	)
}

// propertyMappings lists, per entity domain, the properties the property
// maps serve (the mappings capability, RFC 9240 §7.4).
func (c Config) propertyMappings() map[string][]string {
	var inv []string
	for _, p := range c.Planning.Inventory.Properties {
		inv = append(inv, inventoryPropertyName(p))
	}
	ip := append([]string{c.pidProperty()}, inv...)
	return map[string][]string{
		DomainIPv4:      ip,
		DomainIPv6:      slices.Clone(ip),
		c.pidProperty(): append([]string{PropASN, PropNodeNames, PropRouterIDs}, inv...),
		DomainANE:       append([]string{PropMaxReservableBandwidth, PropCapacity}, inv...),
	}
}

// addPlanningCapabilities fills in a directory entry's mappings and
// calendar-attributes.
func addPlanningCapabilities(e *DirectoryEntry, r Resource) {
	if len(r.Mappings) == 0 && r.Calendar == nil {
		return
	}
	if e.Capabilities == nil {
		e.Capabilities = &Capabilities{}
	}
	e.Capabilities.Mappings = r.Mappings
	if r.Calendar != nil {
		e.Capabilities.CalendarAttributes = []CalendarCapability{r.Calendar.capability()}
	}
}
