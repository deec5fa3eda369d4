package reports

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// A listing cursor is the ListIndex sort key of the last report returned,
// base64url-encoded so callers treat it as opaque. Both stores use it, so
// their pages agree.
func encodeCursor(sk string) string { return base64.RawURLEncoding.EncodeToString([]byte(sk)) }

func decodeCursor(c string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", fmt.Errorf("%w: not base64url", ErrBadCursor)
	}
	sk := string(b)
	ts, receipt, ok := strings.Cut(sk, "#")
	if !ok || len(ts) != len(sortTime(timeZero)) || !ValidReceipt(receipt) {
		return "", fmt.Errorf("%w: not a cursor of this listing", ErrBadCursor)
	}
	return sk, nil
}
