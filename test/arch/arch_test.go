// Package arch enforces the dependency rules of the project's style guide:
// dependencies point inward and each third-party library stays at one edge.
package arch

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/altosdn/altosdn"

type pkg struct {
	ImportPath string
	Imports    []string // direct imports
	Deps       []string // every transitive dependency
	Standard   bool
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps=false", "-json=ImportPath,Imports,Deps,Standard", module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(out)
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 5 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

// isStd reports whether an import path belongs to the standard library: its
// first element has no dot.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}

func TestDependencyDirection(t *testing.T) {
	rules := []struct {
		name   string
		direct bool // judge direct imports only: libraries may be used indirectly through their edge package
		applys func(p string) bool
		banned func(dep string) bool
	}{
		{"topology imports only the standard library and itself", false,
			func(p string) bool { return under(p, module+"/topology") },
			func(d string) bool { return !isStd(d) && !under(d, module+"/topology") }},
		{"the alto package speaks no wire protocol and knows no collector", false,
			func(p string) bool { return p == module+"/alto" },
			func(d string) bool {
				return under(d, "github.com/gin-gonic") || under(d, "google.golang.org/grpc") ||
					under(d, module+"/proto") || under(d, module+"/collectors") || under(d, module+"/alto/httpapi")
			}},
		{"collectors never import alto", false,
			func(p string) bool { return under(p, module+"/collectors") },
			func(d string) bool { return under(d, module+"/alto") }},
		{"only collectors/bgpls imports GoBGP", true,
			func(p string) bool { return !under(p, module+"/collectors/bgpls") && !under(p, module+"/test") },
			func(d string) bool { return under(d, "github.com/osrg/gobgp") }},
		{"only collectors/gnmi imports openconfig", true,
			func(p string) bool { return !under(p, module+"/collectors/gnmi") && !under(p, module+"/test") },
			func(d string) bool { return under(d, "github.com/openconfig") }},
		{"only alto/httpapi imports Gin", true,
			func(p string) bool { return !under(p, module+"/alto/httpapi") },
			func(d string) bool { return under(d, "github.com/gin-gonic") }},
		{"only alto/httpapi imports the WebSocket library", true,
			func(p string) bool { return !under(p, module+"/alto/httpapi") && !under(p, module+"/test") },
			func(d string) bool { return under(d, "github.com/coder/websocket") }},
		{"alto/updates speaks no wire protocol", false,
			func(p string) bool { return under(p, module+"/alto/updates") },
			func(d string) bool {
				return under(d, "github.com/gin-gonic") || under(d, "github.com/coder/websocket") ||
					under(d, "google.golang.org/grpc") || under(d, module+"/alto/httpapi")
			}},
		{"generated protobuf types stay in alto/grpcapi and cmd/altoctl", true,
			func(p string) bool {
				return !under(p, module+"/alto/grpcapi") && !under(p, module+"/cmd/altoctl") &&
					!under(p, module+"/proto") && !under(p, module+"/test")
			},
			func(d string) bool { return under(d, module+"/proto") }},
		{"only alto/discovery imports the DNS library", true,
			func(p string) bool { return !under(p, module+"/alto/discovery") && !under(p, module+"/test") },
			func(d string) bool { return under(d, "github.com/miekg/dns") || under(d, "codeberg.org/miekg/dns") }},
		{"the gRPC adapter does not depend on the HTTP one", false,
			func(p string) bool { return under(p, module+"/alto/grpcapi") },
			func(d string) bool { return under(d, module+"/alto/httpapi") || under(d, "github.com/gin-gonic") }},
		{"test helper packages stay out of production code", true,
			func(p string) bool {
				return !strings.HasSuffix(p, "test") && !under(p, module+"/test")
			},
			func(d string) bool {
				return under(d, module+"/topology/topologytest") || under(d, module+"/collectors/collectortest") ||
					under(d, module+"/alto/discovery/discoverytest")
			}},
		{"nothing imports cmd", false,
			func(p string) bool { return !under(p, module+"/cmd") },
			func(d string) bool { return under(d, module+"/cmd") }},
		// The planning packages (RFC 9240 property maps, RFC 8896
		// calendars): the inventory is a leaf, the history stores topology
		// samples without knowing ALTO, and bbolt stays behind the history.
		{"alto/inventory imports neither alto nor topology", false,
			func(p string) bool { return under(p, module+"/alto/inventory") },
			func(d string) bool { return under(d, module) }},
		{"alto/history imports topology, not alto", false,
			func(p string) bool { return under(p, module+"/alto/history") },
			func(d string) bool {
				return under(d, module) && !under(d, module+"/topology") && !under(d, module+"/alto/history")
			}},
		{"alto does not import the history (and its storage engine)", false,
			func(p string) bool { return p == module+"/alto" },
			func(d string) bool { return under(d, module+"/alto/history") || under(d, "go.etcd.io/bbolt") }},
		{"only alto/history imports bbolt", true,
			func(p string) bool { return !under(p, module+"/alto/history") },
			func(d string) bool { return under(d, "go.etcd.io/bbolt") }},
	}
	for _, p := range listPackages(t) {
		for _, r := range rules {
			if !r.applys(p.ImportPath) {
				continue
			}
			deps := p.Deps
			if r.direct {
				deps = p.Imports
			}
			for _, d := range deps {
				if r.banned(d) {
					t.Errorf("%s: %s depends on %s", r.name, p.ImportPath, d)
				}
			}
		}
	}
}

func TestRulesCatchViolations(t *testing.T) {
	// The rules must be able to fail: a known third-party path is not std.
	if isStd("github.com/gin-gonic/gin") || !isStd("net/http") {
		t.Fatal("isStd misclassifies import paths")
	}
}
