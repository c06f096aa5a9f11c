package updates

import (
	"encoding/json"
	"fmt"

	"github.com/altosdn/altosdn/alto"
)

// A Replica is a client's copy of the resources on one stream, kept up to
// date by applying the stream's events in order. Tests use it to check
// that what the server sends reproduces the server's resources exactly.
type Replica struct {
	// Docs holds each substream's current document, in canonical form.
	Docs map[string][]byte
	// ControlURI is the stream control URI from the first control event.
	ControlURI string
	// Stopped lists the substreams the server reported stopped.
	Stopped []string
	// Descriptions collects the description of every control event.
	Descriptions []string
	// Patches and Fulls count the data updates of each kind.
	Patches, Fulls int
}

// NewReplica returns an empty replica.
func NewReplica() *Replica { return &Replica{Docs: map[string][]byte{}} }

// Apply applies one event.
func (r *Replica) Apply(ev Event) error {
	if ev.IsControl() {
		var c Control
		if err := json.Unmarshal(ev.Data, &c); err != nil {
			return fmt.Errorf("updates: control event: %w", err)
		}
		if c.ControlURI != nil {
			r.ControlURI = *c.ControlURI
		}
		for _, id := range c.Stopped {
			delete(r.Docs, id)
		}
		r.Stopped = append(r.Stopped, c.Stopped...)
		if c.Description != "" {
			r.Descriptions = append(r.Descriptions, c.Description)
		}
		return nil
	}
	if ev.SubstreamID == "" {
		return fmt.Errorf("updates: data event %s without a substream id", ev.MediaType)
	}
	var next []byte
	var err error
	switch ev.MediaType {
	case alto.MediaTypeMergePatch, alto.MediaTypeJSONPatch:
		cur, ok := r.Docs[ev.SubstreamID]
		if !ok {
			return fmt.Errorf("updates: %s patch before any full replacement", ev.SubstreamID)
		}
		if ev.MediaType == alto.MediaTypeMergePatch {
			next, err = ApplyMergePatch(cur, ev.Data)
		} else {
			next, err = ApplyJSONPatch(cur, ev.Data)
		}
		r.Patches++
	default:
		next, err = Canonical(ev.Data)
		r.Fulls++
	}
	if err != nil {
		return fmt.Errorf("updates: %s: %w", ev.Name(), err)
	}
	r.Docs[ev.SubstreamID] = next
	return nil
}
