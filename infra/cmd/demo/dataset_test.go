package main

import (
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
)

func TestDataset(t *testing.T) {
	today := domain.MustDate("2027-03-01")
	subjects := dataset(today)
	if len(subjects) < 12 {
		t.Fatalf("only %d subjects", len(subjects))
	}
	levels := map[string]int{}
	docs := map[string]bool{}
	persons := 0
	cc := identity.NewCreditCodeValidator()
	for _, s := range subjects {
		levels[s.Expect]++
		switch s.Ref["type"] {
		case "natural_person":
			persons++
			id := s.Ref["id_number"].(string)
			if err := identity.ValidateResidentID(id, today); err != nil {
				t.Errorf("%s: %v", s.Label, err)
			}
			if strings.Contains(s.Label, id) {
				t.Errorf("%s: the label shows the ID number", s.Label)
			}
		default:
			if err := cc.Validate(s.Ref["credit_code"].(string)); err != nil {
				t.Errorf("%s: %v", s.Label, err)
			}
		}
		if len(s.Posts) == 0 {
			t.Errorf("%s: nothing posted", s.Label)
		}
		for _, p := range s.Posts {
			for _, k := range []string{"decision_date", "valid_from", "date"} {
				v, ok := p.Body[k].(string)
				if !ok {
					continue
				}
				d := domain.MustDate(v)
				if d.After(today) || !d.After(today.AddYears(-1)) {
					t.Errorf("%s: %s %s is not within the year before today", s.Label, k, v)
				}
			}
			key := p.By.Unit + p.Path + p.Body["document_no"].(string)
			if docs[key] {
				t.Errorf("%s: document number %s reused", s.Label, p.Body["document_no"])
			}
			docs[key] = true
			if p.Path == "/v1/list-entries" && p.By.Role != "office" {
				t.Errorf("%s: lists are kept by the office", s.Label)
			}
		}
	}
	for _, l := range []string{"A", "B", "C", "unrated"} {
		if levels[l] == 0 {
			t.Errorf("no subject expected at %s", l)
		}
	}
	if persons == 0 || persons == len(subjects) {
		t.Errorf("want both firms and persons, got %d persons of %d", persons, len(subjects))
	}
}
