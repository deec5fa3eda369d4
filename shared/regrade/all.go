package regrade

import (
	"context"
	"fmt"
	"sync"

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

// DefaultAllWorkers is RegradeAll's concurrency when Service.AllWorkers is
// 0: a walk one subject at a time is bound by round trips (a regrade is a
// few small reads and writes), not by the table's capacity.
const DefaultAllWorkers = 8

// RegradeAll regrades every subject after a policy change, starting at
// cursor ("" for the beginning), calling progress after each subject with
// the number done in this call (never concurrently). It stops after max
// subjects (max > 0), when ctx is done, or on the first failed regrade,
// returning the cursor to resume from ("" when the walk is complete). On
// ctx done the error is ctx.Err().
//
// The subjects of a page are regraded Service.AllWorkers at a time. The
// cursor never passes a subject that was not regraded: it points at the
// first subject, in the lister's order, whose regrade did not finish, so a
// resumed walk never skips one. After a failure or ctx end it may repeat a
// few that finished out of order (a regrade is idempotent); a walk stopped
// by max repeats none.
func (s *Service) RegradeAll(ctx context.Context, lister SubjectLister, cursor string, max int, progress func(done int)) (next string, done int, err error) {
	pos, err := decodeAllCursor(cursor)
	if err != nil {
		return cursor, 0, err
	}
	report := func() {
		done++
		if progress != nil {
			progress(done)
		}
	}
	for {
		ids, pageNext, err := lister.ListSubjects(ctx, storage.Page{Cursor: pos.Page, Limit: AllPageSize})
		if err != nil {
			return pos.encode(), done, fmt.Errorf("regrade all: list subjects: %w", err)
		}
		for pos.Skip < len(ids) {
			if max > 0 && done >= max {
				return pos.encode(), done, nil
			}
			if err := ctx.Err(); err != nil {
				return pos.encode(), done, err
			}
			batch := ids[pos.Skip:]
			if max > 0 {
				batch = batch[:min(len(batch), max-done)]
			}
			n, err := s.regradeBatch(ctx, batch, report)
			pos.Skip += n
			if err != nil {
				return pos.encode(), done, err
			}
		}
		if pageNext == "" {
			return "", done, nil
		}
		pos = allCursor{Page: pageNext}
	}
}

// regradeBatch regrades ids, AllWorkers at a time, handing them out in
// order and calling report (serialized) after each success. It returns how
// many of ids, from the start, are all regraded: len(ids) unless a regrade
// failed or ctx ended, in which case err says which.
func (s *Service) regradeBatch(ctx context.Context, ids []domain.SubjectID, report func()) (int, error) {
	workers := s.AllWorkers
	if workers <= 0 {
		workers = DefaultAllWorkers
	}
	workers = min(workers, len(ids))
	var (
		mu       sync.Mutex
		next     int
		finished = make([]bool, len(ids))
		failed   error
	)
	// take hands out the next subject, or -1 once all are handed out, a
	// regrade failed or ctx ended.
	take := func() int {
		mu.Lock()
		defer mu.Unlock()
		if next >= len(ids) || failed != nil || ctx.Err() != nil {
			return -1
		}
		next++
		return next - 1
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := take(); i >= 0; i = take() {
				_, err := s.Regrade(ctx, ids[i])
				mu.Lock()
				if err != nil {
					if failed == nil {
						failed = fmt.Errorf("regrade all: %w", err)
					}
				} else {
					finished[i] = true
					report()
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	n := 0
	for n < len(ids) && finished[n] {
		n++
	}
	if n == len(ids) {
		return n, nil
	}
	if failed != nil {
		return n, failed
	}
	return n, ctx.Err()
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
