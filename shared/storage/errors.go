package storage

import "errors"

// Errors added to the port (additive to store.go).
var (
	// ErrBadCursor: a Page.Cursor that this store did not issue.
	ErrBadCursor = errors.New("invalid page cursor")
	// ErrInvalid: the value cannot be stored as given (missing id, version
	// below 1, mutate changed a record's identity); a programming error.
	ErrInvalid = errors.New("invalid value for storage")
)
