package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/xuri/excelize/v2"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
	officewf "github.com/suixian-psb/credit/shared/office"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/regrade"
	"github.com/suixian-psb/credit/shared/storage"
)

func init() {
	for k := range (&Handler{}).officeRoutes() {
		rolesCoveredElsewhere[k] = true
	}
}

// movingClock is a clock the office tests move.
type movingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movingClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *movingClock) set(day string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = domain.MustDate(day).Time().Add(10 * time.Hour).UTC()
}

// officeFixture is a handler on a plain Memory store (which keeps office
// items) with a movable clock, and the regrade the stream would run.
type officeFixture struct {
	h     *Handler
	mem   *storage.Memory
	clock *movingClock
	rg    *regrade.Service
	svc   *officewf.Service
}

func newOfficeFixture(t testing.TB, day string) *officeFixture {
	t.Helper()
	ids, err := identity.NewHasherHex(hashKey)
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := identity.NewLocalSealerHex(sealKey)
	if err != nil {
		t.Fatal(err)
	}
	f := &officeFixture{mem: storage.NewMemory(), clock: &movingClock{}}
	f.clock.set(day)
	p := policy.MustDefault()
	f.h, err = New(Config{
		Store: f.mem, Clock: f.clock, Policy: p, CreditCodes: identity.CreditCodeValidator{},
		SubjectIDs: ids, Sealer: sealer, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	f.rg = &regrade.Service{Store: f.mem, Policy: p, Clock: f.clock}
	f.svc, _ = officewf.New(f.mem, p, f.clock)
	return f
}

func (f *officeFixture) do(t testing.TB, req events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := f.h.Handle(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// post posts body to route as cl and wants status; it returns the response.
func (f *officeFixture) post(t testing.TB, route string, cl map[string]string, body any, params map[string]string, want int) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp := f.do(t, request(route, cl, body, params, ""))
	if resp.StatusCode != want {
		t.Fatalf("%s: status %d, want %d: %s", route, resp.StatusCode, want, resp.Body)
	}
	return resp
}

// seed posts a decision (2026-06-01) and a commitment violation (2026-05-20)
// as the clerk of testUnit, and regrades: the subject is B with an open task.
func (f *officeFixture) seed(t testing.TB) (subject domain.SubjectID, decision, violation domain.Record) {
	t.Helper()
	d := decodeBody[RecordEnvelope](t, f.post(t, RoutePostDecision, clerk, decisionBody(), nil, 201))
	v := decodeBody[RecordEnvelope](t, f.post(t, RoutePostViolation, clerk, violationBody(), nil, 201))
	if _, err := f.rg.Regrade(context.Background(), d.SubjectID); err != nil {
		t.Fatal(err)
	}
	return d.SubjectID, d.Record, v.Record
}

func reminderBody(subject domain.SubjectID) map[string]any {
	return map[string]any{
		"subject_id": string(subject), "method": "written_reminder", "time": "2026-09-01T10:00:00+08:00",
		"person":  map[string]any{"role": "principal", "name": "王经理"},
		"content": "书面告知失信信息，提醒其纠正", "officer": "李警官",
	}
}

func TestOfficeRolesByRoute(t *testing.T) {
	t.Parallel()
	officeOnly := map[string]bool{RoleOffice: true}
	readers := map[string]bool{RoleOffice: true, RoleAuditor: true}
	routes := []struct {
		key     string
		allowed map[string]bool
		success int
		// req builds the request of a prepared fixture.
		req func(subject domain.SubjectID, dec, vio domain.Record, objID, repairID string) (body any, params map[string]string, query string)
	}{
		{RoutePostReminder, map[string]bool{RoleClerk: true, RoleOffice: true}, 201, func(s domain.SubjectID, _, _ domain.Record, _, _ string) (any, map[string]string, string) {
			return reminderBody(s), nil, ""
		}},
		{RouteListReminders, readers, 200, func(domain.SubjectID, domain.Record, domain.Record, string, string) (any, map[string]string, string) {
			return nil, nil, "from=2026-09-01&to=2026-09-30&format=csv"
		}},
		{RouteListTasks, map[string]bool{RoleClerk: true, RoleOffice: true, RoleAuditor: true}, 200, func(domain.SubjectID, domain.Record, domain.Record, string, string) (any, map[string]string, string) {
			return nil, nil, "overdue=true"
		}},
		{RoutePostObjection, officeOnly, 201, func(s domain.SubjectID, _, vio domain.Record, _, _ string) (any, map[string]string, string) {
			return map[string]any{"subject_id": string(s), "record_id": vio.ID, "grounds": "违反事实不清"}, nil, ""
		}},
		{RouteListObjections, readers, 200, func(domain.SubjectID, domain.Record, domain.Record, string, string) (any, map[string]string, string) {
			return nil, nil, "overdue=false&limit=10"
		}},
		{RouteDecideObjection, officeOnly, 200, func(s domain.SubjectID, _, _ domain.Record, objID, _ string) (any, map[string]string, string) {
			return map[string]any{"subject_id": string(s), "outcome": "rejected", "reason": "事实清楚"}, map[string]string{"id": objID}, ""
		}},
		{RoutePostRepair, officeOnly, 201, func(s domain.SubjectID, _, vio domain.Record, _, _ string) (any, map[string]string, string) {
			return map[string]any{"subject_id": string(s), "record_id": vio.ID, "proof": "已整改", "commitment": "诚信经营"}, nil, ""
		}},
		{RouteListRepairs, readers, 200, func(domain.SubjectID, domain.Record, domain.Record, string, string) (any, map[string]string, string) {
			return nil, nil, ""
		}},
		{RouteDecideRepair, officeOnly, 200, func(s domain.SubjectID, _, _ domain.Record, _, repairID string) (any, map[string]string, string) {
			return map[string]any{"subject_id": string(s), "outcome": "approved", "reason": "整改到位"}, map[string]string{"id": repairID}, ""
		}},
	}
	if len(routes) != len((&Handler{}).officeRoutes()) {
		t.Fatalf("the table covers %d routes, officeRoutes has %d", len(routes), len((&Handler{}).officeRoutes()))
	}
	roles := []struct {
		name   string
		claims map[string]string
	}{
		{"no token", nil},
		{RoleClerk, clerk},
		{"clerk of another unit", claims(RoleClerk, otherUnit, "clerk2")},
		{RoleOffice, office},
		{RoleAuditor, auditor},
	}
	for _, rt := range routes {
		for _, role := range roles {
			t.Run(rt.key+"/"+role.name, func(t *testing.T) {
				t.Parallel()
				f := newOfficeFixture(t, "2026-09-02")
				subject, dec, vio := f.seed(t)
				// An open objection to the decision and a pending repair of
				// another decision, for the decision routes.
				o, _, err := f.svc.Object(context.Background(), officewf.Call{Actor: domain.Actor{Unit: "411422-OFFICE", User: "office1", Role: RoleOffice}}, officewf.ObjectionInput{SubjectID: subject, RecordID: dec.ID, Grounds: "异议"})
				if err != nil {
					t.Fatal(err)
				}
				second := decisionBody()
				set(second, "document_no", "遂公（治）决字〔2026〕102号")
				d2 := decodeBody[RecordEnvelope](t, f.post(t, RoutePostDecision, clerk, second, nil, 201))
				rp, _, err := f.svc.ApplyRepair(context.Background(), officewf.Call{Actor: domain.Actor{Unit: "411422-OFFICE", User: "office1", Role: RoleOffice}}, officewf.RepairInput{SubjectID: subject, RecordID: d2.Record.ID, Proof: "p", Commitment: "c"})
				if err != nil {
					t.Fatal(err)
				}
				body, params, query := rt.req(subject, dec, vio, o.ID, rp.ID)
				resp := f.do(t, request(rt.key, role.claims, body, params, query))
				allowed := rt.allowed[role.name] || role.name == "clerk of another unit" && rt.allowed[RoleClerk] && rt.key != RoutePostReminder
				switch {
				case role.claims == nil:
					if resp.StatusCode != http.StatusUnauthorized {
						t.Fatalf("status %d, want 401: %s", resp.StatusCode, resp.Body)
					}
				case allowed:
					if resp.StatusCode != rt.success {
						t.Fatalf("status %d, want %d: %s", resp.StatusCode, rt.success, resp.Body)
					}
				default:
					// A clerk of another unit may call POST /v1/reminders
					// but not for a subject the unit never handled.
					if resp.StatusCode != http.StatusForbidden {
						t.Fatalf("status %d, want 403: %s", resp.StatusCode, resp.Body)
					}
				}
			})
		}
	}
}

func TestOfficeReminderValidationReportsEverything(t *testing.T) {
	t.Parallel()
	f := newOfficeFixture(t, "2026-09-02")
	subject, _, _ := f.seed(t)
	body := map[string]any{
		"subject_id": "not-an-id", "method": "phone", "time": "yesterday",
		"person": map[string]any{"role": "boss"}, "content": strings.Repeat("x", 4001),
	}
	resp := f.post(t, RoutePostReminder, office, body, nil, 400)
	got := map[string]bool{}
	for _, p := range decodeBody[ErrorBody](t, resp).Errors {
		got[p.Field] = true
	}
	for _, field := range []string{"subject_id", "method", "time", "person.role", "content", "officer"} {
		if !got[field] {
			t.Errorf("no problem reported for %s: %s", field, resp.Body)
		}
	}
	if rs, _ := f.mem.ListReminders(context.Background(), subject); len(rs) != 0 {
		t.Errorf("invalid input stored %+v", rs)
	}
	unknown := reminderBody(subject)
	unknown["extra"] = 1
	f.post(t, RoutePostReminder, office, unknown, nil, 400)
	// An oral reminder is fine for B; a C subject would need a written one
	// or an interview (the service tests cover that 422).
	tooLate := reminderBody(subject)
	tooLate["time"] = "2026-09-03T10:00:00+08:00"
	resp = f.post(t, RoutePostReminder, office, tooLate, nil, 400)
	if !strings.Contains(resp.Body, "future_time") {
		t.Errorf("future time: %s", resp.Body)
	}
}

func TestOfficeWorkflowsThroughTheAPI(t *testing.T) {
	t.Parallel()
	f := newOfficeFixture(t, "2026-06-15")
	subject, dec, vio := f.seed(t)
	ctx := context.Background()

	// Reminder: closes the task; a repeat is 200; the task list empties.
	rb := reminderBody(subject)
	rb["time"] = "2026-06-15T09:00:00+08:00"
	first := decodeBody[ReminderEnvelope](t, f.post(t, RoutePostReminder, clerk, rb, nil, 201)).Reminder
	again := decodeBody[ReminderEnvelope](t, f.post(t, RoutePostReminder, clerk, rb, nil, 200)).Reminder
	if first.ID != again.ID || first.TaskID == "" {
		t.Errorf("reminder %+v, repeat %+v", first, again)
	}
	tasks := decodeBody[TaskPage](t, f.do(t, request(RouteListTasks, auditor, nil, nil, "")))
	if len(tasks.Items) != 0 {
		t.Errorf("open tasks after the reminder %+v", tasks.Items)
	}

	// Export: CSV with BOM and XLSX, both parse.
	csvResp := f.do(t, request(RouteListReminders, office, nil, nil, "from=2026-06-01&to=2026-06-30&format=csv"))
	if csvResp.StatusCode != 200 || !strings.HasPrefix(csvResp.Headers["Content-Type"], "text/csv") {
		t.Fatalf("csv: %d %v", csvResp.StatusCode, csvResp.Headers)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvResp.Body, "\uFEFF"))).ReadAll()
	if err != nil || !strings.HasPrefix(csvResp.Body, "\uFEFF") || len(rows) != 2 || rows[1][0] != first.ID {
		t.Errorf("csv rows %v, err %v", rows, err)
	}
	xResp := f.do(t, request(RouteListReminders, auditor, nil, nil, "from=2026-06-01&to=2026-06-30&format=xlsx"))
	raw, err := base64.StdEncoding.DecodeString(xResp.Body)
	if err != nil || !xResp.IsBase64Encoded {
		t.Fatalf("xlsx body: %v", err)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("xlsx does not open: %v", err)
	}
	xrows, _ := wb.GetRows(officewf.RegisterSheet)
	if len(xrows) != 2 || xrows[0][0] != "登记编号" || xrows[1][0] != first.ID {
		t.Errorf("xlsx rows %v", xrows)
	}
	if r := f.do(t, request(RouteListReminders, office, nil, nil, "from=2026-07-01&to=2026-06-01")); r.StatusCode != 400 {
		t.Errorf("reversed range: %d", r.StatusCode)
	}

	// Objection: the record is objected; upheld → revoked.
	ob := map[string]any{"subject_id": string(subject), "record_id": dec.ID, "grounds": "处罚对象错误"}
	o := decodeBody[ObjectionEnvelope](t, f.post(t, RoutePostObjection, office, ob, nil, 201)).Objection
	f.post(t, RoutePostObjection, office, ob, nil, 200)
	if r := getRecord(t, &fixture{h: f.h}, subject, dec.ID); r.Status != domain.StatusObjected {
		t.Errorf("record %s, want objected", r.Status)
	}
	f.post(t, RouteDecideObjection, office, map[string]any{"subject_id": string(subject), "outcome": "upheld", "reason": "核实有误"}, map[string]string{"id": o.ID}, 200)
	if r := getRecord(t, &fixture{h: f.h}, subject, dec.ID); r.Status != domain.StatusRevoked {
		t.Errorf("record %s, want revoked", r.Status)
	}
	ob2 := map[string]any{"subject_id": string(subject), "record_id": dec.ID, "grounds": "再次异议"}
	resp := f.post(t, RoutePostObjection, office, ob2, nil, 409)
	if !strings.Contains(resp.Body, "record_not_active") {
		t.Errorf("objection to a revoked record: %s", resp.Body)
	}

	// Overdue objections after 20 days.
	ob3 := map[string]any{"subject_id": string(subject), "record_id": vio.ID, "grounds": "承诺已履行"}
	f.post(t, RoutePostObjection, office, ob3, nil, 201)
	f.clock.set("2026-07-06")
	page := decodeBody[ObjectionPage](t, f.do(t, request(RouteListObjections, auditor, nil, nil, "overdue=true")))
	if len(page.Items) != 1 || !page.Items[0].Overdue {
		t.Errorf("overdue objections %+v", page.Items)
	}

	// Repair too early: 422 naming the date.
	third := decisionBody()
	set(third, "document_no", "遂公（治）决字〔2026〕103号")
	d3 := decodeBody[RecordEnvelope](t, f.post(t, RoutePostDecision, clerk, third, nil, 201)).Record
	rpb := map[string]any{"subject_id": string(subject), "record_id": d3.ID, "proof": "已整改", "commitment": "诚信经营"}
	resp = f.post(t, RoutePostRepair, office, rpb, nil, 422)
	if !strings.Contains(resp.Body, "2026-09-01") {
		t.Errorf("too early: %s", resp.Body)
	}
	f.clock.set("2026-09-01")
	rp := decodeBody[RepairEnvelope](t, f.post(t, RoutePostRepair, office, rpb, nil, 201)).Repair
	if list := decodeBody[RepairPage](t, f.do(t, request(RouteListRepairs, office, nil, nil, ""))); len(list.Items) != 1 {
		t.Errorf("pending repairs %+v", list.Items)
	}
	f.post(t, RouteDecideRepair, office, map[string]any{"subject_id": string(subject), "outcome": "approved", "reason": "整改到位"}, map[string]string{"id": rp.ID}, 200)
	if r, _ := f.mem.GetRecord(ctx, subject, d3.ID); r.Status != domain.StatusRepaired {
		t.Errorf("record %s, want repaired", r.Status)
	}
	f.post(t, RouteDecideRepair, office, map[string]any{"subject_id": string(subject), "outcome": "rejected", "reason": "x"}, map[string]string{"id": rp.ID}, 409)
}
