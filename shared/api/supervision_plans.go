package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/supervision"
)

// Bounds of a plan request; openapi.yaml states the same. A county pool is
// a few hundred subjects of one trade; 1,000 keeps the stored plan well
// under DynamoDB's 400 KB item limit and the snapshot reads (three per
// subject, PlanReadWorkers at a time) well inside the function's timeout.
const (
	MaxPlanSubjects      = 1000
	MaxPlanRoster        = 300
	MaxPlanText          = 100
	MaxInspectorsPerPlan = 5
	PlanReadWorkers      = 8
)

// PlanRequest is the body of POST /v1/inspection-plans. The platform keeps
// no register of trades: the office names the pool's subjects itself (the
// trade's licensed subjects in the jurisdiction), and the platform fills in
// each one's current level and handling units at the moment of the draw.
type PlanRequest struct {
	Period struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"period"`
	Pool struct {
		Trade        string `json:"trade"`
		Jurisdiction string `json:"jurisdiction"`
	} `json:"pool"`
	Subjects []string `json:"subjects"`
	Roster   []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Unit string `json:"unit"`
	} `json:"roster"`
	// Seed is optional: given (e.g. drawn in public beforehand) or
	// generated from crypto/rand. Either way it is published with the plan.
	Seed                 string `json:"seed"`
	InspectorsPerSubject int    `json:"inspectors_per_subject"`
}

// PlanCreated is the body of POST /v1/inspection-plans. Plan is exactly
// what GET /v1/inspection-plans/{id} returns and verifyplan reads.
type PlanCreated struct {
	ID          string           `json:"id"`
	Plan        supervision.Plan `json:"plan"`
	SummaryPage SummaryPage      `json:"summary_page"`
}

// SummaryPage says where the plan's public summary is.
type SummaryPage struct {
	Key       string `json:"key"`
	URL       string `json:"url,omitempty"`
	Published bool   `json:"published"`
}

// RedrawResult is the body of POST /v1/inspection-plans/{id}/redraw.
type RedrawResult struct {
	ID         string      `json:"id"`
	Identical  bool        `json:"identical"`
	Digest     string      `json:"digest"`
	Difference *Difference `json:"difference,omitempty"`
	// Error says why the stored inputs could not be drawn again at all.
	Error string `json:"error,omitempty"`
}

// Difference is the first place a stored plan and its re-draw differ.
type Difference struct {
	Field  string `json:"field"`
	Stored string `json:"stored"`
	Redraw string `json:"redraw"`
}

var (
	probPlanPeriod     = Problem{Code: "invalid_period", MessageZH: "抽查期间结束日期不能早于开始日期", MessageEN: "period.to cannot be before period.from"}
	probDuplicateID    = Problem{Code: "duplicate_item", MessageZH: "列表中有重复的编号", MessageEN: "the id appears more than once in the list"}
	probUnknownInPool  = Problem{Code: "subject_not_found", MessageZH: "平台中没有该主体（尚未录入任何记录）", MessageEN: "no such subject: nothing has been recorded for it"}
	probBadInspectorID = Problem{Code: "invalid_inspector_id", MessageZH: "检查人员编号须为1至40位字母、数字或连字符", MessageEN: "an inspector id has 1 to 40 letters, digits or hyphens"}
)

// PlanPageKey is where a plan's public summary lives in the disclosure bucket.
func PlanPageKey(id string) string { return "plans/" + id + ".html" }

func (v Validator) plan(r PlanRequest) []Problem {
	var ps problems
	from, okFrom := ps.date(v, r.Period.From, "period.from", true, false)
	to, okTo := ps.date(v, r.Period.To, "period.to", true, false)
	if okFrom && okTo && to.Before(from) {
		ps.add(probPlanPeriod, "period.to")
	}
	ps.text(r.Pool.Trade, "pool.trade", true, MaxPlanText, false)
	ps.text(r.Pool.Jurisdiction, "pool.jurisdiction", true, MaxPlanText, false)
	ps.count(len(r.Subjects), MaxPlanSubjects, "subjects")
	seen := map[string]bool{}
	for i, s := range r.Subjects {
		if seen[s] {
			ps.add(probDuplicateID, fmt.Sprintf("subjects[%d]", i))
		}
		seen[s] = true
	}
	ps.count(len(r.Roster), MaxPlanRoster, "roster")
	ids := map[string]bool{}
	for i, ins := range r.Roster {
		f := fmt.Sprintf("roster[%d]", i)
		if !unitPattern.MatchString(ins.ID) {
			ps.add(probBadInspectorID, f+".id")
		} else if ids[ins.ID] {
			ps.add(probDuplicateID, f+".id")
		}
		ids[ins.ID] = true
		ps.text(ins.Name, f+".name", true, MaxPlanText, false)
		if strings.TrimSpace(ins.Unit) == "" {
			ps.add(probMissing, f+".unit")
		} else if !unitPattern.MatchString(strings.TrimSpace(ins.Unit)) {
			ps.add(probBadUnit, f+".unit")
		}
	}
	if r.InspectorsPerSubject < 0 || r.InspectorsPerSubject > MaxInspectorsPerPlan {
		ps.add(probOutOfRange, "inspectors_per_subject")
	}
	return ps
}

func (h *Handler) postPlan(ctx context.Context, c *call) (int, any, error) {
	var r PlanRequest
	dp := c.decode(&r)
	if err := c.validated(dp, c.validator.plan(r)); err != nil {
		return 0, nil, err
	}
	store, err := h.plans()
	if err != nil {
		return 0, nil, err
	}
	subjects, err := h.poolSnapshot(ctx, r.Subjects)
	if err != nil {
		return 0, nil, err
	}
	seed := strings.TrimSpace(r.Seed)
	if seed == "" {
		if seed, err = supervision.NewSeed(h.cfg.Supervision.Seeds); err != nil {
			return 0, nil, err
		}
	}
	in := supervision.PlanInput{
		Period:               supervision.Period{From: mustDate(r.Period.From), To: mustDate(r.Period.To)},
		Pool:                 supervision.Pool{Trade: strings.TrimSpace(r.Pool.Trade), Jurisdiction: strings.TrimSpace(r.Pool.Jurisdiction)},
		Subjects:             subjects,
		Policy:               supervision.SnapshotOf(h.cfg.Policy),
		Seed:                 seed,
		InspectorsPerSubject: r.InspectorsPerSubject,
		CreatedAt:            c.now,
	}
	for _, ins := range r.Roster {
		in.Roster = append(in.Roster, supervision.Inspector{ID: ins.ID, Name: strings.TrimSpace(ins.Name), Unit: strings.TrimSpace(ins.Unit)})
	}
	plan, err := supervision.Draw(in)
	if err != nil {
		return 0, nil, err // the request was validated: a failing draw is ours
	}
	id := storage.PlanID(plan.Digest)
	created, err := store.PutPlan(ctx, id, plan)
	if err != nil {
		return 0, nil, err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		h.log.InfoContext(ctx, "inspection plan stored", "request_id", c.requestID, "plan_id", id,
			"digest", plan.Digest, "pool", len(plan.Subjects), "drawn", plan.Drawn(), "unit", c.actor.Unit, "user", c.actor.User)
	}
	out := PlanCreated{ID: id, Plan: plan, SummaryPage: SummaryPage{Key: PlanPageKey(id)}}
	if base := strings.TrimRight(h.cfg.Supervision.PublicBaseURL, "/"); base != "" {
		out.SummaryPage.URL = base + "/" + PlanPageKey(id)
	}
	out.SummaryPage.Published = h.publishSummary(ctx, c, id, plan)
	return status, out, nil
}

// publishSummary writes the public summary page. The plan is already
// stored, and the page holds nothing the stored plan does not, so a failed
// write is logged and reported in the response rather than failing it.
func (h *Handler) publishSummary(ctx context.Context, c *call, id string, plan supervision.Plan) bool {
	pages := h.cfg.Supervision.Pages
	if pages == nil {
		return false
	}
	page, err := supervision.RenderSummaryHTML(plan)
	if err == nil {
		err = pages.PutPage(ctx, PlanPageKey(id), page, "text/html; charset=utf-8")
	}
	if err != nil {
		h.log.ErrorContext(ctx, "plan summary page not published", "request_id", c.requestID, "plan_id", id, "err", err)
		return false
	}
	return true
}

// poolSnapshot reads each subject's profile, current level (unrated when it
// has no grade yet) and handling units, a few subjects at a time. Unknown
// subjects are reported all at once (422), naming their positions.
func (h *Handler) poolSnapshot(ctx context.Context, ids []string) ([]supervision.PoolSubject, error) {
	out := make([]supervision.PoolSubject, len(ids))
	errs := parallel(len(ids), PlanReadWorkers, func(i int) error {
		var err error
		out[i], err = h.poolSubject(ctx, domain.SubjectID(ids[i]))
		return err
	})
	var unknown []Problem
	for i, err := range errs {
		switch {
		case errors.Is(err, storage.ErrNotFound):
			unknown = append(unknown, probUnknownInPool.At(fmt.Sprintf("subjects[%d]", i)))
		case err != nil:
			return nil, err
		}
	}
	if len(unknown) > 0 {
		return nil, Refuse(http.StatusUnprocessableEntity, unknown...)
	}
	return out, nil
}

func (h *Handler) poolSubject(ctx context.Context, id domain.SubjectID) (supervision.PoolSubject, error) {
	subj, err := h.cfg.Store.GetSubject(ctx, id)
	if err != nil {
		return supervision.PoolSubject{}, err
	}
	level := domain.LevelUnrated
	switch g, err := h.cfg.Store.GetGrade(ctx, id); {
	case err == nil && g.Level.Valid():
		level = g.Level
	case err != nil && !errors.Is(err, storage.ErrNotFound):
		return supervision.PoolSubject{}, err
	}
	recs, err := h.cfg.Store.ListRecords(ctx, id)
	if err != nil {
		return supervision.PoolSubject{}, err
	}
	// A natural person appears by the opaque id and the name only; the
	// sealed identity is never read.
	return supervision.PoolSubject{ID: id, Name: subj.Name, Level: level, HandlingUnits: supervision.HandlingUnits(recs)}, nil
}

func (h *Handler) storedPlan(ctx context.Context, c *call) (string, supervision.Plan, error) {
	store, err := h.plans()
	if err != nil {
		return "", supervision.Plan{}, err
	}
	id := c.req.PathParameters["id"]
	p, err := store.GetPlan(ctx, id)
	return id, p, err
}

// getPlan returns the stored plan exactly, the auditable artefact that
// `go run ./infra/cmd/verifyplan plan.json` checks.
func (h *Handler) getPlan(ctx context.Context, c *call) (int, any, error) {
	_, p, err := h.storedPlan(ctx, c)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, p, nil
}

// MediaTypeXLSX is the workbook's content type.
const MediaTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (h *Handler) exportPlan(ctx context.Context, c *call) (int, any, error) {
	id, p, err := h.storedPlan(ctx, c)
	if err != nil {
		return 0, nil, err
	}
	var buf bytes.Buffer
	if err := supervision.ExportXLSX(p, &buf, h.cfg.Units); err != nil {
		return 0, nil, err
	}
	// An ASCII name for old clients, the Chinese one (RFC 6266/5987) for the rest.
	ascii := "inspection-plan-" + id + ".xlsx"
	zh := "双随机抽查计划-" + id + ".xlsx"
	return http.StatusOK, rawBody{
		contentType: MediaTypeXLSX, body: buf.Bytes(), binary: true,
		headers: map[string]string{
			"Content-Disposition": fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(zh)),
		},
	}, nil
}

// redrawPlan re-runs the draw from the stored inputs and compares: a read-only check anyone may ask for.
func (h *Handler) redrawPlan(ctx context.Context, c *call) (int, any, error) {
	id, p, err := h.storedPlan(ctx, c)
	if err != nil {
		return 0, nil, err
	}
	out := RedrawResult{ID: id, Digest: p.Digest}
	var d *supervision.DifferenceError
	switch err := supervision.Verify(p); {
	case err == nil:
		out.Identical = true
	case errors.As(err, &d):
		out.Difference = &Difference{Field: d.Field, Stored: d.Stored, Redraw: d.Redraw}
	default:
		out.Error = err.Error()
	}
	return http.StatusOK, out, nil
}
