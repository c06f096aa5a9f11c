package grpcapi

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/altosdn/altosdn/alto"
	altov1 "github.com/altosdn/altosdn/proto/alto/v1"
	"github.com/altosdn/altosdn/topology"
)

// Errors the handlers return; toStatus gives each its gRPC code.
var (
	errPushDisabled      = errors.New("topology push is disabled on this server (grpc.push.enabled)")
	errReplaceInProgress = errors.New("a replace is in progress: send its remaining chunks (more=false ends it) before another operation")
	errUnknownSource     = errors.New("source not accepted by this server (grpc.push.sources)")
	errSourceChanged     = errors.New("source changed within a stream")
)

// seqError ties an error to the push request it concerns.
type seqError struct {
	seq uint64
	err error
}

func (e *seqError) Error() string { return fmt.Sprintf("request %d: %v", e.seq, e.err) }
func (e *seqError) Unwrap() error { return e.err }

// fieldErr is an invalid or missing input field, as an RFC 7285 error.
func fieldErr(code alto.ErrorCode, field, value, format string, args ...any) *alto.Error {
	return &alto.Error{Code: code, Field: field, Value: value, Err: fmt.Errorf(format, args...)}
}

func invalid(field, value, format string, args ...any) *alto.Error {
	return fieldErr(alto.CodeInvalidFieldValue, field, value, format, args...)
}

func missing(field string) *alto.Error {
	return fieldErr(alto.CodeMissingField, field, "", "required")
}

// toStatus is the one place that maps errors to gRPC status codes. Field
// errors carry an ErrorDetail with the ALTO error code, field and value.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	var seq uint64
	var se *seqError
	if errors.As(err, &se) {
		seq = se.seq
	}
	var ae *alto.Error
	var code codes.Code
	switch {
	case errors.As(err, &ae):
		code = codes.InvalidArgument
	case errors.Is(err, topology.ErrInvalidUpdate):
		code = codes.InvalidArgument
	case errors.Is(err, alto.ErrUnknownResource):
		code = codes.NotFound
	case errors.Is(err, alto.ErrNotReady), errors.Is(err, errStopping):
		code = codes.Unavailable
	case errors.Is(err, errPushDisabled), errors.Is(err, errUnknownSource):
		code = codes.PermissionDenied
	case errors.Is(err, errReplaceInProgress), errors.Is(err, errSourceChanged):
		code = codes.FailedPrecondition
	case errors.Is(err, context.Canceled):
		code = codes.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		code = codes.DeadlineExceeded
	default:
		code = codes.Internal
	}
	st := status.New(code, err.Error())
	if ae != nil || seq != 0 {
		d := &altov1.ErrorDetail{Sequence: seq}
		if ae != nil {
			d.Code, d.Field, d.Value = string(ae.Code), ae.Field, ae.Value
		}
		if withDetail, derr := st.WithDetails(d); derr == nil {
			st = withDetail
		}
	}
	return st.Err()
}
