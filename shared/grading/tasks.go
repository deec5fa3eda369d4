package grading

import (
	"slices"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

// TaskFor is the reminder due when a subject becomes B or C (notice §5): a
// credit reminder on B, a written reminder or integrity interview on C, with
// the methods that close it and the days allowed. ok is false for A and
// unrated, which are owed no reminder.
func TaskFor(p *policy.Policy, level domain.Level) (kind domain.TaskKind, methods []string, dueDays int, ok bool) {
	switch level {
	case domain.LevelB:
		kind = domain.TaskReminder
	case domain.LevelC:
		kind = domain.TaskInterview
	default:
		return "", nil, 0, false
	}
	return kind, slices.Clone(p.Reminders.Methods[level]), p.Reminders.DueDays, true
}

// Measures lists the measures applied at a level (notice §4); none for
// unrated. The slice is a copy.
func Measures(p *policy.Policy, level domain.Level) []policy.Measure {
	return slices.Clone(p.Measures[level])
}

// LevelRank orders levels from best to worst for comparisons: A 0,
// unrated 1, B 2, C 3 (unknown levels -1). A higher rank is a worse grade.
func LevelRank(l domain.Level) int {
	switch l {
	case domain.LevelA:
		return 0
	case domain.LevelUnrated:
		return 1
	case domain.LevelB:
		return 2
	case domain.LevelC:
		return 3
	}
	return -1
}
