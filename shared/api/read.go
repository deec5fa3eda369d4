package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/grading"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

// DefaultPageLimit is the page size of GET /v1/subjects without ?limit.
const DefaultPageLimit = 50

// SubjectProfile is what the API shows of a subject: never a natural
// person's ID number nor the sealed identity.
type SubjectProfile struct {
	ID         domain.SubjectID   `json:"id"`
	Type       domain.SubjectType `json:"type"`
	Name       string             `json:"name"`
	CreditCode string             `json:"credit_code,omitempty"`
}

func profileOf(s domain.Subject) SubjectProfile {
	return SubjectProfile{ID: s.ID, Type: s.Type, Name: s.Name, CreditCode: s.CreditCode}
}

// GradeView is a grade with its level's Chinese name.
type GradeView struct {
	Level         domain.Level    `json:"level"`
	LevelNameZH   string          `json:"level_name_zh"`
	Reasons       []domain.Reason `json:"reasons"`
	PolicyVersion string          `json:"policy_version"`
	AsOf          domain.Date     `json:"as_of"`
	NextChange    domain.Date     `json:"next_change"`
	Since         domain.Date     `json:"since"`
	ComputedAt    time.Time       `json:"computed_at"`
	Version       int64           `json:"version"`
}

func gradeView(g domain.Grade) GradeView {
	reasons := g.Reasons
	if reasons == nil {
		reasons = []domain.Reason{}
	}
	return GradeView{
		Level: g.Level, LevelNameZH: g.Level.NameZH(), Reasons: reasons, PolicyVersion: g.PolicyVersion,
		AsOf: g.AsOf, NextChange: g.NextChange, Since: g.Since, ComputedAt: g.ComputedAt, Version: g.Version,
	}
}

// SubjectView is the body of GET /v1/subjects/{id}. Grade is null until the
// subject has been graded for the first time.
type SubjectView struct {
	Subject   SubjectProfile   `json:"subject"`
	Grade     *GradeView       `json:"grade"`
	Measures  []policy.Measure `json:"measures"`
	OpenTasks []domain.Task    `json:"open_tasks"`
	History   []GradeView      `json:"history"`
}

func (h *Handler) getSubject(ctx context.Context, c *call) (int, any, error) {
	id := domain.SubjectID(c.req.PathParameters["id"])
	subj, err := h.cfg.Store.GetSubject(ctx, id)
	if err != nil {
		return 0, nil, err
	}
	view := SubjectView{Subject: profileOf(subj), Measures: []policy.Measure{}, OpenTasks: []domain.Task{}, History: []GradeView{}}
	g, err := h.cfg.Store.GetGrade(ctx, id)
	switch {
	case err == nil:
		gv := gradeView(g)
		view.Grade = &gv
		if m := grading.Measures(h.cfg.Policy, g.Level); m != nil {
			view.Measures = m
		}
	case !errors.Is(err, storage.ErrNotFound):
		return 0, nil, err
	}
	tasks, err := h.cfg.Store.ListTasks(ctx, id)
	if err != nil {
		return 0, nil, err
	}
	for _, t := range tasks {
		if t.Status == storage.TaskOpen {
			view.OpenTasks = append(view.OpenTasks, t)
		}
	}
	hist, err := h.cfg.Store.GradeHistory(ctx, id)
	if err != nil {
		return 0, nil, err
	}
	for _, g := range hist {
		view.History = append(view.History, gradeView(g))
	}
	return http.StatusOK, view, nil
}

// RecordList is the body of GET /v1/subjects/{id}/records.
type RecordList struct {
	SubjectID domain.SubjectID `json:"subject_id"`
	Items     []domain.Record  `json:"items"`
}

func (h *Handler) getSubjectRecords(ctx context.Context, c *call) (int, any, error) {
	id := domain.SubjectID(c.req.PathParameters["id"])
	if _, err := h.cfg.Store.GetSubject(ctx, id); err != nil {
		return 0, nil, err
	}
	recs, err := h.cfg.Store.ListRecords(ctx, id)
	if err != nil {
		return 0, nil, err
	}
	if recs == nil {
		recs = []domain.Record{}
	}
	return http.StatusOK, RecordList{SubjectID: id, Items: recs}, nil
}

func (h *Handler) getRecord(ctx context.Context, c *call) (int, any, error) {
	q := queryOf(c.req)
	subject := domain.SubjectID(q.Get("subject"))
	rec, err := h.cfg.Store.GetRecord(ctx, subject, c.req.PathParameters["id"])
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, RecordEnvelope{SubjectID: rec.SubjectID, Record: rec}, nil
}

// SubjectSummary is one line of GET /v1/subjects.
type SubjectSummary struct {
	SubjectID   domain.SubjectID   `json:"subject_id"`
	Type        domain.SubjectType `json:"type,omitempty"`
	Name        string             `json:"name,omitempty"`
	Level       domain.Level       `json:"level"`
	LevelNameZH string             `json:"level_name_zh"`
	AsOf        domain.Date        `json:"as_of"`
	Since       domain.Date        `json:"since"`
}

// SubjectPage is the body of GET /v1/subjects.
type SubjectPage struct {
	Items      []SubjectSummary `json:"items"`
	NextCursor string           `json:"next_cursor,omitempty"`
}

func (h *Handler) listSubjects(ctx context.Context, c *call) (int, any, error) {
	q := queryOf(c.req)
	limit := DefaultPageLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil { // the contract check has already refused it
			return 0, nil, ValidationError([]Problem{ProbBadType.At("limit")})
		}
		limit = n
	}
	grades, next, err := h.cfg.Store.ListByLevel(ctx, domain.Level(q.Get("level")), storage.Page{Cursor: q.Get("cursor"), Limit: limit})
	if err != nil {
		return 0, nil, err
	}
	page := SubjectPage{Items: make([]SubjectSummary, 0, len(grades)), NextCursor: next}
	for _, g := range grades {
		s := SubjectSummary{SubjectID: g.SubjectID, Level: g.Level, LevelNameZH: g.Level.NameZH(), AsOf: g.AsOf, Since: g.Since}
		subj, err := h.cfg.Store.GetSubject(ctx, g.SubjectID)
		switch {
		case err == nil:
			s.Type, s.Name = subj.Type, subj.Name
		case !errors.Is(err, storage.ErrNotFound):
			return 0, nil, err
		}
		page.Items = append(page.Items, s)
	}
	return http.StatusOK, page, nil
}
