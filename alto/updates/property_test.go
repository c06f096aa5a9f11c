package updates

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"

	"github.com/altosdn/altosdn/alto"
)

// TestPatchesReproduceResources is the property the service rests on: on
// random sequences of topology changes, applying every event a client
// receives to its copy gives, byte for byte after canonicalisation, the
// resource the server serves at that moment — for the network map, every
// cost map and inputs of every POST resource.
func TestPatchesReproduceResources(t *testing.T) {
	seeds := []uint64{1, 2, 3, 4}
	steps := 25
	if testing.Short() {
		seeds, steps = seeds[:1], 10
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			cfg := testConfig()
			h := newTestHub(t, DefaultConfig(), cfg)
			r := rand.New(rand.NewPCG(seed, 7))
			g := randomGraph(t, 30, 3, seed)
			m := build(t, g, cfg)
			h.advance(mapsWorld{m: m, limits: cfg.Limits})

			inputs := map[string]struct {
				res   string
				input string
			}{
				"fnm":  {alto.FilteredNetworkMapID, `{"pids":["router-0001","router-0002","default"]}`},
				"fcm":  {alto.FilteredCostMapID, `{"cost-type":{"cost-mode":"numerical","cost-metric":"routingcost"},"pids":{"srcs":["router-0001","router-0003"],"dsts":[]},"constraints":["le 150"]}`},
				"mcm":  {alto.FilteredMultiCostID, `{"multi-cost-types":[{"cost-mode":"numerical","cost-metric":"routingcost"},{"cost-mode":"numerical","cost-metric":"hopcount"}],"pids":{"srcs":["router-0004"],"dsts":[]}}`},
				"eps":  {alto.EndpointPropID, `{"properties":["` + cfg.NetworkMap.ResourceID + `.pid"],"endpoints":["ipv4:10.0.1.1","ipv4:172.16.0.1"]}`},
				"ecs":  {alto.EndpointCostID, `{"cost-type":{"cost-mode":"numerical","cost-metric":"routingcost"},"endpoints":{"srcs":["ipv4:10.0.2.1"],"dsts":["ipv4:10.0.5.1","ipv4:10.0.9.1","ipv4:172.20.0.1"]}}`},
				"ecs2": {alto.EndpointCostID, `{"cost-type":{"cost-mode":"numerical","cost-metric":"hopcount"},"endpoints":{"dsts":["ipv4:10.0.5.1"]}}`},
			}
			var add []string
			add = append(add, fmt.Sprintf(`"net":{"resource-id":%q}`, cfg.NetworkMap.ResourceID))
			for _, c := range m.CostMaps {
				add = append(add, fmt.Sprintf(`%q:{"resource-id":%q}`, c.ResourceID, c.ResourceID))
			}
			for id, in := range inputs {
				add = append(add, fmt.Sprintf(`%q:{"resource-id":%q,"input":%s}`, id, in.res, in.input))
			}
			s := mustOpen(t, h, `{"add":{`+strings.Join(add, ",")+`}}`)
			rep := NewReplica()
			resources := map[string]alto.Resource{}
			for _, res := range cfg.Resources() {
				resources[res.ID] = res
			}
			check := func(step int, what string) {
				t.Helper()
				for _, ev := range drain(t, s) {
					if err := rep.Apply(ev); err != nil {
						t.Fatalf("step %d (%s): %v", step, what, err)
					}
				}
				want := map[string][]byte{"net": m.NetworkMap.Response.Body}
				for _, c := range m.CostMaps {
					want[c.ResourceID] = c.Response.Body
				}
				for id, in := range inputs {
					b, err := m.Query(resources[in.res], []byte(in.input), netip.MustParseAddr("10.0.0.9"), cfg.Limits)
					if err != nil {
						t.Fatalf("%s: %v", id, err)
					}
					want[id] = b
				}
				for id, w := range want {
					if got := rep.Docs[id]; !bytes.Equal(got, canonical(t, w)) {
						t.Fatalf("step %d (%s): %s differs from the served resource\n got %s\nwant %s", step, what, id, got, canonical(t, w))
					}
				}
			}
			check(0, "initial")
			for step := 1; step <= steps; step++ {
				var what string
				g, what = mutate(t, g, r)
				m = build(t, g, cfg)
				h.advance(mapsWorld{m: m, limits: cfg.Limits})
				check(step, what)
			}
			if rep.Patches == 0 {
				t.Errorf("no patch in %d steps (%d full replacements)", steps, rep.Fulls)
			}
			t.Logf("%d patches, %d full replacements", rep.Patches, rep.Fulls)
		})
	}
}
