// Package history keeps a bounded history of link metrics, the input of
// the RFC 8896 cost calendars.
//
// A [Recorder] samples the topology's current snapshot every
// SampleInterval and stores, for every link, the metrics that vary over a
// day: delays, loss, residual, available and utilised bandwidth. Samples
// older than Retention are dropped, so the store's size is bounded by
// links × Retention/SampleInterval × (a few bytes per metric).
//
// # Storage
//
// With a Path the samples live in a bbolt file and survive restarts. One
// key per sample time holds every link's values (float32, enough for a
// forecast); link IDs are numbered once in a dictionary. A store that
// cannot be used — corrupt, of an unknown format — is moved aside as
// <path>.corrupt-<unix time> and a new one started; one that is locked by
// another process, or cannot be created, is replaced by memory for this
// run. Either way the server starts with an empty history and logs why:
// the history improves forecasts but is never a reason to refuse service.
// Without a Path samples are kept in memory only.
//
// # Queries
//
// [Recorder.Means] averages each link's samples over a set of time
// windows; the alto package asks for the same hour of the same weekday in
// past weeks. The package imports topology only, not alto.
package history
