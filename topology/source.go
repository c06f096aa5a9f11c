package topology

// Source names the collector that contributed an element or a metric value,
// for example "static", "bgpls" or "gnmi". Each source owns its own
// contribution to the graph: a withdrawal or replacement from one source never
// removes what another source gave.
type Source string

// Well-known sources. Collectors may use other names.
const (
	SourceStatic     Source = "static"
	SourceBGPLS      Source = "bgpls"
	SourceGNMI       Source = "gnmi"
	SourceController Source = "controller"
)
