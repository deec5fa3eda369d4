package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/suixian-psb/credit/shared/domain"
	officewf "github.com/suixian-psb/credit/shared/office"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/storage"
)

// Route keys of the office workflows (issue 7: reminders and interviews,
// objections, credit repair), as in template.yaml and openapi.yaml.
const (
	RoutePostReminder      = "POST /v1/reminders"
	RouteListReminders     = "GET /v1/reminders"
	RouteListTasks         = "GET /v1/tasks"
	RoutePostObjection     = "POST /v1/objections"
	RouteListObjections    = "GET /v1/objections"
	RouteDecideObjection   = "POST /v1/objections/{id}/decision"
	RoutePostRepair        = "POST /v1/repairs"
	RouteListRepairs       = "GET /v1/repairs"
	RouteDecideRepair      = "POST /v1/repairs/{id}/decision"
	DefaultOfficePageLimit = 50
)

// officeRoutes are the office workflow routes New adds. The office runs
// the workflows; clerks may register reminders (shared/office decides for
// which subjects) and see the open tasks; auditors read.
func (h *Handler) officeRoutes() map[string]route {
	office := []string{RoleOffice}
	readers := []string{RoleOffice, RoleAuditor}
	return map[string]route{
		RoutePostReminder:    {[]string{RoleClerk, RoleOffice}, true, h.postReminder},
		RouteListReminders:   {readers, false, h.listReminders},
		RouteListTasks:       {AllRoles, false, h.listTasks},
		RoutePostObjection:   {office, true, h.postObjection},
		RouteListObjections:  {readers, false, h.listObjections},
		RouteDecideObjection: {office, true, h.decideObjection},
		RoutePostRepair:      {office, true, h.postRepair},
		RouteListRepairs:     {readers, false, h.listRepairs},
		RouteDecideRepair:    {office, true, h.decideRepair},
	}
}

// officeService runs the workflows on the configured store, which must
// keep office items too (storage.Memory and storage.Dynamo do).
func (h *Handler) officeService() (*officewf.Service, error) {
	st, ok := h.cfg.Store.(officewf.Store)
	if !ok {
		return nil, errors.New("api: the store does not keep office items (storage.OfficeStore)")
	}
	return officewf.New(st, h.cfg.Policy, h.cfg.Clock)
}

func (c *call) officeCall() officewf.Call {
	return officewf.Call{Actor: c.actor, RequestID: c.requestID}
}

// officeWrite is every office write: the workflow service, the body
// decoded and checked (the contract's, the decoder's and the workflow's
// problems, reported at once), then act, whose workflow refusals go
// through fromOffice.
func officeWrite[In any](h *Handler, c *call, check func(*officewf.Service, In) []Problem, act func(*officewf.Service, In) (int, any, error)) (int, any, error) {
	svc, err := h.officeService()
	if err != nil {
		return 0, nil, err
	}
	var in In
	dp := c.decode(&in)
	if err := c.validated(dp, check(svc, in)); err != nil {
		return 0, nil, err
	}
	status, body, err := act(svc, in)
	if err != nil {
		return 0, nil, fromOffice(err)
	}
	return status, body, nil
}

// anyService adapts a workflow check that needs no service to officeWrite.
func anyService[In any](check func(In) []Problem) func(*officewf.Service, In) []Problem {
	return func(_ *officewf.Service, in In) []Problem { return check(in) }
}

// officeList is every office listing: the workflow service, the page
// (?cursor=, ?limit=) and list's body.
func officeList(h *Handler, c *call, list func(*officewf.Service, storage.Page) (any, error)) (int, any, error) {
	svc, err := h.officeService()
	if err != nil {
		return 0, nil, err
	}
	p, err := officePage(c)
	if err != nil {
		return 0, nil, err
	}
	body, err := list(svc, p)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, body, nil
}

// fromOffice orders a workflow's 400 as every validation error (its
// problems sorted); other refusals (the same type as the API's) and errors
// pass on to ToError as they are.
func fromOffice(err error) error {
	var oe *Error
	if errors.As(err, &oe) && oe.Status == http.StatusBadRequest {
		return ValidationError(oe.Problems)
	}
	return err
}

// createdOr is 201 for a new item, 200 for a repeat answered from storage.
func createdOr(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

// officePage reads ?cursor= and ?limit= (the contract has checked them).
func officePage(c *call) (storage.Page, error) {
	q := queryOf(c.req)
	limit := DefaultOfficePageLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return storage.Page{}, ValidationError([]Problem{ProbBadType.At("limit")})
		}
		limit = n
	}
	return storage.Page{Cursor: q.Get("cursor"), Limit: limit}, nil
}

// ReminderEnvelope is the body of POST /v1/reminders.
type ReminderEnvelope struct {
	Reminder model.Reminder `json:"reminder"`
}

func (h *Handler) postReminder(ctx context.Context, c *call) (int, any, error) {
	return officeWrite(h, c, (*officewf.Service).CheckReminder, func(svc *officewf.Service, in officewf.ReminderInput) (int, any, error) {
		r, created, err := svc.RegisterReminder(ctx, c.officeCall(), in)
		if err != nil {
			return 0, nil, err
		}
		h.log.InfoContext(ctx, "reminder registered", "request_id", c.requestID, "reminder_id", r.ID, "subject_id", r.SubjectID, "task_id", r.TaskID, "created", created)
		return createdOr(created), ReminderEnvelope{Reminder: r}, nil
	})
}

// ReminderRegister is the JSON body of GET /v1/reminders: one page of the
// register, next_cursor absent on the last.
type ReminderRegister struct {
	From       domain.Date      `json:"from"`
	To         domain.Date      `json:"to"`
	Items      []model.Reminder `json:"items"`
	NextCursor string           `json:"next_cursor,omitempty"`
}

// listReminders is the register between two days, as JSON pages
// (?cursor=&limit=), or whole as CSV (UTF-8 with BOM) or XLSX with Chinese
// headers: the exports are downloads, bounded by ParseRange's 5 years.
func (h *Handler) listReminders(ctx context.Context, c *call) (int, any, error) {
	svc, err := h.officeService()
	if err != nil {
		return 0, nil, err
	}
	q := queryOf(c.req)
	from, to, err := officewf.ParseRange(q.Get("from"), q.Get("to"), domain.DateIn(c.now))
	if err != nil {
		return 0, nil, fromOffice(err)
	}
	format := q.Get("format")
	if format != "csv" && format != "xlsx" {
		p, err := officePage(c)
		if err != nil {
			return 0, nil, err
		}
		if q.Get("limit") == "" {
			p.Limit = officewf.DefaultRegisterPageLimit
		}
		rs, next, err := svc.RemindersPage(ctx, from, to, p)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, ReminderRegister{From: from, To: to, Items: rs, NextCursor: next}, nil
	}
	rs, err := svc.Reminders(ctx, from, to)
	if err != nil {
		return 0, nil, err
	}
	name := fmt.Sprintf("reminders-%s-%s", from, to)
	var buf bytes.Buffer
	if format == "csv" {
		if err := officewf.WriteCSV(&buf, rs, h.cfg.Units); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, rawBody{contentType: "text/csv; charset=utf-8", body: buf.Bytes(), headers: officeAttachment(name + ".csv")}, nil
	}
	if err := officewf.WriteXLSX(&buf, rs, h.cfg.Units); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, rawBody{contentType: MediaTypeXLSX, body: buf.Bytes(), binary: true, headers: officeAttachment(name + ".xlsx")}, nil
}

func officeAttachment(filename string) map[string]string {
	return map[string]string{"Content-Disposition": `attachment; filename="` + filename + `"`}
}

// TaskPage is the body of GET /v1/tasks.
type TaskPage struct {
	Items      []officewf.TaskView `json:"items"`
	NextCursor string              `json:"next_cursor,omitempty"`
}

func (h *Handler) listTasks(ctx context.Context, c *call) (int, any, error) {
	return officeList(h, c, func(svc *officewf.Service, p storage.Page) (any, error) {
		ts, next, err := svc.Tasks(ctx, queryOf(c.req).Get("overdue") == "true", p)
		return TaskPage{Items: ts, NextCursor: next}, err
	})
}
