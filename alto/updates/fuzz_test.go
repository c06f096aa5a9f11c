package updates

import (
	"net/netip"
	"testing"

	"github.com/altosdn/altosdn/alto"
)

// FuzzParseRequest: no update stream or stream control request panics the
// decoder, and whatever it accepts names only valid substream ids.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{
		`{"add":{"net":{"resource-id":"my-network-map","tag":"a10ce8b0"},"routing":{"resource-id":"my-routingcost-map"}}}`,
		`{"add":{"p":{"resource-id":"my-props","incremental-changes":false,"input":{"properties":["x"],"endpoints":["ipv4:192.0.2.1"]}}}}`,
		`{"remove":[]}`, `{"remove":["hops"]}`, `{"add":{}, "remove":[1]}`, `[]`, `{"add":null}`, `{"add":{"a":{"resource-id":null}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseRequest(body)
		if err != nil {
			return
		}
		for _, a := range req.add {
			if !alto.ValidResourceID(a.id) {
				t.Errorf("accepted substream id %q", a.id)
			}
		}
	})
}

// FuzzOpenAndControl drives a live hub with arbitrary requests: it must
// answer every one without panicking, and keep its invariants.
func FuzzOpenAndControl(f *testing.F) {
	f.Add([]byte(`{"add":{"n":{"resource-id":"default-network-map"}}}`), []byte(`{"remove":["n"]}`))
	f.Add([]byte(`{"add":{"f":{"resource-id":"filtered-cost-map","input":{"cost-type":{"cost-mode":"numerical","cost-metric":"routingcost"}}}}}`),
		[]byte(`{"add":{"g":{"resource-id":"endpoint-cost","input":{"cost-type":{"cost-mode":"numerical","cost-metric":"routingcost"},"endpoints":{"dsts":["ipv4:10.0.1.1"]}}}}}`))
	altoCfg := testConfig()
	h := newTestHub(f, DefaultConfig(), altoCfg)
	h.advance(mapsWorld{m: build(f, randomGraph(f, 8, 3, 1), altoCfg), limits: altoCfg.Limits})
	f.Fuzz(func(t *testing.T, open, control []byte) {
		s, err := h.Open(alto.UpdateStreamID, open, netip.Addr{})
		if err != nil {
			return
		}
		defer s.Close()
		_ = h.Control(s.ID(), control)
		drain(t, s)
	})
}
