package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/storage"
)

// RecordEnvelope is the body of every single-record response: the record
// and the subject it is stored under (needed to read it back).
type RecordEnvelope struct {
	SubjectID domain.SubjectID `json:"subject_id"`
	Record    domain.Record    `json:"record"`
}

// store puts one record and answers 201 when it is new, 200 with the same
// body when the same document was already there.
func (h *Handler) store(ctx context.Context, c *call, subj domain.Subject, rec domain.Record) (int, any, error) {
	stored, created, err := h.cfg.Store.PutRecord(ctx, subj, h.complete(rec))
	if err != nil {
		return 0, nil, err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		h.log.InfoContext(ctx, "record stored", "request_id", c.requestID, "record_id", stored.ID,
			"kind", stored.Kind, "subject_id", stored.SubjectID, "unit", stored.Unit)
	}
	return status, RecordEnvelope{SubjectID: stored.SubjectID, Record: stored}, nil
}

func (h *Handler) postDecision(ctx context.Context, c *call) (int, any, error) {
	var r DecisionRequest
	dp := c.decode(&r)
	unit, uerr := postingUnit(c.actor, r.Unit)
	if uerr != nil {
		return 0, nil, uerr
	}
	if err := c.validated(dp, c.validator.Decision(r)); err != nil {
		return 0, nil, err
	}
	subj, err := h.subjectFor(ctx, r.Subject)
	if err != nil {
		return 0, nil, err
	}
	rec := h.newRecord(c, domain.KindDecision, unit, r.DocumentNo, subj.ID, mustDate(r.DecisionDate))
	rec.Decision = decisionOf(r.Acts)
	return h.store(ctx, c, subj, rec)
}

func (h *Handler) postViolation(ctx context.Context, c *call) (int, any, error) {
	var r CommitmentViolationRequest
	dp := c.decode(&r)
	unit, uerr := postingUnit(c.actor, r.Unit)
	if uerr != nil {
		return 0, nil, uerr
	}
	if err := c.validated(dp, c.validator.CommitmentViolation(r)); err != nil {
		return 0, nil, err
	}
	subj, err := h.subjectFor(ctx, r.Subject)
	if err != nil {
		return 0, nil, err
	}
	rec := h.newRecord(c, domain.KindCommitmentViolation, unit, r.DocumentNo, subj.ID, mustDate(r.ViolationDate))
	rec.Violation = &domain.CommitmentViolation{Commitment: strings.TrimSpace(r.Commitment), Description: strings.TrimSpace(r.Description)}
	return h.store(ctx, c, subj, rec)
}

func (h *Handler) postListEntry(ctx context.Context, c *call) (int, any, error) {
	var r ListEntryRequest
	dp := c.decode(&r)
	unit, uerr := postingUnit(c.actor, r.Unit)
	if uerr != nil {
		return 0, nil, uerr
	}
	if err := c.validated(dp, c.validator.ListEntry(r)); err != nil {
		return 0, nil, err
	}
	subj, err := h.subjectFor(ctx, r.Subject)
	if err != nil {
		return 0, nil, err
	}
	from := mustDate(r.ValidFrom)
	rec := h.newRecord(c, domain.KindListEntry, unit, r.DocumentNo, subj.ID, from)
	rec.ListEntry = &domain.ListEntry{List: r.List, Authority: strings.TrimSpace(r.Authority), ValidFrom: from, ValidUntil: mustDate(r.ValidUntil)}
	return h.store(ctx, c, subj, rec)
}

func (h *Handler) postObservation(ctx context.Context, c *call) (int, any, error) {
	var r ObservationRequest
	dp := c.decode(&r)
	unit, uerr := postingUnit(c.actor, r.Unit)
	if uerr != nil {
		return 0, nil, uerr
	}
	if err := c.validated(dp, c.validator.Observation(r)); err != nil {
		return 0, nil, err
	}
	subj, err := h.subjectFor(ctx, r.Subject)
	if err != nil {
		return 0, nil, err
	}
	rec := h.newRecord(c, r.Kind, unit, r.DocumentNo, subj.ID, mustDate(r.Date))
	rec.Observation = &domain.Observation{Result: strings.TrimSpace(r.Result), Details: strings.TrimSpace(r.Details)}
	return h.store(ctx, c, subj, rec)
}

// Removal problems that need the stored entry.
var (
	probNotListEntry  = Problem{Code: "not_a_list_entry", MessageZH: "该记录不是名单记录", MessageEN: "the record is not a list entry"}
	probRemovalBefore = Problem{Code: "removal_before_start", MessageZH: "移出日期不能早于名单生效日期", MessageEN: "removed_on cannot be before the entry's valid_from"}
)

// postRemoval records the removal of a list entry as a new fact on the
// entry: removal date and document, and a history entry with who, when,
// why and the request id. The status does not change (the entry simply
// ends); the record's stream event lets grading see it.
func (h *Handler) postRemoval(ctx context.Context, c *call) (int, any, error) {
	var r RemovalRequest
	dp := c.decode(&r)
	if err := c.validated(dp, c.validator.Removal(r)); err != nil {
		return 0, nil, err
	}
	recordID := c.req.PathParameters["id"]
	doc := strings.TrimSpace(r.DocumentNo)
	removedOn := mustDate(r.RemovedOn)
	reason := strings.TrimSpace(r.Reason)
	// One retry covers a concurrent change between reading and writing; a
	// concurrent identical removal is then seen as the idempotent repeat.
	for attempt := 0; ; attempt++ {
		rec, err := h.cfg.Store.GetRecord(ctx, r.SubjectID, recordID)
		if err != nil {
			return 0, nil, err
		}
		if rec.Kind != domain.KindListEntry || rec.ListEntry == nil {
			return 0, nil, Refuse(http.StatusConflict, probNotListEntry.At("id"))
		}
		le := rec.ListEntry
		if !le.RemovedOn.IsZero() {
			if le.RemovalDoc == doc && le.RemovedOn == removedOn {
				return http.StatusOK, RecordEnvelope{SubjectID: rec.SubjectID, Record: rec}, nil
			}
			return 0, nil, Refuse(http.StatusConflict, probRemovalDiffers.At("document_no"))
		}
		if removedOn.Before(le.ValidFrom) {
			return 0, nil, ValidationError([]Problem{probRemovalBefore.At("removed_on")})
		}
		updated, err := h.cfg.Store.UpdateRecord(ctx, rec.SubjectID, rec.ID, rec.Status, func(x *domain.Record) error {
			if x.ListEntry == nil || !x.ListEntry.RemovedOn.IsZero() {
				return fmt.Errorf("list entry changed meanwhile: %w", storage.ErrStale)
			}
			x.ListEntry.RemovedOn = removedOn
			x.ListEntry.RemovalDoc = doc
			x.History = append(x.History, domain.StatusChange{
				From: x.Status, To: x.Status, At: c.now, By: c.actor, RequestID: c.requestID,
				Reason: fmt.Sprintf("移出名单 removal of list entry, document %s, effective %s: %s", doc, removedOn, reason),
			})
			return nil
		})
		if errors.Is(err, storage.ErrStale) && attempt == 0 {
			continue
		}
		if err != nil {
			return 0, nil, err
		}
		h.log.InfoContext(ctx, "list entry removed", "request_id", c.requestID, "record_id", updated.ID, "subject_id", updated.SubjectID)
		return http.StatusCreated, RecordEnvelope{SubjectID: updated.SubjectID, Record: updated}, nil
	}
}

// BatchResult is the body of POST /v1/evaluations.
type BatchResult struct {
	Batch   string        `json:"batch"`
	Results []BatchRecord `json:"results"`
}

// BatchRecord is one stored item of a batch.
type BatchRecord struct {
	SubjectID domain.SubjectID `json:"subject_id"`
	Record    domain.Record    `json:"record"`
	Created   bool             `json:"created"`
}

// postEvaluations stores a batch of national evaluation results, one record
// per subject with document number "<batch>/<subject id>". Every item is
// validated, and checked against what is stored, before anything is
// written, so a refused batch stores nothing.
func (h *Handler) postEvaluations(ctx context.Context, c *call) (int, any, error) {
	var r EvaluationBatchRequest
	dp := c.decode(&r)
	unit, uerr := postingUnit(c.actor, r.Unit)
	if uerr != nil {
		return 0, nil, uerr
	}
	if err := c.validated(dp, c.validator.EvaluationBatch(r)); err != nil {
		return 0, nil, err
	}
	batch := strings.TrimSpace(r.Batch)
	date := mustDate(r.EvaluationDate)
	type item struct {
		subj domain.Subject
		rec  domain.Record
	}
	items := make([]item, len(r.Items))
	var conflicts []Problem
	for i, it := range r.Items {
		subj, err := h.subjectFor(ctx, it.Subject)
		if err != nil {
			return 0, nil, err
		}
		rec := h.newRecord(c, domain.KindEvaluation, unit, batch+"/"+string(subj.ID), subj.ID, date)
		rec.Evaluation = &domain.Evaluation{Level: it.Level, Batch: batch}
		rec = h.complete(rec)
		prev, err := h.cfg.Store.FindByDocument(ctx, unit, domain.KindEvaluation, rec.DocumentNo)
		switch {
		case err == nil && prev.ContentHash != rec.ContentHash:
			conflicts = append(conflicts, probConflict.At(fmt.Sprintf("items[%d]", i)))
		case err != nil && !errors.Is(err, storage.ErrNotFound):
			return 0, nil, err
		}
		items[i] = item{subj, rec}
	}
	if len(conflicts) > 0 {
		return 0, nil, Refuse(http.StatusConflict, conflicts...)
	}
	out := BatchResult{Batch: batch, Results: make([]BatchRecord, len(items))}
	status := http.StatusOK
	for i, it := range items {
		stored, created, err := h.cfg.Store.PutRecord(ctx, it.subj, it.rec)
		if err != nil {
			return 0, nil, err
		}
		if created {
			status = http.StatusCreated
		}
		out.Results[i] = BatchRecord{SubjectID: stored.SubjectID, Record: stored, Created: created}
	}
	h.log.InfoContext(ctx, "evaluation batch stored", "request_id", c.requestID, "items", len(items))
	return status, out, nil
}
