package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/altosdn/altosdn/alto"
)

var cmdCostMap = &command{
	name:    "costmap",
	summary: "show a full cost map (choose it with -metric and -mode, or -id)",
	about: `Output as a table of PID pairs, as a source × destination matrix ("-" where
no cost is defined), or as the server's JSON.`,
	setup: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		id := fs.String("id", "", "resource ID (default: the full cost map of -metric and -mode)")
		ct := costTypeFlags(fs)
		out := outputFlag(fs, "table", "matrix", "json")
		return func(ctx context.Context, e *env, _ []string) error {
			ctx, cancel := e.withTimeout(ctx)
			defer cancel()
			c := e.http()
			d, err := c.directory(ctx)
			if err != nil {
				return err
			}
			var r *resource
			if *id != "" {
				r, err = d.byID(*id, alto.MediaTypeCostMap, "")
			} else {
				r, err = d.find(alto.MediaTypeCostMap, "", ct, "full cost map")
			}
			if err != nil {
				return err
			}
			raw, err := c.get(ctx, r.URL, alto.MediaTypeCostMap)
			if err != nil {
				return err
			}
			return printCostMap(e.stdout, raw, out)
		}
	},
}

// costTypeFlags declares -metric and -mode.
func costTypeFlags(fs *flag.FlagSet) *alto.CostType {
	ct := &alto.CostType{}
	fs.StringVar(&ct.Metric, "metric", alto.MetricRoutingCost, "cost metric, e.g. routingcost, hopcount")
	fs.StringVar(&ct.Mode, "mode", alto.ModeNumerical, "cost mode: numerical or ordinal")
	return ct
}

// costMapBody is an RFC 7285 cost map response.
type costMapBody struct {
	Meta struct {
		Dependent []alto.VersionTag `json:"dependent-vtags"`
		CostType  alto.CostType     `json:"cost-type"`
	} `json:"meta"`
	Map costs `json:"cost-map"`
}

func printCostMap(w io.Writer, raw []byte, out *output) error {
	if out.json() {
		return writeJSON(w, raw)
	}
	var cm costMapBody
	if err := json.Unmarshal(raw, &cm); err != nil {
		return fmt.Errorf("decode cost map: %w", err)
	}
	cm.Map.print(w, out.value, "src", "dst")
	fmt.Fprintf(w, "\ncost type: %s %s", cm.Meta.CostType.Metric, cm.Meta.CostType.Mode)
	for _, v := range cm.Meta.Dependent {
		fmt.Fprintf(w, "; depends on %s %s", v.ResourceID, v.Tag)
	}
	fmt.Fprintln(w)
	return nil
}
