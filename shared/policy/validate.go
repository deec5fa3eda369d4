package policy

import (
	"fmt"
	"slices"

	"github.com/suixian-psb/credit/shared/domain"
)

// errf builds one validation error; the field path comes first so an
// operator sees at once what to fix.
func errf(field, format string, args ...any) error {
	return fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...))
}

// validate returns every problem found, not just the first.
func (p *Policy) validate() []error {
	var errs []error
	add := func(e error) { errs = append(errs, e) }

	if p.Version == "" {
		add(errf("version", "required"))
	}
	if p.WindowYears < 1 {
		add(errf("window_years", "must be at least 1 (got %d)", p.WindowYears))
	}
	errs = append(errs, p.validateSanctions()...)

	t := p.Thresholds
	for _, c := range []struct {
		field string
		v     int64
	}{
		{"thresholds.warning_acts", int64(t.WarningActs)},
		{"thresholds.penalty_acts", int64(t.PenaltyActs)},
		{"thresholds.commitment_violations", int64(t.CommitmentViolations)},
		{"thresholds.fine_sum_fen", t.FineSumFen},
	} {
		if c.v <= 0 {
			add(errf(c.field, "must be positive (got %d)", c.v))
		}
	}

	errs = append(errs, validateLists("lists.serious", p.Lists.Serious)...)
	errs = append(errs, validateLists("lists.good", p.Lists.Good)...)
	for _, k := range p.Lists.Serious {
		if slices.Contains(p.Lists.Good, k) {
			add(errf("lists", "%q is in both serious and good", k))
		}
	}

	for e, l := range p.NationalEvaluation {
		if !slices.Contains(domain.EvaluationLevels, e) {
			add(errf("national_evaluation", "unknown evaluation level %q (want one of %v)", e, domain.EvaluationLevels))
		}
		if l != domain.LevelB && l != domain.LevelC {
			add(errf("national_evaluation."+string(e), "must be \"B\" or \"C\" (got %q); leave a level out for no effect", l))
		}
	}

	if p.Reminders.DueDays <= 0 {
		add(errf("reminders.due_days", "must be positive (got %d)", p.Reminders.DueDays))
	}
	for l, ms := range p.Reminders.Methods {
		if l != domain.LevelB && l != domain.LevelC {
			add(errf("reminders.methods", "level %q has no reminder (only B and C)", l))
		}
		for _, m := range ms {
			if !slices.Contains(Methods, m) {
				add(errf("reminders.methods."+string(l), "unknown method %q (want one of %v)", m, Methods))
			}
		}
	}
	for _, l := range []domain.Level{domain.LevelB, domain.LevelC} {
		if len(p.Reminders.Methods[l]) == 0 {
			add(errf("reminders.methods."+string(l), "at least one method required"))
		}
	}

	if p.Repair.GeneralMonths <= 0 {
		add(errf("repair.general_months", "must be positive (got %d)", p.Repair.GeneralMonths))
	}
	if p.Repair.SeriousMonths <= 0 {
		add(errf("repair.serious_months", "must be positive (got %d)", p.Repair.SeriousMonths))
	}
	if p.Objection.VerificationDays <= 0 {
		add(errf("objection.verification_days", "must be positive (got %d)", p.Objection.VerificationDays))
	}

	errs = append(errs, p.validateMeasures()...)
	errs = append(errs, p.validateSupervision()...)
	return errs
}

func (p *Policy) validateSanctions() []error {
	var errs []error
	add := func(e error) { errs = append(errs, e) }
	s := p.Sanctions
	seen := map[domain.SanctionKind]bool{}
	for _, k := range s.Order {
		if !slices.Contains(domain.SanctionKinds, k) {
			add(errf("sanctions.order", "unknown sanction kind %q", k))
		} else if seen[k] {
			add(errf("sanctions.order", "%q appears more than once", k))
		}
		seen[k] = true
	}
	for _, k := range domain.SanctionKinds {
		if !seen[k] {
			add(errf("sanctions.order", "missing sanction kind %q", k))
		}
		if _, ok := s.Tiers[k]; !ok {
			add(errf("sanctions.tiers", "missing tier for %q", k))
		}
	}
	for k, t := range s.Tiers {
		if !slices.Contains(domain.SanctionKinds, k) {
			add(errf("sanctions.tiers", "unknown sanction kind %q", k))
		}
		if t != TierWarning && t != TierPenalty {
			add(errf("sanctions.tiers."+string(k), "must be %q or %q (got %q)", TierWarning, TierPenalty, t))
		}
	}
	// A heavier sanction never sits in a lighter tier: once the order reaches
	// the penalty tier it stays there.
	penalty := ""
	for _, k := range s.Order {
		switch s.Tiers[k] {
		case TierPenalty:
			if penalty == "" {
				penalty = string(k)
			}
		case TierWarning:
			if penalty != "" {
				add(errf("sanctions.tiers."+string(k), "warning tier but heavier than penalty-tier %q", penalty))
			}
		}
	}
	if len(s.SummedKinds) == 0 {
		add(errf("sanctions.summed_kinds", "at least one kind required"))
	}
	for i, k := range s.SummedKinds {
		if !slices.Contains(domain.SanctionKinds, k) {
			add(errf("sanctions.summed_kinds", "unknown sanction kind %q", k))
		} else if slices.Contains(s.SummedKinds[:i], k) {
			add(errf("sanctions.summed_kinds", "%q appears more than once", k))
		}
	}
	return errs
}

func validateLists(field string, ks []domain.ListKind) []error {
	var errs []error
	for i, k := range ks {
		if !slices.Contains(domain.ListKinds, k) {
			errs = append(errs, errf(field, "unknown list kind %q (want one of %v)", k, domain.ListKinds))
		} else if slices.Contains(ks[:i], k) {
			errs = append(errs, errf(field, "%q appears more than once", k))
		}
	}
	return errs
}

func (p *Policy) validateMeasures() []error {
	var errs []error
	for l, ms := range p.Measures {
		field := "measures." + string(l)
		if l != domain.LevelA && l != domain.LevelB && l != domain.LevelC {
			errs = append(errs, errf("measures", "level %q carries no measures (only A, B and C)", l))
			continue
		}
		keys := map[string]bool{}
		for i, m := range ms {
			f := fmt.Sprintf("%s[%d]", field, i)
			if m.Key == "" || m.TextZH == "" || m.TextEN == "" {
				errs = append(errs, errf(f, "key, text_zh and text_en are required"))
			}
			if keys[m.Key] {
				errs = append(errs, errf(f, "duplicate key %q", m.Key))
			}
			keys[m.Key] = true
		}
	}
	for _, l := range []domain.Level{domain.LevelA, domain.LevelB, domain.LevelC} {
		if len(p.Measures[l]) == 0 {
			errs = append(errs, errf("measures."+string(l), "at least one measure required"))
		}
	}
	return errs
}

func (p *Policy) validateSupervision() []error {
	var errs []error
	s := p.Supervision
	for a, byLevel := range s.Actions {
		if !slices.Contains(Actions, a) {
			errs = append(errs, errf("supervision.actions", "unknown action %q (want one of %v)", a, Actions))
			continue
		}
		for l, v := range byLevel {
			if !l.Valid() {
				errs = append(errs, errf("supervision.actions."+a, "unknown level %q", l))
			}
			if !slices.Contains(Verdicts, v) {
				errs = append(errs, errf("supervision.actions."+a+"."+string(l), "must be one of %v (got %q)", Verdicts, v))
			}
		}
	}
	for _, a := range Actions {
		byLevel, ok := s.Actions[a]
		if !ok {
			errs = append(errs, errf("supervision.actions", "missing action %q", a))
			continue
		}
		for _, l := range domain.Levels {
			if _, ok := byLevel[l]; !ok {
				errs = append(errs, errf("supervision.actions."+a, "missing level %q", l))
			}
		}
	}
	for l, r := range s.RandomInspectionRate {
		if !l.Valid() {
			errs = append(errs, errf("supervision.random_inspection_rate", "unknown level %q", l))
		}
		if r < 0 || r > 1 || r != r {
			errs = append(errs, errf("supervision.random_inspection_rate."+string(l), "must be between 0 and 1 (got %v)", r))
		}
	}
	for _, l := range domain.Levels {
		if _, ok := s.RandomInspectionRate[l]; !ok {
			errs = append(errs, errf("supervision.random_inspection_rate", "missing level %q", l))
		}
	}
	return errs
}
