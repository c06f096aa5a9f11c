package gnmi

import (
	"encoding/json"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	gpb "github.com/openconfig/gnmi/proto/gnmi"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/altosdn/altosdn/collectors/gnmi/target"
)

// loadRecording reads a Telegraf responses.json copy (see
// testdata/telegraf/ATTRIBUTION.md): a JSON array of protojson
// SubscribeResponses.
func loadRecording(t testing.TB, name string) []*gpb.SubscribeResponse {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "telegraf", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	out := make([]*gpb.SubscribeResponse, len(raw))
	for i, r := range raw {
		out[i] = &gpb.SubscribeResponse{}
		if err := protojson.Unmarshal(r, out[i]); err != nil {
			t.Fatalf("%s[%d]: %v", name, i, err)
		}
	}
	return out
}

// TestRecordings asserts what the decoder makes of real device output.
func TestRecordings(t *testing.T) {
	counters := func(iface string, in, out, inErr, outErr, inDisc uint64) []sample {
		return []sample{
			{iface: iface, kind: leafInOctets, u: in},
			{iface: iface, kind: leafOutOctets, u: out},
			{iface: iface, kind: leafInErrors, u: inErr},
			{iface: iface, kind: leafOutErrors, u: outErr},
			{iface: iface, kind: leafInDiscards, u: inDisc},
		}
	}
	tests := []struct {
		name string
		want [][]sample // per notification
	}{
		// Arista: keyed prefix .../interface[name=Ethernet35]/state/counters,
		// 15 uint counters of which six are ours (all 0).
		{"issue_14530", [][]sample{append(counters("Ethernet35", 0, 0, 0, 0, 0),
			sample{iface: "Ethernet35", kind: leafOutDiscards})}},
		// Ciena: no list key; the name comes from the quoted counters/name
		// leaf; oc-if: prefixes everywhere; real octet counts.
		{"issue_16476", [][]sample{append(counters("1", 95890972327359, 885293268981054, 0, 0, 236),
			sample{iface: "1", kind: leafLastClear, u: 1679547185677412529},
			sample{iface: "1", kind: leafName, name: "1"})}},
		// Ciena SAOS: the same with JSON-string numbers and a broken name.
		{"issue_14063", [][]sample{append(counters("1", 0, 0, 0, 0, 0),
			sample{iface: "1", kind: leafLastClear, u: 1691859140059797458},
			sample{iface: "1", kind: leafName, name: "1"})}},
		// IOS-XR: a state container holding only a description.
		{"issue_14044", [][]sample{nil}},
		// Huawei native model, with empty update and delete entries.
		{"issue_17412", [][]sample{nil, nil}},
		// Junos subinterface descriptions and oper-status (not ours).
		{"tagging_subinterfaces", [][]sample{nil, nil, nil, nil, nil, nil}},
		// SR Linux native containers with placeholder values.
		{"issue_12931", [][]sample{nil}},
		// A delete-only notification outside the interfaces tree.
		{"issue_17622", [][]sample{nil}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got [][]sample
			for _, r := range loadRecording(t, tc.name) {
				n := r.GetUpdate()
				if n == nil {
					continue // sync_response
				}
				s, errs := decodeSorted(n)
				if errs != 0 {
					t.Errorf("%d decode errors", errs)
				}
				if len(s) == 0 {
					s = nil
				}
				got = append(got, s)
			}
			if diff := gocmp.Diff(tc.want, got, sampleCmp...); diff != "" {
				t.Errorf("decode mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRecordingReplay sends Ciena's recorded notification through a gNMI
// target over gRPC into a running collector, followed by the same
// notification ten seconds and 1.25 GB later, and checks that it becomes a
// 1 Gbit/s overlay on the link that interface_links names.
func TestRecordingReplay(t *testing.T) {
	n := loadRecording(t, "issue_16476")[0].GetUpdate()
	later := proto.Clone(n).(*gpb.Notification)
	later.Timestamp += int64(10 * time.Second)
	for _, u := range later.GetUpdate() {
		if last := u.GetPath().GetElem()[len(u.GetPath().GetElem())-1].GetName(); last == "out-octets" {
			u.Val = uintV(u.GetVal().GetUintVal() + 1_250_000_000)
		}
	}

	tg := startTarget(t, target.Config{})
	tc := plainTarget("ciena", tg.Addr())
	tc.RouterID = netip.MustParseAddr("192.0.2.1")
	tc.InterfaceLinks = map[string]string{"1": "10.0.0.1"}
	cfg := fastConfig(tc)
	cfg.TTL, cfg.StallTimeout = time.Minute, time.Minute
	base := baseTopology()
	h := startHarness(t, cfg, &base)
	must(t, tg.WaitSubscribers(ctxWait(t), 1))
	for _, x := range []*gpb.Notification{n, later} {
		if tg.Send(x) != 1 {
			t.Fatal("not delivered")
		}
	}
	h.waitRate(link12.ID, 1e9)
	if st := h.item(0); st.Counters[cntDecodeErrors] != 0 || st.Counters[cntNotifications] != 2 || st.Counters[cntInterfaces] != 1 {
		t.Errorf("status = %+v", st)
	}
}
