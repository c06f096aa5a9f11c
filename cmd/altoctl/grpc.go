package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	altov1 "github.com/altosdn/altosdn/proto/alto/v1"
)

// dialGRPC connects to altod's gRPC API. The connection is lazy: errors
// show on the first call.
func (e *env) dialGRPC() (altov1.AltoServiceClient, func(), error) {
	conn, err := grpc.NewClient(e.grpcAddr,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(1<<30)))
	if err != nil {
		return nil, nil, fmt.Errorf("grpc %s: %w", e.grpcAddr, err)
	}
	return altov1.NewAltoServiceClient(conn), func() { conn.Close() }, nil
}

// grpcError describes a gRPC error, with the ALTO error code and field
// when the server attached them.
func grpcError(err error) error {
	if err == nil || errors.Is(err, io.EOF) {
		return err
	}
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	for _, d := range st.Details() {
		ed, ok := d.(*altov1.ErrorDetail)
		if !ok {
			continue
		}
		var b strings.Builder
		b.WriteString("server error")
		if ed.GetCode() != "" {
			fmt.Fprintf(&b, " %s", ed.GetCode())
		}
		if ed.GetField() != "" {
			fmt.Fprintf(&b, " field %q", ed.GetField())
		}
		if ed.GetValue() != "" {
			fmt.Fprintf(&b, " value %q", ed.GetValue())
		}
		if ed.GetSequence() != 0 {
			fmt.Fprintf(&b, " in request %d", ed.GetSequence())
		}
		fmt.Fprintf(&b, " (%s: %s)", st.Code(), st.Message())
		return errors.New(b.String())
	}
	return fmt.Errorf("server error (%s): %s", st.Code(), st.Message())
}

// protoJSON renders a message for scripts, with the .proto's field names.
func protoJSON(w io.Writer, m proto.Message, multiline bool) error {
	b, err := protojson.MarshalOptions{Multiline: multiline, Indent: "  ", UseProtoNames: true}.Marshal(m)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
