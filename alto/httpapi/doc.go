// Package httpapi serves the ALTO information resources over HTTP with Gin.
//
// It is the only package that imports Gin. Handlers read immutable maps from
// a [MapSource] and write their pre-encoded bodies: no request encodes JSON
// for a full map, and compressed bodies are made once per map version.
//
// # Protocol rules kept here
//
//   - Every response carries its exact RFC 7285 media type, without a
//     charset parameter; errors are application/alto-error+json.
//   - Each body has a strong entity tag derived from its content (the gzip
//     form has its own tag), and If-None-Match answers 304.
//   - Requests whose Accept header rules out the resource's media type get
//     406; unknown paths 404; a wrong method 405 with Allow.
//   - Until the first maps exist, resources answer 503 with Retry-After.
//
// # Update streams
//
// sse.go, streamcontrol.go and websocket.go serve the RFC 8895 update
// streams of an alto/updates Hub ([Server.Updates]), which must run beside
// [Server.Run]; until it runs, stream requests answer 503.
//
// # Lifecycle
//
// [Server.Run] serves until its context ends, then reports not-ready on
// /readyz for the configured shutdown delay (so load balancers stop sending
// traffic) and drains in-flight requests under a fresh timeout.
package httpapi
