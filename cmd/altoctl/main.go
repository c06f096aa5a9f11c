// Command altoctl is the altosdn command-line client. It speaks ALTO over
// HTTP to any RFC 7285 server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintf(os.Stderr, "altoctl: %v\n", err)
		os.Exit(1)
	}
}

const usage = `usage: altoctl [-server URL] <command> [flags]

Commands:
  ird          show the information resource directory
  networkmap   show a network map (default: the directory's default)
  costmap      show a cost map (choose with -metric and -mode)
  version      print the version

Run 'altoctl <command> -h' for a command's flags.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("altoctl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	server := fs.String("server", envOr("ALTO_SERVER", "http://127.0.0.1:8080/directory"), "URL of the server's directory (env ALTO_SERVER)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return flag.ErrHelp
	}
	c := newClient(*server)
	cmd, rest := fs.Arg(0), fs.Args()[1:]
	switch cmd {
	case "ird":
		return cmdIRD(ctx, c, rest, stdout, stderr)
	case "networkmap":
		return cmdNetworkMap(ctx, c, rest, stdout, stderr)
	case "costmap":
		return cmdCostMap(ctx, c, rest, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "altoctl", version)
		return nil
	}
	fs.Usage()
	return fmt.Errorf("unknown command %q", cmd)
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
