package discovery_test

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/altosdn/altosdn/alto/discovery"
	"github.com/altosdn/altosdn/alto/discovery/discoverytest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestReverseNames(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  error
	}{
		{"192.0.2.1/32", []string{"1.2.0.192.in-addr.arpa.", "2.0.192.in-addr.arpa.", "0.192.in-addr.arpa.", "192.in-addr.arpa."}, nil},
		{"198.51.100.0/24", []string{"100.51.198.in-addr.arpa.", "51.198.in-addr.arpa.", "198.in-addr.arpa."}, nil},
		{"198.51.96.0/20", []string{"51.198.in-addr.arpa.", "198.in-addr.arpa."}, nil},
		{"10.0.0.0/8", []string{"10.in-addr.arpa."}, nil},
		{"10.0.0.0/7", nil, discovery.ErrUnsupportedPrefix},
		{"::ffff:192.0.2.1/128", []string{"1.2.0.192.in-addr.arpa.", "2.0.192.in-addr.arpa.", "0.192.in-addr.arpa.", "192.in-addr.arpa."}, nil},
		{"2001:db8:1:2::1/128", []string{
			"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
			"2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
			"0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
			"1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
			"0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
			"8.b.d.0.1.0.0.2.ip6.arpa.",
		}, nil},
		{"2001:db8:1::/50", []string{"1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.", "0.0.8.b.d.0.1.0.0.2.ip6.arpa.", "8.b.d.0.1.0.0.2.ip6.arpa."}, nil},
		{"2001:db8::/32", []string{"8.b.d.0.1.0.0.2.ip6.arpa."}, nil},
		{"2001:db8::/31", nil, discovery.ErrUnsupportedPrefix},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := discovery.ReverseNames(netip.MustParsePrefix(tc.in))
			if !errors.Is(err, tc.err) {
				t.Fatalf("error = %v; want %v", err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ReverseNames(%s) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

const zone = `
$ORIGIN example.
$TTL 60
; Two usable records, listed out of order, plus records that must be ignored.
good          IN NAPTR 200 10 "u" "ALTO:http"       "!.*!http://alto3.good.example/directory!" .
good          IN NAPTR 100 20 "u" "ALTO:https"      "!.*!https://alto2.good.example/directory!" .
good          IN NAPTR 100 10 "u" "ALTO:https"      "!.*!https://alto1.good.example/directory!" .
good          IN NAPTR 50  10 "u" "ALTO:ftp"        "!.*!ftp://wrong.good.example/!" .
good          IN NAPTR 50  10 "u" "SIP:https"       "!.*!https://sip.good.example/!" .
good          IN NAPTR 50  10 "s" "ALTO:https"      "" _alto._tcp.good.example.
good          IN NAPTR 50  20 "u" "ALTO:https"      "!.*!http://downgrade.good.example/!" .
; Only records for other services: nothing usable.
wrongtags     IN NAPTR 100 10 "u" "ALTO:ftp"        "!.*!ftp://a.wrongtags.example/!" .
wrongtags     IN NAPTR 100 10 "u" "PRESENCE:https"  "!.*!https://b.wrongtags.example/!" .
; Several protocols in one service field, and a regexp using a backreference.
multi         IN NAPTR 100 10 "u" "alto:HTTP:https" "!^(.*)$!https://\\1/ird!" .
; A chain of non-terminal records.
chain         IN NAPTR 100 10 ""  "ALTO:https"      "" hop1.example.
hop1          IN NAPTR 100 10 ""  "ALTO:https"      "" hop2.example.
hop2          IN NAPTR 100 10 "u" "ALTO:https"      "!.*!https://alto.chain.example/directory!" .
; A loop, and beside it one good record of a higher order.
loop          IN NAPTR 100 10 ""  "ALTO:https"      "" loop-b.example.
loop-b        IN NAPTR 100 10 ""  "ALTO:https"      "" loop.example.
loopy         IN NAPTR 100 10 ""  "ALTO:https"      "" loop.example.
loopy         IN NAPTR 200 10 "u" "ALTO:https"      "!.*!https://after-loop.example/directory!" .
; A name that exists without NAPTR records.
nonaptr       IN A 192.0.2.1
; A regexp that does not match, and a malformed one.
badre         IN NAPTR 100 10 "u" "ALTO:https"      "!^nomatch$!https://x.example/!" .
badre         IN NAPTR 100 20 "u" "ALTO:https"      "!.*" .
`

func resolver(srv *discoverytest.Server) *discovery.Resolver {
	return &discovery.Resolver{Servers: []string{srv.Addr}, Timeout: 300 * time.Millisecond}
}

func uris(rs []discovery.Result) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.URI)
	}
	return out
}

func TestLookupDomain(t *testing.T) {
	srv := discoverytest.Start(t, ".", zone)
	srv.ServFail("broken.example")
	srv.Drop("silent.example")
	tests := []struct {
		name     string
		domain   string
		services []string
		want     []string
		err      error
		mention  string
	}{
		{"order and preference; wrong tags, flags and schemes ignored", "good.example", nil,
			[]string{"https://alto1.good.example/directory", "https://alto2.good.example/directory", "http://alto3.good.example/directory"}, nil, ""},
		{"https only", "GOOD.example.", []string{discovery.ServiceHTTPS},
			[]string{"https://alto1.good.example/directory", "https://alto2.good.example/directory"}, nil, ""},
		{"only wrong service tags", "wrongtags.example", nil, nil, discovery.ErrNotFound, "wrongtags.example"},
		{"several protocols and a backreference", "multi.example", nil, []string{"https://multi.example/ird"}, nil, ""},
		{"non-terminal chain", "chain.example", nil, []string{"https://alto.chain.example/directory"}, nil, ""},
		{"loop", "loop.example", nil, nil, discovery.ErrNotFound, "loop"},
		{"loop beside a good record", "loopy.example", nil, []string{"https://after-loop.example/directory"}, nil, ""},
		{"no such name", "missing.example", nil, nil, discovery.ErrNotFound, ""},
		{"no NAPTR records", "nonaptr.example", nil, nil, discovery.ErrNotFound, ""},
		{"unusable regexps", "badre.example", nil, nil, discovery.ErrNotFound, "does not match"},
		{"server failure", "broken.example", nil, nil, discovery.ErrTemporary, "SERVFAIL"},
		{"timeout", "silent.example", nil, nil, discovery.ErrTemporary, "silent.example"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := resolver(srv).LookupDomain(t.Context(), tc.domain, tc.services...)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error = %v; want %v", err, tc.err)
			}
			if err != nil && !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("error %q does not mention %q", err, tc.mention)
			}
			if diff := cmp.Diff(tc.want, uris(got)); diff != "" {
				t.Errorf("URIs mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLookupDomainResultFields(t *testing.T) {
	srv := discoverytest.Start(t, ".", zone)
	got, err := resolver(srv).LookupDomain(t.Context(), "chain.example")
	if err != nil {
		t.Fatal(err)
	}
	want := []discovery.Result{{URI: "https://alto.chain.example/directory", Service: "ALTO:https", Order: 100, Preference: 10, Domain: "hop2.example."}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if _, err := resolver(srv).LookupDomain(t.Context(), "good.example", "ALTO"); err == nil {
		t.Error("a service parameter without a protocol was accepted")
	}
	if _, err := resolver(srv).LookupDomain(t.Context(), "bad..name"); err == nil {
		t.Error("an invalid domain name was accepted")
	}
}

const reverseZone = `
$TTL 60
; IPv4: a record for 198.51.100.0/24 and one for all of 203.0.0.0/8.
100.51.198.in-addr.arpa. IN NAPTR 100 10 "u" "ALTO:https" "!.*!https://alto.isp-a.example/directory!" .
203.in-addr.arpa.        IN NAPTR 100 10 "u" "ALTO:https" "!.*!https://alto.rir.example/directory!" .
203.in-addr.arpa.        IN NAPTR 100 20 "u" "ALTO:http"  "!.*!http://alto.rir.example/directory!" .
; IPv6: a record for 2001:db8:a::/48 only.
a.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. IN NAPTR 100 10 "u" "ALTO:https" "!.*!https://alto.isp-b.example/directory!" .
; A most specific record with the wrong service tag: the next name answers.
7.2.0.192.in-addr.arpa.  IN NAPTR 100 10 "u" "ALTO:ftp" "!.*!ftp://x.example/!" .
2.0.192.in-addr.arpa.    IN NAPTR 100 10 "u" "ALTO:https" "!.*!https://alto.doc.example/directory!" .
`

func TestLookupAddr(t *testing.T) {
	srv := discoverytest.Start(t, ".", reverseZone)
	srv.ServFail("9.100.51.198.in-addr.arpa.")
	srv.Drop("113.0.203.in-addr.arpa.")
	tests := []struct {
		name    string
		prefix  string
		service string
		want    []string
		queries []string
		err     error
	}{
		{"IPv4 address found at /24", "198.51.100.7/32", discovery.ServiceHTTPS,
			[]string{"https://alto.isp-a.example/directory"},
			[]string{"7.100.51.198.in-addr.arpa.", "100.51.198.in-addr.arpa."}, nil},
		{"a failure at /32 does not stop the lookup", "198.51.100.9/32", discovery.ServiceHTTPS,
			[]string{"https://alto.isp-a.example/directory"},
			[]string{"9.100.51.198.in-addr.arpa.", "100.51.198.in-addr.arpa."}, nil},
		{"IPv4 found at /8 only", "203.0.113.5/32", discovery.ServiceHTTPS,
			[]string{"https://alto.rir.example/directory"},
			[]string{"5.113.0.203.in-addr.arpa.", "113.0.203.in-addr.arpa.", "0.203.in-addr.arpa.", "203.in-addr.arpa."}, nil},
		{"the service parameter chooses the record", "203.0.0.0/16", discovery.ServiceHTTP,
			[]string{"http://alto.rir.example/directory"},
			[]string{"0.203.in-addr.arpa.", "203.in-addr.arpa."}, nil},
		{"a wrong service tag is skipped", "192.0.2.7/32", discovery.ServiceHTTPS,
			[]string{"https://alto.doc.example/directory"},
			[]string{"7.2.0.192.in-addr.arpa.", "2.0.192.in-addr.arpa."}, nil},
		{"IPv6 found at /48", "2001:db8:a:1::1/128", discovery.ServiceHTTPS,
			[]string{"https://alto.isp-b.example/directory"},
			[]string{
				"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.a.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
				"1.0.0.0.a.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
				"0.0.a.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
				"a.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
			}, nil},
		{"IPv6 nothing", "2001:db8:b::/48", discovery.ServiceHTTPS, nil,
			[]string{"b.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.", "0.0.8.b.d.0.1.0.0.2.ip6.arpa.", "8.b.d.0.1.0.0.2.ip6.arpa."},
			discovery.ErrNotFound},
		{"too short", "10.0.0.0/6", discovery.ServiceHTTPS, nil, nil, discovery.ErrUnsupportedPrefix},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(srv.Queries())
			got, err := resolver(srv).LookupAddr(t.Context(), netip.MustParsePrefix(tc.prefix), tc.service)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error = %v; want %v", err, tc.err)
			}
			if diff := cmp.Diff(tc.want, uris(got)); diff != "" {
				t.Errorf("URIs mismatch (-want +got):\n%s", diff)
			}
			asked := dedupe(srv.Queries()[before:])
			if diff := cmp.Diff(tc.queries, asked); diff != "" {
				t.Errorf("queries mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// A timeout where nothing else answers is a temporary failure, reported
// after every name was tried.
func TestLookupAddrTemporary(t *testing.T) {
	srv := discoverytest.Start(t, ".", reverseZone)
	srv.Drop("1.1.1.10.in-addr.arpa.")
	_, err := resolver(srv).LookupAddr(t.Context(), discovery.AddrPrefix(netip.MustParseAddr("10.1.1.1")), discovery.ServiceHTTPS)
	if !errors.Is(err, discovery.ErrTemporary) {
		t.Fatalf("error = %v; want ErrTemporary", err)
	}
	if got := dedupe(srv.Queries()); len(got) != 4 {
		t.Errorf("asked %v; want all four names", got)
	}
}

// The zone-file snippet published for operators does what it says.
func TestDeploySnippet(t *testing.T) {
	data, err := os.ReadFile("../../deploy/dns/alto-discovery.zone")
	if err != nil {
		t.Fatal(err)
	}
	srv := discoverytest.Start(t, ".", string(data))
	r := resolver(srv)
	got, err := r.LookupDomain(t.Context(), "example.net")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"https://alto.example.net/directory", "http://alto.example.net:8080/directory"}, uris(got)); diff != "" {
		t.Errorf("example.net (-want +got):\n%s", diff)
	}
	if got, err := r.LookupDomain(t.Context(), "customers.example.org"); err != nil || len(got) != 1 {
		t.Errorf("customers.example.org: %v, %v", got, err)
	}
	for _, a := range []string{"198.51.100.10", "2001:db8:1234::1"} {
		got, err := r.LookupAddr(t.Context(), discovery.AddrPrefix(netip.MustParseAddr(a)), discovery.ServiceHTTPS)
		if err != nil || len(got) != 1 || got[0].URI != "https://alto.example.net/directory" {
			t.Errorf("%s: %v, %v", a, got, err)
		}
	}
}

// dedupe drops repeats of a query in a row (UDP retries, TCP fallback).
func dedupe(qs []string) []string {
	var out []string
	for _, q := range qs {
		if len(out) == 0 || out[len(out)-1] != q {
			out = append(out, q)
		}
	}
	return out
}

// An answer too large for UDP is fetched again over TCP.
func TestLargeAnswerOverTCP(t *testing.T) {
	var b strings.Builder
	for i := range 80 {
		fmt.Fprintf(&b, "big.example. 60 IN NAPTR 100 %d \"u\" \"ALTO:https\" \"!.*!https://alto%02d.big.example/directory/with/a/long/path!\" .\n", i, i)
	}
	srv := discoverytest.Start(t, ".", b.String())
	got, err := resolver(srv).LookupDomain(t.Context(), "big.example")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 80 || got[0].URI != "https://alto00.big.example/directory/with/a/long/path" {
		t.Errorf("got %d results, first %v", len(got), got[0])
	}
}
