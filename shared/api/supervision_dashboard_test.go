package api

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

// dashboardFixture sets up, on 2026-06-15: grades with histories over the
// last year (A 1, B 2, C 1, unrated 1 today), three tasks (two open, one
// of them overdue) and one open objection past its deadline.
func dashboardFixture(t *testing.T) (*supFixture, map[string]domain.SubjectID) {
	t.Helper()
	f := newSupFixture(t)
	ctx := context.Background()
	ids := map[string]domain.SubjectID{}
	for i, name := range []string{"甲旅馆", "乙旅馆", "丙旅馆", "丁旅馆", "戊旅馆"} {
		ids[name] = f.subjectAt(t, fmt.Sprintf("91411422MA3X4Y7%d", i), "睢县"+name, testUnit)
	}
	f.grade(t, ids["甲旅馆"], gradeStep{domain.LevelB, "2025-09-10"}, gradeStep{domain.LevelC, "2026-03-05"})
	f.grade(t, ids["乙旅馆"], gradeStep{domain.LevelB, "2026-05-20"})
	f.grade(t, ids["丙旅馆"], gradeStep{domain.LevelA, "2025-12-01"})
	f.grade(t, ids["丁旅馆"], gradeStep{domain.LevelC, "2026-01-10"}, gradeStep{domain.LevelB, "2026-06-12"})
	f.grade(t, ids["戊旅馆"], gradeStep{domain.LevelUnrated, "2026-06-01"})

	tasks := []domain.Task{
		{ID: "T1", SubjectID: ids["甲旅馆"], Level: domain.LevelC, Status: storage.TaskOpen, OpenedOn: domain.MustDate("2026-03-05"), DueOn: domain.MustDate("2026-04-05")},
		{ID: "T2", SubjectID: ids["乙旅馆"], Level: domain.LevelB, Status: storage.TaskOpen, OpenedOn: domain.MustDate("2026-05-20"), DueOn: domain.MustDate("2026-06-20")},
		{ID: "T3", SubjectID: ids["丁旅馆"], Level: domain.LevelC, Status: storage.TaskClosed, OpenedOn: domain.MustDate("2026-01-10"), DueOn: domain.MustDate("2026-02-10")},
	}
	for _, task := range tasks {
		if err := f.mem.PutTask(ctx, task); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := f.mem.ListRecords(ctx, ids["甲旅馆"])
	if err != nil || len(recs) != 1 {
		t.Fatalf("records: %v %v", recs, err)
	}
	o := model.Objection{
		ID: "O1", SubjectID: ids["甲旅馆"], RecordID: recs[0].ID, Grounds: "处罚事实有误",
		ReceivedOn: domain.MustDate("2026-05-25"), Deadline: domain.MustDate("2026-06-10"), Status: model.ObjectionOpen,
		CreatedAt: testNow, ContentHash: "h1",
	}
	rc := storage.RecordChange{SubjectID: o.SubjectID, RecordID: o.RecordID, Expect: domain.StatusActive,
		Mutate: func(r *domain.Record) error { r.Status = domain.StatusObjected; return nil }}
	if _, _, _, err := f.mem.OpenObjection(ctx, o, rc); err != nil {
		t.Fatal(err)
	}
	return f, ids
}

func TestDashboardPage(t *testing.T) {
	f, ids := dashboardFixture(t)
	r := f.do(t, request(RouteGetOfficeDashboard, office, nil, nil, ""))
	if r.StatusCode != 200 || r.Headers["Content-Type"] != "text/html; charset=utf-8" {
		t.Fatalf("%d %v %s", r.StatusCode, r.Headers, r.Body)
	}
	d, err := f.h.dashboardData(context.Background(), &call{validator: Validator{Today: domain.DateIn(testNow)}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Current.A != 1 || d.Current.B != 2 || d.Current.C != 1 || d.Current.Unrated != 1 {
		t.Fatalf("today's counts %+v", d.Current)
	}
	if len(d.Trend) != 12 {
		t.Fatalf("trend of %d months", len(d.Trend))
	}
	// End of September 2025: only 甲 (B). End of February 2026: 甲 B, 丙 A, 丁 C.
	byMonth := map[string]string{}
	for _, m := range d.Trend {
		c := m.Counts
		byMonth[m.Day.String()] = fmt.Sprintf("A%d B%d C%d U%d", c.A, c.B, c.C, c.Unrated)
	}
	for day, want := range map[string]string{
		"2025-07-31": "A0 B0 C0 U0", "2025-09-30": "A0 B1 C0 U0", "2026-02-28": "A1 B1 C1 U0", "2026-06-15": "A1 B2 C1 U1",
	} {
		if byMonth[day] != want {
			t.Errorf("trend on %s = %q, want %q (all: %v)", day, byMonth[day], want, byMonth)
		}
	}
	if d.OpenTasks != 2 || d.OverdueTasks != 1 || len(d.Tasks) != 2 || d.Tasks[0].TaskID != "T1" || d.Tasks[0].SubjectName != "睢县甲旅馆" {
		t.Fatalf("tasks %d/%d %+v", d.OpenTasks, d.OverdueTasks, d.Tasks)
	}
	if d.OpenObjections != 1 || d.OverdueObjections != 1 || d.Objections[0].DocumentNo != "决-91411422MA3X4Y70" {
		t.Fatalf("objections %d/%d %+v", d.OpenObjections, d.OverdueObjections, d.Objections)
	}
	// Newest first: 丁 C→B on 06-12, 戊 first grade 06-01, 乙 first 05-20.
	if len(d.Changes) != 7 || d.Changes[0].SubjectID != string(ids["丁旅馆"]) || d.Changes[0].From != domain.LevelC || d.Changes[0].To != domain.LevelB ||
		d.Changes[1].SubjectID != string(ids["戊旅馆"]) || d.Changes[1].From != "" {
		t.Fatalf("changes %+v", d.Changes)
	}
	for _, want := range []string{"睢县公安局办公室", "睢县丁旅馆", `href="/v1/subjects/` + string(ids["丁旅馆"]) + `"`, "<svg"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestDashboardWithoutObjections: a store that keeps no objections shows
// that section empty rather than failing.
func TestDashboardWithoutObjections(t *testing.T) {
	type plainStore struct{ Store }
	mem := storage.NewMemory()
	f := newSupFixtureWith(t, plainStore{mem}, nil)
	f.h.cfg.Supervision.Tasks = mem
	if f.h.openObjections() != nil {
		t.Fatal("a store without objections offered them")
	}
	r := f.do(t, request(RouteGetOfficeDashboard, auditor, nil, nil, ""))
	if r.StatusCode != 200 || !strings.Contains(r.Body, "暂无待核查异议") {
		t.Fatalf("%d %s", r.StatusCode, r.Body)
	}
}

// TestDashboardInBrowser renders the API's dashboard in headless chromium:
// the chart is drawn, the counts and sections read right, and a screenshot
// goes to test-output/dashboard-api.png.
func TestDashboardInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("headless chromium: skipped with -short")
	}
	f, _ := dashboardFixture(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		resp := f.do(t, request(RouteGetOfficeDashboard, office, nil, nil, ""))
		for k, v := range resp.Headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write([]byte(resp.Body))
	}))
	t.Cleanup(srv.Close)

	browser := testenv.Browser(t, 60*time.Second)

	if err := chromedp.Do(browser, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("svg.trend"))); err != nil {
		t.Fatalf("open dashboard: %v", err)
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(browser, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return v
	}
	checks := []struct{ js, want string }{
		// The chart is laid out at a real size and has its series drawn.
		{`String(document.querySelector("svg.trend").getBoundingClientRect().width > 600)`, "true"},
		{`String(document.querySelectorAll("svg.trend polyline, svg.trend path").length > 0)`, "true"},
		{`document.querySelector(".card.lv-A .count").innerText`, "1"},
		{`document.querySelector(".card.lv-B .count").innerText`, "2"},
		{`document.querySelector(".card.lv-C .count").innerText`, "1"},
		{`document.querySelector(".card.lv-U .count").innerText`, "1"},
		{`document.querySelector("#h-tasks .stat").innerText.replace(/\s+/g, "")`, "待办2·逾期1"},
		{`document.querySelector("#h-objections .stat").innerText.replace(/\s+/g, "")`, "待核查1·超期1"},
		{`String(document.querySelectorAll("section[aria-labelledby=h-changes] tbody tr").length)`, "7"},
	}
	for _, c := range checks {
		if got := eval(c.js); got != c.want {
			t.Errorf("%s = %q, want %q", c.js, got, c.want)
		}
	}
	png, err := chromedp.Run(browser, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dir := filepath.Join("..", "..", "test-output")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "dashboard-api.png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
