package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	altov1 "github.com/altosdn/altosdn/proto/alto/v1"
)

var cmdStatus = &command{
	name:    "status",
	summary: "show altod's topology sources, topology and maps (gRPC)",
	about: `Lists every topology source (collectors, their peers and targets, and the
controller push streams) with its health, counters and last error, then
the topology store's counts and the last map computation.`,
	setup: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		out := outputFlag(fs, "table", "json")
		return func(ctx context.Context, e *env, _ []string) error {
			ctx, cancel := e.withTimeout(ctx)
			defer cancel()
			c, closeConn, err := e.dialGRPC()
			if err != nil {
				return err
			}
			defer closeConn()
			st, err := c.GetStatus(ctx, &altov1.GetStatusRequest{})
			if err != nil {
				return grpcError(err)
			}
			if out.json() {
				return protoJSON(e.stdout, st, true)
			}
			fmt.Fprintf(e.stdout, "altod %s\n\n", st.GetVersion())
			tw := newTable(e.stdout)
			fmt.Fprintln(tw, "SOURCE\tREADY\tITEM\tSTATE\tUP\tSINCE\tLAST UPDATE\tCOUNTERS\tLAST ERROR")
			for _, col := range st.GetCollectors() {
				if len(col.GetItems()) == 0 {
					fmt.Fprintf(tw, "%s\t%v\t-\t-\t-\t-\t-\t-\t-\n", col.GetName(), col.GetReady())
				}
				for _, it := range col.GetItems() {
					fmt.Fprintf(tw, "%s\t%v\t%s\t%s\t%v\t%s\t%s\t%s\t%s\n", col.GetName(), col.GetReady(), it.GetName(),
						it.GetState(), it.GetUp(), stamp(it.GetSince()), stamp(it.GetLastUpdate()),
						counters(it.GetCounters()), orDash(it.GetLastError()))
				}
			}
			tw.Flush()
			if t := st.GetTopology(); t != nil {
				fmt.Fprintf(e.stdout, "\ntopology: generation %d, %d nodes, %d links, %d prefixes; updates %d applied, %d unchanged, %d rejected",
					t.GetGeneration(), t.GetNodes(), t.GetLinks(), t.GetPrefixes(), t.GetUpdatesApplied(), t.GetUpdatesUnchanged(), t.GetUpdatesRejected())
				if t.GetLastError() != "" {
					fmt.Fprintf(e.stdout, "; last rejection: %s", t.GetLastError())
				}
				fmt.Fprintln(e.stdout)
			}
			if m := st.GetMaps(); m.GetReady() {
				fmt.Fprintf(e.stdout, "maps: generation %d, %d PIDs, computed %s in %.1fms; network map %s %s\n",
					m.GetGeneration(), m.GetPids(), stamp(m.GetComputedAt()), m.GetDurationMs(),
					m.GetNetworkMapVtag().GetResourceId(), m.GetNetworkMapVtag().GetTag())
			} else {
				fmt.Fprintln(e.stdout, "maps: not computed yet")
			}
			return nil
		}
	},
}

func stamp(t *timestamppb.Timestamp) string {
	if t == nil {
		return "-"
	}
	return t.AsTime().UTC().Format(time.RFC3339)
}

func counters(m map[string]uint64) string {
	if len(m) == 0 {
		return "-"
	}
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
