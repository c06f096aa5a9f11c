package arch

import "testing"

// The planning packages (RFC 9240 property maps, RFC 8896 calendars): the
// inventory is a leaf, the history stores topology samples without knowing
// ALTO, and the storage engine stays behind the history.
func TestPlanningDependencies(t *testing.T) {
	rules := []struct {
		name   string
		direct bool
		applys func(p string) bool
		banned func(dep string) bool
	}{
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
