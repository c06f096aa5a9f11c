// Package inventory loads the operator's inventory of data-centre resources:
// properties such as cpu, ram, storage-capacity or site, attached to PIDs,
// to address prefixes or to abstract network elements (ANEs). The alto
// package serves them in RFC 9240 entity property maps.
//
// # File format
//
// The inventory is one YAML file with up to three sections, each mapping an
// entity to its properties:
//
//	pids:                      # PIDs of the network map, by name
//	  nyc:
//	    cpu: 512
//	    site: nyc-dc1
//	prefixes:                  # IPv4/IPv6 prefixes or single addresses
//	  192.0.2.0/24:
//	    site: dc21
//	  192.0.2.128/25:
//	    site: null             # no site here: stops inheritance (RFC 9240 §6.1.3)
//	  "2001:db8::/32":
//	    storage-capacity: 40000
//	anes:                      # abstract network elements, e.g. whole data centres
//	  dc21:
//	    cpu: 500
//
// Every property must be declared in [Config.Properties]: the set is fixed
// at startup because the server advertises it in its directory. Values are
// strings, numbers, booleans or null. A prefix must have its host bits
// clear; an address stands for its /32 or /128.
//
// # Reloading
//
// [Watcher.Run] polls the file. A changed file that parses replaces the
// inventory; one that does not is logged with the line and the field at
// fault, and the last good inventory stays in place. The package imports
// neither alto nor topology: it knows the RFC's name syntax, not its maps.
package inventory
