package storage

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// Every listing cursor of the platform (the stores', the reports', the
// regrade walk's) is a small JSON value in base64url, so callers treat it as
// opaque and each listing can check that a cursor is one of its own.

// EncodeCursor encodes v, a cursor value of strings and integers (which
// always marshals: a failure is a programming error and panics).
func EncodeCursor(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("storage: cursor of type %T does not marshal: %v", v, err))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor decodes s into v. Anything that is not base64url JSON of v's
// shape is ErrBadCursor; the caller then checks the fields it needs.
func DecodeCursor(s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return fmt.Errorf("%w: not base64url", ErrBadCursor)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%w: not a cursor of this listing", ErrBadCursor)
	}
	return nil
}
