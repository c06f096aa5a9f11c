// Command altoctl is the altosdn command-line client. It speaks ALTO
// (RFC 7285) over HTTP to any ALTO server, the altosdn gRPC API to altod,
// and finds ALTO servers through the DNS (RFC 7286, RFC 8686).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	// Ctrl-C ends a watch cleanly; a second one kills at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() { <-ctx.Done(); stop() }()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, errHelp):
		// -h or --help: the usage was asked for and printed.
	case errors.Is(err, flag.ErrHelp), errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintf(os.Stderr, "altoctl: %v\n", err)
		os.Exit(1)
	}
}

var (
	// errHelp is returned after printing help that was asked for.
	errHelp = errors.New("help requested")
	// errUsage is returned after printing the usage for a wrong invocation.
	errUsage = errors.New("usage error")
)

// env is what every command gets: the global flags and the outputs.
type env struct {
	stdout, stderr io.Writer
	server         string // URL of the HTTP directory
	grpcAddr       string // host:port of altod's gRPC API
	timeout        time.Duration
}

// command is one subcommand. setup declares its flags on fs and returns
// the function that runs it with the positional arguments.
type command struct {
	name             string
	args             string // what follows the flags in the usage line
	minArgs, maxArgs int    // positional arguments; maxArgs -1: any number
	summary          string
	about            string // more detail for -h
	setup            func(fs *flag.FlagSet) func(ctx context.Context, e *env, args []string) error
}

var commands = []*command{
	cmdIRD, cmdNetworkMap, cmdCostMap, cmdFilter, cmdEndpointCost, cmdEndpointProp,
	cmdWatch, cmdTopology, cmdStatus, cmdDiscover, cmdVersion,
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage: altoctl [global flags] <command> [flags] [args]

altoctl speaks ALTO (RFC 7285) over HTTP to any ALTO server, the altosdn gRPC
API to altod, and finds ALTO servers through the DNS.

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Global flags:
  -server URL      the server's directory (IRD) URL (env ALTO_SERVER;
                   default http://127.0.0.1:8080/directory)
  -grpc HOST:PORT  altod's gRPC API, for topology, status and watch
                   (env ALTO_GRPC; default 127.0.0.1:9090)
  -timeout D       time limit of each request (default 60s; watch has none)

Every command takes -h for its flags and -o json for output to scripts.
Errors from an ALTO server are shown with their ALTO error code and field.
`)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("altoctl", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr) }
	e := &env{stdout: stdout, stderr: stderr}
	fs.StringVar(&e.server, "server", envOr("ALTO_SERVER", "http://127.0.0.1:8080/directory"), "")
	fs.StringVar(&e.grpcAddr, "grpc", envOr("ALTO_GRPC", "127.0.0.1:9090"), "")
	fs.DurationVar(&e.timeout, "timeout", 60*time.Second, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return errUsage
	}
	if fs.NArg() == 0 {
		usage(stderr)
		return errUsage
	}
	name, rest := fs.Arg(0), fs.Args()[1:]
	if name == "help" {
		if len(rest) == 0 {
			usage(stdout)
			return nil
		}
		name, rest = rest[0], []string{"-h"}
	}
	for _, c := range commands {
		if c.name != name {
			continue
		}
		fs := e.flags(c)
		runCmd := c.setup(fs)
		pos, err := parseInterspersed(fs, rest)
		if err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return errHelp
			}
			return errUsage
		}
		if n := len(pos); n < c.minArgs || c.maxArgs >= 0 && n > c.maxArgs {
			fs.Usage()
			return errUsage
		}
		return runCmd(ctx, e, pos)
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", name)
}

// flags returns a flag set for c whose -h prints the command's usage.
func (e *env) flags(c *command) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: altoctl %s [flags] %s\n\n%s\n", c.name, c.args, c.summary)
		if c.about != "" {
			fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.about))
		}
		fmt.Fprintln(w, "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments ("--" ends the flags).
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		consumed := len(args) - fs.NArg()
		rest := fs.Args()
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func (e *env) http() *client { return newClient(e.server, e.timeout) }

// withTimeout bounds one request-response command.
func (e *env) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if e.timeout <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, e.timeout)
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

var cmdVersion = &command{
	name:    "version",
	summary: "print the version",
	setup: func(*flag.FlagSet) func(context.Context, *env, []string) error {
		return func(_ context.Context, e *env, _ []string) error {
			fmt.Fprintln(e.stdout, "altoctl", version)
			return nil
		}
	},
}
