// Package expiry is the daily job of issue 6: it marks records whose
// one-year window has ended as expired, and regrades subjects whose grade is
// due to change by itself (a record leaving the window, a list entry
// starting or lapsing).
//
// It reads only the sparse DueIndex (storage.DueRecords / DueGrades through
// today), never a Scan, so the work of a run is proportional to what is due,
// not to the size of the table. Items leave the index once processed (an
// expired record no longer counts; a regraded subject's next change moves on),
// so a run that stops early, or a missed day, is caught up by the next run
// starting again from the first page. Two runs at once are safe: record
// updates are conditional on the status and grade writes on the version.
// Nothing relies on DynamoDB TTL.
package expiry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/regrade"
	"github.com/suixian-psb/credit/shared/storage"
)

// Store is the part of storage.Store the job needs.
type Store interface {
	DueRecords(ctx context.Context, through domain.Date, p storage.Page) ([]storage.RecordRef, string, error)
	DueGrades(ctx context.Context, through domain.Date, p storage.Page) ([]storage.RecordRef, string, error)
	UpdateRecord(ctx context.Context, subject domain.SubjectID, recordID string, expectStatus domain.Status, mutate func(*domain.Record) error) (domain.Record, error)
}

// Regrader regrades one subject (*regrade.Service).
type Regrader interface {
	Regrade(ctx context.Context, id domain.SubjectID) (regrade.Result, error)
}

// Actor is who the status changes name.
var Actor = domain.Actor{Unit: "system", User: "system/expire", Role: "system"}

// Defaults for the zero Job fields.
const (
	DefaultPageSize = 100
	// DefaultMargin is kept free before the context deadline so the run ends
	// cleanly (report written) instead of being killed mid-item.
	DefaultMargin = 10 * time.Second
)

// Job is one run's configuration.
type Job struct {
	Store    Store
	Regrader Regrader
	Clock    domain.Clock
	Logger   *slog.Logger // nil: no log line
	// Metrics receives the CloudWatch embedded-metric-format line (os.Stdout
	// in Lambda); nil: none.
	Metrics      io.Writer
	FunctionName string // the metrics' "Function" dimension

	PageSize int           // DueIndex page size; 0: DefaultPageSize
	Margin   time.Duration // stop this long before ctx's deadline; 0: DefaultMargin
	// MaxItems stops the run after this many due items were handled (records
	// expired or skipped, subjects regraded); 0: no budget.
	MaxItems int
}

// Report is what a run did.
type Report struct {
	Through domain.Date `json:"through"`
	// ExpiredByDay counts the records expired, by the day their window ended.
	ExpiredByDay     map[string]int `json:"expired_by_day"`
	RecordsExpired   int            `json:"records_expired"`
	RecordsSkipped   int            `json:"records_skipped"` // already expired, revoked or repaired by someone else
	SubjectsRegraded int            `json:"subjects_regraded"`
	GradesChanged    int            `json:"grades_changed"`
	ItemsRead        int            `json:"items_read"` // index entries read
	Failures         int            `json:"failures"`
	// Finished is false when the run stopped at its deadline or item budget
	// with due items left for the next run.
	Finished   bool  `json:"finished"`
	DurationMS int64 `json:"duration_ms"`
}

// errStop ends a run early (deadline margin or item budget); not a failure.
var errStop = errors.New("stopping before the deadline or item budget")

// Run expires the due records, then regrades the due grades, both through
// the Asia/Shanghai today of the clock, and reports. The returned error
// joins the per-item failures (the report counts them); stopping early is
// not an error.
func (j *Job) Run(ctx context.Context) (Report, error) {
	began := time.Now() // real time for the duration; the clock decides the date
	today := domain.Today(j.Clock)
	rep := Report{Through: today, ExpiredByDay: map[string]int{}, Finished: true}
	var errs []error

	stop := j.stopper(ctx)
	err := j.walk(ctx, &rep, stop, j.Store.DueRecords, func(ref storage.RecordRef) error {
		expired, err := j.expire(ctx, ref, today)
		switch {
		case err != nil:
			return err
		case expired:
			rep.RecordsExpired++
			rep.ExpiredByDay[ref.Due.String()]++
		default:
			rep.RecordsSkipped++
		}
		return nil
	}, &errs)
	if err == nil {
		err = j.walk(ctx, &rep, stop, j.Store.DueGrades, func(ref storage.RecordRef) error {
			res, err := j.Regrader.Regrade(ctx, ref.SubjectID)
			if err != nil {
				return err
			}
			rep.SubjectsRegraded++
			if res.Changed {
				rep.GradesChanged++
			}
			return nil
		}, &errs)
	}
	switch {
	case errors.Is(err, errStop):
		rep.Finished = false
	case err != nil:
		rep.Finished = false
		errs = append(errs, err)
	}
	rep.DurationMS = time.Since(began).Milliseconds()
	j.emit(ctx, rep)
	return rep, errors.Join(errs...)
}

type lister func(ctx context.Context, through domain.Date, p storage.Page) ([]storage.RecordRef, string, error)

// walk pages through one DueIndex listing, handling each entry. A failed
// entry is counted and left in the index for the next run; the walk goes on
// with the cursor, so it is not retried within this run. It returns errStop
// when the run must stop, or a listing error.
func (j *Job) walk(ctx context.Context, rep *Report, stop func(handled int) bool, list lister, handle func(storage.RecordRef) error, errs *[]error) error {
	cursor := ""
	for {
		if stop(rep.handled()) {
			return errStop
		}
		refs, next, err := list(ctx, rep.Through, storage.Page{Cursor: cursor, Limit: j.pageSize()})
		if err != nil {
			return fmt.Errorf("expiry: read due index: %w", err)
		}
		rep.ItemsRead += len(refs)
		for _, ref := range refs {
			if stop(rep.handled()) {
				return errStop
			}
			if err := handle(ref); err != nil {
				rep.Failures++
				*errs = append(*errs, fmt.Errorf("subject %s record %q: %w", ref.SubjectID, ref.RecordID, err))
			}
		}
		if next == "" {
			return nil
		}
		cursor = next
	}
}

// handled is how many due items this run has dealt with, for the budget.
func (r *Report) handled() int {
	return r.RecordsExpired + r.RecordsSkipped + r.SubjectsRegraded + r.Failures
}

// stopper says whether to stop: the item budget is spent, or ctx is done or
// within the margin of its deadline.
func (j *Job) stopper(ctx context.Context) func(handled int) bool {
	margin := j.Margin
	if margin <= 0 {
		margin = DefaultMargin
	}
	deadline, hasDeadline := ctx.Deadline()
	return func(handled int) bool {
		if j.MaxItems > 0 && handled >= j.MaxItems {
			return true
		}
		if ctx.Err() != nil {
			return true
		}
		// The deadline is real time (Lambda's), not the injected clock.
		return hasDeadline && time.Until(deadline) < margin
	}
}

func (j *Job) pageSize() int {
	if j.PageSize > 0 {
		return j.PageSize
	}
	return DefaultPageSize
}
