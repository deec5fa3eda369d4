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

// ObjectionInput is the body of POST /v1/objections: the office records a
// subject's objection to one of its records.
type ObjectionInput struct {
	SubjectID domain.SubjectID `json:"subject_id"`
	RecordID  string           `json:"record_id"`
	Grounds   string           `json:"grounds"`
	Evidence  []string         `json:"evidence,omitempty"`
	// ReceivedOn is the day the office received it; empty: today.
	ReceivedOn string `json:"received_on,omitempty"`
}

// DecisionInput is the body of the decision routes (objections and
// repairs); the subject is named as in every other write.
type DecisionInput struct {
	SubjectID domain.SubjectID `json:"subject_id"`
	Outcome   string           `json:"outcome"`
	Reason    string           `json:"reason"`
}

// ObjectionView is an objection with where it stands against its deadline.
type ObjectionView struct {
	model.Objection
	Overdue bool `json:"overdue"`
	// DaysLeft until the deadline (negative once overdue); open objections only.
	DaysLeft int `json:"days_left"`
}

// Object records an objection: the record becomes objected (异议处理中; it
// still counts and its disclosure is marked) and verification is due
// within the policy's days. created is false for a repeat of the open
// objection.
func (s *Service) Object(ctx context.Context, c Call, in ObjectionInput) (model.Objection, bool, error) {
	if err := officeOnly(c.Actor); err != nil {
		return model.Objection{}, false, err
	}
	subjectID, recordID, grounds, evidence, received, ps := s.objectionFields(in)
	if err := invalid(ps); err != nil {
		return model.Objection{}, false, err
	}
	hash := storage.ContentHash(struct {
		Record, Grounds string
		Evidence        []string
		Received        domain.Date
	}{recordID, grounds, evidence, received})

	for attempt := 0; ; attempt++ {
		rec, err := s.Store.GetRecord(ctx, subjectID, recordID)
		if err != nil {
			return model.Objection{}, false, notFound(err, "record_id", "objection: get record")
		}
		prior, err := s.objectionsOf(ctx, subjectID, recordID)
		if err != nil {
			return model.Objection{}, false, err
		}
		for _, o := range prior {
			if o.Status != model.ObjectionOpen {
				continue
			}
			if o.ContentHash == hash {
				return o, false, nil // a retry of this objection
			}
			return model.Objection{}, false, refuse(http.StatusConflict, probObjOpen.At("record_id"))
		}
		if rec.Status != domain.StatusActive {
			return model.Objection{}, false, refuse(http.StatusConflict, probNotActive(string(rec.Status), false))
		}
		o := model.Objection{
			ID:          ObjectionID(string(subjectID), recordID, len(prior)),
			SubjectID:   subjectID,
			RecordID:    recordID,
			Seq:         len(prior),
			Grounds:     grounds,
			Evidence:    evidence,
			ReceivedOn:  received,
			Deadline:    received.AddDays(s.Policy.Objection.VerificationDays),
			Status:      model.ObjectionOpen,
			CreatedAt:   s.now(),
			CreatedBy:   c.Actor,
			RequestID:   c.RequestID,
			ContentHash: hash,
		}
		why := fmt.Sprintf("异议处理中（异议编号 %s，核查期限 %s）objection %s opened, verification due %s", o.ID, o.Deadline, o.ID, o.Deadline)
		stored, _, created, err := s.Store.OpenObjection(ctx, o, s.statusChange(c, subjectID, recordID, domain.StatusActive, domain.StatusObjected, why))
		switch {
		case (errors.Is(err, storage.ErrStale) || errors.Is(err, storage.ErrConflict)) && attempt == 0:
			continue // a concurrent change: the fresh read answers it
		case errors.Is(err, storage.ErrStale) || errors.Is(err, storage.ErrConflict):
			return model.Objection{}, false, refuse(http.StatusConflict, probChanged)
		case err != nil:
			return model.Objection{}, false, fmt.Errorf("objection: %w", err)
		}
		return stored, created, nil
	}
}

func (s *Service) objectionFields(in ObjectionInput) (domain.SubjectID, string, string, []string, domain.Date, problems) {
	var ps problems
	subjectID := domain.SubjectID(ps.text(string(in.SubjectID), "subject_id", true, MaxID))
	recordID := ps.text(in.RecordID, "record_id", true, MaxID)
	grounds := ps.text(in.Grounds, "grounds", true, MaxGrounds)
	evidence := ps.refs(in.Evidence, "evidence")
	received := ps.pastDate(in.ReceivedOn, "received_on", s.today())
	return subjectID, recordID, grounds, evidence, received, ps
}

// CheckObjection returns the problems of in found without stored data.
func (s *Service) CheckObjection(in ObjectionInput) []Problem {
	_, _, _, _, _, ps := s.objectionFields(in)
	return ps
}

// CheckObjectionDecision and CheckRepairDecision return the problems of a
// decision body.
func CheckObjectionDecision(in DecisionInput) []Problem {
	_, _, _, ps := decisionFields(in, objectionOutcomes)
	return ps
}

func CheckRepairDecision(in DecisionInput) []Problem {
	_, _, _, ps := decisionFields(in, repairOutcomes)
	return ps
}

// objectionsOf lists the objections to one record.
func (s *Service) objectionsOf(ctx context.Context, subject domain.SubjectID, recordID string) ([]model.Objection, error) {
	all, err := s.Store.ListObjections(ctx, subject)
	if err != nil {
		return nil, fmt.Errorf("objection: list: %w", err)
	}
	return slices.DeleteFunc(all, func(o model.Objection) bool { return o.RecordID != recordID }), nil
}

// statusChange is the record change of a workflow step, with who, when,
// why and the request id in the record's history.
func (s *Service) statusChange(c Call, subject domain.SubjectID, recordID string, from, to domain.Status, why string) storage.RecordChange {
	at := s.now()
	return storage.RecordChange{SubjectID: subject, RecordID: recordID, Expect: from, Mutate: func(r *domain.Record) error {
		r.History = append(r.History, domain.StatusChange{From: from, To: to, At: at, By: c.Actor, Reason: why, RequestID: c.RequestID})
		r.Status = to
		return nil
	}}
}

// DecideObjection decides an open objection. Upheld: the record is revoked
// (撤销) and stops counting; rejected: the mark is removed (active again).
// The record's change reaches the regrade function through the table's
// stream. The same decision again answers with the stored objection.
func (s *Service) DecideObjection(ctx context.Context, c Call, id string, in DecisionInput) (model.Objection, error) {
	if err := officeOnly(c.Actor); err != nil {
		return model.Objection{}, err
	}
	subjectID, outcome, reason, err := decision(in, objectionOutcomes)
	if err != nil {
		return model.Objection{}, err
	}
	for attempt := 0; ; attempt++ {
		o, err := s.Store.GetObjection(ctx, subjectID, id)
		if err != nil {
			return model.Objection{}, notFound(err, "id", "objection: get")
		}
		if o.Status != model.ObjectionOpen {
			if o.Decision != nil && o.Decision.Outcome == outcome && o.Decision.Reason == reason {
				return o, nil
			}
			return model.Objection{}, refuse(http.StatusConflict, probDecided.At("outcome"))
		}
		to, zh := domain.StatusActive, "异议不成立，恢复有效"
		if outcome == model.ObjectionUpheld {
			to, zh = domain.StatusRevoked, "异议成立，记录撤销"
		}
		o.Status = outcome
		o.Decision = &model.Ruling{Outcome: outcome, Reason: reason, By: c.Actor, At: s.now(), RequestID: c.RequestID}
		why := fmt.Sprintf("%s（异议编号 %s）objection %s %s: %s", zh, o.ID, o.ID, outcome, reason)
		_, err = s.Store.DecideObjection(ctx, o, s.statusChange(c, subjectID, o.RecordID, domain.StatusObjected, to, why))
		switch {
		case errors.Is(err, storage.ErrStale) && attempt == 0:
			continue
		case errors.Is(err, storage.ErrStale):
			return model.Objection{}, refuse(http.StatusConflict, probChanged)
		case err != nil:
			return model.Objection{}, fmt.Errorf("objection: decide: %w", err)
		}
		return o, nil
	}
}

// decision validates a decision body.
func decision(in DecisionInput, outcomes []string) (domain.SubjectID, string, string, error) {
	subjectID, outcome, reason, ps := decisionFields(in, outcomes)
	return subjectID, outcome, reason, invalid(ps)
}

func decisionFields(in DecisionInput, outcomes []string) (domain.SubjectID, string, string, problems) {
	var ps problems
	subjectID := domain.SubjectID(ps.text(string(in.SubjectID), "subject_id", true, MaxID))
	outcome := ps.oneOf(in.Outcome, "outcome", outcomes)
	reason := ps.text(in.Reason, "reason", true, MaxReason)
	return subjectID, outcome, reason, ps
}

// Objections lists open objections by deadline, or only the overdue ones
// (deadline before today).
func (s *Service) Objections(ctx context.Context, overdueOnly bool, p storage.Page) ([]ObjectionView, string, error) {
	today := s.today()
	var before domain.Date
	if overdueOnly {
		before = today
	}
	os, next, err := s.Store.ListOpenObjections(ctx, before, p)
	if err != nil {
		return nil, "", fmt.Errorf("objections: %w", err)
	}
	out := make([]ObjectionView, 0, len(os))
	for _, o := range os {
		out = append(out, ObjectionView{Objection: o, Overdue: o.Deadline.Before(today), DaysLeft: today.DaysUntil(o.Deadline)})
	}
	return out, next, nil
}
