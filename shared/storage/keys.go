package storage

import (
	"fmt"

	"github.com/suixian-psb/credit/shared/domain"
)

// Index names, as in template.yaml.
const (
	IndexDue  = "DueIndex"
	IndexList = "ListIndex"
)

// Key parts of the layout documented in store.go.
const (
	skProfile   = "PROFILE"
	skGrade     = "GRADE"
	skGuard     = "DOC"
	prefixRec   = "REC#"
	prefixHist  = "HIST#"
	prefixTask  = "TASK#"
	gsiExpire   = "EXPIRE"
	gsiRegrade  = "REGRADE"
	gsiOpenTask = "TASK#open"

	// TaskOpen and TaskClosed are the values of domain.Task.Status.
	TaskOpen   = "open"
	TaskClosed = "closed"

	// DefaultPageLimit applies when Page.Limit is not positive; MaxPageLimit
	// caps it.
	DefaultPageLimit = 100
	MaxPageLimit     = 1000
)

func subjectPK(id domain.SubjectID) string { return "SUBJ#" + string(id) }
func recordSK(id string) string            { return prefixRec + id }
func taskSK(id string) string              { return prefixTask + id }

// historySK zero-pads the version so that the sort key order is the
// version order.
func historySK(version int64) string { return fmt.Sprintf("%s%012d", prefixHist, version) }

func guardPK(unit string, kind domain.RecordKind, documentNo string) string {
	return "DOC#" + unit + "#" + string(kind) + "#" + documentNo
}

func levelPK(l domain.Level) string { return "LEVEL#" + string(l) }

// expireSK is the record's DueIndex sort key; ok is false when the record
// does not belong in the index (it does not count, or never ages out).
func expireSK(rec domain.Record) (sk string, ok bool) {
	if !rec.Status.Counts() || rec.CountsUntil.IsZero() {
		return "", false
	}
	return rec.CountsUntil.String() + "#" + string(rec.SubjectID) + "#" + rec.ID, true
}

// regradeSK is the grade's DueIndex sort key; ok is false when nothing
// pending would change the grade.
func regradeSK(g domain.Grade) (sk string, ok bool) {
	if g.NextChange.IsZero() {
		return "", false
	}
	return g.NextChange.String() + "#" + string(g.SubjectID), true
}

// openTaskSK is the open task's ListIndex sort key; ok is false for a
// closed task.
func openTaskSK(t domain.Task) (sk string, ok bool) {
	if t.Status != TaskOpen {
		return "", false
	}
	return t.DueOn.String() + "#" + string(t.SubjectID) + "#" + t.ID, true
}

// dueBound is the exclusive upper bound of DueIndex sort keys due on or
// before through: every key of that day starts with "<through>#", which
// sorts below the next day's date.
func dueBound(through domain.Date) string { return through.AddDays(1).String() }

func pageLimit(p Page) int {
	switch {
	case p.Limit <= 0:
		return DefaultPageLimit
	case p.Limit > MaxPageLimit:
		return MaxPageLimit
	}
	return p.Limit
}
