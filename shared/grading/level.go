package grading

import (
	"slices"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

// Rule keys, stable: stored with grades, shown in exports, matched by tests.
const (
	RuleCWarningActs          = "c.warning_acts"
	RuleCPenaltyActs          = "c.penalty_acts"
	RuleCFineSum              = "c.fine_sum"
	RuleCCommitmentViolations = "c.commitment_violations"
	RuleCNationalEvaluation   = "c.national_evaluation"
	RuleBWarningActs          = "b.warning_acts"
	RuleBPenaltyActs          = "b.penalty_acts"
	RuleBCommitmentViolations = "b.commitment_violations"
	RuleBNationalEvaluation   = "b.national_evaluation"
)

// ListRule is the rule key of a list giving a level: "c.black_list",
// "c.dishonesty_list", "a.red_list", "a.joint_reward_list".
func ListRule(level domain.Level, k domain.ListKind) string {
	prefix := "c."
	if level == domain.LevelA {
		prefix = "a."
	}
	return prefix + string(k) + "_list"
}

// finding is a reason before its sentences are written, with what the
// sentences need.
type finding struct {
	domain.Reason
	list domain.ListKind
	eval *evalFact
}

// outcome is a grade's level and findings on one day.
type outcome struct {
	level    domain.Level
	findings []finding
}

func (o outcome) equal(x outcome) bool {
	return o.level == x.level && slices.EqualFunc(o.findings, x.findings, func(a, b finding) bool {
		return a.Rule == b.Rule && a.Count == b.Count && a.SumFen == b.SumFen &&
			a.Threshold == b.Threshold && slices.Equal(a.RecordIDs, b.RecordIDs)
	})
}

// evaluate applies rules.md "Levels" in order; the first level with a
// finding is the grade, and only that level's findings are its reasons.
// Findings come in a fixed order (the order of the rules below), so the
// result never depends on the order of the records.
func evaluate(p *policy.Policy, t tally) outcome {
	var c []finding
	for _, k := range domain.ListKinds {
		if p.ListLevel(k) == domain.LevelC && len(t.lists[k]) > 0 {
			c = append(c, finding{Reason: domain.Reason{Rule: ListRule(domain.LevelC, k), RecordIDs: ids(t.lists[k])}, list: k})
		}
	}
	th := p.Thresholds
	if p.Escalation {
		if t.warningActs >= th.WarningActs {
			c = append(c, finding{Reason: domain.Reason{Rule: RuleCWarningActs, RecordIDs: ids(t.warningIDs), Count: t.warningActs, Threshold: int64(th.WarningActs)}})
		}
		if t.penaltyActs >= th.PenaltyActs {
			c = append(c, finding{Reason: domain.Reason{Rule: RuleCPenaltyActs, RecordIDs: ids(t.penaltyIDs), Count: t.penaltyActs, SumFen: t.sumFen, Threshold: int64(th.PenaltyActs)}})
		}
		if t.sumFen > th.FineSumFen {
			c = append(c, finding{Reason: domain.Reason{Rule: RuleCFineSum, RecordIDs: ids(t.sumIDs), SumFen: t.sumFen, Threshold: th.FineSumFen}})
		}
		if t.violations >= th.CommitmentViolations {
			c = append(c, finding{Reason: domain.Reason{Rule: RuleCCommitmentViolations, RecordIDs: ids(t.violationIDs), Count: t.violations, Threshold: int64(th.CommitmentViolations)}})
		}
	}
	if t.eval != nil && t.eval.level == domain.LevelC {
		c = append(c, finding{Reason: domain.Reason{Rule: RuleCNationalEvaluation, RecordIDs: []string{t.eval.id}}, eval: t.eval})
	}
	if len(c) > 0 {
		return outcome{level: domain.LevelC, findings: withLevel(c, domain.LevelC)}
	}

	// B: at least one of each kind, below its C bound (the bound is recorded
	// as the Threshold when escalation is on, so a reader sees how close C is).
	bound := func(n int64) int64 {
		if p.Escalation {
			return n
		}
		return 0
	}
	var b []finding
	if t.warningActs > 0 {
		b = append(b, finding{Reason: domain.Reason{Rule: RuleBWarningActs, RecordIDs: ids(t.warningIDs), Count: t.warningActs, Threshold: bound(int64(th.WarningActs))}})
	}
	if t.penaltyActs > 0 {
		b = append(b, finding{Reason: domain.Reason{Rule: RuleBPenaltyActs, RecordIDs: ids(t.penaltyIDs), Count: t.penaltyActs, SumFen: t.sumFen, Threshold: bound(int64(th.PenaltyActs))}})
	}
	if t.violations > 0 {
		b = append(b, finding{Reason: domain.Reason{Rule: RuleBCommitmentViolations, RecordIDs: ids(t.violationIDs), Count: t.violations, Threshold: bound(int64(th.CommitmentViolations))}})
	}
	if t.eval != nil && t.eval.level == domain.LevelB {
		b = append(b, finding{Reason: domain.Reason{Rule: RuleBNationalEvaluation, RecordIDs: []string{t.eval.id}}, eval: t.eval})
	}
	if len(b) > 0 {
		return outcome{level: domain.LevelB, findings: withLevel(b, domain.LevelB)}
	}

	var a []finding
	for _, k := range domain.ListKinds {
		if p.ListLevel(k) == domain.LevelA && len(t.lists[k]) > 0 {
			a = append(a, finding{Reason: domain.Reason{Rule: ListRule(domain.LevelA, k), RecordIDs: ids(t.lists[k])}, list: k})
		}
	}
	if len(a) > 0 {
		return outcome{level: domain.LevelA, findings: withLevel(a, domain.LevelA)}
	}
	// Decision: no grounds for A, B or C → unrated, with no reasons.
	return outcome{level: domain.LevelUnrated}
}

func withLevel(fs []finding, l domain.Level) []finding {
	for i := range fs {
		fs[i].Level = l
	}
	return fs
}
