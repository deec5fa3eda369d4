package regrade

import (
	"context"
	"fmt"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/storage"
)

// SubjectLister enumerates every subject, page by page, in a stable order
// (in the table: a Scan over the entity=subject profile items).
type SubjectLister interface {
	ListSubjects(ctx context.Context, p storage.Page) ([]domain.SubjectID, string, error)
}

// AllPageSize is the page RegradeAll asks the lister for.
const AllPageSize = 100

// RegradeAll regrades every subject after a policy change, starting at
// cursor ("" for the beginning), calling progress after each subject with
// the number done in this call. It stops after max subjects (max > 0), when
// ctx is done, or on the first failed regrade, returning the cursor to resume
// from ("" when the walk is complete). The cursor points at the exact next
// subject, so a resumed walk neither skips nor repeats one (a regrade is
// idempotent anyway). On ctx done the error is ctx.Err().
func (s *Service) RegradeAll(ctx context.Context, lister SubjectLister, cursor string, max int, progress func(done int)) (next string, done int, err error) {
	pos, err := decodeAllCursor(cursor)
	if err != nil {
		return cursor, 0, err
	}
	for {
		ids, pageNext, err := lister.ListSubjects(ctx, storage.Page{Cursor: pos.Page, Limit: AllPageSize})
		if err != nil {
			return pos.encode(), done, fmt.Errorf("regrade all: list subjects: %w", err)
		}
		for i := pos.Skip; i < len(ids); i++ {
			here := allCursor{Page: pos.Page, Skip: i}
			if max > 0 && done >= max {
				return here.encode(), done, nil
			}
			if err := ctx.Err(); err != nil {
				return here.encode(), done, err
			}
			if _, err := s.Regrade(ctx, ids[i]); err != nil {
				return here.encode(), done, fmt.Errorf("regrade all: %w", err)
			}
			done++
			if progress != nil {
				progress(done)
			}
		}
		if pageNext == "" {
			return "", done, nil
		}
		pos = allCursor{Page: pageNext}
	}
}

// allCursor is a position in the walk: the lister's page and how many of
// its subjects are done.
type allCursor struct {
	Page string `json:"p,omitempty"`
	Skip int    `json:"s,omitempty"`
}

func (c allCursor) encode() string { return storage.EncodeCursor(c) }

func decodeAllCursor(s string) (allCursor, error) {
	if s == "" {
		return allCursor{}, nil
	}
	var c allCursor
	err := storage.DecodeCursor(s, &c)
	if err != nil || c.Skip < 0 {
		return allCursor{}, fmt.Errorf("regrade all: cursor %q: %w", s, storage.ErrBadCursor)
	}
	return c, nil
}
