// Package regrade recomputes a subject's stored grade from its stored
// records: on the record stream (functions/regrade), when a grade's next
// change comes (shared/expiry) and after a policy change (RegradeAll).
//
// The records are always read from storage, never taken from a stream image,
// so a duplicate, late or out-of-order delivery recomputes the same grade
// from the same facts. Writes are conditional on the grade's version; a lost
// race is re-read and retried, so concurrent regrades of one subject never
// lose an update.
package regrade

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/grading"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

// Store is the part of storage.Store a regrade needs.
type Store interface {
	GetGrade(ctx context.Context, id domain.SubjectID) (domain.Grade, error)
	ListRecords(ctx context.Context, subject domain.SubjectID) ([]domain.Record, error)
	PutGrade(ctx context.Context, g domain.Grade, withHistory bool) error
	PutTask(ctx context.Context, t domain.Task) error
}

// MaxAttempts bounds the re-read-and-retry loop on a lost version race.
const MaxAttempts = 5

// Service regrades subjects under one policy.
type Service struct {
	Store  Store
	Policy *policy.Policy
	Clock  domain.Clock
	Logger *slog.Logger // nil: no logging
	// AllWorkers bounds the subjects RegradeAll regrades at once, within
	// one lister page; 0 is DefaultAllWorkers, 1 walks one at a time.
	AllWorkers int
}

// Result says what one regrade did.
type Result struct {
	SubjectID domain.SubjectID
	// Changed is true when a new grade version was written.
	Changed bool
	// Previous is the level before ("" when the subject had no grade).
	Previous domain.Level
	Grade    domain.Grade // the grade now stored
	// TaskID is the reminder task ensured for a B or C grade ("" otherwise).
	TaskID   string
	Attempts int
}

// Regrade recomputes id's grade for today (Asia/Shanghai) and stores it if
// its outcome differs from the stored one.
func (s *Service) Regrade(ctx context.Context, id domain.SubjectID) (Result, error) {
	if id == "" {
		return Result{}, fmt.Errorf("regrade: empty subject id: %w", storage.ErrInvalid)
	}
	now := s.Clock.Now()
	today := domain.DateIn(now)
	res := Result{SubjectID: id}
	for res.Attempts < MaxAttempts {
		res.Attempts++
		cur, have, err := s.current(ctx, id)
		if err != nil {
			return res, err
		}
		recs, err := s.Store.ListRecords(ctx, id)
		if err != nil {
			return res, fmt.Errorf("regrade %s: list records: %w", id, err)
		}
		if !have && len(recs) == 0 {
			// No such subject (every subject has a record): grade nothing
			// rather than invent an unrated subject.
			return res, nil
		}
		next := grading.Grade(id, recs, s.Policy, today)
		if have {
			res.Previous = cur.Level
		}
		if have && next.SameOutcome(cur) {
			res.Grade = cur
			return s.finish(ctx, res)
		}
		next.ComputedAt = now.UTC()
		next.Version = 1
		next.Since = today
		history := true
		if have {
			next.Version = cur.Version + 1
			if cur.Level == next.Level && !cur.Since.IsZero() {
				next.Since = cur.Since
			}
			history = cur.Level != next.Level || !sameReasons(cur.Reasons, next.Reasons)
		}
		err = s.Store.PutGrade(ctx, next, history)
		if errors.Is(err, storage.ErrStale) {
			// Another regrade of this subject won the version; its grade may
			// predate a record this one saw, so recompute from a fresh read.
			continue
		}
		if err != nil {
			return res, fmt.Errorf("regrade %s: put grade v%d: %w", id, next.Version, err)
		}
		res.Changed, res.Grade = true, next
		return s.finish(ctx, res)
	}
	return res, fmt.Errorf("regrade %s: lost the version race %d times: %w", id, MaxAttempts, storage.ErrStale)
}

// current reads the stored grade; have is false when there is none.
func (s *Service) current(ctx context.Context, id domain.SubjectID) (g domain.Grade, have bool, err error) {
	g, err = s.Store.GetGrade(ctx, id)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return domain.Grade{}, false, nil
	case err != nil:
		return domain.Grade{}, false, fmt.Errorf("regrade %s: get grade: %w", id, err)
	}
	return g, true, nil
}

// finish ensures the reminder task of a B or C grade and logs the outcome.
// The task is ensured even when nothing was written: a previous attempt may
// have stored the grade and stopped before opening its task.
func (s *Service) finish(ctx context.Context, res Result) (Result, error) {
	taskID, err := s.ensureTask(ctx, res.Grade)
	if err != nil {
		return res, err
	}
	res.TaskID = taskID
	s.logger().LogAttrs(ctx, slog.LevelInfo, "regraded",
		slog.String("subject_id", string(res.SubjectID)),
		slog.Bool("changed", res.Changed),
		slog.String("previous_level", string(res.Previous)),
		slog.String("level", string(res.Grade.Level)),
		slog.Int64("version", res.Grade.Version),
		slog.String("next_change", res.Grade.NextChange.String()),
		slog.String("policy_version", res.Grade.PolicyVersion),
		slog.String("task_id", res.TaskID),
		slog.Int("attempts", res.Attempts),
	)
	return res, nil
}

func (s *Service) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return s.Logger
}

// sameReasons compares reasons as SameOutcome does (rule, figures and the
// records behind them), ignoring the sentences.
func sameReasons(a, b []domain.Reason) bool {
	return slices.EqualFunc(a, b, func(x, y domain.Reason) bool {
		return x.Rule == y.Rule && x.Count == y.Count && x.SumFen == y.SumFen && slices.Equal(x.RecordIDs, y.RecordIDs)
	})
}
