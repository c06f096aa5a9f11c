package alto

import (
	"errors"
	"fmt"
)

// ErrorCode is an ALTO error code (RFC 7285 §8.5.2).
type ErrorCode string

// Error codes of RFC 7285 §8.5.2.
const (
	CodeSyntax            ErrorCode = "E_SYNTAX"
	CodeMissingField      ErrorCode = "E_MISSING_FIELD"
	CodeInvalidFieldType  ErrorCode = "E_INVALID_FIELD_TYPE"
	CodeInvalidFieldValue ErrorCode = "E_INVALID_FIELD_VALUE"
)

// Error is an ALTO protocol error. Transports render it as an
// application/alto-error+json body; Err is for logs and never sent.
type Error struct {
	Code        ErrorCode
	Field       string // JSON path of the offending field, e.g. "cost-type/cost-mode"
	Value       string // offending value, as text
	SyntaxError string // for CodeSyntax: where and what
	Err         error
}

func (e *Error) Error() string {
	msg := string(e.Code)
	if e.Field != "" {
		msg += fmt.Sprintf(": field %q", e.Field)
	}
	if e.Value != "" {
		msg += fmt.Sprintf(" value %q", e.Value)
	}
	if e.SyntaxError != "" {
		msg += ": " + e.SyntaxError
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Sentinels that transports map to their own status codes.
var (
	// ErrNotReady means no maps have been computed yet.
	ErrNotReady = errors.New("alto: no maps computed yet")
	// ErrUnknownResource means a request named a resource that is not served.
	ErrUnknownResource = errors.New("alto: unknown resource id")
)
