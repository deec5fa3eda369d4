package api

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/suixian-psb/credit/shared/dashboard"
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/storage"
)

// Dashboard bounds. The page is read live from the table, which is fine at
// county scale (a few thousand graded subjects):
//
//   - counts: ListByLevel paged through for each level, one query per
//     1,000 grades;
//   - trend and latest changes: one GradeHistory query per graded subject,
//     DashboardReadWorkers at a time, for at most DashboardHistoryCap
//     subjects (about 3,000 queries, a second or two). Beyond the cap the
//     trend covers the first subjects by id and a warning is logged; a
//     monthly count item written by the regrade path would make this
//     constant (left for the lead);
//   - tasks and objections: their open listings paged through;
//   - rows: DashboardRows per table, each name one GetSubject.
const (
	DashboardHistoryCap  = 3000
	DashboardReadWorkers = 8
	DashboardRows        = 20
	dashboardPage        = storage.MaxPageLimit
)

// getDashboard renders the office dashboard (office, auditor).
func (h *Handler) getDashboard(ctx context.Context, c *call) (int, any, error) {
	d, err := h.dashboardData(ctx, c)
	if err != nil {
		return 0, nil, err
	}
	page, err := dashboard.Render(d)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, htmlPage(page), nil
}

func (h *Handler) dashboardData(ctx context.Context, c *call) (dashboard.Data, error) {
	today := c.validator.Today
	d := dashboard.Data{Office: h.issuer() + "办公室", Today: today}
	names := &nameCache{h: h, names: map[domain.SubjectID]string{}}

	var graded []domain.SubjectID
	for _, level := range domain.Levels {
		cursor := ""
		for {
			grades, next, err := h.cfg.Store.ListByLevel(ctx, level, storage.Page{Cursor: cursor, Limit: dashboardPage})
			if err != nil {
				return d, err
			}
			for _, g := range grades {
				d.Current.Add(g.Level)
				graded = append(graded, g.SubjectID)
			}
			if cursor = next; cursor == "" {
				break
			}
		}
	}
	slices.Sort(graded)
	if len(graded) > DashboardHistoryCap {
		h.log.WarnContext(ctx, "dashboard trend capped", "request_id", c.requestID, "graded", len(graded), "cap", DashboardHistoryCap)
		graded = graded[:DashboardHistoryCap]
	}
	histories := make([][]domain.Grade, len(graded))
	for _, err := range parallel(len(graded), DashboardReadWorkers, func(i int) error {
		var err error
		histories[i], err = h.cfg.Store.GradeHistory(ctx, graded[i])
		return err
	}) {
		if err != nil {
			return d, err
		}
	}
	d.Trend = dashboard.TrendFromHistory(histories, today)
	changes, err := latestChanges(ctx, histories, names)
	if err != nil {
		return d, err
	}
	d.Changes = changes

	if err := h.dashboardTasks(ctx, &d, names); err != nil {
		return d, err
	}
	if err := h.dashboardObjections(ctx, &d, names); err != nil {
		return d, err
	}
	return d, nil
}

// latestChanges lists the newest level changes (and first grades) across
// the histories, newest first.
func latestChanges(ctx context.Context, histories [][]domain.Grade, names *nameCache) ([]dashboard.ChangeRow, error) {
	var rows []dashboard.ChangeRow
	var at []domain.Grade
	for _, h := range histories {
		entries := slices.Clone(h)
		slices.SortFunc(entries, func(a, b domain.Grade) int { return cmp.Compare(a.Version, b.Version) })
		var prev domain.Level
		for _, g := range entries {
			if g.Level != prev {
				rows = append(rows, dashboard.ChangeRow{SubjectID: string(g.SubjectID), From: prev, To: g.Level, On: changeDay(g)})
				at = append(at, g)
			}
			prev = g.Level
		}
	}
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		if c := rows[b].On.Compare(rows[a].On); c != 0 {
			return c
		}
		if c := at[b].ComputedAt.Compare(at[a].ComputedAt); c != 0 {
			return c
		}
		return cmp.Compare(rows[a].SubjectID, rows[b].SubjectID)
	})
	out := make([]dashboard.ChangeRow, 0, min(len(idx), DashboardRows))
	for _, i := range idx[:min(len(idx), DashboardRows)] {
		r := rows[i]
		name, err := names.get(ctx, domain.SubjectID(r.SubjectID))
		if err != nil {
			return nil, err
		}
		r.SubjectName = name
		out = append(out, r)
	}
	return out, nil
}

func changeDay(g domain.Grade) domain.Date {
	if !g.AsOf.IsZero() {
		return g.AsOf
	}
	return domain.DateIn(g.ComputedAt)
}

func (h *Handler) dashboardTasks(ctx context.Context, d *dashboard.Data, names *nameCache) error {
	lister, err := h.openTasks()
	if err != nil {
		return err
	}
	cursor := ""
	for {
		tasks, next, err := lister.ListOpenTasks(ctx, storage.Page{Cursor: cursor, Limit: dashboardPage})
		if err != nil {
			return err
		}
		for _, t := range tasks {
			d.OpenTasks++
			if !t.DueOn.IsZero() && t.DueOn.Before(d.Today) {
				d.OverdueTasks++
			}
			// Listed by due date: the first rows are the most urgent.
			if len(d.Tasks) < DashboardRows {
				name, err := names.get(ctx, t.SubjectID)
				if err != nil {
					return err
				}
				d.Tasks = append(d.Tasks, dashboard.TaskRow{
					TaskID: t.ID, SubjectID: string(t.SubjectID), SubjectName: name, Level: t.Level,
					Kind: taskKind(t), OpenedOn: t.OpenedOn, DueOn: t.DueOn,
				})
			}
		}
		if cursor = next; cursor == "" {
			return nil
		}
	}
}

// taskKind: a C grade calls for a written reminder or an interview, a B
// grade for a reminder (notice §5).
func taskKind(t domain.Task) domain.TaskKind {
	if t.Level == domain.LevelC {
		return domain.TaskInterview
	}
	return domain.TaskReminder
}

// dashboardObjections fills the objections section from the office store;
// without one (a store that keeps no objections) the section shows zero.
func (h *Handler) dashboardObjections(ctx context.Context, d *dashboard.Data, names *nameCache) error {
	lister := h.openObjections()
	if lister == nil {
		return nil
	}
	cursor := ""
	for {
		objs, next, err := lister.ListOpenObjections(ctx, domain.Date{}, storage.Page{Cursor: cursor, Limit: dashboardPage})
		if err != nil {
			return err
		}
		for _, o := range objs {
			d.OpenObjections++
			if !o.Deadline.IsZero() && o.Deadline.Before(d.Today) {
				d.OverdueObjections++
			}
			if len(d.Objections) < DashboardRows {
				name, err := names.get(ctx, o.SubjectID)
				if err != nil {
					return err
				}
				row := dashboard.ObjectionRow{ObjectionID: o.ID, SubjectID: string(o.SubjectID), SubjectName: name, FiledOn: o.ReceivedOn, DueOn: o.Deadline}
				switch rec, err := h.cfg.Store.GetRecord(ctx, o.SubjectID, o.RecordID); {
				case err == nil:
					row.DocumentNo = rec.DocumentNo
				case !errors.Is(err, storage.ErrNotFound):
					return err
				}
				d.Objections = append(d.Objections, row)
			}
		}
		if cursor = next; cursor == "" {
			return nil
		}
	}
}

// nameCache reads each subject's display name once per page.
type nameCache struct {
	h     *Handler
	names map[domain.SubjectID]string
}

func (n *nameCache) get(ctx context.Context, id domain.SubjectID) (string, error) {
	if name, ok := n.names[id]; ok {
		return name, nil
	}
	s, err := n.h.cfg.Store.GetSubject(ctx, id)
	switch {
	case err == nil:
		n.names[id] = s.Name
	case errors.Is(err, storage.ErrNotFound):
		n.names[id] = "" // the page shows the id instead
	default:
		return "", err
	}
	return n.names[id], nil
}
