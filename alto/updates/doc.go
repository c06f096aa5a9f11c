// Package updates is the ALTO incremental update service (RFC 8895): it
// keeps clients' copies of the network map, the cost maps and the answers
// to their POST queries current by sending each change as a patch.
//
// It knows no HTTP: alto/httpapi serves a [Hub]'s streams as Server-Sent
// Events and over a WebSocket, and this package supplies the protocol —
// requests, patches, event order, version continuity, limits.
//
// # Resources
//
// The IRD lists (see alto.NewDirectory):
//
//   - update-stream: the RFC 8895 update stream service. POST, accepts
//     application/alto-updatestreamparams+json, answers text/event-stream.
//     Its uses are every network map, full cost map, filtered network and
//     cost map, endpoint property and endpoint cost resource; its
//     capabilities say support-stream-control: true and, per resource, the
//     incremental media types: application/merge-patch+json for full cost
//     maps, application/merge-patch+json,application/json-patch+json for
//     the rest.
//   - update-stream-ws: the same service over a WebSocket (an extension,
//     below), with the same uses and capabilities.
//   - Stream control services have no IRD entry: each stream has its own,
//     whose URI the stream's first event gives (RFC 8895 §7).
//
// # Events
//
// A stream opens with a control event carrying its control-uri. Each
// substream then gets a full replacement (unless the client's tag names
// the current version) and, after that, one event per change of its
// resource: a merge patch by default, a JSON patch where that is smaller
// (or where a merge patch cannot express a null), a full replacement where
// any patch would be larger than the resource. Unchanged content sends
// nothing. In each batch the network map's update comes before those of
// the resources that depend on it. Removing substreams yields a "stopped"
// control event; a stream left with none ends. So does every stream when
// the server shuts down, with a description saying so.
//
// Cost maps are patched from their dense matrices: one pass over the pairs
// when the network map kept its PIDs, writing only the changed pairs, as
// {"meta":{"dependent-vtags":[…]}, "cost-map":{src:{dst:cost|null}}}
// (meta only when the network map's vtag changed; a row that became empty
// is null). A network map whose PIDs changed replaces every cost map whole.
// Other resources are diffed as JSON documents.
//
// # Versions and slow clients
//
// The [Hub] computes each change once, when new maps are published, and
// shares it — patches and full bodies — with every stream: memory does not
// grow with the number of subscribers. Each substream records the version
// its client has; a client gets a patch only against that version, and a
// full replacement otherwise. A stream queues the changes its client has
// not yet been sent, bounded by Config.QueueChanges and Config.QueueBytes;
// the hub never waits for a stream. A stream that overflows is
// re-synchronised: its queue is dropped, and once it drains it gets a
// control event whose description says so, then the current versions in
// full. A client whose socket blocks one write for Config.WriteTimeout is
// dropped (the connection is closed). Keep-alives (SSE comments, WebSocket
// pings) go out after Config.KeepAlive of silence.
//
// # Inputs
//
// A substream on a POST resource names the request body as input. Equal
// inputs (same resource, same canonical JSON, and for endpoint costs the
// same client address) share one computation per change, whatever stream
// they come from. Config.MaxInputs bounds the distinct inputs of a stream
// and Config.MaxInputsTotal those of the server. An input that stops
// applying stops its substreams with a description.
//
// # Errors
//
// Bad requests are *alto.Error (400 with an ALTO error body): E_MISSING_FIELD
// "add" for a stream request without add; E_INVALID_FIELD_VALUE with the
// full path ("add/<id>/resource-id") for a resource the stream does not
// carry; the resource's own error for a bad input. Stream control answers
// 204 once applied, 404 for a closed stream, and a [ListValueError]
// (E_INVALID_FIELD_VALUE, field "remove", value the array of unknown ids,
// as RFC 8895 §7.6 says) for unknown substreams. A request that fails
// changes nothing.
//
// # The WebSocket extension
//
// GET the update-stream-ws URI with a WebSocket upgrade; the resource's
// media type is application/vnd.altosdn.updatestream+json (not
// registered; clients that do not know it ignore the entry). The client's
// first message is the update stream request, exactly what it would POST
// to update-stream. Every message after that comes from the server and
// mirrors one SSE event, one for one:
//
//	{"event": "application/merge-patch+json,rc", "data": {"cost-map": {"a": {"b": 5}}}}
//
// where "event" is the SSE event field (media type and substream id) and
// "data" the event's JSON. A refused request gets one message with event
// application/alto-error+json and the error body, then a close (policy
// violation). Stream control uses the control URI over HTTP, as for SSE.
// Keep-alives are pings; the stream ending closes with a normal closure.
package updates
