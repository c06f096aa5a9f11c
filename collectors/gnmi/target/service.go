package target

import (
	"context"
	"crypto/subtle"
	"slices"
	"time"

	gpb "github.com/openconfig/gnmi/proto/gnmi"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// service implements the gNMI service for a Target.
type service struct {
	gpb.UnimplementedGNMIServer
	t *Target
}

// stream is one open STREAM subscription.
type stream struct {
	inject chan *gpb.Notification
}

// sub is one compiled subscription.
type sub struct {
	path     []*gpb.PathElem
	onChange bool
	interval time.Duration
}

// Capabilities reports the models and encodings the target serves.
func (s *service) Capabilities(context.Context, *gpb.CapabilityRequest) (*gpb.CapabilityResponse, error) {
	const org = "OpenConfig working group"
	return &gpb.CapabilityResponse{
		SupportedModels: []*gpb.ModelData{
			{Name: "openconfig-interfaces", Organization: org, Version: "3.8.1"},
			{Name: "openconfig-if-ethernet", Organization: org, Version: "2.18.0"},
			{Name: "openconfig-if-ip", Organization: org},
		},
		SupportedEncodings: []gpb.Encoding{gpb.Encoding_PROTO, gpb.Encoding_JSON_IETF, gpb.Encoding_JSON},
		GNMIVersion:        "0.10.0",
	}, nil
}

// Subscribe serves one subscription; see the package documentation.
func (s *service) Subscribe(gs gpb.GNMI_SubscribeServer) error {
	t := s.t
	req, err := gs.Recv()
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.requests = append(t.requests, proto.Clone(req).(*gpb.SubscribeRequest))
	t.mu.Unlock()

	sl := req.GetSubscribe()
	if sl == nil {
		return status.Error(codes.InvalidArgument, "the first request must be a subscribe request")
	}
	switch sl.GetMode() {
	case gpb.SubscriptionList_STREAM, gpb.SubscriptionList_ONCE:
	default:
		return status.Errorf(codes.Unimplemented, "subscription list mode %s is not supported", sl.GetMode())
	}
	enc := sl.GetEncoding()
	switch enc {
	case gpb.Encoding_PROTO, gpb.Encoding_JSON_IETF, gpb.Encoding_JSON:
	default:
		return status.Errorf(codes.Unimplemented, "encoding %s is not supported", enc)
	}
	if len(sl.GetSubscription()) == 0 {
		return status.Error(codes.InvalidArgument, "no subscriptions")
	}
	subs := make([]sub, 0, len(sl.GetSubscription()))
	for _, r := range sl.GetSubscription() {
		//lint:ignore SA1019 the deprecated field is read only to refuse it
		if len(r.GetPath().GetElement()) > 0 || len(sl.GetPrefix().GetElement()) > 0 {
			return status.Error(codes.InvalidArgument, "deprecated path.element is not supported; use path.elem")
		}
		iv := time.Duration(r.GetSampleInterval())
		if iv == 0 {
			iv = t.cfg.DefaultSampleInterval
		}
		iv = max(iv, t.cfg.MinSampleInterval)
		subs = append(subs, sub{
			path:     normalize(sl.GetPrefix(), r.GetPath()),
			onChange: r.GetMode() == gpb.SubscriptionMode_ON_CHANGE,
			interval: iv,
		})
	}
	w := &writer{gs: gs, t: t, enc: enc, prefixTarget: sl.GetPrefix().GetTarget()}

	st := &stream{inject: make(chan *gpb.Notification, 256)}
	if sl.GetMode() == gpb.SubscriptionList_STREAM {
		t.mu.Lock()
		t.streams[st] = struct{}{}
		t.mu.Unlock()
		defer func() {
			t.mu.Lock()
			delete(t.streams, st)
			t.mu.Unlock()
		}()
	}

	all := make([]*sub, len(subs))
	for i := range subs {
		all[i] = &subs[i]
	}
	// Taken before the first sample, so that a change made after it wakes
	// the loop below.
	changed := t.changedChan()
	sent, err := w.sample(all)
	if err != nil {
		return err
	}
	if sent {
		if err := gs.Send(&gpb.SubscribeResponse{Response: &gpb.SubscribeResponse_SyncResponse{SyncResponse: true}}); err != nil {
			return err
		}
	}
	if sl.GetMode() == gpb.SubscriptionList_ONCE {
		return nil
	}
	t.logger.Debug("subscription started", "subscriptions", len(subs), "encoding", enc.String())
	return w.loop(gs.Context(), st, subs, changed, !sent)
}

// writer sends one stream's notifications.
type writer struct {
	gs           gpb.GNMI_SubscribeServer
	t            *Target
	enc          gpb.Encoding
	prefixTarget string
}

// group is the SAMPLE subscriptions sharing one interval.
type group struct {
	interval time.Duration
	subs     []*sub
	next     time.Time
}

func (w *writer) loop(ctx context.Context, st *stream, subs []sub, changed <-chan struct{}, needSync bool) error {
	var groups []*group
	var onChange []*sub
	now := time.Now()
	for i := range subs {
		s := &subs[i]
		if s.onChange {
			onChange = append(onChange, s)
			continue
		}
		j := slices.IndexFunc(groups, func(g *group) bool { return g.interval == s.interval })
		if j < 0 {
			groups = append(groups, &group{interval: s.interval, next: now.Add(s.interval)})
			j = len(groups) - 1
		}
		groups[j].subs = append(groups[j].subs, s)
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		if len(groups) > 0 {
			next := groups[0].next
			for _, g := range groups[1:] {
				if g.next.Before(next) {
					next = g.next
				}
			}
			timer.Reset(time.Until(next))
		}
		var due []*sub
		select {
		case <-ctx.Done():
			return nil
		case n := <-st.inject:
			if w.prefixTarget != "" {
				n = proto.Clone(n).(*gpb.Notification)
				if n.Prefix == nil {
					n.Prefix = &gpb.Path{}
				}
				n.Prefix.Target = w.prefixTarget
			}
			if err := w.gs.Send(&gpb.SubscribeResponse{Response: &gpb.SubscribeResponse_Update{Update: n}}); err != nil {
				return err
			}
			continue
		case <-changed:
			changed = w.t.changedChan() // before sampling: later changes close it
			due = onChange
		case <-timer.C:
			now := time.Now()
			for _, g := range groups {
				if !g.next.After(now) {
					due = append(due, g.subs...)
					g.next = g.next.Add(g.interval)
					if g.next.Before(now) { // we fell behind; do not burst
						g.next = now.Add(g.interval)
					}
				}
			}
		}
		if len(due) == 0 {
			continue
		}
		sent, err := w.sample(due)
		if err != nil {
			return err
		}
		if sent && needSync { // the stream started stalled: sync after the first data
			needSync = false
			if err := w.gs.Send(&gpb.SubscribeResponse{Response: &gpb.SubscribeResponse_SyncResponse{SyncResponse: true}}); err != nil {
				return err
			}
		}
	}
}

// sample sends, for every interface, one notification with the leaves that
// any of subs covers. It sends nothing while the target is stalled and
// reports whether it was allowed to send.
func (w *writer) sample(subs []*sub) (bool, error) {
	t := w.t
	t.mu.Lock()
	if t.stalled {
		t.mu.Unlock()
		return false, nil
	}
	now := t.cfg.Now()
	names := make([]string, 0, len(t.ifaces))
	for n := range t.ifaces {
		names = append(names, n)
	}
	slices.Sort(names)
	var ns []*gpb.Notification
	for _, name := range names {
		f := t.ifaces[name]
		f.advance(now)
		var ups []*gpb.Update
		for _, l := range f.leaves() {
			for _, s := range subs {
				if matches(s.path, name, l.rel) {
					ups = append(ups, &gpb.Update{Path: &gpb.Path{Elem: l.rel}, Val: l.typed(w.enc)})
					break
				}
			}
		}
		if len(ups) == 0 {
			continue
		}
		ns = append(ns, &gpb.Notification{
			Timestamp: now.UnixNano(),
			Prefix: &gpb.Path{Target: w.prefixTarget, Elem: []*gpb.PathElem{
				{Name: "interfaces"},
				{Name: "interface", Key: map[string]string{"name": name}},
			}},
			Update: ups,
		})
	}
	t.mu.Unlock()
	// Send outside the lock: a slow client must not block the caller.
	for _, n := range ns {
		if err := w.gs.Send(&gpb.SubscribeResponse{Response: &gpb.SubscribeResponse_Update{Update: n}}); err != nil {
			return true, err
		}
	}
	return true, nil
}

func (t *Target) checkAuth(ctx context.Context) error {
	md, _ := metadata.FromIncomingContext(ctx)
	u, p := md.Get("username"), md.Get("password")
	if len(u) != 1 || len(p) != 1 ||
		subtle.ConstantTimeCompare([]byte(u[0]), []byte(t.cfg.Username)) != 1 ||
		subtle.ConstantTimeCompare([]byte(p[0]), []byte(t.cfg.Password)) != 1 {
		return status.Error(codes.Unauthenticated, "bad username or password")
	}
	return nil
}

func (t *Target) authUnary(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	if err := t.checkAuth(ctx); err != nil {
		return nil, err
	}
	return h(ctx, req)
}

func (t *Target) authStream(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
	if err := t.checkAuth(ss.Context()); err != nil {
		return err
	}
	return h(srv, ss)
}

// changedChan returns the channel the next interface change closes.
func (t *Target) changedChan() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.changed
}
