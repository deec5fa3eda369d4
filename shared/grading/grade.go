package grading

import (
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

// Grade computes a subject's grade on today from its records under policy p.
// Records in a non-counting status, of ungraded kinds or of another subject
// are ignored. ComputedAt, Since and Version are left for the caller.
func Grade(subject domain.SubjectID, records []domain.Record, p *policy.Policy, today domain.Date) domain.Grade {
	f := prepare(subject, records, p)
	now := evaluate(p, f.tallyOn(today))
	reasons := make([]domain.Reason, len(now.findings))
	for i, fd := range now.findings {
		reasons[i] = describe(p, fd, today)
	}
	return domain.Grade{
		SubjectID:     subject,
		Level:         now.level,
		Reasons:       reasons,
		PolicyVersion: p.Version,
		AsOf:          today,
		NextChange:    f.nextChange(p, today, now),
	}
}
