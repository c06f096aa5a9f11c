package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/altosdn/altosdn/alto"
)

var cmdIRD = &command{
	name:    "ird",
	summary: "show the information resource directory",
	about: `Lists every resource of the server's directory and of the directories it
links to, with its media type, what it accepts, its cost types or property
types, the resources it uses, and its URI. With -o json the root directory
is printed as the server sent it.`,
	setup: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		out := outputFlag(fs, "table", "json")
		return func(ctx context.Context, e *env, _ []string) error {
			ctx, cancel := e.withTimeout(ctx)
			defer cancel()
			c := e.http()
			if out.json() {
				raw, err := c.get(ctx, c.dirURL, alto.MediaTypeDirectory)
				if err != nil {
					return err
				}
				return writeJSON(e.stdout, raw)
			}
			d, err := c.directory(ctx)
			if err != nil {
				return err
			}
			tw := newTable(e.stdout)
			fmt.Fprintln(tw, "RESOURCE\tMEDIA TYPE\tACCEPTS\tCAPABILITIES\tUSES\tURI")
			for _, id := range d.ids() {
				r := d.Resources[id]
				var caps []string
				for _, ct := range r.CostTypes {
					caps = append(caps, ct.Metric+"/"+ct.Mode)
				}
				caps = append(caps, r.PropTypes...)
				if n := len(caps); n > maxCaps {
					caps = append(caps[:maxCaps-1:maxCaps-1], fmt.Sprintf("(+%d more)", n-maxCaps+1))
				}
				if r.CostConstraints {
					caps = append(caps, "constraints")
				}
				uses := r.Uses
				if n := len(uses); n > maxCaps {
					uses = append(uses[:maxCaps-1:maxCaps-1], fmt.Sprintf("(+%d more)", n-maxCaps+1))
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", id, shortType(r.MediaType), shortType(r.Accepts),
					dash(caps), dash(uses), r.URL)
			}
			fmt.Fprintf(tw, "\ndefault network map: %s\n", d.DefaultNetworkMap)
			return tw.Flush()
		}
	},
}

// maxCaps is how many capabilities or uses a table row lists; -o json has
// them all.
const maxCaps = 4

// shortType drops the common parts of an ALTO media type.
func shortType(mt string) string {
	if mt == "" {
		return "-"
	}
	return strings.TrimSuffix(strings.TrimPrefix(mt, "application/alto-"), "+json")
}
