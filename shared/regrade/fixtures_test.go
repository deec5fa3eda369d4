package regrade

import (
	"context"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/grading"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

const subj domain.SubjectID = "91411422MA00000001"

// noon is 12:00 Asia/Shanghai on day, as a UTC instant.
func noon(day string) time.Time {
	return domain.MustDate(day).Time().Add(12 * time.Hour).UTC()
}

func clockOn(day string) domain.Clock { return domain.FixedClock{T: noon(day)} }

func profile(id domain.SubjectID) domain.Subject {
	return domain.Subject{ID: id, Type: domain.LegalPerson, Name: "某某有限公司", CreditCode: string(id)}
}

// warning is a decision with one warning-tier act dated day.
func warning(p *policy.Policy, id domain.SubjectID, doc, day string) domain.Record {
	return decision(p, id, doc, day, domain.Sanction{Kind: domain.SanctionWarning})
}

func decision(p *policy.Policy, id domain.SubjectID, doc, day string, s domain.Sanction) domain.Record {
	r := domain.Record{
		Kind:          domain.KindDecision,
		SubjectID:     id,
		Unit:          "411422-PCS-01",
		DocumentNo:    doc,
		EffectiveDate: domain.MustDate(day),
		Status:        domain.StatusActive,
		Decision:      &domain.Decision{Acts: []domain.Act{{Facts: "f", LegalBasis: "b", Sanctions: []domain.Sanction{s}}}},
		CreatedAt:     noon(day),
		CreatedBy:     domain.Actor{Unit: "411422-PCS-01", User: "clerk", Role: "clerk"},
	}
	r.ID = storage.RecordID(r.Unit, r.Kind, r.DocumentNo)
	r.CountsUntil = grading.WindowEnd(p, r)
	return r
}

// listEntry is a list entry of kind from day, until the inclusive last day
// ("" for open-ended).
func listEntry(id domain.SubjectID, doc string, kind domain.ListKind, from, until string) domain.Record {
	le := &domain.ListEntry{List: kind, ValidFrom: domain.MustDate(from)}
	if until != "" {
		le.ValidUntil = domain.MustDate(until)
	}
	r := domain.Record{
		Kind:          domain.KindListEntry,
		SubjectID:     id,
		Unit:          "411422-OFFICE",
		DocumentNo:    doc,
		EffectiveDate: domain.MustDate(from),
		Status:        domain.StatusActive,
		ListEntry:     le,
		CreatedAt:     noon(from),
		CreatedBy:     domain.Actor{Unit: "411422-OFFICE", User: "office", Role: "office"},
	}
	r.ID = storage.RecordID(r.Unit, r.Kind, r.DocumentNo)
	return r
}

func put(t testing.TB, st storage.Store, recs ...domain.Record) {
	t.Helper()
	for _, r := range recs {
		if _, _, err := st.PutRecord(context.Background(), profile(r.SubjectID), r); err != nil {
			t.Fatalf("PutRecord %s: %v", r.DocumentNo, err)
		}
	}
}

func service(st Store, p *policy.Policy, day string) *Service {
	return &Service{Store: st, Policy: p, Clock: clockOn(day)}
}

// inspection is an observation record (kept, not graded).
func inspection(id domain.SubjectID, doc, day string) domain.Record {
	r := domain.Record{
		Kind:          domain.KindInspection,
		SubjectID:     id,
		Unit:          "411422-PCS-01",
		DocumentNo:    doc,
		EffectiveDate: domain.MustDate(day),
		Status:        domain.StatusActive,
		Observation:   &domain.Observation{Result: "合格"},
		CreatedAt:     noon(day),
	}
	r.ID = storage.RecordID(r.Unit, r.Kind, r.DocumentNo)
	return r
}
