package reports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/identity"
)

// Created answers POST /public/reports.
type Created struct {
	Receipt    string    `json:"receipt"`
	Status     Status    `json:"status"`
	StatusZH   string    `json:"status_zh"`
	ReceivedAt time.Time `json:"received_at"`
	MessageZH  string    `json:"message_zh"`
	MessageEN  string    `json:"message_en"`
}

// PublicStatus answers GET /public/reports/{receipt}: the status and a
// public-safe outcome, never the content or the reporter.
type PublicStatus struct {
	Receipt    string    `json:"receipt"`
	Status     Status    `json:"status"`
	StatusZH   string    `json:"status_zh"`
	Outcome    Outcome   `json:"outcome,omitempty"`
	OutcomeZH  string    `json:"outcome_zh,omitempty"`
	ReceivedAt time.Time `json:"received_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// OfficeView is a report as the office and auditors list it: the
// description scrubbed of ID and telephone numbers, the reporter only as a
// flag.
type OfficeView struct {
	Receipt     string    `json:"receipt"`
	Status      Status    `json:"status"`
	Outcome     Outcome   `json:"outcome,omitempty"`
	ReceivedAt  time.Time `json:"received_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Target      Target    `json:"target"`
	Description string    `json:"description"`
	HasIdentity bool      `json:"has_identity"`
}

type ReportPage struct {
	Items      []OfficeView `json:"items"`
	NextCursor string       `json:"next_cursor,omitempty"`
}

// Revealed answers the office's reveal call, with the audit just stored.
type Revealed struct {
	Receipt  string   `json:"receipt"`
	Reporter Identity `json:"reporter"`
	Audit    Reveal   `json:"audit"`
}

type AuditList struct {
	Receipt string   `json:"receipt"`
	Reveals []Reveal `json:"reveals"`
}

func publicStatus(r Report) PublicStatus {
	return PublicStatus{
		Receipt: r.Receipt, Status: r.Status, StatusZH: r.Status.NameZH(),
		Outcome: r.Outcome, OutcomeZH: r.Outcome.NameZH(), ReceivedAt: r.ReceivedAt, UpdatedAt: r.UpdatedAt,
	}
}

func officeView(r Report) OfficeView {
	return OfficeView{
		Receipt: r.Receipt, Status: r.Status, Outcome: r.Outcome, ReceivedAt: r.ReceivedAt, UpdatedAt: r.UpdatedAt,
		Target:      Target{Name: r.Target.Name, CreditCode: r.Target.CreditCode},
		Description: identity.ScrubText(r.Description), HasIdentity: r.HasIdentity,
	}
}

// maxReceiptDraws bounds the retries after a receipt collision (50 random
// bits: a second draw is already astronomically rare).
const maxReceiptDraws = 3

func (h *Handler) postReport(ctx context.Context, c *call) (int, any, error) {
	var req ReportRequest
	if err := api.DecodeRequest(c.req, MaxBodyBytes, &req); err != nil {
		return 0, nil, err
	}
	if ps := validateReport(&req, h.cfg.CreditCodes); len(ps) > 0 {
		return 0, nil, api.ValidationError(ps)
	}
	rep := Report{
		Target:      Target{Name: req.Target.Name, CreditCode: req.Target.CreditCode},
		Description: req.Description,
		Status:      StatusReceived,
		ReceivedAt:  c.now,
		UpdatedAt:   c.now,
	}
	if req.Reporter != nil {
		id := Identity{Name: req.Reporter.Name, Contact: req.Reporter.Contact}
		if !id.Empty() {
			sealed, err := h.seal(ctx, id)
			if err != nil {
				return 0, nil, err
			}
			rep.SealedIdentity, rep.HasIdentity = sealed, true
		}
	}
	for draw := 1; ; draw++ {
		receipt, err := NewReceipt(h.cfg.Random)
		if err != nil {
			return 0, nil, err
		}
		rep.Receipt = receipt
		err = h.cfg.Store.PutReport(ctx, rep)
		if err == nil {
			break
		}
		if !errors.Is(err, ErrExists) || draw == maxReceiptDraws {
			return 0, nil, err
		}
	}
	h.log.InfoContext(ctx, "report received", "request_id", c.requestID, "receipt", rep.Receipt, "has_identity", rep.HasIdentity)
	return http.StatusCreated, Created{
		Receipt: rep.Receipt, Status: rep.Status, StatusZH: rep.Status.NameZH(), ReceivedAt: rep.ReceivedAt,
		MessageZH: "举报已受理，请妥善保存受理编号，凭编号查询办理状态。",
		MessageEN: "Report received. Keep the receipt: it is the only way to look up the status.",
	}, nil
}

func (h *Handler) seal(ctx context.Context, id Identity) ([]byte, error) {
	plain, err := json.Marshal(id)
	if err != nil {
		return nil, errors.New("seal reporter identity: encode")
	}
	defer clear(plain)
	sealed, err := h.cfg.Sealer.Seal(ctx, plain, identity.PurposeReporterIdentity)
	if err != nil {
		return nil, fmt.Errorf("seal reporter identity: %w", err)
	}
	return sealed, nil
}

// receiptParam reads the path's receipt; a malformed one is simply not
// found (and never reaches a table key).
func receiptParam(c *call) (string, error) {
	r := c.req.PathParameters["receipt"]
	if !ValidReceipt(r) {
		return "", api.Refuse(http.StatusNotFound, probNotFound)
	}
	return r, nil
}

func (h *Handler) reportStatus(ctx context.Context, c *call) (int, any, error) {
	receipt, err := receiptParam(c)
	if err != nil {
		return 0, nil, err
	}
	r, err := h.cfg.Store.GetReport(ctx, receipt)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, publicStatus(r), nil
}

func (h *Handler) listReports(ctx context.Context, c *call) (int, any, error) {
	q := c.req.QueryStringParameters
	status := StatusReceived
	if v := q["status"]; v != "" {
		status = Status(v)
		if !status.Valid() {
			return 0, nil, api.ValidationError([]api.Problem{probStatus})
		}
	}
	limit := 50
	if v := q["limit"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxListLimit {
			return 0, nil, api.ValidationError([]api.Problem{probBadLimit})
		}
		limit = n
	}
	rs, next, err := h.cfg.Store.ListReports(ctx, status, q["cursor"], limit)
	if err != nil {
		return 0, nil, err
	}
	page := ReportPage{Items: make([]OfficeView, 0, len(rs)), NextCursor: next}
	for _, r := range rs {
		page.Items = append(page.Items, officeView(r))
	}
	return http.StatusOK, page, nil
}

// reveal opens the reporter's identity for the office. The audit item is
// stored first: when it cannot be stored, nothing is opened.
func (h *Handler) reveal(ctx context.Context, c *call) (int, any, error) {
	receipt, err := receiptParam(c)
	if err != nil {
		return 0, nil, err
	}
	var req RevealRequest
	if err := api.DecodeRequest(c.req, MaxBodyBytes, &req); err != nil {
		return 0, nil, err
	}
	if ps := validateReason(&req); len(ps) > 0 {
		return 0, nil, api.ValidationError(ps)
	}
	r, err := h.cfg.Store.GetReport(ctx, receipt)
	if err != nil {
		return 0, nil, err
	}
	if len(r.SealedIdentity) == 0 {
		return 0, nil, api.Refuse(http.StatusNotFound, probNoIdentity)
	}
	audit := Reveal{Receipt: receipt, At: c.now, By: c.actor, Reason: req.Reason, RequestID: c.requestID}
	if err := h.cfg.Store.AddReveal(ctx, audit); err != nil {
		return 0, nil, fmt.Errorf("reveal %s: audit: %w", receipt, err)
	}
	plain, err := h.cfg.Sealer.Open(ctx, r.SealedIdentity, identity.PurposeReporterIdentity)
	if err != nil {
		return 0, nil, fmt.Errorf("reveal %s: %w", receipt, err)
	}
	defer clear(plain)
	var id Identity
	if err := json.Unmarshal(plain, &id); err != nil {
		// The decoder's message could quote the content: not wrapped.
		return 0, nil, fmt.Errorf("reveal %s: sealed content is not an identity", receipt)
	}
	h.log.InfoContext(ctx, "reporter identity revealed", "request_id", c.requestID, "receipt", receipt,
		"by_user", c.actor.User, "by_unit", c.actor.Unit)
	return http.StatusOK, Revealed{Receipt: receipt, Reporter: id, Audit: audit}, nil
}

func (h *Handler) revealAudits(ctx context.Context, c *call) (int, any, error) {
	receipt, err := receiptParam(c)
	if err != nil {
		return 0, nil, err
	}
	if _, err := h.cfg.Store.GetReport(ctx, receipt); err != nil {
		return 0, nil, err
	}
	rv, err := h.cfg.Store.ListReveals(ctx, receipt)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, AuditList{Receipt: receipt, Reveals: rv}, nil
}

func (h *Handler) setStatus(ctx context.Context, c *call) (int, any, error) {
	receipt, err := receiptParam(c)
	if err != nil {
		return 0, nil, err
	}
	var req StatusRequest
	if err := api.DecodeRequest(c.req, MaxBodyBytes, &req); err != nil {
		return 0, nil, err
	}
	cur, err := h.cfg.Store.GetReport(ctx, receipt)
	if err != nil {
		return 0, nil, err
	}
	if ps := validateStatus(req, cur.Status); len(ps) > 0 {
		if len(ps) == 1 && ps[0].Code == probTransition.Code {
			return 0, nil, api.Refuse(http.StatusConflict, ps...)
		}
		return 0, nil, api.ValidationError(ps)
	}
	r, err := h.cfg.Store.SetStatus(ctx, receipt, cur.Status, req.Status, req.Outcome, c.now)
	if err != nil {
		return 0, nil, err
	}
	h.log.InfoContext(ctx, "report status", "request_id", c.requestID, "receipt", receipt, "status", r.Status)
	return http.StatusOK, officeView(r), nil
}
