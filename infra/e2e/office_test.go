package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/suixian-psb/credit/infra/localstack/stackrun"
	"github.com/suixian-psb/credit/shared/identity"
)

// officeCode is the firm of TestOfficeWorkflows: letters in the
// organisation code keep it apart from the other tests' all-digit codes.
var officeCode = identity.MakeCreditCode("91411422MA9K7B3C")

// recorder keeps every response body of a test, so the test can check that
// something secret (a reporter's identity) appears in none but the one
// allowed.
type recorder struct {
	t      *testing.T
	bodies []string
}

func (r *recorder) call(method, path, tok string, body any) (int, []byte) {
	r.t.Helper()
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			r.t.Fatal(err)
		}
	}
	status, b := call(r.t, method, path, tok, raw)
	r.bodies = append(r.bodies, fmt.Sprintf("%s %s → %d %s", method, path, status, b))
	return status, b
}

// site fetches a path of the public site (the disclosure bucket).
func (r *recorder) site(path string) (int, string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	status, b, err := stackrun.DoHTTP(ctx, http.DefaultClient, "GET", stack.Site+path, "", nil)
	if err != nil {
		r.t.Fatalf("GET site %s: %v", path, err)
	}
	r.bodies = append(r.bodies, fmt.Sprintf("site %s → %d %s", path, status, b))
	return status, string(b)
}

// eventually polls cond (bounded: the stream hops take well under a second
// on this stack) and fails with what it last saw.
func eventually(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, last := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 20 s; last: %s", what, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
}

// problem is the API's error body.
type problem struct {
	Error struct {
		Code      string `json:"code"`
		MessageZh string `json:"message_zh"`
		MessageEn string `json:"message_en"`
		Field     string `json:"field"`
	} `json:"error"`
	Errors []json.RawMessage `json:"errors"`
}

type taskView struct {
	ID             string   `json:"id"`
	SubjectID      string   `json:"subject_id"`
	Level          string   `json:"level"`
	AllowedMethods []string `json:"allowed_methods"`
	Status         string   `json:"status"`
}

// openTasks lists the subject's open tasks, every page.
func (r *recorder) openTasks(tok, subject string) []taskView {
	r.t.Helper()
	var out []taskView
	cursor := ""
	for page := 0; page < 50; page++ {
		path := "/v1/tasks?limit=100"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		status, b := r.call("GET", path, tok, nil)
		if status != 200 {
			r.t.Fatalf("GET /v1/tasks: %d %s", status, b)
		}
		var p struct {
			Items      []taskView `json:"items"`
			NextCursor string     `json:"next_cursor"`
		}
		mustJSON(r.t, b, &p)
		for _, it := range p.Items {
			if it.SubjectID == subject {
				out = append(out, it)
			}
		}
		if p.NextCursor == "" {
			return out
		}
		cursor = p.NextCursor
	}
	r.t.Fatal("GET /v1/tasks: more than 50 pages")
	return nil
}

// level reads the subject's current grade level ("" before the first).
func (r *recorder) level(tok, subject string) (string, string) {
	r.t.Helper()
	status, b := r.call("GET", "/v1/subjects/"+url.PathEscape(subject), tok, nil)
	var v struct {
		Grade *struct {
			Level string `json:"level"`
		} `json:"grade"`
	}
	if status != 200 || json.Unmarshal(b, &v) != nil || v.Grade == nil {
		return "", fmt.Sprintf("%d %s", status, b)
	}
	return v.Grade.Level, string(b)
}

// TestOfficeWorkflows drives the office's work through the HTTP front: a
// firm reaches C, the office interviews it (closing the task), an upheld
// objection brings it back to B and off the public site, an early repair is
// refused, and a public report's reporter is revealed only to the office.
func TestOfficeWorkflows(t *testing.T) {
	requireStack(t)
	requireRunning(t, "IntakeFunction", "RegradeFunction", "PublishFunction", "ReportFunction")
	r := &recorder{t: t}
	clerk := token(t, "411422-PCS-01", "clerk")
	office := token(t, "411422-OFFICE", "office")
	auditor := token(t, "411422-AUDIT", "auditor")
	page := "/subjects/" + officeCode + ".html"
	// The page marks an objected record after its document number (the
	// page's notes also mention 异议处理中, so the bare words prove nothing).
	const objectedTag = `<span class="tag warn">异议处理中</span>`
	docNo := func(i int) string { return fmt.Sprintf("睢公（城关）行罚决字〔2027〕%d号", 9100+i) }

	// 1. Three warning decisions: three warning-tier acts in the window → C.
	var recordIDs []string
	var subject string
	for i, day := range []string{"2027-02-18", "2027-02-20", "2027-02-22"} {
		status, b := r.call("POST", "/v1/decisions", clerk, map[string]any{
			"subject":       map[string]any{"type": "legal_person", "credit_code": officeCode, "name": "睢县约谈测试旅馆有限公司"},
			"document_no":   docNo(i),
			"decision_date": day,
			"acts": []any{map[string]any{
				"facts":       "该旅馆未按规定登记住宿旅客身份信息。",
				"legal_basis": "《旅馆业治安管理办法》第六条、第十五条",
				"sanctions":   []any{map[string]any{"kind": "warning"}},
			}},
		})
		if status != 201 {
			t.Fatalf("decision %d: %d %s", i, status, b)
		}
		var posted struct {
			SubjectID string `json:"subject_id"`
			Record    struct {
				ID string `json:"id"`
			} `json:"record"`
		}
		mustJSON(t, b, &posted)
		if posted.SubjectID != officeCode || !strings.HasPrefix(posted.Record.ID, "R") {
			t.Fatalf("decision %d answered %s", i, b)
		}
		subject = posted.SubjectID
		recordIDs = append(recordIDs, posted.Record.ID)
	}
	eventually(t, "grade C", func() (bool, string) {
		lv, last := r.level(clerk, subject)
		return lv == "C", last
	})
	var cTask taskView
	eventually(t, "an open C task", func() (bool, string) {
		tasks := r.openTasks(office, subject)
		for _, tk := range tasks {
			if tk.Level == "C" {
				cTask = tk
				return true, ""
			}
		}
		return false, fmt.Sprintf("%+v", tasks)
	})
	if cTask.Status != "open" || !contains(cTask.AllowedMethods, "interview") || contains(cTask.AllowedMethods, "oral_reminder") {
		t.Fatalf("C task %+v: want open, interview allowed, oral reminder not", cTask)
	}
	eventually(t, "the C page on the site", func() (bool, string) {
		status, body := r.site(page)
		return status == 200 && strings.Contains(body, officeCode) && strings.Contains(body, docNo(0)) && !strings.Contains(body, objectedTag),
			fmt.Sprintf("%d %.300s", status, body)
	})

	// 2. The office's integrity interview with the principal closes the task.
	status, b := r.call("POST", "/v1/reminders", office, map[string]any{
		"subject_id": subject,
		"method":     "interview",
		"person":     map[string]any{"role": "principal", "name": "王经理"},
		"time":       "2027-03-01T09:30:00+08:00", // before the stack's clock
		"content":    "告知其信用等级为C及相应监管措施，要求落实旅客登记制度。",
		"officer":    "李警官",
	})
	if status != 201 {
		t.Fatalf("POST /v1/reminders: %d %s", status, b)
	}
	var rem struct {
		Reminder struct {
			SubjectID string `json:"subject_id"`
			TaskID    string `json:"task_id"`
			Level     string `json:"level"`
			Method    string `json:"method"`
			Person    struct {
				Role string `json:"role"`
				Name string `json:"name"`
			} `json:"person"`
			Officer string `json:"officer"`
		} `json:"reminder"`
	}
	mustJSON(t, b, &rem)
	if got := rem.Reminder; got.SubjectID != subject || got.TaskID != cTask.ID || got.Level != "C" || got.Method != "interview" ||
		got.Person.Role != "principal" || got.Person.Name != "王经理" || got.Officer != "李警官" {
		t.Fatalf("reminder %s: want the C task %s closed by an interview", b, cTask.ID)
	}
	for _, tk := range r.openTasks(office, subject) {
		if tk.ID == cTask.ID {
			t.Fatalf("task %s is still listed open after the interview: %+v", cTask.ID, tk)
		}
	}

	// 3. An objection marks the record on the page but the grade stands;
	// upheld, it revokes the record: B, and the page leaves the site.
	status, b = r.call("POST", "/v1/objections", office, map[string]any{
		"subject_id": subject, "record_id": recordIDs[0],
		"grounds": "当事人称检查当日已补录旅客信息。",
	})
	if status != 201 {
		t.Fatalf("POST /v1/objections: %d %s", status, b)
	}
	var obj struct {
		Objection struct {
			ID       string `json:"id"`
			RecordID string `json:"record_id"`
			Status   string `json:"status"`
			Deadline string `json:"deadline"`
		} `json:"objection"`
	}
	mustJSON(t, b, &obj)
	if o := obj.Objection; !strings.HasPrefix(o.ID, "O") || o.RecordID != recordIDs[0] || o.Status != "open" || o.Deadline == "" {
		t.Fatalf("objection %s", b)
	}
	eventually(t, "异议处理中 on the page", func() (bool, string) {
		status, body := r.site(page)
		return status == 200 && strings.Contains(body, docNo(0)+objectedTag) && strings.Count(body, objectedTag) == 1,
			fmt.Sprintf("%d %.300s", status, body)
	})
	if lv, last := r.level(office, subject); lv != "C" {
		t.Fatalf("an open objection changed the grade: %s", last)
	}
	status, b = r.call("POST", "/v1/objections/"+obj.Objection.ID+"/decision", office, map[string]any{
		"subject_id": subject, "outcome": "upheld", "reason": "经核实，当事人已按规定登记，原记录撤销。",
	})
	mustJSON(t, b, &obj)
	if status != 200 || obj.Objection.Status != "upheld" {
		t.Fatalf("upholding: %d %s", status, b)
	}
	eventually(t, "grade B", func() (bool, string) {
		lv, last := r.level(office, subject)
		return lv == "B", last
	})
	eventually(t, "the page gone from the site", func() (bool, string) {
		status, body := r.site(page)
		return status == 404, fmt.Sprintf("%d %.300s", status, body)
	})

	// 4. Repair too early: a general (B) record is repairable three months
	// after its decision date.
	status, b = r.call("POST", "/v1/repairs", office, map[string]any{
		"subject_id": subject, "record_id": recordIDs[1],
		"proof": "已整改，补录全部旅客信息。", "commitment": "今后严格执行旅客登记制度。",
	})
	var p problem
	mustJSON(t, b, &p)
	if status != 422 || p.Error.Code != "not_yet_eligible" || p.Error.Field != "record_id" ||
		!strings.Contains(p.Error.MessageZh, "2027-05-20") || !strings.Contains(p.Error.MessageEn, "2027-05-20") ||
		!strings.Contains(p.Error.MessageEn, "general") || len(p.Errors) == 0 {
		t.Fatalf("early repair: %d %s", status, b)
	}

	// 5. A public report with the reporter's identity: sealed, revealed to
	// the office only.
	const reporterName, reporterPhone = "赵举报人", "13912345678"
	status, b = r.call("POST", "/public/reports", "", map[string]any{
		"target":      map[string]any{"name": "睢县约谈测试旅馆有限公司", "credit_code": officeCode},
		"description": "该旅馆长期不登记旅客身份信息。",
		"reporter":    map[string]any{"name": reporterName, "contact": reporterPhone},
	})
	if status != 201 {
		t.Fatalf("POST /public/reports: %d %s", status, b)
	}
	var created struct {
		Receipt  string `json:"receipt"`
		Status   string `json:"status"`
		StatusZh string `json:"status_zh"`
	}
	mustJSON(t, b, &created)
	if !strings.HasPrefix(created.Receipt, "JB-") || len(created.Receipt) != 13 || created.Status != "received" || created.StatusZh == "" {
		t.Fatalf("report created: %s", b)
	}
	receipt := created.Receipt
	status, b = r.call("GET", "/public/reports/"+receipt, "", nil)
	var pub map[string]any
	mustJSON(t, b, &pub)
	if status != 200 || pub["receipt"] != receipt || pub["status"] != "received" {
		t.Fatalf("public status: %d %s", status, b)
	}
	if keys := sortedKeys(pub); strings.Join(keys, ",") != "receipt,received_at,status,status_zh,updated_at" {
		t.Fatalf("the public status shows %v, want only the status fields: %s", keys, b)
	}
	reveal := map[string]any{"reason": "核查举报线索需联系举报人"}
	status, b = r.call("POST", "/v1/reports/"+receipt+"/reveal", auditor, reveal)
	p = problem{}
	mustJSON(t, b, &p)
	if status != 403 || p.Error.Code == "" || p.Error.MessageZh == "" || p.Error.MessageEn == "" {
		t.Fatalf("an auditor's reveal: %d %s", status, b)
	}
	status, b = r.call("POST", "/v1/reports/"+receipt+"/reveal", office, reveal)
	if status != 200 {
		t.Fatalf("the office's reveal: %d %s", status, b)
	}
	revealIndex := len(r.bodies) - 1
	var revealed struct {
		Receipt  string `json:"receipt"`
		Reporter struct {
			Name    string `json:"name"`
			Contact string `json:"contact"`
		} `json:"reporter"`
		Audit struct {
			Reason string `json:"reason"`
			By     struct {
				Unit string `json:"unit"`
				Role string `json:"role"`
			} `json:"by"`
		} `json:"audit"`
	}
	mustJSON(t, b, &revealed)
	if revealed.Receipt != receipt || revealed.Reporter.Name != reporterName || revealed.Reporter.Contact != reporterPhone ||
		revealed.Audit.Reason != reveal["reason"] || revealed.Audit.By.Unit != "411422-OFFICE" || revealed.Audit.By.Role != "office" {
		t.Fatalf("the office's reveal: %s", b)
	}
	// The staff's list shows the report without its reporter.
	status, b = r.call("GET", "/v1/reports?status=received", office, nil)
	if status != 200 || !strings.Contains(string(b), receipt) {
		t.Fatalf("GET /v1/reports: %d %s", status, b)
	}
	for i, body := range r.bodies {
		if i == revealIndex {
			continue
		}
		if strings.Contains(body, reporterName) || strings.Contains(body, reporterPhone) {
			t.Fatalf("the reporter's identity leaked in %.500s", body)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
