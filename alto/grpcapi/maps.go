package grpcapi

import (
	"context"

	"google.golang.org/grpc"

	"github.com/altosdn/altosdn/alto"
	altov1 "github.com/altosdn/altosdn/proto/alto/v1"
)

// ListResources lists the network and cost maps.
func (s *Server) ListResources(context.Context, *altov1.ListResourcesRequest) (*altov1.ListResourcesResponse, error) {
	out := &altov1.ListResourcesResponse{DefaultNetworkMap: s.deps.ALTO.NetworkMap.ResourceID}
	for _, r := range s.resources {
		if pr, ok := resourceProto(r); ok {
			out.Resources = append(out.Resources, pr)
		}
	}
	return out, nil
}

func (s *Server) current() (*alto.Maps, error) {
	m, _ := s.deps.Maps.Watch()
	if m == nil {
		return nil, alto.ErrNotReady
	}
	return m, nil
}

// GetNetworkMap returns the network map.
func (s *Server) GetNetworkMap(_ context.Context, req *altov1.GetNetworkMapRequest) (*altov1.GetNetworkMapResponse, error) {
	id := req.GetResourceId()
	if id != "" && id != s.deps.ALTO.NetworkMap.ResourceID {
		return nil, toStatus(alto.ErrUnknownResource)
	}
	m, err := s.current()
	if err != nil {
		return nil, toStatus(err)
	}
	out := &altov1.GetNetworkMapResponse{NetworkMap: networkMapProto(m.NetworkMap), Generation: m.Generation}
	if req.GetIncludeJson() {
		out.Json = m.NetworkMap.Response.Body
	}
	return out, nil
}

// GetCostMap returns the full cost map named by resource ID or cost type.
func (s *Server) GetCostMap(_ context.Context, req *altov1.GetCostMapRequest) (*altov1.GetCostMapResponse, error) {
	id, err := s.costMapID(req)
	if err != nil {
		return nil, toStatus(err)
	}
	m, err := s.current()
	if err != nil {
		return nil, toStatus(err)
	}
	cm, ok := m.CostMap(id)
	if !ok {
		return nil, toStatus(alto.ErrUnknownResource)
	}
	pb, err := costMapProto(cm, m.NetworkMap)
	if err != nil {
		return nil, toStatus(err)
	}
	out := &altov1.GetCostMapResponse{CostMap: pb, Generation: m.Generation}
	if req.GetIncludeJson() {
		out.Json = cm.Response.Body
	}
	return out, nil
}

// costMapID resolves a request to a configured cost map resource ID.
func (s *Server) costMapID(req *altov1.GetCostMapRequest) (string, error) {
	if id := req.GetResourceId(); id != "" {
		for _, r := range s.resources {
			if r.ID == id && r.Kind == alto.KindCostMap {
				return id, nil
			}
		}
		return "", alto.ErrUnknownResource
	}
	ct := req.GetCostType()
	switch {
	case ct == nil:
		return "", missing("resource_id")
	case ct.GetMetric() == "":
		return "", missing("cost_type.metric")
	case ct.GetMode() == "":
		return "", missing("cost_type.mode")
	}
	metricKnown := false
	for _, r := range s.resources {
		if r.Kind != alto.KindCostMap {
			continue
		}
		for _, t := range r.CostTypes {
			if t.Metric == ct.GetMetric() {
				metricKnown = true
				if t.Mode == ct.GetMode() {
					return r.ID, nil
				}
			}
		}
	}
	if !metricKnown {
		return "", invalid("cost_type.metric", ct.GetMetric(), "no cost map of this metric")
	}
	return "", invalid("cost_type.mode", ct.GetMode(), "no cost map of this mode for %s", ct.GetMetric())
}

// WatchMaps sends the current maps, then every newer version in which some
// resource changed. Versions published while a send is in progress are
// folded: the next message is always the latest.
func (s *Server) WatchMaps(req *altov1.WatchMapsRequest, stream grpc.ServerStreamingServer[altov1.WatchMapsResponse]) error {
	ctx := stream.Context()
	var prev *alto.Maps
	for {
		m, next := s.deps.Maps.Watch()
		if m != nil && m != prev {
			msg, err := watchMessage(prev, m, req.GetIncludeMaps())
			if err != nil {
				return toStatus(err)
			}
			// A recomputation that changed no resource is no change.
			if prev == nil || len(msg.Changed) > 0 {
				if err := stream.Send(msg); err != nil {
					return err
				}
			}
			prev = m
		}
		select {
		case <-ctx.Done():
			return toStatus(ctx.Err())
		case <-s.stopping():
			return nil
		case <-next:
		}
	}
}

// watchMessage describes m, naming the resources that differ from prev.
func watchMessage(prev, m *alto.Maps, include bool) (*altov1.WatchMapsResponse, error) {
	msg := &altov1.WatchMapsResponse{
		Generation:     m.Generation,
		ComputedAt:     tsProto(m.ComputedAt),
		NetworkMapVtag: vtagProto(m.NetworkMap.VersionTag()),
	}
	if prev == nil || prev.NetworkMap.Tag != m.NetworkMap.Tag || prev.NetworkMap.ResourceID != m.NetworkMap.ResourceID {
		msg.Changed = append(msg.Changed, m.NetworkMap.ResourceID)
		if include {
			msg.NetworkMap = networkMapProto(m.NetworkMap)
		}
	}
	for _, cm := range m.CostMaps {
		msg.CostMapTags = append(msg.CostMapTags, &altov1.VersionTag{ResourceId: cm.ResourceID, Tag: cm.Response.Tag})
		if prev != nil {
			if old, ok := prev.CostMap(cm.ResourceID); ok && old.Response.Tag == cm.Response.Tag {
				continue
			}
		}
		msg.Changed = append(msg.Changed, cm.ResourceID)
		if include {
			pb, err := costMapProto(cm, m.NetworkMap)
			if err != nil {
				return nil, err
			}
			msg.CostMaps = append(msg.CostMaps, pb)
		}
	}
	return msg, nil
}
