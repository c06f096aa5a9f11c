package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/altosdn/altosdn/alto"
)

func cmdIRD(ctx context.Context, c *client, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ird", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the directory as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *asJSON {
		var raw json.RawMessage
		if err := c.get(ctx, c.dirURL, alto.MediaTypeDirectory, &raw); err != nil {
			return err
		}
		return writeJSON(stdout, raw)
	}
	d, err := c.directory(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RESOURCE\tMEDIA TYPE\tCOST TYPES\tUSES\tURI")
	for _, id := range d.ResourceIDs() {
		e := d.Resources[id]
		var names []string
		if e.Capabilities != nil {
			names = e.Capabilities.CostTypeNames
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", id, e.MediaType, dash(names), dash(e.Uses), e.URI)
	}
	fmt.Fprintf(tw, "\ndefault network map: %s\n", d.Meta.DefaultNetworkMap)
	return tw.Flush()
}

func dash(xs []string) string {
	if len(xs) == 0 {
		return "-"
	}
	return strings.Join(xs, ",")
}

func cmdNetworkMap(ctx context.Context, c *client, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("networkmap", flag.ContinueOnError)
	fs.SetOutput(stderr)
	id := fs.String("id", "", "resource ID (default: the directory's default network map)")
	asJSON := fs.Bool("json", false, "print the response as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u, _, err := c.resource(ctx, func(d *alto.Directory) (string, error) {
		if *id != "" {
			return *id, nil
		}
		return d.Meta.DefaultNetworkMap, nil
	})
	if err != nil {
		return err
	}
	if *asJSON {
		var raw json.RawMessage
		if err := c.get(ctx, u, alto.MediaTypeNetworkMap, &raw); err != nil {
			return err
		}
		return writeJSON(stdout, raw)
	}
	var nm struct {
		Meta struct {
			VTag alto.VersionTag `json:"vtag"`
		} `json:"meta"`
		Map map[string]map[string][]string `json:"network-map"`
	}
	if err := c.get(ctx, u, alto.MediaTypeNetworkMap, &nm); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PID\tIPV4\tIPV6")
	for _, pid := range sortedKeys(nm.Map) {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", pid, dash(nm.Map[pid]["ipv4"]), dash(nm.Map[pid]["ipv6"]))
	}
	fmt.Fprintf(tw, "\nvtag: %s %s\n", nm.Meta.VTag.ResourceID, nm.Meta.VTag.Tag)
	return tw.Flush()
}

func cmdCostMap(ctx context.Context, c *client, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("costmap", flag.ContinueOnError)
	fs.SetOutput(stderr)
	id := fs.String("id", "", "resource ID (default: the full cost map of -metric and -mode)")
	metric := fs.String("metric", alto.MetricRoutingCost, "cost metric")
	mode := fs.String("mode", alto.ModeNumerical, "cost mode")
	format := fs.String("o", "table", "output: table, matrix or json")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u, _, err := c.resource(ctx, func(d *alto.Directory) (string, error) {
		if *id != "" {
			return *id, nil
		}
		return findCostMap(d, *metric, *mode)
	})
	if err != nil {
		return err
	}
	if *format == "json" {
		var raw json.RawMessage
		if err := c.get(ctx, u, alto.MediaTypeCostMap, &raw); err != nil {
			return err
		}
		return writeJSON(stdout, raw)
	}
	var cm struct {
		Meta struct {
			Dependent []alto.VersionTag `json:"dependent-vtags"`
			CostType  alto.CostType     `json:"cost-type"`
		} `json:"meta"`
		Map map[string]map[string]float64 `json:"cost-map"`
	}
	if err := c.get(ctx, u, alto.MediaTypeCostMap, &cm); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	switch *format {
	case "table":
		fmt.Fprintln(tw, "SRC\tDST\tCOST")
		for _, src := range sortedKeys(cm.Map) {
			for _, dst := range sortedKeys(cm.Map[src]) {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", src, dst, formatCost(cm.Map[src][dst]))
			}
		}
	case "matrix":
		pids := allPIDs(cm.Map)
		fmt.Fprintf(tw, "%s\\%s", "src", "dst")
		for _, d := range pids {
			fmt.Fprintf(tw, "\t%s", d)
		}
		fmt.Fprintln(tw)
		for _, s := range pids {
			fmt.Fprint(tw, s)
			for _, d := range pids {
				v, ok := cm.Map[s][d]
				cell := "-"
				if ok {
					cell = formatCost(v)
				}
				fmt.Fprintf(tw, "\t%s", cell)
			}
			fmt.Fprintln(tw)
		}
	default:
		return fmt.Errorf("-o: unknown output %q (want table, matrix or json)", *format)
	}
	fmt.Fprintf(tw, "\ncost type: %s %s", cm.Meta.CostType.Metric, cm.Meta.CostType.Mode)
	for _, v := range cm.Meta.Dependent {
		fmt.Fprintf(tw, "; depends on %s %s", v.ResourceID, v.Tag)
	}
	fmt.Fprintln(tw)
	return tw.Flush()
}

// findCostMap picks the full cost map (a GET resource) of a cost type.
func findCostMap(d *alto.Directory, metric, mode string) (string, error) {
	for _, id := range d.ResourceIDs() {
		e := d.Resources[id]
		if e.MediaType != alto.MediaTypeCostMap || e.Accepts != "" || e.Capabilities == nil {
			continue
		}
		for _, name := range e.Capabilities.CostTypeNames {
			if ct := d.Meta.CostTypes[name]; ct.Metric == metric && ct.Mode == mode {
				return id, nil
			}
		}
	}
	return "", fmt.Errorf("the directory offers no full cost map for %s/%s", metric, mode)
}

func formatCost(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func allPIDs(m map[string]map[string]float64) []string {
	set := map[string]bool{}
	for s, row := range m {
		set[s] = true
		for d := range row {
			set[d] = true
		}
	}
	return sortedKeys(set)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func writeJSON(w io.Writer, raw json.RawMessage) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return fmt.Errorf("indent: %w", err)
	}
	buf.WriteByte('\n')
	_, err := buf.WriteTo(w)
	return err
}
