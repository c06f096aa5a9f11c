package updates

import (
	"errors"
	"fmt"
	"strings"

	"github.com/altosdn/altosdn/alto"
)

// Conditions transports map to their own statuses.
var (
	// ErrStreamClosed: stream control for a stream that is closed or never
	// existed (RFC 8895 §7.6: 404).
	ErrStreamClosed = errors.New("updates: no such update stream")
	// ErrTooManyStreams: the server holds its maximum of streams.
	ErrTooManyStreams = errors.New("updates: too many update streams")
	// ErrNotRunning: the hub is not running, so it could not keep a
	// stream up to date.
	ErrNotRunning = errors.New("updates: update service not running")
)

// ListValueError is an E_INVALID_FIELD_VALUE whose value is an array of
// substream ids, as RFC 8895 §7.6 asks for a remove request naming
// unknown substreams. (alto.Error carries values as strings only.)
type ListValueError struct {
	Field  string
	Values []string
	Reason string
}

func (e *ListValueError) Error() string {
	return fmt.Sprintf("%s: field %q value [%s]: %s", alto.CodeInvalidFieldValue, e.Field, strings.Join(e.Values, ","), e.Reason)
}

func missing(field string) error { return &alto.Error{Code: alto.CodeMissingField, Field: field} }

func wrongType(field, want string) error {
	return &alto.Error{Code: alto.CodeInvalidFieldType, Field: field, Err: fmt.Errorf("want %s", want)}
}

func invalid(field, value, why string) error {
	return &alto.Error{Code: alto.CodeInvalidFieldValue, Field: field, Value: value, Err: errors.New(why)}
}
