// Package discovery finds ALTO servers through the DNS: RFC 7286 (a
// U-NAPTR lookup of a domain name for the ALTO:https and ALTO:http
// services) and RFC 8686 (cross-domain discovery from an IP address or
// prefix through the reverse-DNS tree).
//
// It is the only package that imports the DNS library. It speaks to the
// name servers it is given (by default those of /etc/resolv.conf) and keeps
// no state between lookups; a [Resolver] may be used concurrently.
//
// # U-NAPTR processing
//
// Records are taken in NAPTR order, then preference. A record whose service
// field offers none of the wanted services is ignored, and so is one whose
// URI's scheme is not among the protocols it names. A terminal record (flag
// "u") gives a URI through its substitution expression, applied to the
// name looked up. A non-terminal record (empty flags) names the next domain
// to look up; chains are followed up to MaxChain links, and a chain that
// comes back to a name it passed through is reported as a loop and
// abandoned. Other flags are not U-NAPTR and are ignored.
//
// # Errors
//
// A name without records, NXDOMAIN, or records of which none is usable,
// yield [ErrNotFound] with the reasons in the message. A server failure or
// a timeout with nothing found elsewhere yields [ErrTemporary]. Following
// RFC 8686, a failure at one reverse name never stops the lookup of the
// next.
package discovery
