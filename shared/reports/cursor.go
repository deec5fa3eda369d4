package reports

import (
	"fmt"
	"strings"

	"github.com/suixian-psb/credit/shared/storage"
)

// A listing cursor is the ListIndex sort key of the last report returned,
// encoded as every platform cursor (storage.EncodeCursor) so callers treat
// it as opaque. Both stores use it, so their pages agree.
func encodeCursor(sk string) string { return storage.EncodeCursor(sk) }

func decodeCursor(c string) (string, error) {
	var sk string
	if err := storage.DecodeCursor(c, &sk); err != nil {
		return "", err
	}
	ts, receipt, ok := strings.Cut(sk, "#")
	if !ok || len(ts) != len(sortTime(timeZero)) || !ValidReceipt(receipt) {
		return "", fmt.Errorf("%w: not a cursor of this listing", ErrBadCursor)
	}
	return sk, nil
}
