package alto

// Kinds of the update resources (RFC 8895). They are numbered apart from
// the kinds in ird.go so that either list can grow without renumbering
// the other.
const (
	// KindUpdateStream is an RFC 8895 update stream service (SSE).
	KindUpdateStream ResourceKind = 100 + iota
	// KindStreamControl is a stream control service. It is never listed in
	// the IRD: each stream has its own, announced in the stream's first
	// control event (RFC 8895 §7).
	KindStreamControl
	// KindUpdateWebSocket is this server's extension: the same update
	// events over a WebSocket.
	KindUpdateWebSocket
)

// IDs of the update resources.
const (
	UpdateStreamID    = "update-stream"
	UpdateWebSocketID = "update-stream-ws"
)

// Media types of RFC 8895 and of the patches it carries.
const (
	MediaTypeEventStream         = "text/event-stream"
	MediaTypeUpdateStreamParams  = "application/alto-updatestreamparams+json"
	MediaTypeUpdateStreamControl = "application/alto-updatestreamcontrol+json"
	MediaTypeMergePatch          = "application/merge-patch+json" // RFC 7396
	MediaTypeJSONPatch           = "application/json-patch+json"  // RFC 6902
	// MediaTypeUpdateWebSocket names the WebSocket extension resource. It
	// is not registered: clients that do not know it ignore the entry.
	MediaTypeUpdateWebSocket = "application/vnd.altosdn.updatestream+json"
)

// appendUpdateResources adds the update stream services, which can update
// every resource listed before them.
func appendUpdateResources(rs []Resource) []Resource {
	uses := make([]string, 0, len(rs))
	for _, r := range rs {
		if Updatable(r) {
			uses = append(uses, r.ID)
		}
	}
	return append(rs,
		Resource{ID: UpdateStreamID, Kind: KindUpdateStream, MediaType: MediaTypeEventStream,
			Accepts: MediaTypeUpdateStreamParams, Uses: uses},
		// A WebSocket opens with a GET, so the entry has no accepts; the
		// update stream request is the first message the client sends.
		Resource{ID: UpdateWebSocketID, Kind: KindUpdateWebSocket, MediaType: MediaTypeUpdateWebSocket, Uses: uses},
	)
}

// Updatable reports whether an update stream can carry r.
func Updatable(r Resource) bool {
	switch r.Kind {
	case KindNetworkMap, KindCostMap, KindFilteredNetworkMap, KindFilteredCostMap, KindEndpointProp, KindEndpointCost:
		return true
	}
	return false
}

// IncrementalMediaTypes is the incremental-change-media-types value for a
// resource (RFC 8895 §6.3). Full cost maps are patched from their dense
// matrices, always as a merge patch: their values are never null, and a
// JSON patch spends an "op" and a path on each changed pair. Every other
// resource is diffed as a JSON document and may get either kind, whichever
// is smaller.
func IncrementalMediaTypes(r Resource) string {
	if r.Kind == KindCostMap {
		return MediaTypeMergePatch
	}
	return MediaTypeMergePatch + "," + MediaTypeJSONPatch
}

// addUpdateCapabilities gives an update resource's entry its RFC 8895
// capabilities: the incremental media types of every resource it uses
// (byID holds all resources) and stream control.
func addUpdateCapabilities(e *DirectoryEntry, r Resource, byID map[string]Resource) {
	if r.Kind != KindUpdateStream && r.Kind != KindUpdateWebSocket {
		return
	}
	caps := &Capabilities{IncrementalChangeMediaTypes: map[string]string{}, SupportStreamControl: true}
	for _, u := range r.Uses {
		caps.IncrementalChangeMediaTypes[u] = IncrementalMediaTypes(byID[u])
	}
	e.Capabilities = caps
}
