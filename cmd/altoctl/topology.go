package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/altosdn/altosdn/collectors/static"
	altov1 "github.com/altosdn/altosdn/proto/alto/v1"
	"github.com/altosdn/altosdn/topology"
)

var cmdTopology = &command{
	name:    "topology",
	args:    "push FILE",
	minArgs: 2, maxArgs: 2,
	summary: "push a topology file to altod as a controller would (gRPC)",
	about: `Reads a topology file (native YAML/JSON, Repetita, Topology Zoo GraphML or
SNDlib; see collectors/static/README.md) and pushes it over the gRPC
PushTopology stream under the controller's source name.

-op replace (the default) replaces everything the source contributed, in
chunks of -chunk elements that the server applies all at once after the
last one: an invalid chunk applies none. -op upsert adds or updates the
elements and -op withdraw removes them; each chunk is then one atomic
update, applied in order, and an invalid one stops the push with the
earlier chunks applied.`,
	setup: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
		format := fs.String("format", static.FormatAuto, "file format: auto, native, repetita, graphml or sndlib")
		op := fs.String("op", "replace", "operation: replace, upsert or withdraw")
		chunk := fs.Int("chunk", 5000, "elements per request")
		source := fs.String("source", "", `source name (default: the server's first accepted name, normally "controller")`)
		out := outputFlag(fs, "table", "json")
		return func(ctx context.Context, e *env, args []string) error {
			if args[0] != "push" {
				return fmt.Errorf("topology: unknown action %q (want push)", args[0])
			}
			ops := map[string]altov1.Operation{
				"replace": altov1.Operation_OPERATION_REPLACE, "upsert": altov1.Operation_OPERATION_UPSERT,
				"withdraw": altov1.Operation_OPERATION_WITHDRAW,
			}
			pop, ok := ops[*op]
			if !ok {
				return fmt.Errorf("-op: unknown operation %q (want replace, upsert or withdraw)", *op)
			}
			if *chunk < 1 {
				return fmt.Errorf("-chunk: must be at least 1")
			}
			t, err := static.Load(args[1], *format)
			if err != nil {
				return err
			}
			reqs := pushRequests(t, pop, *source, *chunk)
			ctx, cancel := e.withTimeout(ctx)
			defer cancel()
			c, closeConn, err := e.dialGRPC()
			if err != nil {
				return err
			}
			defer closeConn()
			acks, err := push(ctx, c, reqs)
			if err != nil {
				return err
			}
			last := acks[len(acks)-1]
			summary := struct {
				File      string `json:"file"`
				Format    string `json:"format"`
				Operation string `json:"operation"`
				Requests  int    `json:"requests"`
				Nodes     int    `json:"nodes"`
				Links     int    `json:"links"`
				Prefixes  int    `json:"prefixes"`
				Committed bool   `json:"committed"`
			}{args[1], t.Format, *op, len(reqs), len(t.Nodes), len(t.Links), len(t.Prefixes), last.GetCommitted()}
			if out.json() {
				return printJSON(e.stdout, summary)
			}
			fmt.Fprintf(e.stdout, "pushed %s (%s): %d nodes, %d links, %d prefixes as %s in %d request(s); committed\n",
				summary.File, summary.Format, summary.Nodes, summary.Links, summary.Prefixes, summary.Operation, summary.Requests)
			return nil
		}
	},
}

// push sends reqs on one stream and waits for an acknowledgement of each.
func push(ctx context.Context, c altov1.AltoServiceClient, reqs []*altov1.PushTopologyRequest) ([]*altov1.PushTopologyResponse, error) {
	stream, err := c.PushTopology(ctx)
	if err != nil {
		return nil, grpcError(err)
	}
	sendErr := make(chan error, 1)
	go func() {
		for _, r := range reqs {
			if err := stream.Send(r); err != nil {
				sendErr <- err // the server ended the stream; Recv says why
				return
			}
		}
		sendErr <- stream.CloseSend()
	}()
	var acks []*altov1.PushTopologyResponse
	for {
		ack, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			<-sendErr
			return acks, grpcError(err)
		}
		acks = append(acks, ack)
	}
	if err := <-sendErr; err != nil && !errors.Is(err, io.EOF) {
		return acks, err
	}
	if len(acks) != len(reqs) {
		return acks, fmt.Errorf("server acknowledged %d of %d requests", len(acks), len(reqs))
	}
	return acks, nil
}

// pushRequests splits a topology into requests of at most chunk elements:
// nodes first, then links, then prefixes. A REPLACE marks all but the last
// with more.
func pushRequests(t *static.Topology, op altov1.Operation, source string, chunk int) []*altov1.PushTopologyRequest {
	var reqs []*altov1.PushTopologyRequest
	cur := &altov1.PushTopologyRequest{}
	n := 0
	flush := func(force bool) {
		if n == 0 && !force {
			return
		}
		cur.Sequence, cur.Source, cur.Operation = uint64(len(reqs)+1), source, op
		reqs = append(reqs, cur)
		cur, n = &altov1.PushTopologyRequest{}, 0
	}
	add := func() {
		n++
		if n == chunk {
			flush(false)
		}
	}
	for _, nd := range t.Nodes {
		cur.Nodes = append(cur.Nodes, nodeProto(nd))
		add()
	}
	for _, l := range t.Links {
		cur.Links = append(cur.Links, linkProto(l))
		add()
	}
	for _, p := range t.Prefixes {
		pp := &altov1.Prefix{Node: &altov1.NodeRef{Id: string(p.Node)}, Prefix: p.Prefix.String()}
		if p.Metric.Set {
			pp.Metric = &p.Metric.V
		}
		cur.Prefixes = append(cur.Prefixes, pp)
		add()
	}
	flush(len(reqs) == 0) // an empty REPLACE clears the source
	if op == altov1.Operation_OPERATION_REPLACE {
		for _, r := range reqs[:len(reqs)-1] {
			r.More = true
		}
	}
	return reqs
}

func nodeProto(n topology.Node) *altov1.Node {
	out := &altov1.Node{
		Key: &altov1.NodeKey{Protocol: altov1.Protocol(n.Key.Protocol), Instance: n.Key.Instance, Asn: n.Key.AS,
			Area: n.Key.Area, RouterId: n.Key.RouterID},
		Name: n.Name, Pseudo: n.Pseudo,
	}
	if n.RouterIDv4.IsValid() {
		out.RouterIdV4 = n.RouterIDv4.String()
	}
	if n.RouterIDv6.IsValid() {
		out.RouterIdV6 = n.RouterIDv6.String()
	}
	return out
}

func linkProto(l topology.Link) *altov1.Link {
	k := &altov1.LinkKey{
		Local: &altov1.NodeRef{Id: string(l.Key.Local)}, Remote: &altov1.NodeRef{Id: string(l.Key.Remote)},
		LocalIfId: l.Key.LocalIfID, RemoteIfId: l.Key.RemoteIfID, Mtid: uint32(l.Key.MTID),
	}
	if l.Key.LocalAddr.IsValid() {
		k.LocalAddr = l.Key.LocalAddr.String()
	}
	if l.Key.RemoteAddr.IsValid() {
		k.RemoteAddr = l.Key.RemoteAddr.String()
	}
	m := &altov1.LinkMetrics{}
	set := map[topology.Metric]**float64{
		topology.MetricIGP: &m.IgpMetric, topology.MetricTE: &m.TeMetric,
		topology.MetricMaxBandwidth: &m.MaxBandwidthBps, topology.MetricMaxReservableBandwidth: &m.MaxReservableBandwidthBps,
		topology.MetricUnreservedBandwidth: &m.UnreservedBandwidthBps, topology.MetricDelay: &m.DelayUs,
		topology.MetricMinDelay: &m.MinDelayUs, topology.MetricMaxDelay: &m.MaxDelayUs,
		topology.MetricDelayVariation: &m.DelayVariationUs, topology.MetricLoss: &m.LossPercent,
		topology.MetricResidualBandwidth: &m.ResidualBandwidthBps, topology.MetricAvailableBandwidth: &m.AvailableBandwidthBps,
		topology.MetricUtilizedBandwidth: &m.UtilizedBandwidthBps,
	}
	for _, metric := range topology.AllMetrics() {
		if v, ok := l.Metrics.Get(metric); ok {
			if p, known := set[metric]; known {
				*p = &v
			}
		}
	}
	return &altov1.Link{Key: k, Metrics: m, Down: l.Down}
}
