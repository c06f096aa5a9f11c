package history

import (
	"encoding/binary"
	"errors"
	"math"
	"math/bits"

	"github.com/altosdn/altosdn/topology"
)

// recorded lists the metrics kept, in the order of a sample's mask bits:
// those that change with load and time of day. IGP metrics, capacities and
// reservable bandwidths are configuration; the current graph has them.
var recorded = [...]topology.Metric{
	topology.MetricDelay,
	topology.MetricMinDelay,
	topology.MetricMaxDelay,
	topology.MetricDelayVariation,
	topology.MetricLoss,
	topology.MetricResidualBandwidth,
	topology.MetricAvailableBandwidth,
	topology.MetricUtilizedBandwidth,
}

// Recorded returns the metrics the history keeps.
func Recorded() []topology.Metric { return recorded[:] }

// sampleFormat is the first byte of every encoded sample.
const sampleFormat = 1

var errBadSample = errors.New("history: malformed sample")

// appendLink encodes one link's values: its dictionary index, a mask of the
// metrics present and their values as float32. float32 keeps 7 digits,
// plenty for a forecast, at half the size.
func appendLink(b []byte, idx uint32, ms *topology.Metrics) []byte {
	var mask byte
	for i, m := range recorded {
		if ms[m].Set {
			mask |= 1 << i
		}
	}
	if mask == 0 {
		return b
	}
	b = binary.AppendUvarint(b, uint64(idx))
	b = append(b, mask)
	for i, m := range recorded {
		if mask&(1<<i) != 0 {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(ms[m].V)))
		}
	}
	return b
}

// decodeSample calls fn for each link in an encoded sample, with the mask
// of metrics present and their values in recorded order.
func decodeSample(b []byte, fn func(idx uint32, mask byte, vals *[len(recorded)]float64)) error {
	if len(b) == 0 || b[0] != sampleFormat {
		return errBadSample
	}
	b = b[1:]
	var vals [len(recorded)]float64
	for len(b) > 0 {
		idx, n := binary.Uvarint(b)
		if n <= 0 || idx > math.MaxUint32 || len(b) < n+1 {
			return errBadSample
		}
		mask := b[n]
		b = b[n+1:]
		if len(b) < 4*bits.OnesCount8(mask) {
			return errBadSample
		}
		for i := range recorded {
			if mask&(1<<i) != 0 {
				vals[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))
				b = b[4:]
			}
		}
		fn(uint32(idx), mask, &vals)
	}
	return nil
}
