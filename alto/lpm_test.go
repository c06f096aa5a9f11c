package alto

import (
	"math/rand/v2"
	"net/netip"
	"testing"
)

func TestLPM(t *testing.T) {
	// The RFC 7285 §11.2.2 example, plus IPv6 and host routes.
	entries := []LPMEntry{
		{netip.MustParsePrefix("0.0.0.0/0"), 1},
		{netip.MustParsePrefix("192.0.2.0/24"), 2},
		{netip.MustParsePrefix("198.51.100.0/24"), 2},
		{netip.MustParsePrefix("192.0.2.0/25"), 3},
		{netip.MustParsePrefix("192.0.2.128/25"), 3},
		{netip.MustParsePrefix("::/0"), 0},
		{netip.MustParsePrefix("2001:db8::/32"), 4},
		{netip.MustParsePrefix("2001:db8:0:1::/64"), 5},
		{netip.MustParsePrefix("2001:db8:0:1::1/128"), 6},
		{netip.MustParsePrefix("203.0.113.7/32"), 7},
	}
	lpm := NewLPM(entries)
	tests := []struct {
		addr string
		want int32
	}{
		{"192.0.2.1", 3}, {"192.0.2.200", 3}, {"198.51.100.9", 2}, {"10.1.1.1", 1},
		{"203.0.113.7", 7}, {"203.0.113.8", 1}, {"::ffff:192.0.2.1", 3},
		{"2001:db8::1", 4}, {"2001:db8:0:1::2", 5}, {"2001:db8:0:1::1", 6}, {"2001:db9::1", 0},
	}
	for _, tc := range tests {
		got, ok := lpm.Lookup(netip.MustParseAddr(tc.addr))
		if !ok || got != tc.want {
			t.Errorf("Lookup(%s) = %d, %v; want %d", tc.addr, got, ok, tc.want)
		}
	}
	if _, ok := NewLPM(entries[1:5]).Lookup(netip.MustParseAddr("10.0.0.1")); ok {
		t.Error("lookup outside every prefix succeeded")
	}
	if _, ok := lpm.Lookup(netip.Addr{}); ok {
		t.Error("lookup of the zero address succeeded")
	}
}

// TestLPMAgainstLinearScan compares with a brute-force longest match.
func TestLPMAgainstLinearScan(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 20 {
		var entries []LPMEntry
		for i := range 200 {
			var p netip.Prefix
			if r.IntN(2) == 0 {
				p = netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(r.IntN(4)), byte(r.IntN(256)), byte(r.IntN(256))}), r.IntN(33)).Masked()
			} else {
				p = netip.PrefixFrom(netip.AddrFrom16([16]byte{0x20, 1, 0xd, 0xb8, byte(r.IntN(4)), byte(r.IntN(256)), 15: byte(r.IntN(256))}), r.IntN(129)).Masked()
			}
			entries = append(entries, LPMEntry{p, int32(i)})
		}
		lpm := NewLPM(entries)
		for range 500 {
			var a netip.Addr
			if r.IntN(2) == 0 {
				a = netip.AddrFrom4([4]byte{10, byte(r.IntN(4)), byte(r.IntN(256)), byte(r.IntN(256))})
			} else {
				a = netip.AddrFrom16([16]byte{0x20, 1, 0xd, 0xb8, byte(r.IntN(4)), byte(r.IntN(256)), 15: byte(r.IntN(256))})
			}
			want, wantOK, best := int32(0), false, -1
			for _, e := range entries { // later entries win ties, as in NewLPM
				if e.Prefix.Contains(a) && e.Prefix.Bits() >= best {
					want, wantOK, best = e.Value, true, e.Prefix.Bits()
				}
			}
			got, ok := lpm.Lookup(a)
			if ok != wantOK || got != want {
				t.Fatalf("round %d: Lookup(%s) = %d, %v; want %d, %v", round, a, got, ok, want, wantOK)
			}
		}
	}
}

// BenchmarkLPMLookup looks addresses up in a 250,000-prefix table (the size
// of a large ISP network map): 200,000 IPv4 prefixes of lengths 16 to 32 and
// 50,000 IPv6 prefixes of lengths 32 to 64.
func BenchmarkLPMLookup(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	entries := make([]LPMEntry, 0, 250_000)
	for i := range 200_000 {
		a := netip.AddrFrom4([4]byte{byte(1 + r.IntN(223)), byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))})
		entries = append(entries, LPMEntry{netip.PrefixFrom(a, 16+r.IntN(17)).Masked(), int32(i)})
	}
	for i := range 50_000 {
		a := netip.AddrFrom16([16]byte{0x20, 1, byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256)), byte(r.IntN(256))})
		entries = append(entries, LPMEntry{netip.PrefixFrom(a, 32+r.IntN(33)).Masked(), int32(i)})
	}
	entries = append(entries, LPMEntry{allIPv4, -1}, LPMEntry{allIPv6, -1})
	lpm := NewLPM(entries)
	addrs := make([]netip.Addr, 4096)
	for i := range addrs {
		if i%5 == 4 {
			addrs[i] = entries[200_000+r.IntN(50_000)].Prefix.Addr().Next()
		} else {
			addrs[i] = entries[r.IntN(200_000)].Prefix.Addr().Next()
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		lpm.Lookup(addrs[i&4095])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds()/1e6, "Mlookups/s")
}
