package grading

import (
	"fmt"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

// benchRecords builds a deterministic mixed history of n records over about
// two years: mostly decisions (some with several acts), some violations,
// list entries and evaluations.
func benchRecords(n int) []domain.Record {
	base := d("2025-01-01")
	out := make([]domain.Record, n)
	for i := range out {
		id := fmt.Sprintf("r%04d", i)
		date := base.AddDays(i * 7 % 700).String()
		switch i % 10 {
		case 7:
			out[i] = violation(id, date)
		case 8:
			out[i] = list(id, []domain.ListKind{domain.ListRed, domain.ListBlack}[i/10%2], date, base.AddDays(i*7%700+200).String(), "")
		case 9:
			out[i] = evaluation(id, date, domain.EvaluationLevels[i/10%4])
		default:
			out[i] = decision(id, date, warnAct(), fineAct(int64(i)*10_000))
		}
	}
	return out
}

func BenchmarkGrade(b *testing.B) {
	p := policy.MustDefault()
	today := d("2026-01-15")
	for _, n := range []int{1, 10, 100} {
		recs := benchRecords(n)
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Grade(subj, recs, p, today)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "subjects/s")
		})
	}
}
