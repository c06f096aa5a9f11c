package target_test

import (
	"fmt"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/altosdn/altosdn/collectors/gnmi/target"
)

// A demo router: one 10G port whose traffic follows a pattern the caller
// sets, here 3 Gbit/s out and 1 Gbit/s in. A gNMI client subscribing to
// tg.Addr() sees the counters grow at exactly those rates; the example
// reads them directly with a controlled clock instead.
func Example() {
	var now atomic.Int64
	now.Store(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	tg, err := target.New(target.Config{
		Name: "r1",
		Now:  func() time.Time { return time.Unix(0, now.Load()) },
	})
	if err != nil {
		panic(err)
	}
	defer tg.Close()
	if err := tg.SetInterface(target.Interface{
		Name:      "Ethernet1",
		Speed:     10e9,
		Addresses: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/31")},
	}); err != nil {
		panic(err)
	}
	_ = tg.SetRates("Ethernet1", 1e9, 3e9)

	now.Add(int64(10 * time.Second)) // ten seconds of traffic
	c, _ := tg.ReadCounters("Ethernet1")
	fmt.Println("in-octets:", c.InOctets, "out-octets:", c.OutOctets)

	_ = tg.ResetCounters("Ethernet1") // "clear counters"
	c, _ = tg.ReadCounters("Ethernet1")
	fmt.Println("after clear:", c.InOctets, c.OutOctets)
	// Output:
	// in-octets: 1250000000 out-octets: 3750000000
	// after clear: 0 0
}
