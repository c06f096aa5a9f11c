package alto

import (
	"net/netip"
)

// Accessors for the update stream service (alto/updates), which patches
// resources from their computed form rather than from their JSON.

// Row returns the costs from PID index src to every PID, NaN where no cost
// is defined. The slice is the map's own: callers must not modify it.
func (c *CostMap) Row(src int) []float64 {
	n := len(c.pids)
	return c.costs[src*n : (src+1)*n : (src+1)*n]
}

// AppendCost writes a cost as the cost map's JSON writes it, so a patch
// value and the full map agree byte for byte.
func AppendCost(b []byte, v float64) []byte { return appendCost(b, v) }

// AppendVersionTag writes a vtag as the encoded resources write it.
func AppendVersionTag(b []byte, v VersionTag) []byte { return appendVersionTag(b, v) }

// Query answers a POST request for one of the query resources (filtered
// maps, endpoint properties, endpoint costs); remote stands for the client
// in an endpoint cost request without sources or destinations.
func (m *Maps) Query(res Resource, body []byte, remote netip.Addr, limits Limits) ([]byte, error) {
	switch res.Kind {
	case KindFilteredNetworkMap:
		return m.FilteredNetworkMap(body, limits)
	case KindFilteredCostMap:
		return m.FilteredCostMap(res, body, limits)
	case KindEndpointProp:
		return m.EndpointProperties(res, body, limits)
	case KindEndpointCost:
		return m.EndpointCost(res, body, remote, limits)
	}
	return nil, ErrUnknownResource
}

// ContentTag is the tag a content hash gives body: the form of every vtag
// and entity tag this server makes.
func ContentTag(body []byte) string { return contentTag(body) }
