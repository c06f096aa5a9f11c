package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	altov1 "github.com/altosdn/altosdn/proto/alto/v1"
)

var cmdWatch = &command{
	name:    "watch",
	summary: "follow the maps as they change",
	about: `-via grpc (the default) follows altod's WatchMaps stream: one line per
published version, with the resources that changed and their vtags.

-via sse follows an RFC 8895 update stream service over HTTP, from any
server whose directory lists one (text/event-stream accepting
application/alto-updatestreamparams+json): one line per event, control
events included. -resources chooses the resources (default: every GET
resource the stream uses); -incremental=false asks for full replacements
only, so that every event shows its vtag. With -o json each event is one
JSON line: {"media-type", "substream", "data"}.

Stops after -count versions or events (0: until interrupted).`,
	setup: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		via := fs.String("via", "grpc", "transport: grpc or sse")
		id := fs.String("id", "", "sse: the update stream resource ID (default: the directory's first)")
		resources := listFlag(fs, "resources", "sse: resource IDs to follow, comma-separated")
		incremental := fs.Bool("incremental", true, "sse: accept incremental changes (merge or JSON patches)")
		count := fs.Int("count", 0, "stop after this many versions or events (0: never)")
		maps := fs.Bool("maps", false, "with -o json: include the content of the changed maps")
		out := outputFlag(fs, "table", "json")
		return func(ctx context.Context, e *env, _ []string) error {
			switch *via {
			case "grpc":
			case "sse":
				return e.watchSSE(ctx, *id, *resources, *incremental, *count, out)
			default:
				return fmt.Errorf("-via: unknown transport %q (want grpc or sse)", *via)
			}
			c, closeConn, err := e.dialGRPC()
			if err != nil {
				return err
			}
			defer closeConn()
			stream, err := c.WatchMaps(ctx, &altov1.WatchMapsRequest{IncludeMaps: *maps && out.json()})
			if err != nil {
				return grpcError(err)
			}
			for n := 0; *count == 0 || n < *count; n++ {
				msg, err := stream.Recv()
				if errors.Is(err, io.EOF) {
					return nil
				}
				if err != nil {
					if ctx.Err() != nil {
						return nil // interrupted
					}
					return grpcError(err)
				}
				if out.json() {
					if err := protoJSON(e.stdout, msg, false); err != nil {
						return err
					}
					continue
				}
				fmt.Fprintf(e.stdout, "generation %d at %s: network map %s %s; changed: %s\n",
					msg.GetGeneration(), stamp(msg.GetComputedAt()), msg.GetNetworkMapVtag().GetResourceId(),
					msg.GetNetworkMapVtag().GetTag(), strings.Join(msg.GetChanged(), ", "))
			}
			return nil
		}
	},
}
