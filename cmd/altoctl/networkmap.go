package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/altosdn/altosdn/alto"
)

var cmdNetworkMap = &command{
	name:    "networkmap",
	summary: "show a network map (default: the directory's default network map)",
	setup: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		id := fs.String("id", "", "resource ID (default: the directory's default network map)")
		out := outputFlag(fs, "table", "json")
		return func(ctx context.Context, e *env, _ []string) error {
			ctx, cancel := e.withTimeout(ctx)
			defer cancel()
			c := e.http()
			d, err := c.directory(ctx)
			if err != nil {
				return err
			}
			rid := *id
			if rid == "" {
				rid = d.DefaultNetworkMap
			}
			r, err := d.byID(rid, alto.MediaTypeNetworkMap, "")
			if err != nil {
				return err
			}
			raw, err := c.get(ctx, r.URL, alto.MediaTypeNetworkMap)
			if err != nil {
				return err
			}
			return printNetworkMap(e.stdout, raw, out)
		}
	},
}

// networkMapBody is an RFC 7285 network map response.
type networkMapBody struct {
	Meta struct {
		VTag alto.VersionTag `json:"vtag"`
	} `json:"meta"`
	Map map[string]map[string][]string `json:"network-map"`
}

func printNetworkMap(w io.Writer, raw []byte, out *output) error {
	if out.json() {
		return writeJSON(w, raw)
	}
	var nm networkMapBody
	if err := json.Unmarshal(raw, &nm); err != nil {
		return fmt.Errorf("decode network map: %w", err)
	}
	tw := newTable(w)
	fmt.Fprintln(tw, "PID\tIPV4\tIPV6")
	for _, pid := range sortedKeys(nm.Map) {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", pid, dash(nm.Map[pid]["ipv4"]), dash(nm.Map[pid]["ipv6"]))
	}
	fmt.Fprintf(tw, "\nvtag: %s %s\n", nm.Meta.VTag.ResourceID, nm.Meta.VTag.Tag)
	return tw.Flush()
}
