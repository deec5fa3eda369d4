package office

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/storage"
)

// Page sizes of the register's JSON listing (the exports stay whole).
const (
	DefaultRegisterPageLimit = 100
	MaxRegisterPageLimit     = 500
)

// registerCursor is where a register page ends: the ListIndex sort key
// ("<time>#<subjectID>#<id>") of its last entry.
type registerCursor struct {
	After string `json:"after"`
}

// RemindersPage is one page of the register between two days (inclusive),
// in time order, and the cursor of the next page ("" on the last). It reads
// month by month (the per-month ListIndex query) from the cursor's month on
// and stops once the page is full, so a page costs the months it spans, not
// the whole range. A cursor that is not one of this range's is
// storage.ErrBadCursor. p.Limit <= 0 is the default, above the maximum the
// maximum.
func (s *Service) RemindersPage(ctx context.Context, from, to domain.Date, p storage.Page) ([]model.Reminder, string, error) {
	limit := p.Limit
	switch {
	case limit <= 0:
		limit = DefaultRegisterPageLimit
	case limit > MaxRegisterPageLimit:
		limit = MaxRegisterPageLimit
	}
	start, end := from.Time(), to.AddDays(1).Time()
	var after string
	if p.Cursor != "" {
		at, key, err := decodeRegisterCursor(p.Cursor)
		if err != nil {
			return nil, "", err
		}
		if at.Before(start) || !at.Before(end) {
			return nil, "", fmt.Errorf("%w: not a cursor of this range", storage.ErrBadCursor)
		}
		// Entries of the cursor's second sort by subject and id after its
		// time: start there and skip those at or before the key.
		start, after = at, key
	}
	out := []model.Reminder{}
	for lo := start; lo.Before(end); {
		first := domain.DateIn(lo)
		hi := domain.Date{Year: first.Year, Month: first.Month, Day: 1}.AddMonths(1).Time()
		if hi.After(end) {
			hi = end
		}
		rs, err := s.Store.RemindersBetween(ctx, lo, hi)
		if err != nil {
			return nil, "", fmt.Errorf("reminders: %w", err)
		}
		for _, r := range rs {
			if after != "" && storage.ReminderRegisterKey(r) <= after {
				continue
			}
			if len(out) == limit {
				return out, storage.EncodeCursor(registerCursor{After: storage.ReminderRegisterKey(out[len(out)-1])}), nil
			}
			out = append(out, r)
		}
		lo = hi
	}
	return out, "", nil
}

// decodeRegisterCursor is the cursor's key and the time it starts with.
func decodeRegisterCursor(s string) (time.Time, string, error) {
	var c registerCursor
	if err := storage.DecodeCursor(s, &c); err != nil {
		return time.Time{}, "", err
	}
	ts, rest, ok := strings.Cut(c.After, "#")
	if !ok || rest == "" {
		return time.Time{}, "", fmt.Errorf("%w: not a cursor of this listing", storage.ErrBadCursor)
	}
	at, err := time.Parse(time.RFC3339, ts)
	if err != nil || storage.ReminderTime(at) != ts {
		return time.Time{}, "", fmt.Errorf("%w: not a cursor of this listing", storage.ErrBadCursor)
	}
	return at, c.After, nil
}
