package expiry

import (
	"context"
	"errors"
	"fmt"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/storage"
)

// errNotDue: the record no longer needs expiring (its window has not ended
// after all, or it no longer counts); nothing is written.
var errNotDue = errors.New("record not due")

// expire marks one due record expired. It returns false, nil when there is
// nothing to do: the record is no longer in a counted status (another run
// expired it, or it was revoked or repaired), or is not due. The record is
// kept; its MODIFY on the stream regrades the subject.
func (j *Job) expire(ctx context.Context, ref storage.RecordRef, today domain.Date) (bool, error) {
	// The index entry does not say whether the record is active or objected;
	// UpdateRecord is conditional on one of them, so try each in turn.
	for _, from := range []domain.Status{domain.StatusActive, domain.StatusObjected} {
		_, err := j.Store.UpdateRecord(ctx, ref.SubjectID, ref.RecordID, from, func(r *domain.Record) error {
			if !r.Status.Counts() || r.CountsUntil.IsZero() || r.CountsUntil.After(today) {
				return errNotDue
			}
			r.History = append(r.History, domain.StatusChange{
				From:   r.Status,
				To:     domain.StatusExpired,
				At:     j.Clock.Now().UTC(),
				By:     Actor,
				Reason: Cause(r.CountsUntil),
			})
			r.Status = domain.StatusExpired
			return nil
		})
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, errNotDue):
			return false, nil
		case errors.Is(err, storage.ErrStale), errors.Is(err, storage.ErrNotFound):
			continue // not in this status (or changed meanwhile): try the next, else skip
		default:
			return false, fmt.Errorf("expire: %w", err)
		}
	}
	return false, nil
}

// Cause is the reason written in an expiry's status change; windowEnd is
// the first day the record no longer counts.
func Cause(windowEnd domain.Date) string {
	return fmt.Sprintf("一年有效期届满 / one-year window ended on %s", windowEnd)
}
