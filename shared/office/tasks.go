package office

import (
	"context"
	"fmt"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/storage"
)

// TaskView is an open task as the office sees it: how long it has been
// open and whether it is overdue (due before today).
type TaskView struct {
	domain.Task
	AgeDays     int  `json:"age_days"`
	Overdue     bool `json:"overdue"`
	DaysOverdue int  `json:"days_overdue"`
}

// Tasks lists open reminder tasks by due day, or only the overdue ones.
func (s *Service) Tasks(ctx context.Context, overdueOnly bool, p storage.Page) ([]TaskView, string, error) {
	today := s.today()
	var (
		tasks []domain.Task
		next  string
		err   error
	)
	if overdueOnly {
		tasks, next, err = s.Store.ListOverdueTasks(ctx, today, p)
	} else {
		tasks, next, err = s.Store.ListOpenTasks(ctx, p)
	}
	if err != nil {
		return nil, "", fmt.Errorf("tasks: %w", err)
	}
	out := make([]TaskView, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, taskView(t, today))
	}
	return out, next, nil
}

func taskView(t domain.Task, today domain.Date) TaskView {
	v := TaskView{Task: t, AgeDays: max(t.OpenedOn.DaysUntil(today), 0)}
	if t.DueOn.Before(today) {
		v.Overdue, v.DaysOverdue = true, t.DueOn.DaysUntil(today)
	}
	return v
}
