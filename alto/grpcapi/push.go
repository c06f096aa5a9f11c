package grpcapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"google.golang.org/grpc"
	"google.golang.org/grpc/peer"

	altov1 "github.com/altosdn/altosdn/proto/alto/v1"
	"github.com/altosdn/altosdn/topology"
)

// errStopping ends streams when the server shuts down.
var errStopping = errors.New("server shutting down")

// PushTopology applies a controller's stream of updates; see the package
// documentation for its semantics.
func (s *Server) PushTopology(stream grpc.BidiStreamingServer[altov1.PushTopologyRequest, altov1.PushTopologyResponse]) error {
	if !s.cfg.Push.Enabled {
		return toStatus(errPushDisabled)
	}
	ctx := stream.Context()
	from := "unknown"
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		from = p.Addr.String()
	}
	item := s.push.open(from)
	defer s.push.close(item)
	logger := s.logger.With("peer", from)

	// Recv blocks until the client sends or goes; receiving on a goroutine
	// lets the handler also end when the server stops.
	reqs := make(chan *altov1.PushTopologyRequest)
	recvErr := make(chan error, 1)
	quit := make(chan struct{})
	defer close(quit)
	go func() {
		for {
			req, err := stream.Recv()
			if err != nil {
				recvErr <- err
				return
			}
			select {
			case reqs <- req:
			case <-quit:
				return
			}
		}
	}()

	p := &pushSession{srv: s}
	for {
		var req *altov1.PushTopologyRequest
		select {
		case req = <-reqs:
		case err := <-recvErr:
			if p.pending != nil {
				logger.Warn("push stream ended inside a replace; its chunks are discarded", "chunks", p.chunks)
			}
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		case <-ctx.Done():
			return toStatus(ctx.Err())
		case <-s.stopping():
			return toStatus(errStopping)
		}
		ack, err := p.handle(ctx, req)
		if err != nil {
			err = &seqError{seq: req.GetSequence(), err: err}
			s.push.reject(item, err)
			if !errors.Is(err, errStopping) && !errors.Is(err, context.Canceled) {
				logger.Warn("topology push rejected", "source", p.src, "err", err)
			}
			return toStatus(err)
		}
		s.push.accept(item, req, ack)
		if err := stream.Send(ack); err != nil {
			return err
		}
	}
}

// pushSession is the state of one push stream.
type pushSession struct {
	srv *Server
	src topology.Source

	// A REPLACE in progress: the chunks so far, converted and checked.
	pending *elements
	conv    *converter
	chunks  int
}

func (p *pushSession) handle(ctx context.Context, req *altov1.PushTopologyRequest) (*altov1.PushTopologyResponse, error) {
	if err := p.source(req.GetSource()); err != nil {
		return nil, err
	}
	op, err := operation(req.GetOperation())
	if err != nil {
		return nil, err
	}
	if op != topology.OpReplace && p.pending != nil {
		return nil, errReplaceInProgress
	}
	if req.GetMore() && op != topology.OpReplace {
		return nil, invalid("more", "true", "only a REPLACE may span several requests")
	}
	ack := &altov1.PushTopologyResponse{Sequence: req.GetSequence()}
	if op != topology.OpReplace {
		e, err := newConverter(p.src, op == topology.OpWithdraw).convert(req)
		if err != nil {
			return nil, err
		}
		if err := p.commit(ctx, e.update(p.src, op)); err != nil {
			return nil, err
		}
		ack.Committed = true
		setCounts(ack, e)
		return ack, nil
	}

	if p.pending == nil {
		p.pending, p.conv, p.chunks = &elements{}, newConverter(p.src, false), 0
	}
	e, err := p.conv.convert(req)
	if err != nil {
		p.pending = nil // the whole replacement is void
		return nil, err
	}
	if total := p.pending.count() + e.count(); total > p.srv.cfg.Push.MaxReplaceElements {
		p.pending = nil
		return nil, invalid("nodes", fmt.Sprint(total), "the replacement exceeds %d elements (grpc.push.max_replace_elements)", p.srv.cfg.Push.MaxReplaceElements)
	}
	p.pending.add(e)
	p.chunks++
	if req.GetMore() {
		setCounts(ack, e)
		return ack, nil
	}
	all := p.pending
	p.pending = nil
	if err := p.commit(ctx, all.update(p.src, topology.OpReplace)); err != nil {
		return nil, err
	}
	ack.Committed = true
	setCounts(ack, all)
	return ack, nil
}

// source fixes the stream's source name on the first request.
func (p *pushSession) source(name string) error {
	src := topology.Source(name)
	if src == "" {
		src = p.srv.cfg.Push.Sources[0]
	}
	if p.src != "" {
		if src != p.src {
			return fmt.Errorf("%w: %q, then %q", errSourceChanged, p.src, src)
		}
		return nil
	}
	if !slices.Contains(p.srv.cfg.Push.Sources, src) {
		return fmt.Errorf("%w: %q", errUnknownSource, src)
	}
	p.src = src
	return nil
}

// commit validates u as the store will and queues it.
func (p *pushSession) commit(ctx context.Context, u topology.Update) error {
	if err := u.Validate(); err != nil {
		return fmt.Errorf("%w: %w", topology.ErrInvalidUpdate, err)
	}
	select {
	case p.srv.deps.Updates <- u:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-p.srv.stopping():
		return errStopping
	}
}

func setCounts(ack *altov1.PushTopologyResponse, e *elements) {
	ack.Nodes, ack.Links = uint32(len(e.nodes)), uint32(len(e.links))
	ack.Prefixes, ack.Overlays = uint32(len(e.prefixes)), uint32(len(e.overlays))
}
