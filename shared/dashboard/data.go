package dashboard

import (
	"github.com/suixian-psb/credit/shared/domain"
)

// LevelCounts counts subjects per level.
type LevelCounts struct {
	A       int `json:"A"`
	B       int `json:"B"`
	C       int `json:"C"`
	Unrated int `json:"unrated"`
}

// Get is the count at a level (0 for an unknown level).
func (c LevelCounts) Get(l domain.Level) int {
	switch l {
	case domain.LevelA:
		return c.A
	case domain.LevelB:
		return c.B
	case domain.LevelC:
		return c.C
	case domain.LevelUnrated:
		return c.Unrated
	}
	return 0
}

// Add counts one more subject at a level; unknown levels are ignored.
func (c *LevelCounts) Add(l domain.Level) {
	switch l {
	case domain.LevelA:
		c.A++
	case domain.LevelB:
		c.B++
	case domain.LevelC:
		c.C++
	case domain.LevelUnrated:
		c.Unrated++
	}
}

// Total is the number of subjects counted.
func (c LevelCounts) Total() int { return c.A + c.B + c.C + c.Unrated }

// MonthCounts is the count per level on one day: a month's last day, or
// today for the current month.
type MonthCounts struct {
	Day    domain.Date `json:"day"`
	Counts LevelCounts `json:"counts"`
}

// TaskRow is an open reminder or interview task (notice §5).
type TaskRow struct {
	TaskID      string          `json:"task_id"`
	SubjectID   string          `json:"subject_id"`
	SubjectName string          `json:"subject_name"`
	Level       domain.Level    `json:"level"`
	Kind        domain.TaskKind `json:"kind"`
	OpenedOn    domain.Date     `json:"opened_on"`
	DueOn       domain.Date     `json:"due_on"`
	// Link defaults to /v1/subjects/{id}.
	Link string `json:"link,omitempty"`
}

// ObjectionRow is an open objection (异议) to a record.
type ObjectionRow struct {
	ObjectionID string      `json:"objection_id"`
	SubjectID   string      `json:"subject_id"`
	SubjectName string      `json:"subject_name"`
	DocumentNo  string      `json:"document_no"`
	FiledOn     domain.Date `json:"filed_on"`
	DueOn       domain.Date `json:"due_on"`
	Link        string      `json:"link,omitempty"`
}

// ChangeRow is one recent change of a subject's level.
type ChangeRow struct {
	SubjectID   string       `json:"subject_id"`
	SubjectName string       `json:"subject_name"`
	From        domain.Level `json:"from,omitempty"` // empty for a first grade
	To          domain.Level `json:"to"`
	On          domain.Date  `json:"on"`
	Link        string       `json:"link,omitempty"`
}

// Data is everything the office dashboard shows; the API fills it. Counts
// of open and overdue items are totals, the rows only the top ones (the API
// chooses how many; the page shows them all). Names are shown as given: the
// page is for the office role only, so the API decides whether to mask.
type Data struct {
	Title  string      `json:"title"`  // default 信用分级分类监管工作台
	Office string      `json:"office"` // e.g. 睢县公安局办公室
	Today  domain.Date `json:"today"`

	Current LevelCounts   `json:"current"`
	Trend   []MonthCounts `json:"trend"` // oldest first, normally 12 months (TrendFromHistory)

	OpenTasks    int       `json:"open_tasks"`
	OverdueTasks int       `json:"overdue_tasks"`
	Tasks        []TaskRow `json:"tasks"`

	OpenObjections    int            `json:"open_objections"`
	OverdueObjections int            `json:"overdue_objections"`
	Objections        []ObjectionRow `json:"objections"`

	Changes []ChangeRow `json:"changes"`
}
