// Package collectors defines the contract shared by every topology source:
// the static file, BGP-LS, gNMI telemetry and a controller's push.
//
// A collector translates its source into [topology.Update] values tagged
// with its own [topology.Source] and sends them to the store. Collectors
// never import the alto packages: data flows one way, from the network to
// the maps.
package collectors
