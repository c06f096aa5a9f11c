package gnmi

import (
	"math"
	"testing"
	"time"
)

func TestCounterUpdate(t *testing.T) {
	const sec = int64(time.Second)
	now := time.Unix(1000, 0)
	type step struct {
		v        uint64
		ts       int64
		want     rateResult
		wantRate float64 // checked when want is rateOK or rateWrapped
	}
	tests := []struct {
		name     string
		capacity float64
		steps    []step
	}{
		{"steady", 0, []step{
			{0, 1 * sec, rateFirst, 0},
			{125_000_000, 2 * sec, rateOK, 1e9},
			{375_000_000, 4 * sec, rateOK, 1e9},
		}},
		{"duplicate and older timestamps are ignored", 0, []step{
			{0, 10 * sec, rateFirst, 0},
			{999, 10 * sec, rateStale, 0},
			{5, 9 * sec, rateStale, 0},
			{125_000_000, 11 * sec, rateOK, 1e9},
		}},
		{"a decrease is a reset, never a spike", 0, []step{
			{1 << 40, 1 * sec, rateFirst, 0},
			{1<<40 + 125_000_000, 2 * sec, rateOK, 1e9},
			{1000, 3 * sec, rateReset, 0},
			{1000 + 250_000_000, 4 * sec, rateOK, 2e9},
		}},
		{"counter64 wrap", 0, []step{
			{math.MaxUint64 - 99_999_999, 1 * sec, rateFirst, 0},
			{25_000_000, 2 * sec, rateWrapped, 1e9},
		}},
		{"a decrease from the top quarter that would be too fast is a reset", 10e9, []step{
			{math.MaxUint64 - 1<<61, 1 * sec, rateFirst, 0},
			{5, 2 * sec, rateReset, 0},
		}},
		{"faster than the port is dropped", 10e9, []step{
			{0, 1 * sec, rateFirst, 0},
			{10e9 / 8 * 1.04, 2 * sec, rateOK, 10.4e9}, // framing overhead passes
			{10e9 / 8 * 3, 3 * sec, rateImplausible, 0},
			{10e9/8*3 + 125_000_000, 4 * sec, rateOK, 1e9}, // re-baselined on the dropped sample
		}},
		{"long gap re-baselines", 0, []step{
			{0, 1 * sec, rateFirst, 0},
			{1 << 30, 1000 * sec, rateGap, 0},
			{1<<30 + 125_000_000, 1001 * sec, rateOK, 1e9},
		}},
		{"no timestamp", 0, []step{
			{0, 0, rateNoTimestamp, 0},
			{0, 1 * sec, rateFirst, 0},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c counter
			for i, s := range tc.steps {
				got := c.update(s.v, s.ts, now, tc.capacity, time.Minute)
				if got != s.want {
					t.Fatalf("step %d: update(%d, %d) = %d, want %d", i, s.v, s.ts, got, s.want)
				}
				if (got == rateOK || got == rateWrapped) && !near(c.rate, s.wantRate, 1e-9) {
					t.Fatalf("step %d: rate = %g, want %g", i, c.rate, s.wantRate)
				}
			}
		})
	}
}

func TestCounterClearAndExpire(t *testing.T) {
	now := time.Unix(1000, 0)
	var c counter
	c.update(0, int64(time.Second), now, 0, time.Minute)
	c.update(125_000_000, int64(2*time.Second), now, 0, time.Minute)
	// After a reconnect the next sample only re-baselines, even if the
	// counter re-grew past the old value meanwhile.
	c.clear()
	if got := c.update(1<<50, int64(3*time.Second), now, 0, time.Minute); got != rateFirst {
		t.Errorf("first sample after clear = %d, want rateFirst", got)
	}
	if !c.hasRate || c.rate != 1e9 {
		t.Errorf("clear dropped the last rate (%v, %g); it must live until the TTL", c.hasRate, c.rate)
	}
	if c.expire(now.Add(30*time.Second), time.Minute) || !c.hasRate {
		t.Error("expired before the TTL")
	}
	if !c.expire(now.Add(61*time.Second), time.Minute) || c.hasRate {
		t.Error("did not expire after the TTL")
	}
}

func TestBackoff(t *testing.T) {
	b := backoff{min: 100 * time.Millisecond, max: time.Second}
	base := 100 * time.Millisecond
	for i := range 10 {
		d := b.next()
		lo, hi := base/2, min(base*3/2, time.Second)
		if d < lo || d > hi {
			t.Errorf("attempt %d: wait %s outside [%s, %s]", i, d, lo, hi)
		}
		base = min(2*base, time.Second)
	}
	b.reset()
	if d := b.next(); d > 150*time.Millisecond {
		t.Errorf("after reset: wait %s, want about the minimum", d)
	}
}
