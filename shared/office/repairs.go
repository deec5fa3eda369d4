package office

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/storage"
)

// RepairInput is the body of POST /v1/repairs.
type RepairInput struct {
	SubjectID   domain.SubjectID `json:"subject_id"`
	RecordID    string           `json:"record_id"`
	Proof       string           `json:"proof"`                 // proof of correction (整改证明)
	Attachments []string         `json:"attachments,omitempty"` // attachment references
	Commitment  string           `json:"commitment"`            // credit commitment (信用承诺), required
}

// ApplyRepair records a credit repair application for an active record once
// its minimum disclosure period has passed (422 with the date before).
// created is false for a repeat of the pending application.
func (s *Service) ApplyRepair(ctx context.Context, c Call, in RepairInput) (model.Repair, bool, error) {
	if err := officeOnly(c.Actor); err != nil {
		return model.Repair{}, false, err
	}
	subjectID, recordID, proof, attachments, commitment, ps := repairFields(in)
	if err := invalid(ps); err != nil {
		return model.Repair{}, false, err
	}
	hash := storage.ContentHash(struct {
		Record, Proof, Commitment string
		Attachments               []string
	}{recordID, proof, commitment, attachments})

	for attempt := 0; ; attempt++ {
		rec, err := s.Store.GetRecord(ctx, subjectID, recordID)
		if err != nil {
			return model.Repair{}, false, notFound(err, "record_id", "repair: get record")
		}
		prior, err := s.repairsOf(ctx, subjectID, recordID)
		if err != nil {
			return model.Repair{}, false, err
		}
		for _, r := range prior {
			if r.Status != model.RepairPending {
				continue
			}
			if r.ContentHash == hash {
				return r, false, nil
			}
			return model.Repair{}, false, refuse(http.StatusConflict, probRepairOpen.At("record_id"))
		}
		switch {
		case rec.Status == domain.StatusObjected:
			return model.Repair{}, false, refuse(http.StatusConflict, probObjected.At("record_id"))
		case rec.Status != domain.StatusActive:
			return model.Repair{}, false, refuse(http.StatusConflict, probNotActive(string(rec.Status), true))
		case !Repairable(s.Policy, rec):
			return model.Repair{}, false, refuse(http.StatusUnprocessableEntity, probNotRepair.At("record_id"))
		}
		g, err := s.Store.GetGrade(ctx, subjectID)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return model.Repair{}, false, fmt.Errorf("repair: get grade: %w", err)
		}
		serious := Serious(s.Policy, rec, g)
		from, months := EligibleFrom(s.Policy, rec, serious)
		today := s.today()
		if today.Before(from) {
			return model.Repair{}, false, refuse(http.StatusUnprocessableEntity, probNotYetEligible(from.String(), serious, months))
		}
		r := model.Repair{
			ID:           RepairID(string(subjectID), recordID, len(prior)),
			SubjectID:    subjectID,
			RecordID:     recordID,
			Seq:          len(prior),
			Proof:        proof,
			Attachments:  attachments,
			Commitment:   commitment,
			Serious:      serious,
			EligibleFrom: from,
			AppliedOn:    today,
			Status:       model.RepairPending,
			CreatedAt:    s.now(),
			CreatedBy:    c.Actor,
			RequestID:    c.RequestID,
			ContentHash:  hash,
		}
		stored, created, err := s.Store.PutRepair(ctx, r)
		switch {
		case errors.Is(err, storage.ErrConflict) && attempt == 0:
			continue // a concurrent application took this id: look again
		case errors.Is(err, storage.ErrConflict):
			return model.Repair{}, false, refuse(http.StatusConflict, probRepairOpen.At("record_id"))
		case err != nil:
			return model.Repair{}, false, fmt.Errorf("repair: %w", err)
		}
		return stored, created, nil
	}
}

func repairFields(in RepairInput) (domain.SubjectID, string, string, []string, string, problems) {
	var ps problems
	subjectID := domain.SubjectID(ps.text(string(in.SubjectID), "subject_id", true, MaxID))
	recordID := ps.text(in.RecordID, "record_id", true, MaxID)
	proof := ps.text(in.Proof, "proof", true, MaxProof)
	attachments := ps.refs(in.Attachments, "attachments")
	commitment := ps.text(in.Commitment, "commitment", true, MaxCommitment)
	return subjectID, recordID, proof, attachments, commitment, ps
}

// CheckRepair returns the problems of in found without stored data.
func CheckRepair(in RepairInput) []Problem {
	_, _, _, _, _, ps := repairFields(in)
	return ps
}

func (s *Service) repairsOf(ctx context.Context, subject domain.SubjectID, recordID string) ([]model.Repair, error) {
	all, err := s.Store.ListRepairs(ctx, subject)
	if err != nil {
		return nil, fmt.Errorf("repair: list: %w", err)
	}
	return slices.DeleteFunc(all, func(r model.Repair) bool { return r.RecordID != recordID }), nil
}

// DecideRepair decides a pending application. Approved: the record is
// marked repaired, stops counting and leaves the disclosure (the record
// change reaches regrade, then publish, through the stream); rejected: the
// record stands. The same decision again answers with the stored one.
func (s *Service) DecideRepair(ctx context.Context, c Call, id string, in DecisionInput) (model.Repair, error) {
	if err := officeOnly(c.Actor); err != nil {
		return model.Repair{}, err
	}
	subjectID, outcome, reason, err := decision(in, repairOutcomes)
	if err != nil {
		return model.Repair{}, err
	}
	for attempt := 0; ; attempt++ {
		r, err := s.Store.GetRepair(ctx, subjectID, id)
		if err != nil {
			return model.Repair{}, notFound(err, "id", "repair: get")
		}
		if r.Status != model.RepairPending {
			if r.Decision != nil && r.Decision.Outcome == outcome && r.Decision.Reason == reason {
				return r, nil
			}
			return model.Repair{}, refuse(http.StatusConflict, probDecided.At("outcome"))
		}
		r.Status = outcome
		r.Decision = &model.Ruling{Outcome: outcome, Reason: reason, By: c.Actor, At: s.now(), RequestID: c.RequestID}
		var rc *storage.RecordChange
		if outcome == model.RepairApproved {
			why := fmt.Sprintf("信用修复（申请编号 %s）credit repair %s approved: %s", r.ID, r.ID, reason)
			change := s.statusChange(c, subjectID, r.RecordID, domain.StatusActive, domain.StatusRepaired, why)
			rc = &change
		}
		_, err = s.Store.DecideRepair(ctx, r, rc)
		switch {
		case errors.Is(err, storage.ErrStale) && attempt == 0:
			continue
		case errors.Is(err, storage.ErrStale):
			return model.Repair{}, s.whyNotRepairable(ctx, subjectID, r.RecordID)
		case err != nil:
			return model.Repair{}, fmt.Errorf("repair: decide: %w", err)
		}
		return r, nil
	}
}

// whyNotRepairable explains a stale approval: the record is no longer
// active (objected meanwhile, expired, revoked).
func (s *Service) whyNotRepairable(ctx context.Context, subject domain.SubjectID, recordID string) error {
	rec, err := s.Store.GetRecord(ctx, subject, recordID)
	switch {
	case err != nil:
		return refuse(http.StatusConflict, probChanged)
	case rec.Status == domain.StatusObjected:
		return refuse(http.StatusConflict, probObjected.At("record_id"))
	case rec.Status != domain.StatusActive:
		return refuse(http.StatusConflict, probNotActive(string(rec.Status), true))
	}
	return refuse(http.StatusConflict, probChanged)
}

// PendingRepairs lists applications awaiting a decision, oldest first.
func (s *Service) PendingRepairs(ctx context.Context, p storage.Page) ([]model.Repair, string, error) {
	rs, next, err := s.Store.ListPendingRepairs(ctx, p)
	if err != nil {
		return nil, "", fmt.Errorf("repairs: %w", err)
	}
	if rs == nil {
		rs = []model.Repair{}
	}
	return rs, next, nil
}
