package alto

import (
	"strconv"

	"github.com/altosdn/altosdn/topology"
)

// Private endpoint properties of the endpoint's attachment node (the node
// originating the longest prefix that covers the endpoint).
const (
	PropNodeName = "priv:altosdn-node-name"
	PropAS       = "priv:altosdn-as"
	PropRouterID = "priv:altosdn-router-id"
)

// pidProperty is the resource-specific property naming an endpoint's PID
// in the network map (RFC 7285 §7.1.1).
func (c Config) pidProperty() string { return c.NetworkMap.ResourceID + ".pid" }

func (c Config) propTypes() []string {
	return []string{c.pidProperty(), PropNodeName, PropAS, PropRouterID}
}

// nodeProperty returns a node's value for a private property; false when
// the node has none.
func nodeProperty(n *topology.Node, prop string) (string, bool) {
	switch prop {
	case PropNodeName:
		return n.Name, n.Name != ""
	case PropAS:
		return strconv.FormatUint(uint64(n.Key.AS), 10), n.Key.AS != 0
	case PropRouterID:
		if n.RouterIDv4.IsValid() {
			return n.RouterIDv4.String(), true
		}
		if n.RouterIDv6.IsValid() {
			return n.RouterIDv6.String(), true
		}
	}
	return "", false
}
