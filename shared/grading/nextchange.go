package grading

import (
	"slices"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

// nextChange is the earliest day after today on which the outcome (level or
// reasons) differs, if nothing else happens; zero if none will.
//
// What counts on a day changes only where a fact's span starts or ends (a
// record entering or leaving the window, a list entry starting, lapsing or
// being removed), so those days are the only candidates. Not every candidate
// changes the outcome (a fourth act leaving when three remain still gives C
// with other ids; a record leaving under a black list changes nothing), so
// each candidate is graded in order and the first that differs is the answer.
func (f *facts) nextChange(p *policy.Policy, today domain.Date, now outcome) domain.Date {
	for _, d := range f.candidates(today) {
		if !evaluate(p, f.tallyOn(d)).equal(now) {
			return d
		}
	}
	return domain.Date{}
}

// candidates lists the span boundaries after today, earliest first.
func (f *facts) candidates(today domain.Date) []domain.Date {
	var out []domain.Date
	add := func(s span) {
		for _, d := range []domain.Date{s.from, s.until} {
			if !d.IsZero() && d.After(today) {
				out = append(out, d)
			}
		}
	}
	for _, a := range f.acts {
		add(a.span)
	}
	for _, v := range f.violations {
		add(v.span)
	}
	for _, l := range f.lists {
		add(l.span)
	}
	for _, e := range f.evals {
		add(e.span)
	}
	slices.SortFunc(out, domain.Date.Compare)
	return slices.Compact(out)
}
