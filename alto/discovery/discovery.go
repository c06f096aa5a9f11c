package discovery

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// Service parameters of RFC 7286 section 3.2: the U-NAPTR application
// service tag ALTO with the application protocol tag https or http.
const (
	ServiceHTTPS = "ALTO:https"
	ServiceHTTP  = "ALTO:http"
)

// Errors a lookup returns; test with errors.Is.
var (
	// ErrNotFound means the DNS holds no usable ALTO record for the name
	// (or any of the reverse names); the error text says what was seen.
	ErrNotFound = errors.New("discovery: no ALTO server found")
	// ErrTemporary means a DNS server failed or timed out and nothing was
	// found elsewhere: retry later (RFC 8686 section 3.4).
	ErrTemporary = errors.New("discovery: temporary DNS failure, retry later")
	// ErrUnsupportedPrefix is RFC 8686's answer for an IPv4 prefix shorter
	// than /8 or an IPv6 prefix shorter than /32.
	ErrUnsupportedPrefix = errors.New("discovery: unsupported prefix length")
)

// Result is one ALTO server found: the URI of its information resource
// directory and the NAPTR record that gave it.
type Result struct {
	URI        string `json:"uri"`
	Service    string `json:"service"` // the record's service field, e.g. "ALTO:https"
	Order      uint16 `json:"order"`
	Preference uint16 `json:"preference"`
	// Domain is the name whose record gave the URI; it differs from the
	// name asked for when non-terminal records were followed, or when a
	// shorter reverse name answered.
	Domain string `json:"domain"`
}

// Resolver runs the lookups. The zero value uses the name servers of
// /etc/resolv.conf with the defaults below.
type Resolver struct {
	// Servers are name servers as host:port, asked in turn. Empty means
	// the ones in /etc/resolv.conf.
	Servers []string
	// Timeout bounds one query to one server; 0 means 2s.
	Timeout time.Duration
	// MaxChain bounds the non-terminal records followed from one name; 0
	// means 8. Loops are detected before the bound is reached.
	MaxChain int
	// Trace, when set, receives a line for every step: queries, records
	// ignored and why. altoctl discover -v prints them.
	Trace func(format string, args ...any)
}

func (r *Resolver) trace(format string, args ...any) {
	if r.Trace != nil {
		r.Trace(format, args...)
	}
}

func (r *Resolver) servers() ([]string, error) {
	if len(r.Servers) > 0 {
		return r.Servers, nil
	}
	conf, err := dns.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil {
		return nil, fmt.Errorf("discovery: no name server given and %w", err)
	}
	out := make([]string, len(conf.Servers))
	for i, s := range conf.Servers {
		out[i] = net.JoinHostPort(s, conf.Port)
	}
	return out, nil
}

// LookupDomain implements RFC 7286 section 3.2: a U-NAPTR lookup (RFC
// 4848) of domain for the given service parameters, by default ALTO:https
// and ALTO:http. Results come in NAPTR order and preference; a client tries
// them in turn. Non-terminal records are followed, with loop detection.
func (r *Resolver) LookupDomain(ctx context.Context, domain string, services ...string) ([]Result, error) {
	if len(services) == 0 {
		services = []string{ServiceHTTPS, ServiceHTTP}
	}
	want, err := parseServices(services)
	if err != nil {
		return nil, err
	}
	domain = dns.Fqdn(strings.ToLower(strings.TrimSpace(domain)))
	if _, ok := dns.IsDomainName(domain); !ok || domain == "." {
		return nil, fmt.Errorf("discovery: %q is not a domain name", domain)
	}
	l := &lookup{r: r, want: want, aus: strings.TrimSuffix(domain, ".")}
	if l.servers, err = r.servers(); err != nil {
		return nil, err
	}
	res := l.resolve(ctx, domain, []string{domain})
	return l.finish(res, domain)
}

// LookupAddr implements RFC 8686's XDOMDISC for a prefix (an address is a
// /32 or /128 prefix, see [AddrPrefix]): it looks the reverse-DNS names up from the most
// to the least specific, in the RFC's order of prefix lengths, and returns
// the results of the first name that has any. service is one U-NAPTR
// service parameter, normally ALTO:https.
func (r *Resolver) LookupAddr(ctx context.Context, p netip.Prefix, service string) ([]Result, error) {
	names, err := ReverseNames(p)
	if err != nil {
		return nil, err
	}
	want, err := parseServices([]string{service})
	if err != nil {
		return nil, err
	}
	l := &lookup{r: r, want: want}
	if l.servers, err = r.servers(); err != nil {
		return nil, err
	}
	for _, name := range names {
		l.aus = strings.TrimSuffix(name, ".")
		if res := l.resolve(ctx, name, []string{name}); len(res) > 0 {
			return res, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	return l.finish(nil, p.String())
}

// service is a parsed U-NAPTR service parameter.
type service struct {
	app       string   // application service tag, lower case
	protocols []string // application protocol tags, lower case
}

func parseServices(ss []string) ([]service, error) {
	var out []service
	for _, s := range ss {
		sv, ok := parseService(s)
		if !ok || len(sv.protocols) == 0 {
			return nil, fmt.Errorf("discovery: %q is not a service parameter like ALTO:https", s)
		}
		out = append(out, sv)
	}
	return out, nil
}

// parseService splits "AppService:proto1:proto2" (RFC 4848 section 4.5).
func parseService(s string) (service, bool) {
	parts := strings.Split(strings.ToLower(s), ":")
	if parts[0] == "" {
		return service{}, false
	}
	for _, p := range parts[1:] {
		if p == "" {
			return service{}, false
		}
	}
	return service{app: parts[0], protocols: parts[1:]}, true
}

// lookup is the state of one discovery.
type lookup struct {
	r       *Resolver
	want    []service
	servers []string
	aus     string // the application unique string the regexps apply to

	temporary bool     // some query failed for a reason that may pass
	notes     []string // why records were not used
}

func (l *lookup) note(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	l.notes = append(l.notes, msg)
	l.r.trace("%s", msg)
}

func (l *lookup) finish(res []Result, what string) ([]Result, error) {
	if len(res) > 0 {
		return res, nil
	}
	detail := ""
	if len(l.notes) > 0 {
		detail = ": " + strings.Join(l.notes, "; ")
	}
	if l.temporary {
		return nil, fmt.Errorf("%w (%s)%s", ErrTemporary, what, detail)
	}
	return nil, fmt.Errorf("%w for %s%s", ErrNotFound, what, detail)
}

// matches reports whether a record's service field offers one of the
// wanted services, and returns the protocols it shares with them.
func (l *lookup) matches(field string) ([]string, bool) {
	got, ok := parseService(field)
	if !ok {
		return nil, false
	}
	var protos []string
	for _, w := range l.want {
		if w.app != got.app {
			continue
		}
		for _, p := range got.protocols {
			if slices.Contains(w.protocols, p) && !slices.Contains(protos, p) {
				protos = append(protos, p)
			}
		}
	}
	return protos, len(protos) > 0
}

// resolve runs U-NAPTR on name; path holds the names of the chain that led
// here, for loop detection.
func (l *lookup) resolve(ctx context.Context, name string, path []string) []Result {
	recs := l.query(ctx, name)
	slices.SortStableFunc(recs, func(a, b *dns.NAPTR) int {
		return cmp.Or(cmp.Compare(a.Order, b.Order), cmp.Compare(a.Preference, b.Preference))
	})
	var out []Result
	for _, rr := range recs {
		protos, ok := l.matches(rr.Service)
		if !ok {
			l.r.trace("%s: ignoring record for service %q", name, rr.Service)
			continue
		}
		switch strings.ToLower(rr.Flags) {
		case "u":
			uri, err := l.expand(unescape(rr.Regexp))
			if err != nil {
				l.note("%s: record %q: %v", name, rr.Regexp, err)
				continue
			}
			u, err := url.Parse(uri)
			if err != nil || !u.IsAbs() || u.Host == "" {
				l.note("%s: %q is not an absolute URI", name, uri)
				continue
			}
			if !slices.Contains(protos, strings.ToLower(u.Scheme)) {
				l.note("%s: URI %s does not match service %s", name, uri, rr.Service)
				continue
			}
			l.r.trace("%s: found %s (order %d, preference %d)", name, uri, rr.Order, rr.Preference)
			out = append(out, Result{URI: uri, Service: rr.Service, Order: rr.Order, Preference: rr.Preference, Domain: name})
		case "":
			next := strings.ToLower(dns.Fqdn(rr.Replacement))
			maxChain := cmp.Or(l.r.MaxChain, 8)
			switch {
			case rr.Regexp != "" || next == ".":
				l.note("%s: non-terminal record without a replacement name", name)
			case slices.Contains(path, next):
				l.note("%s: loop: %s leads back to %s", name, strings.Join(path, " -> "), next)
			case len(path) > maxChain:
				l.note("%s: more than %d non-terminal records in a row", name, maxChain)
			default:
				l.r.trace("%s: following non-terminal record to %s", name, next)
				out = append(out, l.resolve(ctx, next, append(slices.Clone(path), next))...)
			}
		default:
			l.note("%s: record with flags %q is not U-NAPTR", name, rr.Flags)
		}
	}
	return out
}

// query asks the servers in turn for name's NAPTR records.
func (l *lookup) query(ctx context.Context, name string) []*dns.NAPTR {
	m := new(dns.Msg)
	m.SetQuestion(name, dns.TypeNAPTR)
	m.RecursionDesired = true
	m.SetEdns0(4096, false)
	timeout := cmp.Or(l.r.Timeout, 2*time.Second)
	for _, srv := range l.servers {
		resp, err := exchange(ctx, m, srv, timeout)
		if err != nil {
			l.temporary = true
			l.note("%s: %s: %v", name, srv, err)
			continue
		}
		switch resp.Rcode {
		case dns.RcodeSuccess:
		case dns.RcodeNameError:
			l.r.trace("%s: no such name", name)
			return nil
		default:
			l.temporary = true
			l.note("%s: %s answered %s", name, srv, dns.RcodeToString[resp.Rcode])
			continue
		}
		var recs []*dns.NAPTR
		for _, rr := range resp.Answer {
			if n, ok := rr.(*dns.NAPTR); ok {
				recs = append(recs, n)
			}
		}
		if len(recs) == 0 {
			l.r.trace("%s: no NAPTR records", name)
		}
		return recs
	}
	return nil
}

// exchange sends m over UDP and again over TCP when the answer was cut.
func exchange(ctx context.Context, m *dns.Msg, srv string, timeout time.Duration) (*dns.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c := &dns.Client{Net: "udp", Timeout: timeout, UDPSize: 4096}
	resp, _, err := c.ExchangeContext(ctx, m, srv)
	if err == nil && resp.Truncated {
		c.Net = "tcp"
		resp, _, err = c.ExchangeContext(ctx, m, srv)
	}
	return resp, err
}

// expand applies a NAPTR substitution expression (RFC 3402 section 3.2:
// delimiter, ERE, delimiter, replacement, delimiter, flags) to the
// application unique string.
func (l *lookup) expand(expr string) (string, error) {
	if len(expr) < 3 {
		return "", errors.New("no substitution expression")
	}
	delim := expr[0]
	if delim == '\\' || delim == 'i' || delim >= '0' && delim <= '9' {
		return "", fmt.Errorf("%q cannot delimit a substitution expression", delim)
	}
	parts := splitUnescaped(expr[1:], delim)
	if len(parts) != 3 {
		return "", errors.New("malformed substitution expression")
	}
	ere, repl, flags := parts[0], parts[1], parts[2]
	switch flags {
	case "":
	case "i":
		ere = "(?i)" + ere
	default:
		return "", fmt.Errorf("unknown regexp flags %q", flags)
	}
	re, err := regexp.Compile(ere)
	if err != nil {
		return "", fmt.Errorf("bad regular expression: %w", err)
	}
	m := re.FindStringSubmatchIndex(l.aus)
	if m == nil {
		return "", fmt.Errorf("does not match %q", l.aus)
	}
	// Backreferences are \1 to \9; a backslash escapes any other character.
	var b strings.Builder
	b.WriteString(l.aus[:m[0]])
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '\\' || i+1 == len(repl) {
			b.WriteByte(c)
			continue
		}
		i++
		if d := repl[i]; d >= '1' && d <= '9' {
			if g := int(d - '0'); 2*g+1 < len(m) && m[2*g] >= 0 {
				b.WriteString(l.aus[m[2*g]:m[2*g+1]])
			}
			continue
		}
		b.WriteByte(repl[i])
	}
	b.WriteString(l.aus[m[1]:])
	return b.String(), nil
}

// unescape turns a character-string from the DNS library's presentation
// form (\\, \", \DDD) into its bytes.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
			if v := int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0'); v < 256 {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		i++
		b.WriteByte(s[i])
	}
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// splitUnescaped splits s at each delim not preceded by a backslash,
// removing the backslash before an escaped delimiter.
func splitUnescaped(s string, delim byte) []string {
	var parts []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && s[i+1] == delim {
			cur.WriteByte(delim)
			i++
			continue
		}
		if s[i] == delim {
			parts = append(parts, cur.String())
			cur.Reset()
			continue
		}
		cur.WriteByte(s[i])
	}
	return append(parts, cur.String())
}
