package alto

// Media types of RFC 7285 §8.3 and §11. They are sent exactly as written,
// with no charset parameter: JSON is UTF-8 by definition (RFC 8259) and some
// ALTO clients reject any parameter.
const (
	MediaTypeDirectory          = "application/alto-directory+json"
	MediaTypeNetworkMap         = "application/alto-networkmap+json"
	MediaTypeNetworkMapFilter   = "application/alto-networkmapfilter+json"
	MediaTypeCostMap            = "application/alto-costmap+json"
	MediaTypeCostMapFilter      = "application/alto-costmapfilter+json"
	MediaTypeEndpointProp       = "application/alto-endpointprop+json"
	MediaTypeEndpointPropParams = "application/alto-endpointpropparams+json"
	MediaTypeEndpointCost       = "application/alto-endpointcost+json"
	MediaTypeEndpointCostParams = "application/alto-endpointcostparams+json"
	MediaTypeError              = "application/alto-error+json"
)
