package grading

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

// The generated histories span about three years so records enter and leave
// the window and list periods start, lapse and are removed around "today".
var genBase = d("2024-01-01")

const genSpanDays = 1100

func genDate(t *rapid.T, label string) domain.Date {
	return genBase.AddDays(rapid.IntRange(0, genSpanDays).Draw(t, label))
}

func genOptDate(t *rapid.T, label string, after domain.Date) domain.Date {
	if rapid.Bool().Draw(t, label+"?") {
		return domain.Date{}
	}
	return after.AddDays(rapid.IntRange(0, 800).Draw(t, label))
}

func genAct(t *rapid.T) domain.Act {
	n := rapid.IntRange(1, 3).Draw(t, "sanctions")
	a := domain.Act{}
	for range n {
		k := rapid.SampledFrom(domain.SanctionKinds).Draw(t, "kind")
		s := domain.Sanction{Kind: k}
		if k == domain.SanctionFine || k == domain.SanctionConfiscation {
			// Large enough that a few acts cross the 50,000,000 fen bound.
			s.AmountFen = rapid.Int64Range(0, 30_000_000).Draw(t, "fen")
		}
		a.Sanctions = append(a.Sanctions, s)
	}
	return a
}

// genDishonest draws a record that can only push a grade down: a decision,
// a commitment violation or a serious list entry, in a counting status.
func genDishonest(t *rapid.T, id string) domain.Record {
	r := domain.Record{ID: id, SubjectID: subj, EffectiveDate: genDate(t, "date"),
		Status: rapid.SampledFrom([]domain.Status{domain.StatusActive, domain.StatusObjected}).Draw(t, "status")}
	switch rapid.IntRange(0, 2).Draw(t, "dishonest kind") {
	case 0:
		r.Kind = domain.KindDecision
		r.Decision = &domain.Decision{}
		for range rapid.IntRange(1, 3).Draw(t, "acts") {
			r.Decision.Acts = append(r.Decision.Acts, genAct(t))
		}
	case 1:
		r.Kind = domain.KindCommitmentViolation
		r.Violation = &domain.CommitmentViolation{Commitment: "c"}
	default:
		r.Kind = domain.KindListEntry
		r.ListEntry = &domain.ListEntry{List: rapid.SampledFrom([]domain.ListKind{domain.ListBlack, domain.ListDishonesty}).Draw(t, "list"), ValidFrom: r.EffectiveDate}
		r.ListEntry.ValidUntil = genOptDate(t, "until", r.EffectiveDate)
		r.ListEntry.RemovedOn = genOptDate(t, "removed", r.EffectiveDate)
	}
	return r
}

func genRecord(t *rapid.T, id string) domain.Record {
	var r domain.Record
	switch rapid.IntRange(0, 3).Draw(t, "record kind") {
	case 0, 1:
		r = genDishonest(t, id)
	case 2:
		r = domain.Record{ID: id, Kind: domain.KindListEntry, SubjectID: subj, EffectiveDate: genDate(t, "date")}
		r.ListEntry = &domain.ListEntry{List: rapid.SampledFrom(domain.ListKinds).Draw(t, "list"), ValidFrom: r.EffectiveDate}
		r.ListEntry.ValidUntil = genOptDate(t, "until", r.EffectiveDate)
		r.ListEntry.RemovedOn = genOptDate(t, "removed", r.EffectiveDate)
	default:
		r = domain.Record{ID: id, Kind: domain.KindEvaluation, SubjectID: subj, EffectiveDate: genDate(t, "date"),
			Evaluation: &domain.Evaluation{Level: rapid.SampledFrom(domain.EvaluationLevels).Draw(t, "eval")}}
	}
	r.Status = rapid.SampledFrom([]domain.Status{
		domain.StatusActive, domain.StatusActive, domain.StatusObjected,
		domain.StatusRevoked, domain.StatusRepaired, domain.StatusExpired,
	}).Draw(t, "status")
	return r
}

func genRecords(t *rapid.T) []domain.Record {
	n := rapid.IntRange(0, 12).Draw(t, "n")
	out := make([]domain.Record, n)
	for i := range out {
		out[i] = genRecord(t, fmt.Sprintf("r%02d", i))
	}
	return out
}

func genPolicy(t *rapid.T) *policy.Policy {
	p := policy.MustDefault()
	p.Escalation = rapid.Float64Range(0, 1).Draw(t, "escalation") < 0.8
	return p
}

func genToday(t *rapid.T) domain.Date { return genDate(t, "today") }

func TestPropertyAddingDishonestActNeverImproves(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p, recs, today := genPolicy(t), genRecords(t), genToday(t)
		before := Grade(subj, recs, p, today)
		after := Grade(subj, append(slices.Clone(recs), genDishonest(t, "new")), p, today)
		if LevelRank(after.Level) < LevelRank(before.Level) {
			t.Fatalf("adding a dishonest record improved %s → %s", before.Level, after.Level)
		}
	})
}

// Revoking, repairing or expiring a dishonest record never worsens a grade.
// Red-list entries and evaluations are excluded on purpose: revoking a red
// list entry rightly takes A away, and revoking the latest evaluation lets an
// earlier one apply again.
func TestPropertyRemovingDishonestRecordNeverWorsens(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p, recs, today := genPolicy(t), genRecords(t), genToday(t)
		recs = append(recs, genDishonest(t, "target"))
		i := len(recs) - 1
		before := Grade(subj, recs, p, today)
		changed := slices.Clone(recs)
		changed[i].Status = rapid.SampledFrom([]domain.Status{domain.StatusRevoked, domain.StatusRepaired, domain.StatusExpired}).Draw(t, "to")
		after := Grade(subj, changed, p, today)
		if LevelRank(after.Level) > LevelRank(before.Level) {
			t.Fatalf("%s a dishonest record worsened %s → %s", changed[i].Status, before.Level, after.Level)
		}
	})
}

func TestPropertyRecordOrderNeverMatters(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p, recs, today := genPolicy(t), genRecords(t), genToday(t)
		perm := rapid.Permutation(recs).Draw(t, "perm")
		a, b := Grade(subj, recs, p, today), Grade(subj, perm, p, today)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("order changed the grade:\n%+v\n%+v", a, b)
		}
	})
}

func TestPropertyNextChangeIsExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p, recs, today := genPolicy(t), genRecords(t), genToday(t)
		g := Grade(subj, recs, p, today)
		if g.NextChange.IsZero() {
			far := today.AddDays(rapid.IntRange(1, 5000).Draw(t, "later"))
			if later := Grade(subj, recs, p, far); !sameOutcome(g, later) {
				t.Fatalf("no next change, but on %s the grade is %s %v (today %s %v)", far, later.Level, rules(later), g.Level, rules(g))
			}
			return
		}
		if !g.NextChange.After(today) {
			t.Fatalf("NextChange %s not after today %s", g.NextChange, today)
		}
		if on := Grade(subj, recs, p, g.NextChange); sameOutcome(g, on) {
			t.Fatalf("nothing changes on NextChange %s", g.NextChange)
		}
		last := g.NextChange.AddDays(-1)
		if prev := Grade(subj, recs, p, last); !sameOutcome(g, prev) {
			t.Fatalf("grade already changed on %s, before NextChange %s", last, g.NextChange)
		}
		mid := today.AddDays(rapid.IntRange(0, today.DaysUntil(last)).Draw(t, "between"))
		if between := Grade(subj, recs, p, mid); !sameOutcome(g, between) {
			t.Fatalf("grade changed on %s, before NextChange %s", mid, g.NextChange)
		}
	})
}
