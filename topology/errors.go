package topology

import "errors"

// ErrInvalidUpdate wraps the reason an update was rejected.
var ErrInvalidUpdate = errors.New("invalid topology update")
