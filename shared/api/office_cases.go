package api

import (
	"context"
	"net/http"

	officewf "github.com/suixian-psb/credit/shared/office"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/storage"
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
	return officeWrite(h, c, (*officewf.Service).CheckObjection, func(svc *officewf.Service, in officewf.ObjectionInput) (int, any, error) {
		o, created, err := svc.Object(ctx, c.officeCall(), in)
		if err != nil {
			return 0, nil, err
		}
		h.log.InfoContext(ctx, "objection recorded", "request_id", c.requestID, "objection_id", o.ID, "subject_id", o.SubjectID, "record_id", o.RecordID, "created", created)
		return createdOr(created), ObjectionEnvelope{Objection: o}, nil
	})
}

func (h *Handler) decideObjection(ctx context.Context, c *call) (int, any, error) {
	return officeWrite(h, c, anyService(officewf.CheckObjectionDecision), func(svc *officewf.Service, in officewf.DecisionInput) (int, any, error) {
		o, err := svc.DecideObjection(ctx, c.officeCall(), c.req.PathParameters["id"], in)
		if err != nil {
			return 0, nil, err
		}
		h.log.InfoContext(ctx, "objection decided", "request_id", c.requestID, "objection_id", o.ID, "subject_id", o.SubjectID, "outcome", o.Status)
		return http.StatusOK, ObjectionEnvelope{Objection: o}, nil
	})
}

func (h *Handler) listObjections(ctx context.Context, c *call) (int, any, error) {
	return officeList(h, c, func(svc *officewf.Service, p storage.Page) (any, error) {
		os, next, err := svc.Objections(ctx, queryOf(c.req).Get("overdue") == "true", p)
		return ObjectionPage{Items: os, NextCursor: next}, err
	})
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
	return officeWrite(h, c, anyService(officewf.CheckRepair), func(svc *officewf.Service, in officewf.RepairInput) (int, any, error) {
		r, created, err := svc.ApplyRepair(ctx, c.officeCall(), in)
		if err != nil {
			return 0, nil, err
		}
		h.log.InfoContext(ctx, "repair applied", "request_id", c.requestID, "repair_id", r.ID, "subject_id", r.SubjectID, "record_id", r.RecordID, "created", created)
		return createdOr(created), RepairEnvelope{Repair: r}, nil
	})
}

func (h *Handler) decideRepair(ctx context.Context, c *call) (int, any, error) {
	return officeWrite(h, c, anyService(officewf.CheckRepairDecision), func(svc *officewf.Service, in officewf.DecisionInput) (int, any, error) {
		r, err := svc.DecideRepair(ctx, c.officeCall(), c.req.PathParameters["id"], in)
		if err != nil {
			return 0, nil, err
		}
		h.log.InfoContext(ctx, "repair decided", "request_id", c.requestID, "repair_id", r.ID, "subject_id", r.SubjectID, "outcome", r.Status)
		return http.StatusOK, RepairEnvelope{Repair: r}, nil
	})
}

func (h *Handler) listRepairs(ctx context.Context, c *call) (int, any, error) {
	return officeList(h, c, func(svc *officewf.Service, p storage.Page) (any, error) {
		rs, next, err := svc.PendingRepairs(ctx, p)
		return RepairPage{Items: rs, NextCursor: next}, err
	})
}
