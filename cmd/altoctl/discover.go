package main

import (
	"context"
	"flag"
	"fmt"
	"net/netip"

	"github.com/altosdn/altosdn/alto/discovery"
)

var cmdDiscover = &command{
	name:    "discover",
	args:    "DOMAIN | ADDRESS | PREFIX",
	minArgs: 1, maxArgs: 1,
	summary: "find ALTO servers through the DNS (RFC 7286, RFC 8686)",
	about: `With a domain name, runs the RFC 7286 U-NAPTR lookup for the ALTO:https and
ALTO:http services (or -service). With an IP address or prefix, runs RFC
8686 cross-domain discovery through the reverse-DNS tree (/32, /24, /16, /8
for IPv4; /128, /64, /56, /48, /40, /32 for IPv6), with the ALTO:https
service unless -service says otherwise. Prints the directory URIs found, in
the order to try them; the first can be given to -server.

Examples:
  altoctl discover example.net
  altoctl discover -resolver 192.0.2.53:53 198.51.100.7
  altoctl -server "$(altoctl discover -o uri example.net | head -1)" ird`,
	setup: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		servers := listFlag(fs, "resolver", "name servers as host:port, comma-separated (default: /etc/resolv.conf)")
		services := listFlag(fs, "service", "U-NAPTR service parameters, e.g. ALTO:https (default: see above)")
		timeout := fs.Duration("dns-timeout", 0, "time limit of one DNS query (default 2s)")
		verbose := fs.Bool("v", false, "print each DNS step on stderr")
		out := outputFlag(fs, "table", "json", "uri")
		return func(ctx context.Context, e *env, args []string) error {
			r := &discovery.Resolver{Servers: *servers, Timeout: *timeout}
			if *verbose {
				r.Trace = func(format string, a ...any) { fmt.Fprintf(e.stderr, "discover: "+format+"\n", a...) }
			}
			ctx, cancel := e.withTimeout(ctx)
			defer cancel()
			query, method := args[0], "RFC 7286"
			var res []discovery.Result
			var err error
			if p, ok := parseAddrOrPrefix(query); ok {
				method = "RFC 8686"
				svc := discovery.ServiceHTTPS
				if len(*services) > 1 {
					return fmt.Errorf("-service: address lookups take one service parameter")
				} else if len(*services) == 1 {
					svc = (*services)[0]
				}
				res, err = r.LookupAddr(ctx, p, svc)
			} else {
				res, err = r.LookupDomain(ctx, query, *services...)
			}
			if err != nil {
				return err
			}
			switch out.value {
			case "json":
				return printJSON(e.stdout, struct {
					Query   string             `json:"query"`
					Method  string             `json:"method"`
					Results []discovery.Result `json:"results"`
				}{query, method, res})
			case "uri":
				for _, x := range res {
					fmt.Fprintln(e.stdout, x.URI)
				}
				return nil
			}
			tw := newTable(e.stdout)
			fmt.Fprintln(tw, "URI\tSERVICE\tORDER\tPREFERENCE\tFROM")
			for _, x := range res {
				fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", x.URI, x.Service, x.Order, x.Preference, x.Domain)
			}
			fmt.Fprintf(tw, "\n%s discovery for %s\n", method, query)
			return tw.Flush()
		}
	},
}

// parseAddrOrPrefix reads an IP address (as its host prefix) or a prefix.
func parseAddrOrPrefix(s string) (netip.Prefix, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return discovery.AddrPrefix(a), true
	}
	if p, err := netip.ParsePrefix(s); err == nil {
		return p, true
	}
	return netip.Prefix{}, false
}
