package publish

import (
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

func TestDisclosureUntil(t *testing.T) {
	p := policy.MustDefault()
	cases := []struct {
		name  string
		today string
		recs  []domain.Record
		want  string // "" for no known end
	}{
		{
			// Three penalty acts give C; C ends when the first leaves the
			// window (2 remain → B), not when the last does.
			name:  "count rule ends when the first act leaves",
			today: "2026-12-04",
			recs: []domain.Record{
				fine(p, hotel, "A1", "2026-03-01", 100, "f"),
				fine(p, hotel, "A2", "2026-06-01", 100, "f"),
				fine(p, hotel, "A3", "2026-09-01", 100, "f"),
			},
			want: "2027-02-28",
		},
		{
			name:  "four acts: C until the second leaves",
			today: "2026-12-04",
			recs: []domain.Record{
				fine(p, hotel, "A1", "2026-03-01", 100, "f"),
				fine(p, hotel, "A2", "2026-06-01", 100, "f"),
				fine(p, hotel, "A3", "2026-09-01", 100, "f"),
				fine(p, hotel, "A4", "2026-10-01", 100, "f"),
			},
			want: "2027-05-31",
		},
		{
			name:  "fine sum over the bound: ends when the sum falls to it",
			today: "2026-12-04",
			recs:  []domain.Record{fine(p, hotel, "A1", "2026-04-10", 50000001, "f")},
			want:  "2027-04-09",
		},
		{
			name:  "black list with an end date, and acts ending earlier",
			today: "2026-12-04",
			recs: []domain.Record{
				listEntry(hotel, "L1", domain.ListBlack, "2026-11-01", "2027-10-31"),
				fine(p, hotel, "A1", "2026-03-01", 100, "f"),
				fine(p, hotel, "A2", "2026-06-01", 100, "f"),
				fine(p, hotel, "A3", "2026-09-01", 100, "f"),
			},
			want: "2027-10-31",
		},
		{
			name:  "acts outlasting the list",
			today: "2026-12-04",
			recs: []domain.Record{
				listEntry(hotel, "L1", domain.ListBlack, "2026-11-01", "2026-12-31"),
				fine(p, hotel, "A1", "2026-03-01", 100, "f"),
				fine(p, hotel, "A2", "2026-06-01", 100, "f"),
				fine(p, hotel, "A3", "2026-09-01", 100, "f"),
			},
			want: "2027-02-28",
		},
		{
			name:  "open-ended dishonesty list: no known end",
			today: "2026-12-04",
			recs:  []domain.Record{listEntry(hotel, "L1", domain.ListDishonesty, "2026-11-01", "")},
			want:  "",
		},
		{
			name:  "not C any more today: ends today",
			today: "2026-12-04",
			recs:  []domain.Record{fine(p, hotel, "A1", "2026-03-01", 100, "f")},
			want:  "2026-12-04",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := DisclosureUntil(p, hotel, c.recs, domain.MustDate(c.today))
			if got.String() != c.want {
				t.Errorf("DisclosureUntil = %q, want %q", got, c.want)
			}
		})
	}
}
