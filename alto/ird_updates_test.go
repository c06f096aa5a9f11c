package alto

import (
	"encoding/json"
	"testing"
)

func TestUpdateResourcesInDirectory(t *testing.T) {
	cfg := DefaultConfig()
	rs := cfg.Resources()
	_, enc, err := NewDirectory(rs, cfg.NetworkMap.ResourceID, func(r Resource) string { return "/" + r.ID })
	if err != nil {
		t.Fatal(err)
	}
	var ird struct {
		Resources map[string]struct {
			MediaType    string   `json:"media-type"`
			Accepts      string   `json:"accepts"`
			Uses         []string `json:"uses"`
			Capabilities struct {
				Incremental   map[string]string `json:"incremental-change-media-types"`
				StreamControl bool              `json:"support-stream-control"`
			} `json:"capabilities"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(enc.Body, &ird); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{UpdateStreamID, UpdateWebSocketID} {
		e, ok := ird.Resources[id]
		if !ok {
			t.Fatalf("%s not in the directory", id)
		}
		if !e.Capabilities.StreamControl {
			t.Errorf("%s: support-stream-control not true", id)
		}
		used := map[string]bool{}
		for _, u := range e.Uses {
			used[u] = true
			if e.Capabilities.Incremental[u] == "" {
				t.Errorf("%s: no incremental media types for %s", id, u)
			}
		}
		for _, r := range rs {
			if Updatable(r) != used[r.ID] {
				t.Errorf("%s: uses %s = %v; want %v", id, r.ID, used[r.ID], Updatable(r))
			}
		}
	}
	sse := ird.Resources[UpdateStreamID]
	if sse.MediaType != MediaTypeEventStream || sse.Accepts != MediaTypeUpdateStreamParams {
		t.Errorf("update stream: %q accepts %q", sse.MediaType, sse.Accepts)
	}
	if got := sse.Capabilities.Incremental[cfg.NetworkMap.ResourceID]; got != MediaTypeMergePatch+","+MediaTypeJSONPatch {
		t.Errorf("network map incremental types %q", got)
	}
}
