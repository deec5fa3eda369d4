package api

import (
	"context"
	"net/http"

	officewf "github.com/suixian-psb/credit/shared/office"
	"github.com/suixian-psb/credit/shared/office/model"
)

// ObjectionEnvelope is the body of the objection writes.
type ObjectionEnvelope struct {
	Objection model.Objection `json:"objection"`
}

// ObjectionPage is the body of GET /v1/objections.
type ObjectionPage struct {
	Items      []officewf.ObjectionView `json:"items"`
	NextCursor string                   `json:"next_cursor,omitempty"`
}

func (h *Handler) postObjection(ctx context.Context, c *call) (int, any, error) {
	svc, err := h.officeService()
	if err != nil {
		return 0, nil, err
	}
	var in officewf.ObjectionInput
	dp := c.decode(&in)
	if err := c.validated(dp, fromOfficeProblems(svc.CheckObjection(in))); err != nil {
		return 0, nil, err
	}
	o, created, err := svc.Object(ctx, c.officeCall(), in)
	if err != nil {
		return 0, nil, fromOffice(err)
	}
	h.log.InfoContext(ctx, "objection recorded", "request_id", c.requestID, "objection_id", o.ID, "subject_id", o.SubjectID, "record_id", o.RecordID, "created", created)
	return createdOr(created), ObjectionEnvelope{Objection: o}, nil
}

func (h *Handler) decideObjection(ctx context.Context, c *call) (int, any, error) {
	svc, err := h.officeService()
	if err != nil {
		return 0, nil, err
	}
	var in officewf.DecisionInput
	dp := c.decode(&in)
	if err := c.validated(dp, fromOfficeProblems(officewf.CheckObjectionDecision(in))); err != nil {
		return 0, nil, err
	}
	o, err := svc.DecideObjection(ctx, c.officeCall(), c.req.PathParameters["id"], in)
	if err != nil {
		return 0, nil, fromOffice(err)
	}
	h.log.InfoContext(ctx, "objection decided", "request_id", c.requestID, "objection_id", o.ID, "subject_id", o.SubjectID, "outcome", o.Status)
	return http.StatusOK, ObjectionEnvelope{Objection: o}, nil
}

func (h *Handler) listObjections(ctx context.Context, c *call) (int, any, error) {
	svc, err := h.officeService()
	if err != nil {
		return 0, nil, err
	}
	p, err := officePage(c)
	if err != nil {
		return 0, nil, err
	}
	os, next, err := svc.Objections(ctx, queryOf(c.req).Get("overdue") == "true", p)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ObjectionPage{Items: os, NextCursor: next}, nil
}

// RepairEnvelope is the body of the repair writes.
type RepairEnvelope struct {
	Repair model.Repair `json:"repair"`
}

// RepairPage is the body of GET /v1/repairs.
type RepairPage struct {
	Items      []model.Repair `json:"items"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

func (h *Handler) postRepair(ctx context.Context, c *call) (int, any, error) {
	svc, err := h.officeService()
	if err != nil {
		return 0, nil, err
	}
	var in officewf.RepairInput
	dp := c.decode(&in)
	if err := c.validated(dp, fromOfficeProblems(officewf.CheckRepair(in))); err != nil {
		return 0, nil, err
	}
	r, created, err := svc.ApplyRepair(ctx, c.officeCall(), in)
	if err != nil {
		return 0, nil, fromOffice(err)
	}
	h.log.InfoContext(ctx, "repair applied", "request_id", c.requestID, "repair_id", r.ID, "subject_id", r.SubjectID, "record_id", r.RecordID, "created", created)
	return createdOr(created), RepairEnvelope{Repair: r}, nil
}

func (h *Handler) decideRepair(ctx context.Context, c *call) (int, any, error) {
	svc, err := h.officeService()
	if err != nil {
		return 0, nil, err
	}
	var in officewf.DecisionInput
	dp := c.decode(&in)
	if err := c.validated(dp, fromOfficeProblems(officewf.CheckRepairDecision(in))); err != nil {
		return 0, nil, err
	}
	r, err := svc.DecideRepair(ctx, c.officeCall(), c.req.PathParameters["id"], in)
	if err != nil {
		return 0, nil, fromOffice(err)
	}
	h.log.InfoContext(ctx, "repair decided", "request_id", c.requestID, "repair_id", r.ID, "subject_id", r.SubjectID, "outcome", r.Status)
	return http.StatusOK, RepairEnvelope{Repair: r}, nil
}

func (h *Handler) listRepairs(ctx context.Context, c *call) (int, any, error) {
	svc, err := h.officeService()
	if err != nil {
		return 0, nil, err
	}
	p, err := officePage(c)
	if err != nil {
		return 0, nil, err
	}
	rs, next, err := svc.PendingRepairs(ctx, p)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, RepairPage{Items: rs, NextCursor: next}, nil
}
