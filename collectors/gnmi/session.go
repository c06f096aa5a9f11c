package gnmi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"

	gpb "github.com/openconfig/gnmi/proto/gnmi"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// errStalled ends a stream that stayed silent past the stall timeout.
var errStalled = errors.New("stream stalled: no message within the stall timeout")

// eventKind says what a session reports to the engine.
type eventKind uint8

const (
	evStream eventKind = iota // a new stream: forget the target's baselines
	evData                    // a notification
)

// event is what a session sends to the engine, in stream order.
type event struct {
	target int
	kind   eventKind
	n      *gpb.Notification
	at     time.Time // local receive time
}

// backoff is capped exponential backoff with jitter: each wait is drawn
// from [d/2, 3d/2), d doubling from min up to max, so targets that failed
// together do not retry together.
type backoff struct {
	min, max, cur time.Duration
}

func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
	}
	d := b.cur/2 + rand.N(b.cur)
	b.cur = min(2*b.cur, b.max)
	return min(d, b.max)
}

func (b *backoff) reset() { b.cur = 0 }

// session keeps one target subscribed until ctx is done, reconnecting with
// backoff. It reports every failure at Warn and in the status board.
func (c *Collector) session(ctx context.Context, i int, events chan<- event) {
	t := c.cfg.Targets[i].withDefaults()
	logger := c.logger.With("target", t.Name)
	bo := backoff{min: c.cfg.ReconnectMin, max: c.cfg.ReconnectMax}
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			c.board.count(i, cntReconnects, 1)
		}
		start := time.Now()
		err := c.subscribe(ctx, i, t, events, logger)
		if ctx.Err() != nil {
			c.board.setState(i, stateIdle, false, nil, time.Now())
			return
		}
		c.firstAttemptDone(i)
		if errors.Is(err, errStalled) {
			c.board.count(i, cntStalls, 1)
		}
		// A stream that lived long was healthy: start the backoff over.
		if time.Since(start) >= c.cfg.ReconnectMax {
			bo.reset()
		}
		d := bo.next()
		logger.Warn("gnmi target unavailable, retrying", "address", t.Address, "err", err, "retry_in", d)
		c.board.setState(i, stateBackoff, false, err, time.Now())
		select {
		case <-ctx.Done():
			c.board.setState(i, stateIdle, false, nil, time.Now())
			return
		case <-time.After(d):
		}
	}
}

// subscribe runs one connection and stream to the end; it always returns a
// non-nil error that says why the stream ended.
func (c *Collector) subscribe(ctx context.Context, i int, t TargetConfig, events chan<- event, logger *slog.Logger) error {
	c.board.setState(i, stateConnecting, false, nil, time.Now())
	opts, err := c.dialOptions(t)
	if err != nil {
		return err
	}
	req, err := subscribeRequest(t)
	if err != nil {
		return err
	}
	conn, err := grpc.NewClient(t.Address, opts...)
	if err != nil {
		return fmt.Errorf("dial %s: %w", t.Address, err)
	}
	defer conn.Close()

	// The stall timer covers connecting too: a blackholed address is given
	// up after the stall timeout rather than after TCP's minutes.
	stall := c.cfg.stallTimeout(t)
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	timer := time.AfterFunc(stall, func() { cancel(errStalled) })
	defer timer.Stop()
	cause := func(err error) error {
		if c := context.Cause(sctx); errors.Is(c, errStalled) {
			return errStalled
		}
		return err
	}

	client := gpb.NewGNMIClient(conn)
	if err := checkCapabilities(sctx, client, t); err != nil {
		return cause(err)
	}
	stream, err := client.Subscribe(sctx)
	if err != nil {
		return cause(fmt.Errorf("subscribe: %w", err))
	}
	if err := stream.Send(req); err != nil {
		return cause(fmt.Errorf("send subscribe request: %w", err))
	}
	// Baselines from an earlier stream must go before the first sample of
	// this one: counters may have been reset and re-grown meanwhile.
	if !c.emit(ctx, events, event{target: i, kind: evStream, at: time.Now()}) {
		return ctx.Err()
	}
	c.board.setState(i, stateSubscribed, true, nil, time.Now())
	logger.Info("gnmi target subscribed", "address", t.Address, "encoding", t.Encoding,
		"sample_interval", t.SampleInterval, "paths", len(t.Paths))
	for {
		resp, err := stream.Recv()
		if err != nil {
			return cause(fmt.Errorf("receive: %w", err))
		}
		timer.Reset(stall)
		switch r := resp.GetResponse().(type) {
		case *gpb.SubscribeResponse_Update:
			if !c.emit(ctx, events, event{target: i, kind: evData, n: r.Update, at: time.Now()}) {
				return ctx.Err()
			}
		case *gpb.SubscribeResponse_SyncResponse:
			if r.SyncResponse {
				c.board.setState(i, stateSynced, true, nil, time.Now())
				c.firstAttemptDone(i)
				logger.Debug("gnmi initial sync complete")
			}
		case *gpb.SubscribeResponse_Error:
			//lint:ignore SA1019 deprecated, but old targets send it
			return fmt.Errorf("target error: %s", r.Error.GetMessage())
		}
		// A response with nothing in it is a keepalive (NX-OS): the timer
		// reset above is all it is for.
	}
}

// checkCapabilities makes sure the target speaks the configured encoding.
// Targets without Capabilities (many test servers) are given the benefit
// of the doubt; a refused login fails here, before subscribing.
func checkCapabilities(ctx context.Context, client gpb.GNMIClient, t TargetConfig) error {
	resp, err := client.Capabilities(ctx, &gpb.CapabilityRequest{})
	if status.Code(err) == codes.Unimplemented {
		return nil
	}
	if err != nil {
		return fmt.Errorf("capabilities: %w", err)
	}
	enc := encodings[t.Encoding]
	if len(resp.GetSupportedEncodings()) > 0 && !slices.Contains(resp.GetSupportedEncodings(), enc) {
		return fmt.Errorf("capabilities: encoding %s not supported (target offers %v)", enc, resp.GetSupportedEncodings())
	}
	return nil
}

// emit sends an event unless ctx is done first.
func (c *Collector) emit(ctx context.Context, events chan<- event, ev event) bool {
	select {
	case events <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}
