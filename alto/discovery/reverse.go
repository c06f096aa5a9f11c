package discovery

import (
	"fmt"
	"net/netip"
	"strings"
)

// AddrPrefix returns the host prefix of an address (/32 or /128), the form
// in which RFC 8686 looks an address up.
func AddrPrefix(a netip.Addr) netip.Prefix {
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen())
}

// Prefix lengths whose reverse names RFC 8686 section 3.2 looks up, most
// specific first.
var (
	v4Lengths = []int{32, 24, 16, 8}
	v6Lengths = []int{128, 64, 56, 48, 40, 32}
)

// ReverseNames returns the reverse-DNS names that XDOMDISC looks up for p,
// in order (RFC 8686 section 3.2 and 3.3): the name of the longest listed
// length not above p's length, then the shorter ones. An IPv4 prefix
// shorter than /8 or an IPv6 prefix shorter than /32 yields
// ErrUnsupportedPrefix.
func ReverseNames(p netip.Prefix) ([]string, error) {
	if !p.IsValid() {
		return nil, fmt.Errorf("discovery: invalid prefix")
	}
	a := p.Addr().Unmap()
	bits := p.Bits()
	if p.Addr().Is4In6() {
		bits -= 96
	}
	lengths, minLen := v6Lengths, 32
	if a.Is4() {
		lengths, minLen = v4Lengths, 8
	}
	if bits < minLen {
		return nil, fmt.Errorf("%w: /%d (IPv4 needs at least /8, IPv6 at least /32)", ErrUnsupportedPrefix, bits)
	}
	var names []string
	for _, l := range lengths {
		if l <= bits {
			names = append(names, reverseName(a, l))
		}
	}
	return names, nil
}

// reverseName is the in-addr.arpa (whole octets) or ip6.arpa (nibbles) name
// of the first bits of a; bits is a multiple of 8 or 4 respectively.
func reverseName(a netip.Addr, bits int) string {
	var b strings.Builder
	if a.Is4() {
		o := a.As4()
		for i := bits/8 - 1; i >= 0; i-- {
			fmt.Fprintf(&b, "%d.", o[i])
		}
		b.WriteString("in-addr.arpa.")
		return b.String()
	}
	o := a.As16()
	const hex = "0123456789abcdef"
	for i := bits/4 - 1; i >= 0; i-- {
		nib := o[i/2] >> 4
		if i%2 == 1 {
			nib = o[i/2] & 0xf
		}
		b.WriteByte(hex[nib])
		b.WriteByte('.')
	}
	b.WriteString("ip6.arpa.")
	return b.String()
}
