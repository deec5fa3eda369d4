package regrade

import (
	"context"
	"fmt"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/grading"
	"github.com/suixian-psb/credit/shared/storage"
)

// TaskID is the id of the reminder task owed for holding level since a day.
// It depends only on the level and the first day of the stretch, so every
// retry, duplicate delivery or concurrent regrade of the same change names
// the same task, and PutTask does not duplicate it. A new stretch at B or C
// (after leaving it) starts on another day and gets its own task.
func TaskID(level domain.Level, since domain.Date) string {
	return fmt.Sprintf("remind-%s-%s", level, since)
}

// ensureTask opens the task rules.md says is due for a B or C grade (notice
// §5), once per stretch at that level; it returns "" for A and unrated.
func (s *Service) ensureTask(ctx context.Context, g domain.Grade) (string, error) {
	_, methods, dueDays, ok := grading.TaskFor(s.Policy, g.Level)
	if !ok {
		return "", nil
	}
	since := g.Since
	if since.IsZero() { // a grade stored without Since: date the task by its computation
		since = g.AsOf
	}
	t := domain.Task{
		ID:        TaskID(g.Level, since),
		SubjectID: g.SubjectID,
		Level:     g.Level,
		Allowed:   methods,
		OpenedOn:  since,
		DueOn:     since.AddDays(dueDays),
		Status:    storage.TaskOpen,
		CreatedAt: g.ComputedAt,
	}
	if err := s.Store.PutTask(ctx, t); err != nil {
		return "", fmt.Errorf("regrade %s: open task %s: %w", g.SubjectID, t.ID, err)
	}
	return t.ID, nil
}
