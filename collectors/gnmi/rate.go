package gnmi

import (
	"math"
	"time"
)

// rateResult says what a counter sample did to the rate estimate.
type rateResult uint8

const (
	rateOK          rateResult = iota // a new rate
	rateWrapped                       // a new rate across a counter64 wrap
	rateFirst                         // first sample since a (re)connect: baseline only
	rateStale                         // timestamp not after the baseline's: ignored
	rateReset                         // counter went down: re-baselined, interval dropped
	rateGap                           // baseline too old: re-baselined
	rateImplausible                   // faster than the port: re-baselined, dropped
	rateNoTimestamp                   // notification without timestamp: ignored
)

// maxPlausible is how far above capacity a rate may be before it is taken
// for garbage (a counter replayed from a cache, a clear the target did not
// report); octet counters include framing, so a few percent is normal.
const maxPlausible = 1.05

// wrapZone is where a counter64 must have been for a decrease to count as
// a wrap rather than a reset: a wrap from below 2^62 would need years at
// terabit rates, so a decrease from there is a clear or a reboot.
const wrapZone = uint64(1) << 62

// counter estimates the rate of one octet counter from device timestamps.
// The zero value has no baseline.
type counter struct {
	v     uint64 // baseline value
	ts    int64  // baseline timestamp, ns since the epoch (device clock)
	valid bool   // baseline set

	rate    float64   // last rate, bits/s
	rateAt  time.Time // local time the rate was computed, for the TTL
	hasRate bool
}

// clear forgets the baseline but keeps the last rate until its TTL: after
// a reconnect or a clear the next sample only re-baselines.
func (c *counter) clear() { c.valid = false }

// expire drops the rate if it is older than ttl; it reports whether a rate
// was dropped.
func (c *counter) expire(now time.Time, ttl time.Duration) bool {
	if c.hasRate && now.Sub(c.rateAt) > ttl {
		c.hasRate = false
		return true
	}
	return false
}

// update feeds a sample taken at device time ts (ns) and received at local
// time now. capacity (bits/s, 0 when unknown) bounds plausible rates;
// maxGap bounds the interval a rate may span.
func (c *counter) update(v uint64, ts int64, now time.Time, capacity float64, maxGap time.Duration) rateResult {
	if ts <= 0 {
		return rateNoTimestamp
	}
	if !c.valid {
		c.v, c.ts, c.valid = v, ts, true
		return rateFirst
	}
	if ts <= c.ts {
		// A duplicate or a late notification: a rate over it would be
		// infinite or negative. Keep the newer baseline.
		return rateStale
	}
	dt := time.Duration(ts - c.ts)
	prev := c.v
	c.v, c.ts = v, ts
	if dt > maxGap {
		return rateGap
	}
	delta, res := v-prev, rateOK
	if v < prev {
		if prev < math.MaxUint64-wrapZone+1 {
			return rateReset
		}
		delta, res = v+(math.MaxUint64-prev)+1, rateWrapped
	}
	bps := float64(delta) * 8 / dt.Seconds()
	if capacity > 0 && bps > maxPlausible*capacity {
		if res == rateWrapped {
			return rateReset // an implausible "wrap" was a reset after all
		}
		return rateImplausible
	}
	c.rate, c.rateAt, c.hasRate = bps, now, true
	return res
}
