package static

import (
	"bytes"
	"errors"
	"io"
	"net/netip"

	"go.yaml.in/yaml/v3"

	"github.com/altosdn/altosdn/topology"
)

// nativeParser reads the native YAML format (see README.md). It works in two
// passes: read reads the YAML into node and link specs, checking each value;
// build checks the references between them and makes the topology.
type nativeParser struct {
	file  string
	errs  *errList
	nodes []nativeNode
	links []nativeLink
}

type nativeNode struct {
	line       int
	id         string
	name       string
	rid4, rid6 netip.Addr
	as         uint32
	area       string
	prefixes   []nativePrefix
}

type nativePrefix struct {
	line   int
	prefix netip.Prefix
	metric topology.Value
}

type nativeLink struct {
	line             int
	label            string
	from, to         string
	fromLine, toLine int
	metrics          topology.Metrics
	local, remote    netip.Addr
	bidirectional    bool
}

// linkMetrics maps the native format's metric keys to metrics and units.
var linkMetrics = []struct {
	key    string
	metric topology.Metric
	kind   valueKind
}{
	{"metric", topology.MetricIGP, kindNumber},
	{"te_metric", topology.MetricTE, kindNumber},
	{"bandwidth", topology.MetricMaxBandwidth, kindBandwidth},
	{"reservable_bandwidth", topology.MetricMaxReservableBandwidth, kindBandwidth},
	{"unreserved_bandwidth", topology.MetricUnreservedBandwidth, kindBandwidth},
	{"delay", topology.MetricDelay, kindDelay},
	{"min_delay", topology.MetricMinDelay, kindDelay},
	{"max_delay", topology.MetricMaxDelay, kindDelay},
	{"delay_variation", topology.MetricDelayVariation, kindDelay},
	{"loss", topology.MetricLoss, kindLoss},
	{"residual_bandwidth", topology.MetricResidualBandwidth, kindBandwidth},
	{"available_bandwidth", topology.MetricAvailableBandwidth, kindBandwidth},
	{"utilized_bandwidth", topology.MetricUtilizedBandwidth, kindBandwidth},
}

var (
	nodeKeys   = []string{"id", "name", "router_id", "router_id_v6", "as", "area", "prefixes"}
	prefixKeys = []string{"prefix", "metric"}
	linkKeys   = func() []string {
		keys := []string{"from", "to", "local_addr", "remote_addr", "bidirectional"}
		for _, m := range linkMetrics {
			keys = append(keys, m.key)
		}
		return keys
	}()
)

// parseNative parses the native format. All problems found are reported
// together; the topology is returned only when there are none.
func parseNative(file string, data []byte) (*Topology, error) {
	root, err := decodeYAML(file, data)
	if err != nil {
		return nil, err
	}
	p := &nativeParser{file: file, errs: &errList{file: file}}
	if root != nil {
		p.rejectAliases(root)
		if p.errs.failed() {
			return nil, p.errs.err()
		}
		p.read(root)
	}
	if len(p.nodes) == 0 && !p.errs.failed() {
		// An empty file is far more often a half-written one than an
		// intended empty network; refusing it keeps the last good topology.
		p.errs.add(0, "no nodes")
	}
	// build runs even after errors in read, so that one pass reports
	// duplicates and dangling links too.
	return p.build()
}

// decodeYAML returns the root node of the file's only document, or nil for
// an empty file.
func decodeYAML(file string, data []byte) (root *yaml.Node, err error) {
	defer func() {
		// The YAML library is not ours; a panic on hostile input must not
		// take the daemon down with it.
		if r := recover(); r != nil {
			root, err = nil, parseErr(file, 0, "yaml: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, nil
	} else if err != nil {
		return nil, yamlError(file, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		line := extra.Line
		if len(extra.Content) > 0 {
			line = extra.Content[0].Line
		}
		return nil, parseErr(file, line, "a second YAML document (want exactly one)")
	} else if !errors.Is(err, io.EOF) {
		return nil, yamlError(file, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil, nil
	}
	return doc.Content[0], nil
}
