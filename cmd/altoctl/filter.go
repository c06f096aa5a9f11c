package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/altosdn/altosdn/alto"
)

var cmdFilter = &command{
	name:    "filter",
	args:    "networkmap|costmap",
	minArgs: 1, maxArgs: 1,
	summary: "query a filtered network map or cost map (RFC 7285 §11.3)",
	about: `filter networkmap asks for some PIDs (-pids, default all) and address
types (-types, default all). filter costmap asks for the costs of one cost
type (-metric, -mode) from some PIDs to others (-src, -dst; default all),
optionally under constraints such as "le 20" (-constraint, repeatable, when
the resource offers cost-constraints). The resource is found in the
directory by its media type, what it accepts, and its cost types; -id names
one instead.

Examples:
  altoctl filter networkmap -pids r1,r2
  altoctl filter costmap -metric hopcount -src r1 -dst r2,r3 -o matrix
  altoctl filter costmap -constraint "le 20" -constraint "ge 5"`,
	setup: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		id := fs.String("id", "", "resource ID of the filtered resource (default: found in the directory)")
		pids := listFlag(fs, "pids", "networkmap: PIDs to return, comma-separated (default all)")
		types := listFlag(fs, "types", "networkmap: address types to return, e.g. ipv4 (default all)")
		ct := costTypeFlags(fs)
		srcs := listFlag(fs, "src", "costmap: source PIDs, comma-separated (default all)")
		dsts := listFlag(fs, "dst", "costmap: destination PIDs, comma-separated (default all)")
		constraints := repeatFlag(fs, "constraint", `costmap: a constraint such as "le 20"; repeat for several (all must hold)`)
		out := outputFlag(fs, "table", "matrix", "json")
		return func(ctx context.Context, e *env, args []string) error {
			ctx, cancel := e.withTimeout(ctx)
			defer cancel()
			c := e.http()
			d, err := c.directory(ctx)
			if err != nil {
				return err
			}
			switch args[0] {
			case "networkmap":
				if out.value == "matrix" {
					return fmt.Errorf("-o matrix is for cost maps")
				}
				r, err := pick(d, *id, alto.MediaTypeNetworkMap, alto.MediaTypeNetworkMapFilter, nil, "filtered network map")
				if err != nil {
					return err
				}
				req := map[string]any{"pids": nonNil(*pids)}
				if len(*types) > 0 {
					req["address-types"] = *types
				}
				raw, err := c.post(ctx, r.URL, alto.MediaTypeNetworkMap, alto.MediaTypeNetworkMapFilter, req)
				if err != nil {
					return err
				}
				return printNetworkMap(e.stdout, raw, out)
			case "costmap":
				r, err := pick(d, *id, alto.MediaTypeCostMap, alto.MediaTypeCostMapFilter, ct, "filtered cost map")
				if err != nil {
					return err
				}
				if len(*constraints) > 0 && !r.CostConstraints {
					return fmt.Errorf("resource %s does not accept constraints (no cost-constraints capability)", r.ID)
				}
				req := map[string]any{"cost-type": map[string]string{"cost-metric": ct.Metric, "cost-mode": ct.Mode}}
				if len(*srcs) > 0 || len(*dsts) > 0 {
					req["pids"] = map[string][]string{"srcs": nonNil(*srcs), "dsts": nonNil(*dsts)}
				}
				if len(*constraints) > 0 {
					req["constraints"] = *constraints
				}
				raw, err := c.post(ctx, r.URL, alto.MediaTypeCostMap, alto.MediaTypeCostMapFilter, req)
				if err != nil {
					return err
				}
				return printCostMap(e.stdout, raw, out)
			}
			return fmt.Errorf("filter: unknown map %q (want networkmap or costmap)", args[0])
		}
	},
}

// pick returns the resource named by id, or else the one the directory
// offers for the media types and cost type.
func pick(d *directory, id, mediaType, accepts string, ct *alto.CostType, what string) (*resource, error) {
	if id != "" {
		r, err := d.byID(id, mediaType, accepts)
		if err != nil {
			return nil, err
		}
		if ct != nil && len(r.CostTypes) > 0 {
			for _, t := range r.CostTypes {
				if t.Metric == ct.Metric && t.Mode == ct.Mode {
					return r, nil
				}
			}
			return nil, fmt.Errorf("resource %s does not offer cost type %s/%s", id, ct.Metric, ct.Mode)
		}
		return r, nil
	}
	return d.find(mediaType, accepts, ct, what)
}

// listFlag declares a comma-separated list flag.
func listFlag(fs *flag.FlagSet, name, usage string) *[]string {
	var v []string
	fs.Func(name, usage, func(s string) error {
		for _, x := range strings.Split(s, ",") {
			if x = strings.TrimSpace(x); x != "" {
				v = append(v, x)
			}
		}
		return nil
	})
	return &v
}

// repeatFlag declares a flag that may be given several times.
func repeatFlag(fs *flag.FlagSet, name, usage string) *[]string {
	var v []string
	fs.Func(name, usage, func(s string) error { v = append(v, s); return nil })
	return &v
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
