package dashboard

import (
	"cmp"
	"slices"

	"github.com/suixian-psb/credit/shared/domain"
)

// TrendMonths is how many months the trend covers.
const TrendMonths = 12

// TrendDays are the days the trend is counted on: the last day of each of
// the 11 months before today's month, then today itself. Oldest first.
func TrendDays(today domain.Date) []domain.Date {
	first := domain.Date{Year: today.Year, Month: today.Month, Day: 1}
	days := make([]domain.Date, 0, TrendMonths)
	for i := TrendMonths - 1; i > 0; i-- {
		days = append(days, first.AddMonths(-i+1).AddDays(-1))
	}
	return append(days, today)
}

// TrendFromHistory counts, for each trend day, the level every subject held
// at the end of that day. histories holds one slice per subject: its grade
// history entries (storage GradeHistory, which includes the current grade),
// in any order. An entry takes effect on its AsOf date (or the Shanghai
// date of ComputedAt when AsOf is missing); on the same day the higher
// Version wins. A subject with no entry yet on a day is not counted that day.
func TrendFromHistory(histories [][]domain.Grade, today domain.Date) []MonthCounts {
	days := TrendDays(today)
	out := make([]MonthCounts, len(days))
	for i, d := range days {
		out[i].Day = d
	}
	for _, h := range histories {
		entries := slices.Clone(h)
		slices.SortStableFunc(entries, func(a, b domain.Grade) int {
			if c := effective(a).Compare(effective(b)); c != 0 {
				return c
			}
			return cmp.Compare(a.Version, b.Version)
		})
		for i, d := range days {
			// The last entry effective on or before d.
			j, _ := slices.BinarySearchFunc(entries, d, func(g domain.Grade, d domain.Date) int {
				if effective(g).After(d) {
					return 1
				}
				return -1
			})
			if j > 0 {
				out[i].Counts.Add(entries[j-1].Level)
			}
		}
	}
	return out
}

func effective(g domain.Grade) domain.Date {
	if !g.AsOf.IsZero() {
		return g.AsOf
	}
	return domain.DateIn(g.ComputedAt)
}
