package grading

import (
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

// WindowEnd is the first day a record no longer counts because it left the
// window: its effective date plus the policy's window in years (29 February
// plus one year is 1 March). Zero for list entries (their own period rules)
// and for observations (never graded). Computed from the policy, not from
// Record.CountsUntil, so a policy change moves it.
func WindowEnd(p *policy.Policy, r domain.Record) domain.Date {
	switch r.Kind {
	case domain.KindDecision, domain.KindCommitmentViolation, domain.KindEvaluation:
		if r.EffectiveDate.IsZero() {
			return domain.Date{}
		}
		return r.EffectiveDate.AddYears(p.WindowYears)
	}
	return domain.Date{}
}

// span is the half-open interval of days [from, until) on which a fact
// counts; a zero until is open-ended, a zero from has no start.
type span struct{ from, until domain.Date }

func (s span) contains(d domain.Date) bool {
	if !s.from.IsZero() && d.Before(s.from) {
		return false
	}
	return s.until.IsZero() || d.Before(s.until)
}

// listSpan turns a list entry's period (ValidUntil inclusive, RemovedOn the
// first day out) into a span, agreeing with domain.ListEntry.InEffect.
func listSpan(l domain.ListEntry) span {
	until := domain.Date{}
	if !l.ValidUntil.IsZero() {
		until = l.ValidUntil.AddDays(1)
	}
	return span{from: l.ValidFrom, until: domain.MinDate(until, l.RemovedOn)}
}
