package bgpls

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/altosdn/altosdn/collectors/bgpls/rawbgp"
	"github.com/altosdn/altosdn/topology"
)

func concat(bs ...[]byte) []byte {
	var out []byte
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

func metrics(kv ...any) topology.Metrics {
	var m topology.Metrics
	for i := 0; i < len(kv); i += 2 {
		v, ok := kv[i+1].(float64)
		if !ok {
			v = float64(kv[i+1].(int))
		}
		m = m.With(kv[i].(topology.Metric), v, topology.SourceBGPLS)
	}
	return m
}

func TestDecodeExtras(t *testing.T) {
	tests := []struct {
		name    string
		tlvs    []byte
		want    extras
		wantErr bool
	}{
		{
			name: "rfc 8571 loss and bandwidths",
			tlvs: concat(rawbgp.IGPMetric(10), rawbgp.Loss(1.5, false), rawbgp.ResidualBandwidth(8e9),
				rawbgp.AvailableBandwidth(4e9), rawbgp.UtilizedBandwidth(2e9)),
			want: extras{Link: &linkExtras{RFC8571: metrics(topology.MetricLoss, 1.5, topology.MetricResidualBandwidth, 8e9,
				topology.MetricAvailableBandwidth, 4e9, topology.MetricUtilizedBandwidth, 2e9)}},
		},
		{
			name: "anomalous loss keeps its value",
			tlvs: rawbgp.Loss(0.3, true),
			want: extras{Link: &linkExtras{RFC8571: metrics(topology.MetricLoss, 0.3)}},
		},
		{
			name: "prefix metric",
			tlvs: rawbgp.PrefixMetric(100),
			want: extras{PrefixMetric: topology.Known(100, topology.SourceBGPLS)},
		},
		{
			name: "asla for all applications comes before flex-algo",
			tlvs: concat(
				rawbgp.ASLA([]byte{0x10, 0, 0, 0}, nil, rawbgp.TEMetric(7), rawbgp.Delay(70, false)),
				rawbgp.ASLA(nil, nil, rawbgp.TEMetric(5), rawbgp.AdminGroup(0x20)),
			),
			want: extras{Link: &linkExtras{ASLA: metrics(topology.MetricTE, 5, topology.MetricDelay, 70), ASLAAdminGroup: 0x20, ASLAHasAdminGroup: true}},
		},
		{
			name: "asla with loss, bandwidths and min/max delay",
			tlvs: rawbgp.ASLA([]byte{0x40, 0, 0, 0}, []byte{0, 0, 0, 1},
				rawbgp.MinMaxDelay(3, 9, false), rawbgp.DelayVariation(2), rawbgp.Loss(0.03, false), rawbgp.UtilizedBandwidth(1e6)),
			want: extras{Link: &linkExtras{ASLA: metrics(topology.MetricMinDelay, 3.0, topology.MetricMaxDelay, 9.0,
				topology.MetricDelayVariation, 2.0, topology.MetricLoss, 0.03, topology.MetricUtilizedBandwidth, 1e6)}},
		},
		{
			name: "nothing of interest",
			tlvs: concat(rawbgp.NodeName("r1"), rawbgp.IGPMetric(3)),
		},
		{
			name:    "short loss tlv",
			tlvs:    rawbgp.TLV(1117, []byte{0, 0, 1}),
			wantErr: true,
		},
		{
			name:    "tlv longer than the attribute keeps what came before",
			tlvs:    concat(rawbgp.PrefixMetric(9), []byte{0x04, 0x5d, 0, 8, 0}),
			want:    extras{PrefixMetric: topology.Known(9, topology.SourceBGPLS)},
			wantErr: true,
		},
		{
			name:    "nan bandwidth is refused",
			tlvs:    rawbgp.TLV(1118, []byte{0x7f, 0xc0, 0, 0}),
			wantErr: true,
		},
		{
			name:    "negative bandwidth is refused",
			tlvs:    rawbgp.TLV(1119, []byte{0xbf, 0x80, 0, 0}),
			wantErr: true,
		},
		{
			name:    "asla mask of a bad length",
			tlvs:    rawbgp.ASLA([]byte{1, 2}, nil),
			wantErr: true,
		},
		{
			name:    "asla shorter than its header",
			tlvs:    rawbgp.TLV(1122, []byte{0, 0}),
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeExtras(tt.tlvs)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v; want error %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, errMalformedTLV) {
				t.Errorf("err = %v; want it to wrap errMalformedTLV", err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(closeEnough)); diff != "" {
				t.Errorf("extras (-want +got):\n%s", diff)
			}
		})
	}
}

// closeEnough compares metric values within the wire encodings' precision
// (float32 bandwidths, loss in units of 0.000003 %).
func closeEnough(a, b float64) bool {
	return math.Abs(a-b) <= 1e-6*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// The yabgp vector carries RFC 8571 1114–1120 with test-pattern values;
// the expected numbers are worked out in testdata/README.md.
func TestDecodeExtrasYabgpRFC8571(t *testing.T) {
	got, err := decodeExtras(vector(t, "yabgp_link_rfc8571_delay_loss_bw.attr29.hex"))
	if err != nil {
		t.Fatal(err)
	}
	pattern := float64(math.Float32frombits(0x11111111)) * 8
	want := extras{Link: &linkExtras{RFC8571: metrics(topology.MetricLoss, 1118481*lossUnit, topology.MetricResidualBandwidth, pattern,
		topology.MetricAvailableBandwidth, pattern, topology.MetricUtilizedBandwidth, pattern)}}
	if diff := cmp.Diff(want, got, cmp.Comparer(closeEnough)); diff != "" {
		t.Errorf("extras (-want +got):\n%s", diff)
	}
	if v, _ := got.Link.RFC8571.Get(topology.MetricLoss); math.Abs(v-3.355443) > 1e-6 {
		t.Errorf("loss = %v %%; want 3.355443 %%", v)
	}
}

// Real UPDATEs through the tap's decoder: the same path live updates take.
func TestTapUpdateVectors(t *testing.T) {
	tests := []struct {
		file string
		want extras
	}{
		{
			// ASLA for Flex-Algo with TE metric 10 and min/max delay 10/0.
			file: "exabgp_isis_l2_srv6_link_rfc8571_asla.update.hex",
			want: extras{Link: &linkExtras{ASLA: metrics(topology.MetricTE, 10.0, topology.MetricMinDelay, 10.0, topology.MetricMaxDelay, 0.0)}},
		},
		{
			file: "exabgp_isis_l2_prefixv4_as15924.update.hex",
			want: extras{PrefixMetric: topology.Known(100, topology.SourceBGPLS)},
		},
		{file: "yabgp_isis_l2_link_2adjsid.update.hex"},
		{file: "exabgp_isis_l1_node_ixr_r6.update.hex"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			items, errs, err := tapUpdate(vector(t, tt.file))
			if errs != 0 {
				t.Fatalf("%d errors, last %v", errs, err)
			}
			if len(items) != 1 {
				t.Fatalf("%d items; want one per NLRI (1)", len(items))
			}
			if diff := cmp.Diff(tt.want, items[0].x); diff != "" {
				t.Errorf("extras (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTapUpdateWithdrawAndErrors(t *testing.T) {
	nlri := rawbgp.NodeNLRI(2, 0, rawbgp.NodeDesc{AS: 1, IGPRouterID: []byte{0, 0, 0, 0, 0, 1}})
	withdraw := rawbgp.Update(nil, [][]byte{rawbgp.MPUnreach(rawbgp.FamilyLS, nlri)}, nil)
	items, errs, err := tapUpdate(withdraw)
	if errs != 0 || len(items) != 1 || !items[0].x.empty() {
		t.Errorf("withdraw: items %v, %d errors (%v); want one clearing item", items, errs, err)
	}
	bad := rawbgp.Update(nil, [][]byte{rawbgp.MPReach(rawbgp.FamilyLS, ipv4("192.0.2.1"), []byte{0, 9, 0, 1, 0})}, nil)
	if _, errs, _ := tapUpdate(bad); errs != 1 {
		t.Errorf("unknown nlri type: %d errors; want 1", errs)
	}
	if _, errs, _ := tapUpdate([]byte{1, 2, 3}); errs != 1 {
		t.Errorf("garbage: %d errors; want 1", errs)
	}
}

// FuzzDecodeExtras checks that no attribute, however broken, panics the
// decoder or yields a metric the store would reject.
func FuzzDecodeExtras(f *testing.F) {
	f.Add(vector(f, "yabgp_link_rfc8571_delay_loss_bw.attr29.hex"))
	f.Add(vector(f, "gobmp_xrd_link_srv6_endx.attr29.hex"))
	f.Add(concat(rawbgp.ASLA([]byte{0x10, 0, 0, 0}, nil, rawbgp.TEMetric(7), rawbgp.Loss(2, true)), rawbgp.PrefixMetric(3)))
	f.Add(rawbgp.TLV(1122, []byte{8, 8, 0, 0}))
	f.Fuzz(func(t *testing.T, b []byte) {
		x, _ := decodeExtras(b)
		if x.Link == nil {
			return
		}
		for _, m := range []topology.Metrics{x.Link.RFC8571, x.Link.ASLA} {
			u := topology.Update{Source: topology.SourceBGPLS, Links: []topology.Link{{ID: "a->b", Key: topology.LinkKey{Local: "a", Remote: "b"}, Metrics: m}}}
			if err := u.Validate(); err != nil {
				t.Fatalf("decoded metrics the store rejects: %v", err)
			}
		}
	})
}

// FuzzTapUpdate feeds arbitrary UPDATE bodies to the tap's decoder.
func FuzzTapUpdate(f *testing.F) {
	for _, name := range []string{
		"exabgp_isis_l2_srv6_link_rfc8571_asla.update.hex",
		"exabgp_isis_l2_prefixv4_as15924.update.hex",
		"yabgp_isis_l2_link_2adjsid.update.hex",
	} {
		f.Add(vector(f, name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		items, errs, err := tapUpdate(b)
		if errs > 0 && err == nil {
			t.Fatal("errors counted without one reported")
		}
		for _, it := range items {
			if it.key == "" {
				t.Fatal("item without key")
			}
		}
	})
}
