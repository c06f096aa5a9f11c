package bgpls

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/altosdn/altosdn/topology"
)

// BGP-LS attribute TLVs that GoBGP v4.8 drops while decoding (its decoder
// skips unknown types without keeping them), so this file reads them from
// the raw attribute bytes instead.
const (
	tlvAdminGroup        = 1088
	tlvMaxBandwidth      = 1089
	tlvMaxReservableBW   = 1090
	tlvUnreservedBW      = 1091
	tlvTEMetric          = 1092
	tlvDelay             = 1114
	tlvMinMaxDelay       = 1115
	tlvDelayVariation    = 1116
	tlvLoss              = 1117
	tlvResidualBandwidth = 1118
	tlvAvailableBW       = 1119
	tlvUtilizedBandwidth = 1120
	tlvASLA              = 1122
	tlvPrefixMetric      = 1155
)

// lossUnit is the unit of TLV 1117 in percent (RFC 8571 §4.4).
const lossUnit = 0.000003

// errMalformedTLV is wrapped by every decoding error of this file.
var errMalformedTLV = errors.New("malformed bgp-ls attribute tlv")

// extras holds what the raw BGP-LS attribute says beyond GoBGP's decode.
// Prefixes, the bulk of a large table, carry at most a metric, so the
// link part sits behind a pointer.
type extras struct {
	// PrefixMetric is TLV 1155.
	PrefixMetric topology.Value
	// Link is nil unless a link TLV was decoded.
	Link *linkExtras
}

type linkExtras struct {
	// RFC8571 holds TLVs 1117–1120 in topology units.
	RFC8571 topology.Metrics
	// ASLA holds the metrics of the application-specific link attribute
	// TLVs (RFC 9294), merged in the order of preference described at
	// [mergeASLA]. They fill in metrics the legacy TLVs leave unset.
	ASLA topology.Metrics
	// ASLAAdminGroup is the admin group from ASLA sub-TLV 1088, if any.
	ASLAAdminGroup    uint32
	ASLAHasAdminGroup bool
}

func (e *extras) empty() bool { return !e.PrefixMetric.Set && e.Link == nil }

// decodeExtras walks the TLV stream of a BGP-LS attribute (its value,
// without the path attribute header) and keeps the TLVs GoBGP drops.
// Unknown TLVs are skipped. It returns what it decoded before the first
// error together with that error, so one bad TLV costs only itself and
// what follows it.
func decodeExtras(tlvs []byte) (extras, error) {
	var e extras
	var rfc8571 topology.Metrics
	var asla []aslaInstance
	err := walkTLVs(tlvs, func(typ uint16, v []byte) error {
		switch typ {
		case tlvLoss, tlvResidualBandwidth, tlvAvailableBW, tlvUtilizedBandwidth:
			return decodeLinkMetric(&rfc8571, typ, v)
		case tlvPrefixMetric:
			if len(v) != 4 {
				return lengthError(typ, len(v), 4)
			}
			e.PrefixMetric = topology.Known(float64(binary.BigEndian.Uint32(v)), topology.SourceBGPLS)
		case tlvASLA:
			a, err := decodeASLA(v)
			if err != nil {
				return err
			}
			asla = append(asla, a)
		}
		return nil
	})
	if rfc8571 != (topology.Metrics{}) || len(asla) > 0 {
		l := &linkExtras{RFC8571: rfc8571}
		l.ASLA, l.ASLAAdminGroup, l.ASLAHasAdminGroup = mergeASLA(asla)
		if *l != (linkExtras{}) {
			e.Link = l
		}
	}
	return e, err
}

// walkTLVs calls f for each TLV in b, stopping at the first error.
func walkTLVs(b []byte, f func(typ uint16, v []byte) error) error {
	for len(b) > 0 {
		if len(b) < 4 {
			return fmt.Errorf("%w: %d trailing bytes", errMalformedTLV, len(b))
		}
		typ, n := binary.BigEndian.Uint16(b), int(binary.BigEndian.Uint16(b[2:]))
		if len(b) < 4+n {
			return fmt.Errorf("%w: tlv %d claims %d bytes, %d left", errMalformedTLV, typ, n, len(b)-4)
		}
		if err := f(typ, b[4:4+n]); err != nil {
			return err
		}
		b = b[4+n:]
	}
	return nil
}

func lengthError(typ uint16, got, want int) error {
	return fmt.Errorf("%w: tlv %d has length %d, want %d", errMalformedTLV, typ, got, want)
}

// decodeLinkMetric decodes one RFC 8571 or TE link metric TLV into m.
// Values that cannot be a metric (NaN, infinite or negative bandwidths)
// are errors rather than metrics, because the store rejects an update
// holding one as a whole.
func decodeLinkMetric(m *topology.Metrics, typ uint16, v []byte) error {
	set := func(k topology.Metric, x float64) { m[k] = topology.Known(x, topology.SourceBGPLS) }
	switch typ {
	case tlvLoss:
		if len(v) != 4 {
			return lengthError(typ, len(v), 4)
		}
		set(topology.MetricLoss, float64(binary.BigEndian.Uint32(v)&0xffffff)*lossUnit)
	case tlvResidualBandwidth, tlvAvailableBW, tlvUtilizedBandwidth, tlvMaxBandwidth, tlvMaxReservableBW:
		if len(v) != 4 {
			return lengthError(typ, len(v), 4)
		}
		bps, err := bandwidth(typ, v)
		if err != nil {
			return err
		}
		set(bandwidthMetric(typ), bps)
	case tlvUnreservedBW:
		if len(v) != 32 {
			return lengthError(typ, len(v), 32)
		}
		bps, err := bandwidth(typ, v[:4]) // priority 0, as the topology model keeps
		if err != nil {
			return err
		}
		set(topology.MetricUnreservedBandwidth, bps)
	case tlvTEMetric:
		// RFC 9552 allows 1 to 4 bytes; only 4 is common.
		if len(v) == 0 || len(v) > 4 {
			return lengthError(typ, len(v), 4)
		}
		var x uint32
		for _, c := range v {
			x = x<<8 | uint32(c)
		}
		set(topology.MetricTE, float64(x))
	case tlvDelay:
		if len(v) != 4 {
			return lengthError(typ, len(v), 4)
		}
		set(topology.MetricDelay, float64(binary.BigEndian.Uint32(v)&0xffffff))
	case tlvMinMaxDelay:
		if len(v) != 8 {
			return lengthError(typ, len(v), 8)
		}
		set(topology.MetricMinDelay, float64(binary.BigEndian.Uint32(v)&0xffffff))
		set(topology.MetricMaxDelay, float64(binary.BigEndian.Uint32(v[4:])&0xffffff))
	case tlvDelayVariation:
		if len(v) != 4 {
			return lengthError(typ, len(v), 4)
		}
		set(topology.MetricDelayVariation, float64(binary.BigEndian.Uint32(v)&0xffffff))
	}
	return nil
}

func bandwidthMetric(typ uint16) topology.Metric {
	switch typ {
	case tlvResidualBandwidth:
		return topology.MetricResidualBandwidth
	case tlvAvailableBW:
		return topology.MetricAvailableBandwidth
	case tlvUtilizedBandwidth:
		return topology.MetricUtilizedBandwidth
	case tlvMaxReservableBW:
		return topology.MetricMaxReservableBandwidth
	}
	return topology.MetricMaxBandwidth
}

// bandwidth reads an IEEE float32 in bytes per second and returns bits
// per second.
func bandwidth(typ uint16, v []byte) (float64, error) {
	f := float64(math.Float32frombits(binary.BigEndian.Uint32(v)))
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0, fmt.Errorf("%w: tlv %d: bandwidth %g is not usable", errMalformedTLV, typ, f)
	}
	return f * 8, nil
}

// aslaInstance is one decoded ASLA TLV.
type aslaInstance struct {
	allApps bool // zero-length SABM and UDABM: applies to every application
	metrics topology.Metrics

	adminGroup    uint32
	hasAdminGroup bool
}

// decodeASLA decodes the value of an ASLA TLV (RFC 9294 §4): SABM length,
// UDABM length, two reserved bytes, the masks, then link attribute
// sub-TLVs with the ordinary BGP-LS code points.
func decodeASLA(v []byte) (aslaInstance, error) {
	var a aslaInstance
	if len(v) < 4 {
		return a, fmt.Errorf("%w: asla shorter than its header", errMalformedTLV)
	}
	sabm, udabm := int(v[0]), int(v[1])
	// RFC 9294 §4: mask lengths are 0, 4 or 8 bytes.
	for _, n := range []int{sabm, udabm} {
		if n != 0 && n != 4 && n != 8 {
			return a, fmt.Errorf("%w: asla mask length %d", errMalformedTLV, n)
		}
	}
	if len(v) < 4+sabm+udabm {
		return a, fmt.Errorf("%w: asla masks run past the tlv", errMalformedTLV)
	}
	a.allApps = sabm == 0 && udabm == 0
	err := walkTLVs(v[4+sabm+udabm:], func(typ uint16, sv []byte) error {
		if typ == tlvAdminGroup {
			if len(sv) != 4 {
				return lengthError(typ, len(sv), 4)
			}
			a.adminGroup, a.hasAdminGroup = binary.BigEndian.Uint32(sv), true
			return nil
		}
		return decodeLinkMetric(&a.metrics, typ, sv)
	})
	return a, err
}

// mergeASLA folds ASLA instances into one set of metrics. Instances for
// all applications come first, then the others in the order they were
// advertised; the first to set a metric wins. ALTO costs serve no single
// application, so any application's value is better than none.
func mergeASLA(as []aslaInstance) (topology.Metrics, uint32, bool) {
	var m topology.Metrics
	var ag uint32
	var hasAG bool
	for pass := range 2 {
		for i := range as {
			a := &as[i]
			if a.allApps != (pass == 0) {
				continue
			}
			for k, v := range a.metrics {
				if v.Set && !m[k].Set {
					m[k] = v
				}
			}
			if a.hasAdminGroup && !hasAG {
				ag, hasAG = a.adminGroup, true
			}
		}
	}
	return m, ag, hasAG
}
