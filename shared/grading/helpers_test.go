package grading

import (
	"slices"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

const subj domain.SubjectID = "91411422MA00000000"

func d(s string) domain.Date { return domain.MustDate(s) }

func sanction(k domain.SanctionKind, fen int64) domain.Sanction {
	return domain.Sanction{Kind: k, AmountFen: fen}
}

func warnAct() domain.Act { return act(sanction(domain.SanctionWarning, 0)) }

func fineAct(fen int64) domain.Act { return act(sanction(domain.SanctionFine, fen)) }

func act(ss ...domain.Sanction) domain.Act { return domain.Act{Facts: "facts", Sanctions: ss} }

func decision(id, date string, acts ...domain.Act) domain.Record {
	return domain.Record{ID: id, Kind: domain.KindDecision, SubjectID: subj, EffectiveDate: d(date),
		Status: domain.StatusActive, Decision: &domain.Decision{Acts: acts}}
}

func violation(id, date string) domain.Record {
	return domain.Record{ID: id, Kind: domain.KindCommitmentViolation, SubjectID: subj, EffectiveDate: d(date),
		Status: domain.StatusActive, Violation: &domain.CommitmentViolation{Commitment: "c"}}
}

// list builds a list entry; until and removed may be "".
func list(id string, k domain.ListKind, from, until, removed string) domain.Record {
	opt := func(s string) domain.Date {
		if s == "" {
			return domain.Date{}
		}
		return d(s)
	}
	return domain.Record{ID: id, Kind: domain.KindListEntry, SubjectID: subj, EffectiveDate: d(from),
		Status: domain.StatusActive, ListEntry: &domain.ListEntry{List: k, ValidFrom: d(from), ValidUntil: opt(until), RemovedOn: opt(removed)}}
}

func evaluation(id, date string, l domain.EvaluationLevel) domain.Record {
	return domain.Record{ID: id, Kind: domain.KindEvaluation, SubjectID: subj, EffectiveDate: d(date),
		Status: domain.StatusActive, Evaluation: &domain.Evaluation{Level: l}}
}

func withStatus(r domain.Record, s domain.Status) domain.Record {
	r.Status = s
	return r
}

// warnings returns n single-act warning decisions dated date.
func warnings(n int, date string) []domain.Record {
	var out []domain.Record
	for i := range n {
		out = append(out, decision(string(rune('a'+i))+"-warn", date, warnAct()))
	}
	return out
}

func penalties(n int, date string) []domain.Record {
	var out []domain.Record
	for i := range n {
		out = append(out, decision(string(rune('a'+i))+"-fine", date, fineAct(100_00)))
	}
	return out
}

func violations(n int, date string) []domain.Record {
	var out []domain.Record
	for i := range n {
		out = append(out, violation(string(rune('a'+i))+"-viol", date))
	}
	return out
}

func rules(g domain.Grade) []string {
	out := []string{}
	for _, r := range g.Reasons {
		out = append(out, r.Rule)
	}
	return out
}

// sameOutcome compares what a grade says, ignoring the day it was computed
// for (list sentences name the day) and NextChange.
func sameOutcome(a, b domain.Grade) bool {
	return a.Level == b.Level && slices.EqualFunc(a.Reasons, b.Reasons, func(x, y domain.Reason) bool {
		return x.Rule == y.Rule && x.Level == y.Level && x.Count == y.Count && x.SumFen == y.SumFen &&
			x.Threshold == y.Threshold && slices.Equal(x.RecordIDs, y.RecordIDs)
	})
}

func noEscalation(p *policy.Policy) *policy.Policy {
	q := *p
	q.Escalation = false
	return &q
}
