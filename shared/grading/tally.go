package grading

import (
	"slices"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

// The facts of a subject, prepared once so grading on many days (for
// NextChange) only compares dates.

type actFact struct {
	id     string
	span   span
	tier   policy.Tier
	sumFen int64
}

type listFact struct {
	id    string
	span  span
	kind  domain.ListKind
	level domain.Level // C, A or "" by the policy
}

type evalFact struct {
	id    string
	span  span
	date  domain.Date
	eval  domain.EvaluationLevel
	level domain.Level // B, C or "" by the policy
}

type idFact struct {
	id   string
	span span
}

type facts struct {
	acts       []actFact
	violations []idFact
	lists      []listFact
	evals      []evalFact
}

// prepare keeps the records that can count: a counting status, a graded
// kind with its part present, and the subject graded (a record of another
// subject passed by mistake must never move this grade).
func prepare(subject domain.SubjectID, records []domain.Record, p *policy.Policy) facts {
	var f facts
	for i := range records {
		r := &records[i]
		if !r.Status.Counts() || (r.SubjectID != "" && r.SubjectID != subject) {
			continue
		}
		w := span{from: r.EffectiveDate, until: WindowEnd(p, *r)}
		switch r.Kind {
		case domain.KindDecision:
			if r.Decision == nil || r.EffectiveDate.IsZero() {
				continue
			}
			// Each act is rated and counted on its own (notice §3).
			for _, a := range r.Decision.Acts {
				sev := ActSeverity(p, a)
				if sev.Rank < 0 {
					continue
				}
				f.acts = append(f.acts, actFact{id: r.ID, span: w, tier: sev.Tier, sumFen: ActAmountFen(p, a)})
			}
		case domain.KindCommitmentViolation:
			if r.EffectiveDate.IsZero() {
				continue
			}
			f.violations = append(f.violations, idFact{id: r.ID, span: w})
		case domain.KindListEntry:
			if r.ListEntry == nil {
				continue
			}
			lv := p.ListLevel(r.ListEntry.List)
			if lv == "" {
				continue
			}
			f.lists = append(f.lists, listFact{id: r.ID, span: listSpan(*r.ListEntry), kind: r.ListEntry.List, level: lv})
		case domain.KindEvaluation:
			if r.Evaluation == nil || r.EffectiveDate.IsZero() {
				continue
			}
			f.evals = append(f.evals, evalFact{id: r.ID, span: w, date: r.EffectiveDate, eval: r.Evaluation.Level, level: p.EvaluationLevel(r.Evaluation.Level)})
		}
	}
	return f
}

// tally is what counts on one day.
type tally struct {
	warningActs, penaltyActs int
	warningIDs, penaltyIDs   []string
	sumFen                   int64
	sumIDs                   []string
	violations               int
	violationIDs             []string
	lists                    map[domain.ListKind][]string
	eval                     *evalFact // the evaluation that applies, if any
}

func (f *facts) tallyOn(d domain.Date) tally {
	var t tally
	for i := range f.acts {
		a := &f.acts[i]
		if !a.span.contains(d) {
			continue
		}
		switch a.tier {
		case policy.TierWarning:
			t.warningActs++
			t.warningIDs = append(t.warningIDs, a.id)
		case policy.TierPenalty:
			t.penaltyActs++
			t.penaltyIDs = append(t.penaltyIDs, a.id)
		}
		if a.sumFen > 0 {
			t.sumFen = addSat(t.sumFen, a.sumFen)
			t.sumIDs = append(t.sumIDs, a.id)
		}
	}
	for _, v := range f.violations {
		if v.span.contains(d) {
			t.violations++
			t.violationIDs = append(t.violationIDs, v.id)
		}
	}
	for _, l := range f.lists {
		if l.span.contains(d) {
			if t.lists == nil {
				t.lists = map[domain.ListKind][]string{}
			}
			t.lists[l.kind] = append(t.lists[l.kind], l.id)
		}
	}
	// Decision: the latest national evaluation within the window applies; an
	// older one is superseded even if it was worse. Two on the same date are
	// told apart by record id (later-issued ids sort later), so the record
	// order never matters.
	for i := range f.evals {
		e := &f.evals[i]
		if !e.span.contains(d) {
			continue
		}
		if t.eval == nil || e.date.After(t.eval.date) || (e.date == t.eval.date && e.id > t.eval.id) {
			t.eval = e
		}
	}
	return t
}

// ids sorts and de-duplicates record ids (a decision with several acts
// appears once).
func ids(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []string{}
	}
	return out
}
