package static

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Value syntax of the native format. Units are those of the topology
// package: bits/s, µs and percent.

// bandwidthSuffixes are SI multipliers of bits per second. Lower-case m
// would read as milli, so only K may be written either way.
var bandwidthSuffixes = map[string]float64{"k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}

// parseBandwidth parses "10G", "2.5 G", "100Mbps", "9953280000" into bits/s.
func parseBandwidth(s string) (float64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(t, "bps")
	t = strings.TrimSuffix(t, "bit/s")
	mult := 1.0
	if n := len(t); n > 0 {
		if m, ok := bandwidthSuffixes[t[n-1:]]; ok {
			t, mult = strings.TrimSpace(t[:n-1]), m
		}
	}
	v, err := parseFinite(t)
	switch {
	case err != nil:
		return 0, fmt.Errorf("bad bandwidth %q (want bits/s, optionally with k, M, G or T)", s)
	case v < 0:
		return 0, fmt.Errorf("negative bandwidth %q", s)
	case math.IsInf(v*mult, 0):
		return 0, fmt.Errorf("bandwidth %q is too large", s)
	}
	return v * mult, nil
}

// parseDelay parses a Go duration ("1.9ms", "50us", "50µs") or a plain
// number of microseconds into µs.
func parseDelay(s string) (float64, error) {
	if v, err := parseFinite(strings.TrimSpace(s)); err == nil {
		if v < 0 {
			return 0, fmt.Errorf("negative delay %q", s)
		}
		return v, nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("bad delay %q (want a duration such as 1.9ms or a number of µs)", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative delay %q", s)
	}
	return float64(d) / float64(time.Microsecond), nil
}

// parseLoss parses a loss in percent, with or without a trailing "%".
func parseLoss(s string) (float64, error) {
	v, err := parseFinite(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%")))
	switch {
	case err != nil:
		return 0, fmt.Errorf("bad loss %q (want a percentage from 0 to 100)", s)
	case v < 0:
		return 0, fmt.Errorf("negative loss %q", s)
	case v > 100:
		return 0, fmt.Errorf("loss %s is above 100 percent", s)
	}
	return v, nil
}

// valueKind says how a metric's YAML value is read.
type valueKind uint8

const (
	kindNumber valueKind = iota
	kindBandwidth
	kindDelay
	kindLoss
)

// metricValue reads a metric's scalar. Numbers are taken as they are (in
// the metric's unit); strings are parsed by kind.
func (p *nativeParser) metricValue(n *yaml.Node, label string, kind valueKind) (float64, bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		p.errs.add(n.Line, "%s: want a number, got %s", label, kindName(n))
		return 0, false
	}
	var v float64
	var err error
	switch {
	case isNumber(n):
		if err = n.Decode(&v); err == nil {
			v, err = parseNonNegValue(v, n.Value)
		}
		if err == nil && kind == kindLoss && v > 100 {
			err = fmt.Errorf("loss %s is above 100 percent", n.Value)
		}
	case kind == kindBandwidth:
		v, err = parseBandwidth(n.Value)
	case kind == kindDelay:
		v, err = parseDelay(n.Value)
	case kind == kindLoss:
		v, err = parseLoss(n.Value)
	default:
		err = fmt.Errorf("want a number, got %q", n.Value)
	}
	if err != nil {
		p.errs.add(n.Line, "%s: %v", label, err)
		return 0, false
	}
	return v, true
}

func parseNonNegValue(v float64, text string) (float64, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("not a finite number: %s", text)
	}
	if v < 0 {
		return 0, fmt.Errorf("negative number %s", text)
	}
	return v, nil
}

// parseNonNeg parses a finite, non-negative number. strconv accepts "NaN"
// and "Inf", which no metric may be.
func parseNonNeg(s string) (float64, error) {
	v, err := parseFinite(s)
	if err != nil {
		return 0, err
	}
	if v < 0 {
		return 0, fmt.Errorf("negative number %q", s)
	}
	return v, nil
}

func parseFinite(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("not a finite number: %q", s)
	}
	return v, nil
}
