package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/supervision"
	"github.com/suixian-psb/credit/shared/testenv"
)

// supervisionRoleRoutes is the route × role table of the supervision
// routes; TestRolesByRoute counts them as covered here.
var supervisionRoleRoutes = []string{
	RouteGetCheck, RoutePostPlan, RouteGetPlan, RouteExportPlan, RouteRedrawPlan, RouteGetSubjectNotice, RouteGetOfficeDashboard,
}

func init() {
	for _, k := range supervisionRoleRoutes {
		rolesCoveredElsewhere[k] = true
	}
}

func TestSupervisionRolesByRoute(t *testing.T) {
	f := newSupFixture(t)
	hotel := f.subjectAt(t, "91411422MA3X4Y01", "睢县悦来旅馆", testUnit)
	f.grade(t, hotel, gradeStep{domain.LevelB, "2026-06-02"})
	planID := f.drawPlan(t, planBody([]domain.SubjectID{hotel})).ID

	officeAudit := map[string]bool{RoleOffice: true, RoleAuditor: true}
	everyone := map[string]bool{RoleClerk: true, RoleOffice: true, RoleAuditor: true}
	plan := map[string]string{"id": planID}
	routes := []struct {
		key     string
		allowed map[string]bool
		body    any
		params  map[string]string
		query   string
	}{
		{RouteGetCheck, everyone, nil, nil, "subject=" + string(hotel) + "&action=special_trade_licence"},
		{RoutePostPlan, map[string]bool{RoleOffice: true}, planBody([]domain.SubjectID{hotel}), nil, ""},
		{RouteGetPlan, everyone, nil, plan, ""},
		{RouteExportPlan, officeAudit, nil, plan, ""},
		{RouteRedrawPlan, everyone, nil, plan, ""},
		{RouteGetSubjectNotice, officeAudit, nil, map[string]string{"id": string(hotel)}, "format=html"},
		{RouteGetOfficeDashboard, officeAudit, nil, nil, ""},
	}
	if len(routes) != len(supervisionRoleRoutes) {
		t.Fatalf("table covers %d routes, supervisionRoleRoutes lists %d", len(routes), len(supervisionRoleRoutes))
	}
	roles := []struct {
		name   string
		claims map[string]string
	}{
		{"no token", nil},
		{RoleClerk, clerk},
		{RoleOffice, office},
		{RoleAuditor, auditor},
		{"unknown role", claims("admin", testUnit, "mallory")},
	}
	for _, rt := range routes {
		for _, role := range roles {
			t.Run(rt.key+"/"+role.name, func(t *testing.T) {
				resp := f.do(t, request(rt.key, role.claims, rt.body, rt.params, rt.query))
				switch {
				case role.claims == nil:
					if resp.StatusCode != http.StatusUnauthorized {
						t.Fatalf("status %d, want 401: %s", resp.StatusCode, resp.Body)
					}
				case rt.allowed[role.name]:
					if resp.StatusCode >= 300 {
						t.Fatalf("status %d for an allowed role: %s", resp.StatusCode, resp.Body)
					}
				default:
					if resp.StatusCode != http.StatusForbidden {
						t.Fatalf("status %d, want 403: %s", resp.StatusCode, resp.Body)
					}
				}
			})
		}
	}
}

// TestCheckAnswersEachLevel asks the checks route about subjects graded A,
// B, C and unrated, one never graded, and for errors.
func TestCheckAnswersEachLevel(t *testing.T) {
	f := newSupFixture(t)
	byLevel := map[string]domain.SubjectID{}
	for i, l := range []domain.Level{domain.LevelA, domain.LevelB, domain.LevelC, domain.LevelUnrated} {
		id := f.subjectAt(t, "91411422MA3X4Y1"+string(rune('0'+i)), "主体"+string(l), testUnit)
		f.grade(t, id, gradeStep{l, "2026-06-10"})
		byLevel[string(l)] = id
	}
	byLevel["never"] = f.subjectAt(t, "91411422MA3X4Y19", "未评定主体", testUnit)

	cases := []struct {
		subject string
		action  string
		verdict policy.Verdict
		level   domain.Level
		graded  bool
		rule    string // a fragment of the Chinese rule sentence
	}{
		{"A", policy.ActionLicensingGreenChannel, policy.VerdictAllowed, domain.LevelA, true, "通知第四条第一款"},
		{"B", policy.ActionLicensingGreenChannel, policy.VerdictRestricted, domain.LevelB, true, "不适用行政许可"},
		{"C", policy.ActionLicensingGreenChannel, policy.VerdictRestricted, domain.LevelC, true, "通知第四条第三款"},
		{"unrated", policy.ActionLicensingGreenChannel, policy.VerdictRestricted, domain.LevelUnrated, true, "未定级"},
		{"never", policy.ActionLicensingGreenChannel, policy.VerdictRestricted, domain.LevelUnrated, false, "未定级"},
		{"C", policy.ActionSpecialTradeLicence, policy.VerdictRestricted, domain.LevelC, true, "严格限制申请特种行业经营"},
		{"C", policy.ActionProcurementEligibility, policy.VerdictStrictReview, domain.LevelC, true, "从严审查"},
		{"B", policy.ActionSpecialTradeLicence, policy.VerdictAllowed, domain.LevelB, true, "通知未设此项措施"},
		{"A", policy.ActionRoutineInspectionExemption, policy.VerdictAllowed, domain.LevelA, true, "免予日常巡查检查"},
	}
	for _, tc := range cases {
		t.Run(tc.subject+"/"+tc.action, func(t *testing.T) {
			r := f.do(t, request(RouteGetCheck, clerk, nil, nil, "subject="+string(byLevel[tc.subject])+"&action="+tc.action))
			if r.StatusCode != 200 {
				t.Fatalf("%d %s", r.StatusCode, r.Body)
			}
			a := decodeBody[CheckAnswer](t, r)
			if a.Verdict != tc.verdict || a.Level != tc.level || a.Graded != tc.graded || a.SubjectID != byLevel[tc.subject] || a.Action != tc.action {
				t.Fatalf("answer %+v", a)
			}
			if !strings.Contains(a.Rule.TextZH, tc.rule) || a.Rule.Key != "supervision.actions."+tc.action+"."+string(tc.level) {
				t.Fatalf("rule %+v lacks %q", a.Rule, tc.rule)
			}
			if a.PolicyVersion != "2026.1" || a.VerdictZH == "" || a.ActionZH == "" {
				t.Fatalf("answer %+v", a)
			}
			if tc.graded {
				if a.GradeAsOf != domain.MustDate("2026-06-10") || a.NoteZH != "" {
					t.Fatalf("graded answer: %+v", a)
				}
			} else if !a.GradeAsOf.IsZero() || !strings.Contains(a.NoteZH, "尚未评定") || !strings.Contains(r.Body, `"graded":false`) {
				t.Fatalf("ungraded answer must say so: %s", r.Body)
			}
		})
	}

	errs := []struct {
		name   string
		query  string
		status int
		code   string
	}{
		{"unknown action", "subject=" + string(byLevel["A"]) + "&action=liquor_licence", 422, "unknown_action"},
		{"unknown subject", "subject=" + testCode2 + "&action=special_trade_licence", 404, "subject_not_found"},
		{"malformed subject", "subject=abc&action=special_trade_licence", 400, "invalid_subject_id"},
		{"no action", "subject=" + string(byLevel["A"]), 400, "missing_field"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			r := f.do(t, request(RouteGetCheck, auditor, nil, nil, tc.query))
			if r.StatusCode != tc.status || !strings.Contains(r.Body, `"code":"`+tc.code+`"`) {
				t.Fatalf("%d %s", r.StatusCode, r.Body)
			}
			if tc.code == "unknown_action" {
				for _, a := range policy.Actions {
					if !strings.Contains(r.Body, a) {
						t.Fatalf("valid action %s not listed: %s", a, r.Body)
					}
				}
				if strings.Contains(r.Body, "liquor_licence") {
					t.Fatal("the error repeats the input")
				}
			}
		})
	}
}

func planBody(subjects []domain.SubjectID) map[string]any {
	ids := make([]any, len(subjects))
	for i, s := range subjects {
		ids[i] = string(s)
	}
	return map[string]any{
		"period":   map[string]any{"from": "2026-07-01", "to": "2026-07-31"},
		"pool":     map[string]any{"trade": "旅馆业", "jurisdiction": "城关镇"},
		"subjects": ids,
		"roster": []any{
			map[string]any{"id": "J1001", "name": "赵警官", "unit": testUnit},
			map[string]any{"id": "J1002", "name": "钱警官", "unit": otherUnit},
			map[string]any{"id": "J1003", "name": "孙警官", "unit": "411422-PCS-03"},
			map[string]any{"id": "J1004", "name": "李警官", "unit": "411422-PCS-03"},
		},
	}
}

func (f *supFixture) drawPlan(t testing.TB, body map[string]any) PlanCreated {
	t.Helper()
	r := f.do(t, request(RoutePostPlan, office, body, nil, ""))
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("draw: %d %s", r.StatusCode, r.Body)
	}
	return decodeBody[PlanCreated](t, r)
}

// TestPlanDrawGetRedrawExport draws a plan through the API, reads it back,
// verifies it as verifyplan does, re-draws it, exports it and checks the
// public summary page.
func TestPlanDrawGetRedrawExport(t *testing.T) {
	f := newSupFixture(t)
	type subj struct {
		code, name, unit string
		level            domain.Level // "" = never graded
	}
	pool := []subj{
		{"91411422MA3X4Y21", "睢县一号旅馆", testUnit, domain.LevelC},
		{"91411422MA3X4Y22", "睢县二号旅馆", otherUnit, domain.LevelC},
		{"91411422MA3X4Y23", "睢县三号旅馆", testUnit, domain.LevelB},
		{"91411422MA3X4Y24", "睢县四号旅馆", otherUnit, domain.LevelB},
		{"91411422MA3X4Y25", "睢县五号旅馆", testUnit, domain.LevelA},
		{"91411422MA3X4Y26", "睢县六号旅馆", otherUnit, ""},
	}
	var ids []domain.SubjectID
	names := map[domain.SubjectID]string{}
	for _, s := range pool {
		id := f.subjectAt(t, s.code, s.name, s.unit)
		if s.level != "" {
			f.grade(t, id, gradeStep{s.level, "2026-06-05"})
		}
		ids = append(ids, id)
		names[id] = s.name
	}
	body := planBody(ids)
	created := f.drawPlan(t, body)
	p := created.Plan

	// The snapshot: levels from the grades (unrated when none), handling
	// units from the records.
	if len(p.Subjects) != len(pool) {
		t.Fatalf("pool snapshot %+v", p.Subjects)
	}
	for _, ps := range p.Subjects {
		i := slices.Index(ids, ps.ID)
		want := pool[i].level
		if want == "" {
			want = domain.LevelUnrated
		}
		if ps.Level != want || ps.Name != pool[i].name || !slices.Equal(ps.HandlingUnits, []string{pool[i].unit}) {
			t.Fatalf("snapshot of %s: %+v", pool[i].name, ps)
		}
	}
	// C all drawn, A never; nobody inspects a subject their unit handled
	// while another inspector is free.
	drawn := map[domain.SubjectID]supervision.Assignment{}
	for _, a := range p.Result {
		drawn[a.SubjectID] = a
	}
	if _, ok := drawn[ids[0]]; !ok {
		t.Fatal("a C subject was not drawn")
	}
	if _, ok := drawn[ids[4]]; ok {
		t.Fatal("an A subject was drawn")
	}
	unitOf := map[string]string{"J1001": testUnit, "J1002": otherUnit, "J1003": "411422-PCS-03", "J1004": "411422-PCS-03"}
	for id, a := range drawn {
		i := slices.Index(ids, id)
		for _, ins := range a.Inspectors {
			if unitOf[ins] == pool[i].unit {
				t.Fatalf("inspector %s of the handling unit drawn for %s", ins, pool[i].name)
			}
		}
	}
	if p.Seed != hex.EncodeToString(fixedSeedBytes) || p.Policy.Version != "2026.1" || !p.CreatedAt.Equal(testNow) {
		t.Fatalf("seed %q policy %q created %v", p.Seed, p.Policy.Version, p.CreatedAt)
	}
	if created.ID != storage.PlanID(p.Digest) || created.SummaryPage.Key != "plans/"+created.ID+".html" ||
		created.SummaryPage.URL != "https://credit.example.gov.cn/plans/"+created.ID+".html" || !created.SummaryPage.Published {
		t.Fatalf("created %+v", created)
	}

	// GET gives the stored plan exactly, as verifyplan reads it.
	params := map[string]string{"id": created.ID}
	got := f.do(t, request(RouteGetPlan, clerk, nil, params, ""))
	if got.StatusCode != 200 {
		t.Fatalf("get: %d %s", got.StatusCode, got.Body)
	}
	dec := json.NewDecoder(strings.NewReader(got.Body))
	dec.DisallowUnknownFields()
	var stored supervision.Plan
	if err := dec.Decode(&stored); err != nil {
		t.Fatalf("the GET body is not a bare plan: %v", err)
	}
	if err := supervision.Verify(stored); err != nil {
		t.Fatalf("stored plan does not verify: %v", err)
	}
	if mustJSON(stored) != mustJSON(p) {
		t.Fatal("GET differs from the POST's plan")
	}

	// Redraw: identical.
	rd := f.do(t, request(RouteRedrawPlan, auditor, nil, params, ""))
	res := decodeBody[RedrawResult](t, rd)
	if rd.StatusCode != 200 || !res.Identical || res.Difference != nil || res.Digest != p.Digest {
		t.Fatalf("redraw: %d %s", rd.StatusCode, rd.Body)
	}

	// Export: a workbook that opens, with the drawn subjects by name.
	ex := f.do(t, request(RouteExportPlan, office, nil, params, ""))
	if ex.StatusCode != 200 || !ex.IsBase64Encoded || ex.Headers["Content-Type"] != MediaTypeXLSX {
		t.Fatalf("export: %d %v", ex.StatusCode, ex.Headers)
	}
	cd := ex.Headers["Content-Disposition"]
	if !strings.HasPrefix(cd, `attachment; filename="inspection-plan-`+created.ID+`.xlsx"; filename*=UTF-8''`) ||
		!strings.Contains(cd, "%E5%8F%8C%E9%9A%8F%E6%9C%BA") { // 双随机
		t.Fatalf("content-disposition %q", cd)
	}
	raw, err := base64.StdEncoding.DecodeString(ex.Body)
	if err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("workbook does not open: %v", err)
	}
	defer wb.Close()
	rows, err := wb.GetRows(supervision.SheetAssignments)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(p.Result)+1 {
		t.Fatalf("%d rows for %d drawn", len(rows), len(p.Result))
	}
	sheet := mustJSON(rows)
	for id := range drawn {
		if !strings.Contains(sheet, names[id]) {
			t.Fatalf("workbook lacks %s", names[id])
		}
	}

	// The public summary: counts, seed and digest, and no name or id.
	page, ok := f.pages.pages[created.SummaryPage.Key]
	if !ok || f.pages.types[created.SummaryPage.Key] != "text/html; charset=utf-8" {
		t.Fatalf("summary page not put: %v", f.pages.types)
	}
	html := string(page)
	for _, want := range []string{p.Digest, p.Seed, "旅馆业", "城关镇", "verifyplan"} {
		if !strings.Contains(html, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	for _, s := range p.Subjects {
		if strings.Contains(html, s.Name) || strings.Contains(html, string(s.ID)) {
			t.Errorf("summary shows subject %s", s.Name)
		}
	}
	for _, ins := range p.Roster {
		if strings.Contains(html, ins.Name) || strings.Contains(html, ins.ID) {
			t.Errorf("summary shows inspector %s", ins.Name)
		}
	}
}

// TestRedrawFindsATamperedPlan stores a plan whose result was edited
// after the draw (digest kept, so the id still fits) and asks for a redraw.
func TestRedrawFindsATamperedPlan(t *testing.T) {
	f := newSupFixture(t)
	var ids []domain.SubjectID
	for _, code := range []string{"91411422MA3X4Y31", "91411422MA3X4Y32"} {
		id := f.subjectAt(t, code, "主体"+code[14:], testUnit)
		f.grade(t, id, gradeStep{domain.LevelC, "2026-06-01"})
		ids = append(ids, id)
	}
	p := f.drawPlan(t, planBody(ids)).Plan
	tampered := p
	tampered.Result = slices.Clone(p.Result)
	tampered.Result[0].Inspectors = []string{"J9999", "J1002"}
	// Stored beside the real one: a new digest gives it an id of its own.
	tampered.Digest = strings.Repeat("0", len(p.Digest))
	id := storage.PlanID(tampered.Digest)
	if _, err := f.mem.PutPlan(context.Background(), id, tampered); err != nil {
		t.Fatal(err)
	}
	r := f.do(t, request(RouteRedrawPlan, clerk, nil, map[string]string{"id": id}, ""))
	res := decodeBody[RedrawResult](t, r)
	if r.StatusCode != 200 || res.Identical || res.Difference == nil || res.Difference.Field != "result[0].inspectors[0]" || res.Difference.Stored != "J9999" {
		t.Fatalf("redraw of a tampered plan: %d %s", r.StatusCode, r.Body)
	}
}

func TestPlanRequestProblems(t *testing.T) {
	f := newSupFixture(t)
	a := f.subjectAt(t, "91411422MA3X4Y41", "甲", testUnit)
	b := f.subjectAt(t, "91411422MA3X4Y42", "乙", testUnit)
	valid := func() map[string]any { return planBody([]domain.SubjectID{a, b}) }
	cases := []struct {
		name   string
		body   map[string]any
		status int
		want   []want
	}{
		{"unknown subjects, every position", set(valid(), "subjects", []any{string(a), testCode2, makeCode("91411422MA3X4Y43")}), 422,
			[]want{{"subject_not_found", "subjects[1]"}, {"subject_not_found", "subjects[2]"}}},
		{"period ends before it starts", set(valid(), "period.to", "2026-06-30"), 400, []want{{"invalid_period", "period.to"}}},
		{"duplicate subject", set(valid(), "subjects", []any{string(a), string(a)}), 400, []want{{"duplicate_item", "subjects[1]"}}},
		{"duplicate inspector", set(valid(), "roster.1.id", "J1001"), 400, []want{{"duplicate_item", "roster[1].id"}}},
		{"bad inspector id", set(valid(), "roster.0.id", "J 1"), 400, []want{{"invalid_inspector_id", "roster[0].id"}}},
		{"empty roster", set(valid(), "roster", []any{}), 400, []want{{"missing_items", "roster"}}},
		{"no pool trade", set(valid(), "pool.trade", ""), 400, []want{{"missing_field", "pool.trade"}}},
		{"unknown field", set(valid(), "rates", map[string]any{"B": 1}), 400, []want{{"unknown_field", "rates"}}},
		{"seed too short", set(valid(), "seed", "abc"), 400, []want{{"missing_field", "seed"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := f.do(t, request(RoutePostPlan, office, tc.body, nil, ""))
			if r.StatusCode != tc.status {
				t.Fatalf("%d %s", r.StatusCode, r.Body)
			}
			checkProblems(t, r.Body, tc.want)
		})
	}
	if plans, _, err := f.mem.ListPlans(context.Background(), 2026, 7, storage.Page{}); err != nil || len(plans) != 0 {
		t.Fatalf("a refused request stored a plan: %v %v", plans, err)
	}
	if len(f.pages.pages) != 0 {
		t.Fatal("a refused request published a page")
	}
	for _, tc := range []struct {
		id     string
		status int
	}{{"P000000000000000000000000", 404}, {"plan-1", 400}} {
		if r := f.do(t, request(RouteGetPlan, auditor, nil, map[string]string{"id": tc.id}, "")); r.StatusCode != tc.status {
			t.Fatalf("GET %s: %d %s", tc.id, r.StatusCode, r.Body)
		}
	}
}

// TestPlanWithGivenSeedAndNoPageBucket: a given seed is used as is; with no
// bucket configured (or a failing one) the plan is still stored.
func TestPlanWithGivenSeedAndNoPageBucket(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pages *fakePages
	}{{"no bucket", nil}, {"failing bucket", &fakePages{err: errors.New("s3 down")}}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newSupFixtureWith(t, storage.NewMemory(), tc.pages)
			id := f.subjectAt(t, "91411422MA3X4Y51", "甲", testUnit)
			created := f.drawPlan(t, set(planBody([]domain.SubjectID{id}), "seed", "lottery-2026-07"))
			if created.Plan.Seed != "lottery-2026-07" || created.SummaryPage.Published {
				t.Fatalf("created %+v", created.SummaryPage)
			}
			if _, err := f.mem.GetPlan(context.Background(), created.ID); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSubjectNotice(t *testing.T) {
	f := newSupFixture(t)
	hotel := f.subjectAt(t, "91411422MA3X4Y61", "睢县悦来旅馆有限公司", testUnit)
	f.grade(t, hotel, gradeStep{domain.LevelB, "2026-03-01"}, gradeStep{domain.LevelC, "2026-06-10"})
	fresh := f.subjectAt(t, "91411422MA3X4Y62", "未评定公司", testUnit)
	params := map[string]string{"id": string(hotel)}

	text := f.do(t, request(RouteGetSubjectNotice, office, nil, params, ""))
	if text.StatusCode != 200 || text.Headers["Content-Type"] != "text/plain; charset=utf-8" || text.IsBase64Encoded {
		t.Fatalf("text: %d %v", text.StatusCode, text.Headers)
	}
	for _, want := range []string{"睢县悦来旅馆有限公司", "由B级（一般失信）调整为C级（严重失信）", "睢县公安局", "2026年6月15日", "测试理由2", "异议"} {
		if !strings.Contains(text.Body, want) {
			t.Errorf("text notice lacks %q:\n%s", want, text.Body)
		}
	}
	html := f.do(t, request(RouteGetSubjectNotice, auditor, nil, params, "format=html"))
	if html.StatusCode != 200 || html.Headers["Content-Type"] != "text/html; charset=utf-8" ||
		!strings.Contains(html.Body, "<html") || !strings.Contains(html.Body, "C级（严重失信）") {
		t.Fatalf("html: %d %v", html.StatusCode, html.Headers)
	}
	if !strings.Contains(html.Headers["Content-Security-Policy"], "default-src 'none'") {
		t.Fatalf("html page without a content security policy: %v", html.Headers)
	}
	errs := []struct {
		name   string
		id     string
		query  string
		status int
		code   string
	}{
		{"not graded", string(fresh), "", 409, "not_graded"},
		{"unknown subject", testCode2, "", 404, "not_found"},
		{"bad format", string(hotel), "format=pdf", 400, "invalid_value"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			r := f.do(t, request(RouteGetSubjectNotice, office, nil, map[string]string{"id": tc.id}, tc.query))
			if r.StatusCode != tc.status || !strings.Contains(r.Body, `"code":"`+tc.code+`"`) {
				t.Fatalf("%d %s", r.StatusCode, r.Body)
			}
		})
	}
}

// TestDynamoPlanRoundTrip draws, reads, re-draws and exports a plan and
// answers a check on the real table layout (DynamoDB Local).
func TestDynamoPlanRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("DynamoDB Local: skipped with -short")
	}
	client, table := testenv.NewTable(t)
	f := newSupFixtureWith(t, storage.NewDynamo(client, table), &fakePages{})
	var ids []domain.SubjectID
	for i, l := range []domain.Level{domain.LevelC, domain.LevelB, domain.LevelA} {
		id := f.subjectAt(t, "91411422MA3X4Y8"+string(rune('0'+i)), "主体"+string(l), testUnit)
		f.grade(t, id, gradeStep{l, "2026-06-01"})
		ids = append(ids, id)
	}
	created := f.drawPlan(t, planBody(ids))
	params := map[string]string{"id": created.ID}
	if r := f.do(t, request(RouteGetPlan, clerk, nil, params, "")); r.StatusCode != 200 || r.Body != mustJSON(created.Plan) {
		t.Fatalf("get: %d %s", r.StatusCode, r.Body)
	}
	if r := f.do(t, request(RouteRedrawPlan, clerk, nil, params, "")); r.StatusCode != 200 || !decodeBody[RedrawResult](t, r).Identical {
		t.Fatalf("redraw: %d %s", r.StatusCode, r.Body)
	}
	if r := f.do(t, request(RouteExportPlan, auditor, nil, params, "")); r.StatusCode != 200 || !r.IsBase64Encoded {
		t.Fatalf("export: %d", r.StatusCode)
	}
	r := f.do(t, request(RouteGetCheck, clerk, nil, nil, "subject="+string(ids[0])+"&action=new_project_approval"))
	if a := decodeBody[CheckAnswer](t, r); r.StatusCode != 200 || a.Verdict != policy.VerdictRestricted || a.Level != domain.LevelC {
		t.Fatalf("check: %d %s", r.StatusCode, r.Body)
	}
	if r := f.do(t, request(RouteGetOfficeDashboard, office, nil, nil, "")); r.StatusCode != 200 || !strings.Contains(r.Body, "<svg") {
		t.Fatalf("dashboard: %d %s", r.StatusCode, r.Body)
	}
}
