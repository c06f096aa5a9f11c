package inventory

import (
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var declared = append(DefaultConfig().Properties, "priv:rack-count")

func TestParseExample(t *testing.T) {
	data, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	inv, err := Parse(data, declared)
	if err != nil {
		t.Fatal(err)
	}
	want := &Inventory{
		PIDs: map[string]Properties{"nyc": {"cpu": int64(512), "ram": int64(2048), "storage-capacity": int64(40000), "site": "nyc-dc1"}},
		Prefixes: map[netip.Prefix]Properties{
			netip.MustParsePrefix("192.0.2.0/24"):   {"site": "dc21"},
			netip.MustParsePrefix("192.0.2.128/25"): {"site": nil},
			netip.MustParsePrefix("192.0.2.7/32"):   {"cpu": int64(8)},
			netip.MustParsePrefix("2001:db8::/32"):  {"storage-capacity": 1500.0},
		},
		ANEs:   map[string]Properties{"dc21": {"cpu": int64(500), "priv:rack-count": int64(12)}},
		Digest: inv.Digest,
	}
	if diff := cmp.Diff(want, inv, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
		t.Errorf("inventory (-want +got):\n%s", diff)
	}
	if inv.Entities() != 6 || len(inv.Digest) != 40 {
		t.Errorf("entities %d, digest %q", inv.Entities(), inv.Digest)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, doc := range []string{"", "# nothing\n", "~\n", "pids:\nprefixes:\n"} {
		inv, err := Parse([]byte(doc), declared)
		if err != nil || inv.Entities() != 0 {
			t.Errorf("%q: %v, %d entities; want an empty inventory", doc, err, inv.Entities())
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"not yaml", "pids: [", "line 1"},
		{"not a mapping", "- a\n", "line 1: the inventory must be a mapping"},
		{"unknown section", "pids: {}\nnodes: {}\n", "line 2: nodes: unknown section"},
		{"section twice", "pids: {}\npids: {}\n", "line 2: pids: section given twice"},
		{"section not a mapping", "prefixes: [a]\n", "line 1: prefixes: must be a mapping"},
		{"bad pid name", "pids:\n  a.b:\n    cpu: 1\n", `line 2: pids.a.b: not a PID name: "a.b": character '.' not allowed`},
		{"long pid name", "pids:\n  " + strings.Repeat("p", 65) + ": {}\n", "not 1 to 64 characters long"},
		{"host bits", "prefixes:\n  192.0.2.1/24:\n    site: x\n", "line 2: prefixes.192.0.2.1/24: 192.0.2.1/24 has host bits set (did you mean 192.0.2.0/24?)"},
		{"not a prefix", "prefixes:\n  dc1:\n    site: x\n", `line 2: prefixes.dc1: "dc1" is not an IPv4 or IPv6 prefix or address`},
		{"zoned address", "prefixes:\n  fe80::1%eth0: {}\n", "is not an IPv4 or IPv6 prefix"},
		{"same prefix twice", "prefixes:\n  192.0.2.1: {}\n  192.0.2.1/32: {}\n", "line 3: prefixes.192.0.2.1/32: the same prefix as another entry (192.0.2.1/32)"},
		{"undeclared property", "anes:\n  dc1:\n    gpu: 4\n", `line 3: anes.dc1.gpu: property "gpu" is not declared (declared: cpu, ram, storage-capacity, site, priv:rack-count)`},
		{"property twice", "pids:\n  a:\n    cpu: 1\n    cpu: 2\n", "line 4: pids.a.cpu: property given twice"},
		{"entity twice", "pids:\n  a: {}\n  a: {}\n", "line 3: pids.a: entity given twice"},
		{"list value", "pids:\n  a:\n    site: [x, y]\n", "line 3: pids.a.site: a value must be a string, a number, a boolean or null"},
		{"infinite", "pids:\n  a:\n    cpu: .inf\n", "pids.a.cpu: .inf is not a finite number"},
		{"properties not a mapping", "pids:\n  a: 5\n", "line 2: pids.a: must be a mapping of properties"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc), declared)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v; want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"defaults", func(*Config) {}, ""},
		{"priv property", func(c *Config) { c.Properties = append(c.Properties, "priv:x") }, ""},
		{"negative poll", func(c *Config) { c.PollInterval = -1 }, "poll_interval: must not be negative"},
		{"dot", func(c *Config) { c.Properties = []string{".cpu"} }, `properties[0]: property ".cpu": character '.' not allowed`},
		{"bare priv", func(c *Config) { c.Properties = []string{"priv:"} }, "priv: must be followed by a name"},
		{"pid", func(c *Config) { c.Properties = []string{"cpu", "pid"} }, "properties[1]: property \"pid\" is the registered pid property"},
		{"too long", func(c *Config) { c.Properties = []string{strings.Repeat("x", 33)} }, "longer than 32 characters"},
		{"twice", func(c *Config) { c.Properties = []string{"cpu", "cpu"} }, `properties[1]: "cpu" listed twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			tc.mutate(&c)
			err := c.Validate()
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("got %v; want %q", err, tc.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	data, _ := os.ReadFile("testdata/example.yaml")
	f.Add(string(data))
	f.Add("prefixes:\n  ::/0: {site: x}\n")
	f.Fuzz(func(t *testing.T, doc string) {
		inv, err := Parse([]byte(doc), declared)
		if err != nil {
			return
		}
		for p := range inv.Prefixes {
			if !p.IsValid() || p != p.Masked() {
				t.Fatalf("prefix %s accepted", p)
			}
		}
	})
}
