package office

import (
	"slices"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

// Repairable reports whether a record is dishonesty information that
// credit repair applies to: decisions, commitment violations, list entries
// the policy counts as serious and evaluations the policy maps to B or C.
// Red-list and joint-reward entries, good evaluations and observations are
// not.
func Repairable(p *policy.Policy, rec domain.Record) bool {
	switch rec.Kind {
	case domain.KindDecision, domain.KindCommitmentViolation:
		return true
	case domain.KindListEntry:
		return rec.ListEntry != nil && p.ListLevel(rec.ListEntry.List) == domain.LevelC
	case domain.KindEvaluation:
		if rec.Evaluation == nil {
			return false
		}
		l := p.EvaluationLevel(rec.Evaluation.Level)
		return l == domain.LevelB || l == domain.LevelC
	}
	return false
}

// Serious classifies a record for repair (see doc.go): serious when it is
// behind a C reason of the subject's current grade g, or is a list entry on
// a list the policy counts as serious (black, dishonesty); otherwise
// general. g may be the zero grade (not graded yet).
func Serious(p *policy.Policy, rec domain.Record, g domain.Grade) bool {
	if rec.Kind == domain.KindListEntry && rec.ListEntry != nil && p.ListLevel(rec.ListEntry.List) == domain.LevelC {
		return true
	}
	if g.Level != domain.LevelC {
		return false
	}
	for _, r := range g.Reasons {
		if r.Level == domain.LevelC && slices.Contains(r.RecordIDs, rec.ID) {
			return true
		}
	}
	return false
}

// EligibleFrom is the first day repair of rec may be applied for: its
// effective (decision) date plus the minimum disclosure period.
func EligibleFrom(p *policy.Policy, rec domain.Record, serious bool) (domain.Date, int) {
	months := p.Repair.GeneralMonths
	if serious {
		months = p.Repair.SeriousMonths
	}
	return rec.EffectiveDate.AddMonths(months), months
}
