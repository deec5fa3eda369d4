package api

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/grading"
	"github.com/suixian-psb/credit/shared/identity"
	"github.com/suixian-psb/credit/shared/storage"
)

// subjectFor turns a validated reference into the stored profile. The
// natural person's identifier is sealed, never kept in clear; an existing
// profile is reused so a repeat post costs no encryption call (PutRecord
// keeps the first profile anyway).
func (h *Handler) subjectFor(ctx context.Context, ref domain.SubjectRef) (domain.Subject, error) {
	ref = identity.NormalizeRef(ref)
	id, err := h.cfg.SubjectIDs.SubjectIDFor(ref)
	if err != nil {
		return domain.Subject{}, fmt.Errorf("subject id of a validated reference: %w", err)
	}
	if s, err := h.cfg.Store.GetSubject(ctx, id); err == nil {
		return s, nil
	} else if !errors.Is(err, storage.ErrNotFound) {
		return domain.Subject{}, err
	}
	s := domain.Subject{ID: id, Type: ref.Type, Name: ref.Name}
	if ref.Type.UsesCreditCode() {
		s.CreditCode = ref.CreditCode
		return s, nil
	}
	if s.SealedIdentity, err = identity.SealIdentity(ctx, h.cfg.Sealer, ref); err != nil {
		return domain.Subject{}, err
	}
	return s, nil
}

// newRecord fills what every record carries: deterministic id, status,
// window end, who/when/request id from the token and the clock, and the
// hash of the posted content.
func (h *Handler) newRecord(c *call, kind domain.RecordKind, unit, documentNo string, subject domain.SubjectID, effective domain.Date) domain.Record {
	documentNo = strings.TrimSpace(documentNo)
	return domain.Record{
		ID:            storage.RecordID(unit, kind, documentNo),
		Kind:          kind,
		SubjectID:     subject,
		Unit:          unit,
		DocumentNo:    documentNo,
		EffectiveDate: effective,
		Status:        domain.StatusActive,
		CreatedAt:     c.now,
		CreatedBy:     c.actor,
		RequestID:     c.requestID,
	}
}

// complete completes a record once its kind part is set: the window end from
// the policy, and the content hash over what the poster said (not who
// posted it or when, not the policy's window), so a repeat by another user
// of the unit is recognised as the same document.
func (h *Handler) complete(rec domain.Record) domain.Record {
	rec.CountsUntil = grading.WindowEnd(h.cfg.Policy, rec)
	rec.ContentHash = storage.ContentHash(struct {
		Kind        domain.RecordKind           `json:"kind"`
		SubjectID   domain.SubjectID            `json:"subject_id"`
		Unit        string                      `json:"unit"`
		DocumentNo  string                      `json:"document_no"`
		Effective   domain.Date                 `json:"effective_date"`
		Decision    *domain.Decision            `json:"decision,omitempty"`
		Violation   *domain.CommitmentViolation `json:"violation,omitempty"`
		ListEntry   *domain.ListEntry           `json:"list_entry,omitempty"`
		Evaluation  *domain.Evaluation          `json:"evaluation,omitempty"`
		Observation *domain.Observation         `json:"observation,omitempty"`
	}{rec.Kind, rec.SubjectID, rec.Unit, rec.DocumentNo, rec.EffectiveDate, rec.Decision, rec.Violation, rec.ListEntry, rec.Evaluation, rec.Observation})
	return rec
}

// decisionOf converts validated acts.
func decisionOf(acts []ActRequest) *domain.Decision {
	d := &domain.Decision{Acts: make([]domain.Act, len(acts))}
	for i, a := range acts {
		act := domain.Act{Facts: strings.TrimSpace(a.Facts), LegalBasis: strings.TrimSpace(a.LegalBasis)}
		for _, s := range a.Sanctions {
			sc := domain.Sanction{Kind: s.Kind, LicenceName: strings.TrimSpace(s.LicenceName), LicenceNumber: strings.TrimSpace(s.LicenceNumber)}
			if s.AmountFen != nil {
				sc.AmountFen = *s.AmountFen
			}
			if s.DetentionDays != nil {
				sc.DetentionDays = *s.DetentionDays
			}
			act.Sanctions = append(act.Sanctions, sc)
		}
		d.Acts[i] = act
	}
	return d
}

// mustDate parses a date the validator already accepted.
func mustDate(s string) domain.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		return domain.Date{}
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		panic(fmt.Sprintf("api: date passed validation but does not parse: %v", err))
	}
	return d
}
