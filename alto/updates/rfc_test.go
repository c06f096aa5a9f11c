package updates

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/altosdn/altosdn/alto"
)

// The RFC 8895 examples, served: the hub runs on a world made of the RFC's
// documents, and the events and control answers it produces are checked
// against the RFC's.

func rfcFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "rfc", "rfc8895-"+name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rfcResources are the resources of the RFC 8895 §8.1 IRD that the
// examples use (the cost maps' "uses" defect does not matter here: update
// streams list their resources themselves).
func rfcResources() []alto.Resource {
	nm := "my-network-map"
	return []alto.Resource{
		{ID: nm, Kind: alto.KindNetworkMap, MediaType: alto.MediaTypeNetworkMap},
		{ID: "my-routingcost-map", Kind: alto.KindCostMap, MediaType: alto.MediaTypeCostMap, Uses: []string{nm}},
		{ID: "my-hopcount-map", Kind: alto.KindCostMap, MediaType: alto.MediaTypeCostMap, Uses: []string{nm}},
		{ID: "my-props", Kind: alto.KindEndpointProp, MediaType: alto.MediaTypeEndpointProp, Accepts: alto.MediaTypeEndpointPropParams},
		{ID: "update-my-costs", Kind: alto.KindUpdateStream, MediaType: alto.MediaTypeEventStream, Accepts: alto.MediaTypeUpdateStreamParams,
			Uses: []string{nm, "my-routingcost-map", "my-hopcount-map"}},
		{ID: "update-my-props", Kind: alto.KindUpdateStream, MediaType: alto.MediaTypeEventStream, Accepts: alto.MediaTypeUpdateStreamParams,
			Uses: []string{"my-props"}},
	}
}

// rfcWorld is one version of the RFC's documents. Network maps are
// versioned by their vtag; everything else by content, as this server does.
type rfcWorld struct {
	docs  map[string][]byte // GET resources by ID
	props map[string][]byte // endpoint property answers by canonical input
}

func (w *rfcWorld) document(res alto.Resource) (*doc, bool) {
	b, ok := w.docs[res.ID]
	if !ok {
		return nil, false
	}
	tag := alto.ContentTag(b)
	if res.Kind == alto.KindNetworkMap {
		var v struct {
			Meta struct {
				VTag alto.VersionTag `json:"vtag"`
			} `json:"meta"`
		}
		_ = json.Unmarshal(b, &v)
		tag = v.Meta.VTag.Tag
	}
	return &doc{mediaType: res.MediaType, tag: tag, body: b}, true
}

func (w *rfcWorld) query(res alto.Resource, input []byte, _ netip.Addr) ([]byte, error) {
	c, err := Canonical(input)
	if err != nil {
		return nil, &alto.Error{Code: alto.CodeSyntax, SyntaxError: err.Error()}
	}
	if b, ok := w.props[string(c)]; ok {
		return b, nil
	}
	return nil, &alto.Error{Code: alto.CodeInvalidFieldValue, Field: "endpoints"}
}

func newRFCHub(t *testing.T) *Hub {
	t.Helper()
	h, err := newHub(DefaultConfig(), rfcResources(), alto.Limits{MaxPIDs: 100, MaxEndpoints: 100}, &fakeSource{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.running.Store(true)
	return h
}

func rfcOpen(t *testing.T, h *Hub, service string, body []byte) *Stream {
	t.Helper()
	s, err := h.Open(service, body, netip.Addr{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// sameJSON fails unless got and want have the same canonical form.
func sameJSON(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if d := cmp.Diff(string(canonical(t, want)), string(canonical(t, got))); d != "" {
		t.Errorf("%s differs from the RFC (-rfc +ours):\n%s", what, d)
	}
}

func eventNames(evs []Event) []string {
	var names []string
	for _, e := range evs {
		names = append(names, e.Name())
	}
	return names
}

func wantEvents(t *testing.T, evs []Event, names ...string) {
	t.Helper()
	if d := cmp.Diff(names, eventNames(evs)); d != "" {
		t.Fatalf("events (-want +got):\n%s", d)
	}
}

// §3.1.2.1 and §3.2.2.1: the network map change, as both patch kinds.
func TestRFCNetworkMapPatches(t *testing.T) {
	orig, result := rfcFile(t, "3.1.2.1-networkmap-original"), rfcFile(t, "3.1.2.1-networkmap-merged-result")
	va, _ := decodeValue(orig)
	vb, _ := decodeValue(result)
	mp, ok := mergePatch(va, vb)
	if !ok {
		t.Fatal("no merge patch")
	}
	sameJSON(t, "merge patch", appendValue(nil, mp), rfcFile(t, "3.1.2.1-networkmap-merge-patch"))
	sameJSON(t, "JSON patch", appendJSONPatch(nil, va, vb), rfcFile(t, "3.2.2.1-networkmap-json-patch"))
	for _, p := range []string{"3.1.2.1-networkmap-merge-patch", "3.2.2.1-networkmap-json-patch"} {
		apply := ApplyMergePatch
		if p[2] == '2' {
			apply = ApplyJSONPatch
		}
		got, err := apply(orig, rfcFile(t, p))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		sameJSON(t, "result of "+p, got, result)
	}
}

// §3.1.2.2 and §3.2.2.2: the cost map change. The RFC's JSON patch
// replaces a member that does not exist: a strict client rejects it, and
// the patch we make adds it instead.
func TestRFCCostMapPatches(t *testing.T) {
	orig, result := rfcFile(t, "3.1.2.2-costmap-original"), rfcFile(t, "3.1.2.2-costmap-merged-result")
	va, _ := decodeValue(orig)
	vb, _ := decodeValue(result)
	mp, _ := mergePatch(va, vb)
	sameJSON(t, "merge patch", appendValue(nil, mp), rfcFile(t, "3.1.2.2-costmap-merge-patch"))
	got, err := ApplyMergePatch(orig, rfcFile(t, "3.1.2.2-costmap-merge-patch"))
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "merged", got, result)

	rfcJP := rfcFile(t, "3.2.2.2-costmap-json-patch")
	if _, err := ApplyJSONPatch(orig, rfcJP); err == nil {
		t.Error("the RFC's JSON patch (replace of a missing member) applied; want a strict rejection")
	}
	fixed := bytes.Replace(rfcJP, []byte(`"op": "replace",
    "path": "/cost-map/PID3/PID3"`), []byte(`"op": "add",
    "path": "/cost-map/PID3/PID3"`), 1)
	// The operations touch disjoint members, so their order is free: the
	// RFC writes meta first, we go by member name.
	sameJSON(t, "JSON patch (with the RFC's defect fixed)", sortedOps(t, appendJSONPatch(nil, va, vb)), sortedOps(t, fixed))
	if got, err = ApplyJSONPatch(orig, appendJSONPatch(nil, va, vb)); err != nil {
		t.Fatal(err)
	}
	sameJSON(t, "patched", got, result)
}

// §8.2: a stream on the network map and a cost map, then a network map
// change followed by the cost map that depends on it, then a cost change.
func TestRFCStreamNetworkMapThenCostMap(t *testing.T) {
	h := newRFCHub(t)
	nm1, cm1 := rfcFile(t, "8.2-sse-networkmap-full"), rfcFile(t, "8.2-sse-costmap-full")
	h.advance(&rfcWorld{docs: map[string][]byte{"my-network-map": nm1, "my-routingcost-map": cm1}})
	s := rfcOpen(t, h, "update-my-costs", rfcFile(t, "8.2-update-stream-request"))
	evs := drain(t, s)
	wantEvents(t, evs, "application/alto-networkmap+json,my-network-map", "application/alto-costmap+json,my-routingcost-map")
	sameJSON(t, "network map", evs[0].Data, nm1)
	sameJSON(t, "cost map", evs[1].Data, cm1)

	// The network map gains a prefix (the RFC's JSON patch); the cost map
	// follows with the new dependent vtag. The RFC's cost map event lacks
	// all meta but the tag: it is completed here.
	nm2, err := ApplyJSONPatch(nm1, rfcFile(t, "8.2-sse-networkmap-json-patch"))
	if err != nil {
		t.Fatal(err)
	}
	after, _ := decodeValue(rfcFile(t, "8.2-sse-costmap-full-after-netmap-change"))
	full, _ := decodeValue(cm1)
	full.(map[string]any)["cost-map"] = after.(map[string]any)["cost-map"]
	meta := full.(map[string]any)["meta"].(map[string]any)
	meta["dependent-vtags"].([]any)[0].(map[string]any)["tag"] = "a10ce8b059740b0b2e3f8eb1d4785acd42231bfe"
	meta["vtag"].(map[string]any)["tag"] = "c0ce023b8678a7b9ec00324673b98e54656d1f6d"
	cm2 := appendValue(nil, full)
	h.advance(&rfcWorld{docs: map[string][]byte{"my-network-map": nm2, "my-routingcost-map": cm2}})
	evs = drain(t, s)
	if len(evs) != 2 || evs[0].SubstreamID != "my-network-map" || evs[1].SubstreamID != "my-routingcost-map" {
		t.Fatalf("events %v; want the network map's update, then the cost map's", eventNames(evs))
	}
	// The RFC sends a JSON patch; the merge patch is smaller here, so
	// that is what we send. The JSON patch we would make is the RFC's.
	if evs[0].MediaType != alto.MediaTypeMergePatch || len(evs[0].Data) >= len(canonical(t, rfcFile(t, "8.2-sse-networkmap-json-patch"))) {
		t.Errorf("network map update is a %d-byte %s; want the smaller merge patch", len(evs[0].Data), evs[0].MediaType)
	}
	va, _ := decodeValue(nm1)
	vb, _ := decodeValue(nm2)
	sameJSON(t, "network map JSON patch", appendJSONPatch(nil, va, vb), rfcFile(t, "8.2-sse-networkmap-json-patch"))
	rep := NewReplica()
	rep.Docs["my-network-map"], rep.Docs["my-routingcost-map"] = canonical(t, nm1), canonical(t, cm1)
	for _, ev := range evs {
		if err := rep.Apply(ev); err != nil {
			t.Fatal(err)
		}
	}
	sameJSON(t, "patched network map", rep.Docs["my-network-map"], nm2)
	sameJSON(t, "patched cost map", rep.Docs["my-routingcost-map"], cm2)

	// A cost change: the RFC's merge patch, less the meta that changes
	// nothing (the RFC sets the tag the map already has).
	cm3, err := ApplyMergePatch(cm2, rfcFile(t, "8.2-sse-costmap-merge-patch"))
	if err != nil {
		t.Fatal(err)
	}
	h.advance(&rfcWorld{docs: map[string][]byte{"my-network-map": nm2, "my-routingcost-map": cm3}})
	evs = drain(t, s)
	wantEvents(t, evs, "application/merge-patch+json,my-routingcost-map")
	sameJSON(t, "cost map merge patch", evs[0].Data, []byte(`{"cost-map":{"PID1":{"PID2":9},"PID3":{"PID1":null,"PID3":1}}}`))

	// Unchanged content: no event.
	h.advance(&rfcWorld{docs: map[string][]byte{"my-network-map": nm2, "my-routingcost-map": cm3}})
	if evs := drain(t, s); len(evs) != 0 {
		t.Errorf("unchanged resources sent %v", eventNames(evs))
	}
}

// §8.3: a client that has the network map already (tag), two cost maps,
// patches, and stream control: remove one, a bad remove, remove all.
func TestRFCStreamControl(t *testing.T) {
	h := newRFCHub(t)
	nm := rfcFile(t, "3.1.2.1-networkmap-merged-result") // vtag a10ce8…, as the request's tag
	routing, hops := rfcFile(t, "3.1.2.2-costmap-original"), rfcFile(t, "3.1.2.2-costmap-original")
	hops = bytes.Replace(hops, []byte(`"routingcost"`), []byte(`"hopcount"`), 1)
	h.advance(&rfcWorld{docs: map[string][]byte{"my-network-map": nm, "my-routingcost-map": routing, "my-hopcount-map": hops}})
	s := rfcOpen(t, h, "update-my-costs", rfcFile(t, "8.3-update-stream-request-with-tag"))
	wantEvents(t, drain(t, s), "application/alto-costmap+json,routing", "application/alto-costmap+json,hops")

	routing2, _ := ApplyMergePatch(routing, rfcFile(t, "8.3-sse-routing-merge-patch"))
	hops2, _ := ApplyMergePatch(hops, rfcFile(t, "8.3-sse-hops-merge-patch"))
	h.advance(&rfcWorld{docs: map[string][]byte{"my-network-map": nm, "my-routingcost-map": routing2, "my-hopcount-map": hops2}})
	evs := drain(t, s)
	wantEvents(t, evs, "application/merge-patch+json,routing", "application/merge-patch+json,hops")
	sameJSON(t, "routing patch", evs[0].Data, rfcFile(t, "8.3-sse-routing-merge-patch"))
	sameJSON(t, "hops patch", evs[1].Data, rfcFile(t, "8.3-sse-hops-merge-patch"))

	if err := h.Control(s.ID(), rfcFile(t, "8.3-stream-control-remove-request")); err != nil {
		t.Fatalf("remove hops: %v (want 204)", err)
	}
	evs = drain(t, s)
	wantEvents(t, evs, alto.MediaTypeUpdateStreamControl)
	sameJSON(t, "stopped", evs[0].Data, rfcFile(t, "8.3-sse-stopped-hops"))

	// An unknown substream: 400 E_INVALID_FIELD_VALUE on "remove". The RFC
	// example's value is a string; §7.6 asks for the array of bad ids.
	err := h.Control(s.ID(), rfcFile(t, "8.3-stream-control-invalid-remove-request"))
	var le *ListValueError
	if !errors.As(err, &le) || le.Field != "remove" || !cmp.Equal(le.Values, []string{"properties"}) {
		t.Fatalf("bad remove: %v", err)
	}
	var rfcErr struct{ Meta map[string]string }
	_ = json.Unmarshal(rfcFile(t, "8.3-stream-control-error-response"), &rfcErr)
	if rfcErr.Meta["code"] != string(alto.CodeInvalidFieldValue) || rfcErr.Meta["field"] != le.Field || rfcErr.Meta["value"] != le.Values[0] {
		t.Errorf("RFC error %v; ours %v", rfcErr.Meta, le)
	}

	// Removing an id again is allowed; removing everything ends the stream.
	if err := h.Control(s.ID(), []byte(`{"remove":["hops"]}`)); err != nil {
		t.Errorf("removing hops twice: %v; want success", err)
	}
	if err := h.Control(s.ID(), rfcFile(t, "8.3-stream-control-remove-all-request")); err != nil {
		t.Fatal(err)
	}
	evs = drain(t, s)
	wantEvents(t, evs, alto.MediaTypeUpdateStreamControl)
	sameJSON(t, "stopped all", evs[0].Data, rfcFile(t, "8.3-sse-stopped-all"))
	if _, err := s.Next(t.Context()); !errors.Is(err, io.EOF) {
		t.Errorf("after removing everything Next = %v; want io.EOF", err)
	}
	if err := h.Control(s.ID(), []byte(`{"remove":["net"]}`)); !errors.Is(err, ErrStreamClosed) {
		t.Errorf("control of a closed stream = %v; want ErrStreamClosed (404)", err)
	}
}

// §8.4: endpoint properties with inputs, patched; two more added by
// stream control.
func TestRFCEndpointPropertyInputs(t *testing.T) {
	h := newRFCHub(t)
	var req struct {
		Add map[string]struct {
			Input json.RawMessage `json:"input"`
		} `json:"add"`
	}
	_ = json.Unmarshal(rfcFile(t, "8.4-update-stream-endpointprop-request"), &req)
	var add struct {
		Add map[string]struct {
			Input json.RawMessage `json:"input"`
		} `json:"add"`
	}
	_ = json.Unmarshal(rfcFile(t, "8.4-stream-control-add-request"), &add)
	inputs := map[string][]byte{}
	for id, a := range req.Add {
		inputs[id] = canonical(t, a.Input)
	}
	for id, a := range add.Add {
		inputs[id] = canonical(t, a.Input)
	}
	version := map[string][]byte{}
	for _, id := range []string{"props-1", "props-2", "props-3", "props-4"} {
		version[id] = rfcFile(t, "8.4-sse-"+id+"-full")
	}
	publish := func() {
		w := &rfcWorld{props: map[string][]byte{}}
		for id, in := range inputs {
			w.props[string(in)] = version[id]
		}
		h.advance(w)
	}
	publish()
	s := rfcOpen(t, h, "update-my-props", rfcFile(t, "8.4-update-stream-endpointprop-request"))
	// The RFC writes the media type application/alto-endpointprops+json;
	// RFC 7285's is application/alto-endpointprop+json.
	evs := drain(t, s)
	wantEvents(t, evs, "application/alto-endpointprop+json,props-1", "application/alto-endpointprop+json,props-2")
	sameJSON(t, "props-1", evs[0].Data, version["props-1"])

	step := func(id, patchFile string) {
		t.Helper()
		next, err := ApplyMergePatch(version[id], rfcFile(t, "8.4-sse-"+patchFile))
		if err != nil {
			t.Fatal(err)
		}
		version[id] = next
		publish()
		evs := drain(t, s)
		wantEvents(t, evs, "application/merge-patch+json,"+id)
		sameJSON(t, id+" patch", evs[0].Data, rfcFile(t, "8.4-sse-"+patchFile))
	}
	step("props-1", "props-1-merge-patch")
	step("props-2", "props-2-merge-patch")
	step("props-2", "props-2-merge-patch-2")

	if err := h.Control(s.ID(), rfcFile(t, "8.4-stream-control-add-request")); err != nil {
		t.Fatalf("add: %v (want 204)", err)
	}
	evs = drain(t, s)
	wantEvents(t, evs, "application/alto-endpointprop+json,props-3", "application/alto-endpointprop+json,props-4")
	sameJSON(t, "props-4", evs[1].Data, version["props-4"])
	step("props-3", "props-3-merge-patch")
	step("props-4", "props-4-merge-patch")
}

// §6.6 and §7.6: the errors of stream creation.
func TestRFCOpenErrors(t *testing.T) {
	h := newRFCHub(t)
	h.advance(&rfcWorld{docs: map[string][]byte{"my-network-map": rfcFile(t, "8.2-sse-networkmap-full")}})
	_, err := h.Open("update-my-costs", []byte(`{"add":{"my-network-map":{"resource-id":"my-networkmap/#"}}}`), netip.Addr{})
	var ae *alto.Error
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v", err)
	}
	var rfcErr struct{ Meta map[string]string }
	_ = json.Unmarshal(rfcFile(t, "6.6-update-stream-error-response"), &rfcErr)
	got := map[string]string{"code": string(ae.Code), "field": ae.Field, "value": ae.Value}
	if d := cmp.Diff(rfcErr.Meta, got); d != "" {
		t.Errorf("error (-rfc +ours):\n%s", d)
	}
	// A multipart resource (§8.5) is not among this stream's resources.
	_, err = h.Open("update-my-costs", rfcFile(t, "8.5-update-stream-multipart-request"), netip.Addr{})
	if !errors.As(err, &ae) || ae.Field != "add/ecspvsub1/resource-id" {
		t.Errorf("multipart request: %v", err)
	}
}

func sortedOps(t *testing.T, patch []byte) []byte {
	t.Helper()
	var ops []json.RawMessage
	if err := json.Unmarshal(patch, &ops); err != nil {
		t.Fatal(err)
	}
	var cs []string
	for _, o := range ops {
		cs = append(cs, string(canonical(t, o)))
	}
	slices.Sort(cs)
	return []byte("[" + strings.Join(cs, ",") + "]")
}
