package supervision

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
)

func TestVerify(t *testing.T) {
	base, err := Draw(input(pool(map[domain.Level]int{"A": 2, "B": 10, "C": 3, "unrated": 5}, 3), roster(6, 3), "verify"))
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(base); err != nil {
		t.Fatalf("fresh plan does not verify: %v", err)
	}
	// clone deep-copies what the tamper cases edit.
	clone := func(p Plan) Plan {
		p.Subjects = slices.Clone(p.Subjects)
		p.Roster = slices.Clone(p.Roster)
		p.Counts = slices.Clone(p.Counts)
		p.Result = slices.Clone(p.Result)
		for i := range p.Result {
			p.Result[i].Inspectors = slices.Clone(p.Result[i].Inspectors)
		}
		return p
	}
	// Find an inspector not already on result[0], to swap in.
	var outsider string
	for _, r := range base.Roster {
		if !slices.Contains(base.Result[0].Inspectors, r.ID) {
			outsider = r.ID
			break
		}
	}
	tests := []struct {
		name   string
		tamper func(*Plan)
		field  string // DifferenceError field prefix; "" for another error
	}{
		{"inspector swapped", func(p *Plan) { p.Result[0].Inspectors[1] = outsider }, "result[0].inspectors[1]"},
		{"subject dropped from result", func(p *Plan) { p.Result = p.Result[1:] }, "result[0].subject_id"},
		{"subject added to result", func(p *Plan) { p.Result = append(p.Result, Assignment{SubjectID: "ZZZ", Level: "B"}) }, "result["},
		{"level relabelled in snapshot", func(p *Plan) {
			for i := range p.Subjects {
				if p.Subjects[i].Level == domain.LevelC {
					p.Subjects[i].Level = domain.LevelB
					return
				}
			}
		}, "counts"},
		{"snapshot reordered", func(p *Plan) { p.Subjects[0], p.Subjects[1] = p.Subjects[1], p.Subjects[0] }, "subjects"},
		{"seed changed", func(p *Plan) { p.Seed = "other" }, "result["},
		{"count edited", func(p *Plan) { p.Counts[1].Drawn++ }, "counts"},
		{"digest edited", func(p *Plan) { p.Digest = strings.Repeat("0", 64) }, "digest"},
		{"period edited", func(p *Plan) { p.Period.To = domain.MustDate("2027-04-30") }, "digest"},
		{"unknown algorithm", func(p *Plan) { p.Algorithm = "mt19937" }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := clone(base)
			tc.tamper(&p)
			err := Verify(p)
			if err == nil {
				t.Fatal("tampered plan verified")
			}
			var d *DifferenceError
			if tc.field == "" {
				if errors.As(err, &d) {
					t.Fatalf("err = %v, want a refusal, not a difference", err)
				}
				return
			}
			if !errors.As(err, &d) || !strings.HasPrefix(d.Field, tc.field) {
				t.Fatalf("err = %v, want a difference at %s", err, tc.field)
			}
		})
	}
	if err := Verify(base); err != nil {
		t.Fatalf("tamper cases changed the base plan: %v", err)
	}
}
