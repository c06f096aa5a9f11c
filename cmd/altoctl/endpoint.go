package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/altosdn/altosdn/alto"
)

var cmdEndpointCost = &command{
	name:    "endpoint-cost",
	summary: "ask the endpoint cost service for costs between addresses (RFC 7285 §11.5)",
	about: `Addresses may be typed (ipv4:192.0.2.1, ipv6:2001:db8::1) or plain. An empty
-src (or -dst) asks for the costs from (to) the address the server sees the
request come from.

Example:
  altoctl endpoint-cost -src 192.0.2.1 -dst 198.51.100.7,203.0.113.9 -mode ordinal`,
	setup: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		id := fs.String("id", "", "resource ID (default: found in the directory by cost type)")
		ct := costTypeFlags(fs)
		srcs := listFlag(fs, "src", "source addresses, comma-separated")
		dsts := listFlag(fs, "dst", "destination addresses, comma-separated")
		constraints := repeatFlag(fs, "constraint", `a constraint such as "le 20"; repeat for several`)
		out := outputFlag(fs, "table", "matrix", "json")
		return func(ctx context.Context, e *env, _ []string) error {
			if len(*srcs) == 0 && len(*dsts) == 0 {
				return fmt.Errorf("give -src, -dst or both")
			}
			src, err := typedAddrs(*srcs)
			if err != nil {
				return err
			}
			dst, err := typedAddrs(*dsts)
			if err != nil {
				return err
			}
			ctx, cancel := e.withTimeout(ctx)
			defer cancel()
			c := e.http()
			d, err := c.directory(ctx)
			if err != nil {
				return err
			}
			r, err := pick(d, *id, alto.MediaTypeEndpointCost, alto.MediaTypeEndpointCostParams, ct, "endpoint cost service")
			if err != nil {
				return err
			}
			if len(*constraints) > 0 && !r.CostConstraints {
				return fmt.Errorf("resource %s does not accept constraints (no cost-constraints capability)", r.ID)
			}
			endpoints := map[string][]string{}
			if len(src) > 0 {
				endpoints["srcs"] = src
			}
			if len(dst) > 0 {
				endpoints["dsts"] = dst
			}
			req := map[string]any{
				"cost-type": map[string]string{"cost-metric": ct.Metric, "cost-mode": ct.Mode},
				"endpoints": endpoints,
			}
			if len(*constraints) > 0 {
				req["constraints"] = *constraints
			}
			raw, err := c.post(ctx, r.URL, alto.MediaTypeEndpointCost, alto.MediaTypeEndpointCostParams, req)
			if err != nil {
				return err
			}
			if out.json() {
				return writeJSON(e.stdout, raw)
			}
			var body struct {
				Meta struct {
					CostType alto.CostType `json:"cost-type"`
				} `json:"meta"`
				Map costs `json:"endpoint-cost-map"`
			}
			if err := json.Unmarshal(raw, &body); err != nil {
				return fmt.Errorf("decode endpoint cost map: %w", err)
			}
			body.Map.print(e.stdout, out.value, "source", "destination")
			fmt.Fprintf(e.stdout, "\ncost type: %s %s\n", body.Meta.CostType.Metric, body.Meta.CostType.Mode)
			return nil
		}
	},
}

var cmdEndpointProp = &command{
	name:    "endpoint-prop",
	args:    "ADDRESS...",
	minArgs: 1, maxArgs: -1,
	summary: "ask the endpoint property service for properties of addresses (RFC 7285 §11.4)",
	about: `-prop names the properties; "pid" stands for the PID in the default
network map (<network map>.pid). Addresses may be typed or plain.

Example:
  altoctl endpoint-prop 192.0.2.1 2001:db8::1`,
	setup: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		id := fs.String("id", "", "resource ID (default: found in the directory by property)")
		props := listFlag(fs, "prop", `properties, comma-separated (default "pid")`)
		out := outputFlag(fs, "table", "json")
		return func(ctx context.Context, e *env, args []string) error {
			addrs, err := typedAddrs(args)
			if err != nil {
				return err
			}
			ctx, cancel := e.withTimeout(ctx)
			defer cancel()
			c := e.http()
			d, err := c.directory(ctx)
			if err != nil {
				return err
			}
			want := *props
			if len(want) == 0 {
				want = []string{"pid"}
			}
			for i, p := range want {
				if p == "pid" {
					want[i] = d.DefaultNetworkMap + ".pid"
				}
			}
			r, err := findPropResource(d, *id, want)
			if err != nil {
				return err
			}
			req := map[string]any{"properties": want, "endpoints": addrs}
			raw, err := c.post(ctx, r.URL, alto.MediaTypeEndpointProp, alto.MediaTypeEndpointPropParams, req)
			if err != nil {
				return err
			}
			if out.json() {
				return writeJSON(e.stdout, raw)
			}
			var body struct {
				Props map[string]map[string]json.RawMessage `json:"endpoint-properties"`
			}
			if err := json.Unmarshal(raw, &body); err != nil {
				return fmt.Errorf("decode endpoint properties: %w", err)
			}
			tw := newTable(e.stdout)
			fmt.Fprintln(tw, "ENDPOINT\tPROPERTY\tVALUE")
			for _, a := range sortedKeys(body.Props) {
				for _, p := range sortedKeys(body.Props[a]) {
					v := body.Props[a][p]
					var s string
					if json.Unmarshal(v, &s) != nil {
						s = string(v)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\n", a, p, s)
				}
			}
			return tw.Flush()
		}
	},
}

// findPropResource picks the endpoint property resource that offers every
// wanted property.
func findPropResource(d *directory, id string, want []string) (*resource, error) {
	if id != "" {
		return d.byID(id, alto.MediaTypeEndpointProp, alto.MediaTypeEndpointPropParams)
	}
	for _, rid := range d.ids() {
		r := d.Resources[rid]
		if r.MediaType != alto.MediaTypeEndpointProp || r.Accepts != alto.MediaTypeEndpointPropParams {
			continue
		}
		if !slices.ContainsFunc(want, func(p string) bool { return !slices.Contains(r.PropTypes, p) }) {
			return r, nil
		}
	}
	return nil, fmt.Errorf("the directory offers no endpoint property service with %s", strings.Join(want, ", "))
}

// typedAddrs turns addresses into RFC 7285 typed endpoint addresses.
func typedAddrs(in []string) ([]string, error) {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if strings.HasPrefix(s, "ipv4:") || strings.HasPrefix(s, "ipv6:") {
			out = append(out, s)
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not an IP address", s)
		}
		if a.Is4() {
			out = append(out, "ipv4:"+a.String())
		} else {
			out = append(out, "ipv6:"+a.String())
		}
	}
	return out, nil
}
