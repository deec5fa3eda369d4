package domain

import "time"

// Level is a credit level.
type Level string

const (
	LevelA       Level = "A"       // 信用优良
	LevelB       Level = "B"       // 一般失信
	LevelC       Level = "C"       // 严重失信
	LevelUnrated Level = "unrated" // 未定级
)

var Levels = []Level{LevelA, LevelB, LevelC, LevelUnrated}

func (l Level) Valid() bool {
	return l == LevelA || l == LevelB || l == LevelC || l == LevelUnrated
}

// NameZH is the level's Chinese name.
func (l Level) NameZH() string {
	switch l {
	case LevelA:
		return "A级（信用优良）"
	case LevelB:
		return "B级（一般失信）"
	case LevelC:
		return "C级（严重失信）"
	}
	return "未定级"
}

// Reason is one rule that held, with the records behind it and the figures
// it saw. Rule is a stable English key (e.g. "c.penalty_acts"); MessageZH is
// the sentence shown to people.
type Reason struct {
	Rule      string   `json:"rule"`
	Level     Level    `json:"level"`
	MessageZH string   `json:"message_zh"`
	MessageEN string   `json:"message_en"`
	RecordIDs []string `json:"record_ids"`
	Count     int      `json:"count,omitempty"`
	SumFen    int64    `json:"sum_fen,omitempty"`
	Threshold int64    `json:"threshold,omitempty"`
}

// Grade is a subject's computed credit grade.
type Grade struct {
	SubjectID     SubjectID `json:"subject_id"`
	Level         Level     `json:"level"`
	Reasons       []Reason  `json:"reasons"`
	PolicyVersion string    `json:"policy_version"`
	AsOf          Date      `json:"as_of"`
	// NextChange is the earliest date the grade changes by itself if nothing
	// else happens (a record leaving the window, a list entry starting or
	// lapsing); zero when nothing pending would change it.
	NextChange Date      `json:"next_change,omitempty"`
	ComputedAt time.Time `json:"computed_at"`
	// Since is the first day the subject has held this level continuously.
	Since Date `json:"since,omitempty"`
	// Version increases by one with every stored change of the grade; writes
	// are conditional on it so a late regrade never overwrites a newer one.
	Version int64 `json:"version"`
}

// SameOutcome reports whether two grades say the same thing (level, reasons,
// policy and next change), ignoring when they were computed.
func (g Grade) SameOutcome(o Grade) bool {
	if g.Level != o.Level || g.PolicyVersion != o.PolicyVersion || g.NextChange != o.NextChange || len(g.Reasons) != len(o.Reasons) {
		return false
	}
	for i := range g.Reasons {
		a, b := g.Reasons[i], o.Reasons[i]
		if a.Rule != b.Rule || a.Count != b.Count || a.SumFen != b.SumFen || len(a.RecordIDs) != len(b.RecordIDs) {
			return false
		}
		for j := range a.RecordIDs {
			if a.RecordIDs[j] != b.RecordIDs[j] {
				return false
			}
		}
	}
	return true
}

// TaskKind is a reminder or interview due after a grade (notice §5).
type TaskKind string

const (
	TaskReminder  TaskKind = "reminder"  // B: oral or written credit reminder
	TaskInterview TaskKind = "interview" // C: written reminder or integrity interview
)

// Task is an open reminder task opened by a grade change.
type Task struct {
	ID        string    `json:"id"`
	SubjectID SubjectID `json:"subject_id"`
	Level     Level     `json:"level"`
	// Allowed lists the methods that close it: oral_reminder, written_reminder, interview.
	Allowed   []string  `json:"allowed_methods"`
	OpenedOn  Date      `json:"opened_on"`
	DueOn     Date      `json:"due_on"`
	Status    string    `json:"status"` // open | closed
	ClosedBy  string    `json:"closed_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}
