package gnmi

import (
	"fmt"

	gpb "github.com/openconfig/gnmi/proto/gnmi"
)

// encodings maps configured names to gNMI encodings.
var encodings = map[string]gpb.Encoding{
	EncodingProto:    gpb.Encoding_PROTO,
	EncodingJSONIETF: gpb.Encoding_JSON_IETF,
}

// subscribeRequest builds the one STREAM request a target gets: every path
// in SAMPLE mode at the target's interval, bundled in one stream because
// devices cap concurrent Subscribe RPCs. SAMPLE also for oper-status and
// addresses keeps every leaf fresh, so one TTL covers the whole target.
func subscribeRequest(t TargetConfig) (*gpb.SubscribeRequest, error) {
	t = t.withDefaults()
	sl := &gpb.SubscriptionList{
		Mode:     gpb.SubscriptionList_STREAM,
		Encoding: encodings[t.Encoding],
	}
	if t.PrefixTarget != "" {
		sl.Prefix = &gpb.Path{Target: t.PrefixTarget}
	}
	for _, s := range t.Paths {
		p, err := parsePath(s)
		if err != nil {
			return nil, fmt.Errorf("paths: %w", err)
		}
		sl.Subscription = append(sl.Subscription, &gpb.Subscription{
			Path:           p,
			Mode:           gpb.SubscriptionMode_SAMPLE,
			SampleInterval: uint64(t.SampleInterval.Nanoseconds()),
		})
	}
	return &gpb.SubscribeRequest{Request: &gpb.SubscribeRequest_Subscribe{Subscribe: sl}}, nil
}
