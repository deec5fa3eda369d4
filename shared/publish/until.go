package publish

import (
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/grading"
	"github.com/suixian-psb/credit/shared/policy"
)

// maxSteps bounds the forward grading: each step is a day the grade changes
// by itself, and a subject has far fewer counted facts than this.
const maxSteps = 200

// DisclosureUntil is the last day a subject graded C today stays C if
// nothing new happens (see the package comment); zero when no end is known.
func DisclosureUntil(p *policy.Policy, id domain.SubjectID, records []domain.Record, today domain.Date) domain.Date {
	d := today
	for range maxSteps {
		g := grading.Grade(id, records, p, d)
		if g.Level != domain.LevelC {
			if !d.After(today) {
				// The stored grade says C but today's facts no longer do: a
				// regrade is on its way; the disclosure ends today.
				return today
			}
			return d.AddDays(-1)
		}
		if g.NextChange.IsZero() || !g.NextChange.After(d) {
			return domain.Date{}
		}
		d = g.NextChange
	}
	return domain.Date{}
}
