package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/altosdn/altosdn/alto/discovery/discoverytest"
)

// A client that knows nothing but a domain name or its own address finds
// the daemon through an in-process DNS server, then reads its directory.
func TestAltoctlDiscover(t *testing.T) {
	d := startDaemon(t, "alto: {recompute_min_interval: 0s}\n")
	d.waitReady(t)
	dir := d.base + "/directory"
	dns := discoverytest.Start(t, ".", `$TTL 60
alto.test.   IN NAPTR 100 10 "u" "ALTO:https" "!.*!https://alto.invalid/directory!" .
alto.test.   IN NAPTR 50  10 "u" "ALTO:ftp"   "!.*!ftp://wrong.invalid/!" .
alto.test.   IN NAPTR 200 10 "u" "ALTO:http"  "!.*!`+dir+`!" .
loop.test.   IN NAPTR 100 10 ""  "ALTO:http"  "" loop2.test.
loop2.test.  IN NAPTR 100 10 ""  "ALTO:http"  "" loop.test.
; 127.0.0.1 is found at its /8 reverse name, ::1 at its /64.
127.in-addr.arpa. IN NAPTR 100 10 "u" "ALTO:http" "!.*!`+dir+`!" .
0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa. IN NAPTR 100 10 "u" "ALTO:http" "!.*!`+dir+`!" .
`)
	discover := func(args ...string) (string, error) {
		t.Helper()
		cmd := exec.Command(filepath.Join(binDir, "altoctl"), append([]string{"discover", "-resolver", dns.Addr}, args...)...)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			return stdout.String(), &cmdError{err: err, stderr: stderr.String()}
		}
		return strings.ReplaceAll(stdout.String(), d.base, "http://DAEMON"), nil
	}

	out, err := discover("alto.test")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "discover-domain", out)
	for _, tc := range []struct{ name, query string }{{"discover-ipv4", "127.0.0.1"}, {"discover-ipv6", "::1"}} {
		out, err := discover("-service", "ALTO:http", "-o", "json", tc.query)
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, tc.name, out)
	}

	// The URI found is the directory: altoctl can use it at once.
	uri, err := discover("-service", "ALTO:http", "-o", "uri", "alto.test")
	if err != nil {
		t.Fatal(err)
	}
	uri = strings.ReplaceAll(strings.TrimSpace(uri), "http://DAEMON", d.base)
	if uri != dir {
		t.Fatalf("discovered %q; want %q", uri, dir)
	}
	ird, err := exec.Command(filepath.Join(binDir, "altoctl"), "-server", uri, "ird").Output()
	if err != nil || !strings.Contains(string(ird), "default network map: default-network-map") {
		t.Errorf("altoctl ird at the discovered URI: %v\n%s", err, ird)
	}

	// Nothing found, a loop: exit status 1 and a message that says why.
	if _, err := discover("nothing.test"); err == nil || !strings.Contains(err.Error(), "no ALTO server found") {
		t.Errorf("discover nothing.test: %v", err)
	}
	if _, err := discover("loop.test"); err == nil || !strings.Contains(err.Error(), "loop") {
		t.Errorf("discover loop.test: %v", err)
	}
	if _, err := discover("10.0.0.0/6"); err == nil || !strings.Contains(err.Error(), "unsupported prefix length") {
		t.Errorf("discover 10.0.0.0/6: %v", err)
	}
	d.stop(t)
}
