package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/storage"
)

// rolesCoveredElsewhere holds the routes whose route × role table lives in
// another test file (each adds its keys from an init function).
var rolesCoveredElsewhere = map[string]bool{}

// TestRolesByRoute covers every route × role, and no token at all.
func TestRolesByRoute(t *testing.T) {
	writers := map[string]bool{RoleClerk: true, RoleOffice: true}
	officeOnly := map[string]bool{RoleOffice: true}
	everyone := map[string]bool{RoleClerk: true, RoleOffice: true, RoleAuditor: true}
	routes := []struct {
		key     string
		allowed map[string]bool
		body    func() map[string]any
		params  map[string]string
		query   string
	}{
		{RoutePostDecision, writers, decisionBody, nil, ""},
		{RoutePostViolation, writers, violationBody, nil, ""},
		{RoutePostListEntry, officeOnly, listEntryBody, nil, ""},
		{RoutePostRemoval, officeOnly, func() map[string]any {
			return map[string]any{"subject_id": testCode, "document_no": "撤1", "removed_on": "2026-06-01", "reason": "期满"}
		}, map[string]string{"id": "RAAAAAAAAAAAAAAAAAAAA"}, ""},
		{RoutePostEvaluations, officeOnly, evaluationBody, nil, ""},
		{RoutePostObservation, writers, observationBody, nil, ""},
		{RouteGetRecord, everyone, nil, map[string]string{"id": "RAAAAAAAAAAAAAAAAAAAA"}, "subject=" + testCode},
		{RouteListSubjects, everyone, nil, nil, "level=C"},
		{RouteGetSubject, everyone, nil, map[string]string{"id": testCode}, ""},
		{RouteGetSubjectRecord, everyone, nil, map[string]string{"id": testCode}, ""},
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
	f := newFixture(t)
	h := f.h
	served := h.RouteKeys()
	sort.Strings(served)
	if len(served) != len(routes)+len(rolesCoveredElsewhere) {
		t.Fatalf("the handler serves %d routes, the table covers %d and other tables %d", len(served), len(routes), len(rolesCoveredElsewhere))
	}
	for _, rt := range routes {
		for _, role := range roles {
			t.Run(rt.key+"/"+role.name, func(t *testing.T) {
				var body any
				if rt.body != nil {
					body = rt.body()
				}
				resp := f.do(t, request(rt.key, role.claims, body, rt.params, rt.query))
				switch {
				case role.claims == nil:
					if resp.StatusCode != http.StatusUnauthorized {
						t.Fatalf("status %d, want 401: %s", resp.StatusCode, resp.Body)
					}
				case rt.allowed[role.name]:
					if resp.StatusCode == 401 || resp.StatusCode == 403 || resp.StatusCode >= 500 {
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

func TestTokenWithoutUserOrUnit(t *testing.T) {
	f := newFixture(t)
	noUser := map[string]string{ClaimRole: RoleClerk, ClaimUnit: testUnit}
	if r := f.do(t, request(RoutePostDecision, noUser, decisionBody(), nil, "")); r.StatusCode != 401 {
		t.Fatalf("no user: %d", r.StatusCode)
	}
	noUnit := map[string]string{ClaimRole: RoleClerk, ClaimSub: "u1"}
	if r := f.do(t, request(RoutePostDecision, noUnit, decisionBody(), nil, "")); r.StatusCode != 403 {
		t.Fatalf("no unit: %d", r.StatusCode)
	}
	if r := f.do(t, request("DELETE /v1/decisions", clerk, nil, nil, "")); r.StatusCode != 404 {
		t.Fatalf("unknown route: %d", r.StatusCode)
	}
	assertNothingStored(t, f)
}

func TestClerkPostsOnlyForOwnUnit(t *testing.T) {
	f := newFixture(t)
	resp := f.do(t, request(RoutePostDecision, clerk, set(decisionBody(), "unit", otherUnit), nil, ""))
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d: %s", resp.StatusCode, resp.Body)
	}
	checkProblems(t, resp.Body, []want{{"forbidden_unit", "unit"}})
	assertNothingStored(t, f)

	// Naming the own unit is fine.
	env := postOK(t, f, RoutePostDecision, clerk, set(decisionBody(), "unit", testUnit))
	if env.Record.Unit != testUnit {
		t.Fatalf("unit %q", env.Record.Unit)
	}
}

func TestOfficePostsOnBehalfOfAUnit(t *testing.T) {
	f := newFixture(t)
	env := postOK(t, f, RoutePostDecision, office, set(decisionBody(), "unit", otherUnit))
	r := env.Record
	if r.Unit != otherUnit {
		t.Fatalf("record unit %q, want the body's unit", r.Unit)
	}
	if r.CreatedBy != (domain.Actor{Unit: office[ClaimUnit], User: "office1", Role: RoleOffice}) {
		t.Fatalf("created_by %+v must come from the token", r.CreatedBy)
	}
	if r.ID != storage.RecordID(otherUnit, domain.KindDecision, r.DocumentNo) {
		t.Fatal("record id is not the unit's document id")
	}
}

func TestIdempotentRepeatAndConflict(t *testing.T) {
	f := newFixture(t)
	first := f.do(t, request(RoutePostDecision, clerk, decisionBody(), nil, ""))
	if first.StatusCode != 201 {
		t.Fatalf("first: %d %s", first.StatusCode, first.Body)
	}
	// Another clerk of the same unit posts the same document: same record.
	clerk2 := claims(RoleClerk, testUnit, "clerk2")
	again := f.do(t, request(RoutePostDecision, clerk2, decisionBody(), nil, ""))
	if again.StatusCode != 200 || again.Body != first.Body {
		t.Fatalf("repeat: %d\n%s\nwant the same body as\n%s", again.StatusCode, again.Body, first.Body)
	}
	// Surrounding spaces do not make another document.
	spaced := set(decisionBody(), "document_no", " 遂公（治）决字〔2026〕101号 ")
	if r := f.do(t, request(RoutePostDecision, clerk, spaced, nil, "")); r.StatusCode != 200 {
		t.Fatalf("spaced repeat: %d %s", r.StatusCode, r.Body)
	}
	changed := set(decisionBody(), "acts.0.sanctions.1.amount_fen", 300000)
	conflict := f.do(t, request(RoutePostDecision, clerk, changed, nil, ""))
	if conflict.StatusCode != http.StatusConflict {
		t.Fatalf("conflict: %d %s", conflict.StatusCode, conflict.Body)
	}
	checkProblems(t, conflict.Body, []want{{"document_conflict", ""}})
	env := decodeBody[RecordEnvelope](t, first)
	recs, _ := f.store.ListRecords(context.Background(), env.SubjectID)
	if len(recs) != 1 || recs[0].Decision.Acts[0].Sanctions[1].AmountFen != 200000 {
		t.Fatalf("stored records %+v", recs)
	}
}

// TestEveryKindReadsBack posts each kind and reads it through the three
// read routes.
func TestEveryKindReadsBack(t *testing.T) { checkEveryKindReadsBack(t, newFixture(t)) }

func checkEveryKindReadsBack(t *testing.T, f *fixture) {
	t.Helper()
	posted := []RecordEnvelope{
		postOK(t, f, RoutePostDecision, clerk, decisionBody()),
		postOK(t, f, RoutePostViolation, clerk, violationBody()),
		postOK(t, f, RoutePostListEntry, office, listEntryBody()),
		postOK(t, f, RoutePostObservation, clerk, observationBody()),
	}
	for _, kind := range []string{"complaint", "public_evaluation", "quantified_grading", "licensing_event"} {
		posted = append(posted, postOK(t, f, RoutePostObservation, clerk, set(observationBody(), "kind", kind)))
	}
	resp := f.do(t, request(RoutePostEvaluations, office, evaluationBody(), nil, ""))
	if resp.StatusCode != 201 {
		t.Fatalf("evaluations: %d %s", resp.StatusCode, resp.Body)
	}
	batch := decodeBody[BatchResult](t, resp)
	for _, r := range batch.Results {
		if !r.Created || r.Record.Kind != domain.KindEvaluation || r.Record.Evaluation.Batch != "2026年第1批" {
			t.Fatalf("batch item %+v", r)
		}
		posted = append(posted, RecordEnvelope{SubjectID: r.SubjectID, Record: r.Record})
	}
	if again := f.do(t, request(RoutePostEvaluations, office, evaluationBody(), nil, "")); again.StatusCode != 200 {
		t.Fatalf("batch repeat: %d %s", again.StatusCode, again.Body)
	}
	kinds := map[domain.RecordKind]bool{}
	for _, p := range posted {
		kinds[p.Record.Kind] = true
		got := getRecord(t, f, p.SubjectID, p.Record.ID)
		if mustJSON(got) != mustJSON(p.Record) {
			t.Fatalf("read back differs:\n%s\n%s", mustJSON(got), mustJSON(p.Record))
		}
		if got.Status != domain.StatusActive || got.RequestID == "" || !got.CreatedAt.Equal(testNow) {
			t.Fatalf("record bookkeeping: %+v", got)
		}
	}
	if len(kinds) != 9 {
		t.Fatalf("kinds posted: %v", kinds)
	}
	// The decision counts for one year; observations and list entries do not age out.
	if posted[0].Record.CountsUntil != domain.MustDate("2027-06-01") || !posted[3].Record.CountsUntil.IsZero() {
		t.Fatalf("counts_until: %v, %v", posted[0].Record.CountsUntil, posted[3].Record.CountsUntil)
	}
	list := f.do(t, request(RouteGetSubjectRecord, auditor, nil, map[string]string{"id": testCode}, ""))
	rl := decodeBody[RecordList](t, list)
	if list.StatusCode != 200 || len(rl.Items) != 9 { // all but the organisation's evaluation
		t.Fatalf("subject records: %d, %d items", list.StatusCode, len(rl.Items))
	}
}

func TestGetRecordNeedsItsSubject(t *testing.T) {
	f := newFixture(t)
	env := postOK(t, f, RoutePostDecision, clerk, decisionBody())
	cases := []struct {
		name   string
		query  string
		status int
		code   string
	}{
		{"no subject", "", 400, "missing_field"},
		{"another subject", "subject=" + testCode2, 404, "not_found"},
		{"malformed subject", "subject=abc", 400, "invalid_subject_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := f.do(t, request(RouteGetRecord, clerk, nil, map[string]string{"id": env.Record.ID}, tc.query))
			if r.StatusCode != tc.status || !strings.Contains(r.Body, `"code":"`+tc.code+`"`) {
				t.Fatalf("%d %s", r.StatusCode, r.Body)
			}
		})
	}
	r := f.do(t, request(RouteGetRecord, clerk, nil, map[string]string{"id": "not-an-id"}, "subject="+testCode))
	if r.StatusCode != 400 || !strings.Contains(r.Body, "invalid_record_id") {
		t.Fatalf("%d %s", r.StatusCode, r.Body)
	}
}

func TestNaturalPersonIDNeverShown(t *testing.T) {
	f := newFixture(t)
	body := set(decisionBody(), "subject", naturalSubject())
	set(body, "acts.0.sanctions", []any{map[string]any{"kind": "detention", "detention_days": 5}})
	env := postOK(t, f, RoutePostDecision, clerk, body)
	if !strings.HasPrefix(string(env.SubjectID), "NP") {
		t.Fatalf("subject id %q", env.SubjectID)
	}
	subj, err := f.store.GetSubject(context.Background(), env.SubjectID)
	if err != nil || len(subj.SealedIdentity) == 0 || strings.Contains(string(subj.SealedIdentity), testIDNo) {
		t.Fatalf("profile must keep the ID number sealed: %v", err)
	}
	bodies := []string{mustJSON(env)}
	for _, req := range []struct {
		key    string
		params map[string]string
		query  string
	}{
		{RouteGetSubject, map[string]string{"id": string(env.SubjectID)}, ""},
		{RouteGetSubjectRecord, map[string]string{"id": string(env.SubjectID)}, ""},
		{RouteGetRecord, map[string]string{"id": env.Record.ID}, "subject=" + string(env.SubjectID)},
	} {
		r := f.do(t, request(req.key, auditor, nil, req.params, req.query))
		if r.StatusCode != 200 {
			t.Fatalf("%s: %d %s", req.key, r.StatusCode, r.Body)
		}
		bodies = append(bodies, r.Body)
	}
	bodies = append(bodies, f.logs.String())
	for _, b := range bodies {
		if strings.Contains(b, testIDNo) || strings.Contains(b, "sealed_identity") {
			t.Fatalf("ID number or sealed identity shown: %s", b)
		}
	}
}

func TestSubjectView(t *testing.T) {
	f := newFixture(t)
	env := postOK(t, f, RoutePostDecision, clerk, decisionBody())
	id := env.SubjectID
	get := func() SubjectView {
		r := f.do(t, request(RouteGetSubject, clerk, nil, map[string]string{"id": string(id)}, ""))
		if r.StatusCode != 200 {
			t.Fatalf("%d %s", r.StatusCode, r.Body)
		}
		if strings.Contains(r.Body, `"measures":null`) || strings.Contains(r.Body, `"history":null`) {
			t.Fatalf("lists must be [] not null: %s", r.Body)
		}
		return decodeBody[SubjectView](t, r)
	}
	v := get()
	if v.Grade != nil || v.Subject.Name != "遂县宏达旅馆有限公司" || v.Subject.CreditCode != testCode || len(v.Measures) != 0 {
		t.Fatalf("ungraded view: %+v", v)
	}
	ctx := context.Background()
	g := domain.Grade{
		SubjectID: id, Level: domain.LevelC, PolicyVersion: "2026.1", AsOf: domain.MustDate("2026-06-15"),
		NextChange: domain.MustDate("2027-06-01"), Since: domain.MustDate("2026-06-15"), Version: 1,
		Reasons: []domain.Reason{{Rule: "c.penalty_acts", Level: domain.LevelC, MessageZH: "一年内行政处罚案件3起", MessageEN: "3 penalty acts", RecordIDs: []string{env.Record.ID}}},
	}
	if err := f.mem.PutGrade(ctx, g, true); err != nil {
		t.Fatal(err)
	}
	if err := f.mem.PutTask(ctx, domain.Task{ID: "T1", SubjectID: id, Level: domain.LevelC, Status: storage.TaskOpen, DueOn: domain.MustDate("2026-06-30")}); err != nil {
		t.Fatal(err)
	}
	if err := f.mem.PutTask(ctx, domain.Task{ID: "T0", SubjectID: id, Level: domain.LevelB, Status: storage.TaskClosed}); err != nil {
		t.Fatal(err)
	}
	v = get()
	if v.Grade == nil || v.Grade.Level != domain.LevelC || v.Grade.LevelNameZH != "C级（严重失信）" || v.Grade.Reasons[0].Rule != "c.penalty_acts" ||
		v.Grade.NextChange != g.NextChange || v.Grade.PolicyVersion != "2026.1" {
		t.Fatalf("grade view: %+v", v.Grade)
	}
	if len(v.Measures) == 0 || v.Measures[0].TextZH == "" {
		t.Fatalf("C measures missing: %+v", v.Measures)
	}
	if len(v.OpenTasks) != 1 || v.OpenTasks[0].ID != "T1" {
		t.Fatalf("open tasks: %+v", v.OpenTasks)
	}
	if len(v.History) != 1 || v.History[0].Level != domain.LevelC {
		t.Fatalf("history: %+v", v.History)
	}
	if r := f.do(t, request(RouteGetSubject, clerk, nil, map[string]string{"id": testCode2}, "")); r.StatusCode != 404 {
		t.Fatalf("unknown subject: %d", r.StatusCode)
	}
	if r := f.do(t, request(RouteGetSubjectRecord, clerk, nil, map[string]string{"id": testCode2}, "")); r.StatusCode != 404 {
		t.Fatalf("unknown subject records: %d", r.StatusCode)
	}
}

func TestListSubjectsByLevelPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var ids []string
	for i := range 3 {
		code := fmt.Sprintf("91411422MA3X4Y%02d", i)
		body := set(decisionBody(), "subject.credit_code", makeCode(code))
		set(body, "document_no", fmt.Sprintf("D-%d", i))
		env := postOK(t, f, RoutePostDecision, clerk, body)
		ids = append(ids, string(env.SubjectID))
		if err := f.mem.PutGrade(ctx, domain.Grade{SubjectID: env.SubjectID, Level: domain.LevelC, Version: 1, AsOf: domain.MustDate("2026-06-15")}, false); err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(ids)
	var seen []string
	cursor := ""
	for pages := 0; ; pages++ {
		q := "level=C&limit=2"
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		r := f.do(t, request(RouteListSubjects, auditor, nil, nil, q))
		if r.StatusCode != 200 {
			t.Fatalf("%d %s", r.StatusCode, r.Body)
		}
		p := decodeBody[SubjectPage](t, r)
		for _, it := range p.Items {
			if it.Name == "" || it.LevelNameZH != "C级（严重失信）" {
				t.Fatalf("summary %+v", it)
			}
			seen = append(seen, string(it.SubjectID))
		}
		if cursor = p.NextCursor; cursor == "" || pages > 3 {
			break
		}
	}
	if strings.Join(seen, ",") != strings.Join(ids, ",") {
		t.Fatalf("pages gave %v, want %v", seen, ids)
	}
	for _, q := range []string{"level=D", "", "level=C&limit=101", "level=C&limit=0", "level=C&limit=x"} {
		if r := f.do(t, request(RouteListSubjects, auditor, nil, nil, q)); r.StatusCode != 400 {
			t.Fatalf("query %q: %d %s", q, r.StatusCode, r.Body)
		}
	}
	if r := f.do(t, request(RouteListSubjects, auditor, nil, nil, "level=C&cursor=garbage")); r.StatusCode != 400 || !strings.Contains(r.Body, "invalid_cursor") {
		t.Fatalf("bad cursor: %d %s", r.StatusCode, r.Body)
	}
}

func TestListEntryRemoval(t *testing.T) {
	f := newFixture(t)
	entry := postOK(t, f, RoutePostListEntry, office, listEntryBody())
	params := map[string]string{"id": entry.Record.ID}
	body := map[string]any{"subject_id": string(entry.SubjectID), "document_no": "遂公红撤〔2026〕1号", "removed_on": "2026-06-10", "reason": "发生失信行为"}
	first := f.do(t, request(RoutePostRemoval, office, body, params, ""))
	if first.StatusCode != 201 {
		t.Fatalf("removal: %d %s", first.StatusCode, first.Body)
	}
	rec := decodeBody[RecordEnvelope](t, first).Record
	le := rec.ListEntry
	if le.RemovedOn != domain.MustDate("2026-06-10") || le.RemovalDoc != "遂公红撤〔2026〕1号" || le.InEffect(domain.MustDate("2026-06-10")) || !le.InEffect(domain.MustDate("2026-06-09")) {
		t.Fatalf("removal not recorded: %+v", le)
	}
	if len(rec.History) != 1 || rec.History[0].By.User != "office1" || rec.History[0].RequestID == "" || !rec.History[0].At.Equal(testNow) {
		t.Fatalf("history: %+v", rec.History)
	}
	if rec.Status != domain.StatusActive {
		t.Fatalf("status %s: a removal is a new fact, the entry is kept", rec.Status)
	}
	again := f.do(t, request(RoutePostRemoval, office, body, params, ""))
	if again.StatusCode != 200 || again.Body != first.Body {
		t.Fatalf("repeat: %d %s", again.StatusCode, again.Body)
	}
	diff := map[string]any{"subject_id": string(entry.SubjectID), "document_no": "另一文书", "removed_on": "2026-06-10", "reason": "x"}
	if r := f.do(t, request(RoutePostRemoval, office, diff, params, "")); r.StatusCode != 409 || !strings.Contains(r.Body, "already_removed") {
		t.Fatalf("different removal: %d %s", r.StatusCode, r.Body)
	}
	// A decision is not a list entry.
	dec := postOK(t, f, RoutePostDecision, clerk, decisionBody())
	if r := f.do(t, request(RoutePostRemoval, office, body, map[string]string{"id": dec.Record.ID}, "")); r.StatusCode != 409 || !strings.Contains(r.Body, "not_a_list_entry") {
		t.Fatalf("removal of a decision: %d %s", r.StatusCode, r.Body)
	}
	// Re-posting the original entry returns it, removal included.
	if r := f.do(t, request(RoutePostListEntry, office, listEntryBody(), nil, "")); r.StatusCode != 200 || !strings.Contains(r.Body, "removed_on") {
		t.Fatalf("repost: %d %s", r.StatusCode, r.Body)
	}
}

func TestEvaluationBatchConflictStoresNothing(t *testing.T) {
	f := newFixture(t)
	first := set(evaluationBody(), "items", []any{map[string]any{"subject": legalSubject(), "level": "poor"}})
	if r := f.do(t, request(RoutePostEvaluations, office, first, nil, "")); r.StatusCode != 201 {
		t.Fatalf("%d %s", r.StatusCode, r.Body)
	}
	writes := f.store.Writes()
	changed := set(evaluationBody(), "items.0.level", "good") // subject 0 now differs; subject 1 is new
	r := f.do(t, request(RoutePostEvaluations, office, changed, nil, ""))
	if r.StatusCode != 409 {
		t.Fatalf("%d %s", r.StatusCode, r.Body)
	}
	checkProblems(t, r.Body, []want{{"document_conflict", "items[0]"}})
	if f.store.Writes() != writes {
		t.Fatal("a refused batch stored items")
	}
	if _, err := f.store.GetSubject(context.Background(), domain.SubjectID(testCode2)); !errors.Is(err, storage.ErrNotFound) {
		t.Fatal("the new item's subject was stored")
	}
}

// failingStore fails every call with err.
type failingStore struct {
	Store
	err error
}

func (s failingStore) GetSubject(context.Context, domain.SubjectID) (domain.Subject, error) {
	return domain.Subject{}, s.err
}

func TestStorageErrorsMapInOnePlace(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"unavailable", fmt.Errorf("dynamo: %w", storage.ErrUnavailable), 503, "service_unavailable"},
		{"not found", storage.ErrNotFound, 404, "not_found"},
		{"anything else", errors.New("secret internal detail"), 500, "internal_error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixtureWith(t, failingStore{Store: storage.NewMemory(), err: tc.err})
			r := f.do(t, request(RouteGetSubject, auditor, nil, map[string]string{"id": testCode}, ""))
			if r.StatusCode != tc.status || !strings.Contains(r.Body, `"code":"`+tc.code+`"`) {
				t.Fatalf("%d %s", r.StatusCode, r.Body)
			}
			if strings.Contains(r.Body, "secret") {
				t.Fatal("internal error text leaked")
			}
			if tc.status == 503 && r.Headers["Retry-After"] == "" {
				t.Fatal("503 without Retry-After")
			}
			if tc.status == 500 && !strings.Contains(f.logs.String(), "secret internal detail") {
				t.Fatal("internal error not logged")
			}
		})
	}
}

// TestContractMatchesTemplate: the template's HttpApi routes and the
// OpenAPI document's operations are the same set, and the handler serves
// exactly the intake function's routes.
func TestContractMatchesTemplate(t *testing.T) {
	tpl, err := cfn.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := LoadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var fromTemplate, intake []string
	for _, r := range tpl.HttpRoutes() {
		fromTemplate = append(fromTemplate, r.Key())
		if r.Function == "IntakeFunction" {
			intake = append(intake, r.Key())
			if !r.Auth {
				t.Errorf("%s is not behind the JWT authorizer", r.Key())
			}
		}
	}
	sort.Strings(fromTemplate)
	sort.Strings(intake)
	served := newFixture(t).h.RouteKeys()
	sort.Strings(served)
	if strings.Join(served, "\n") != strings.Join(intake, "\n") {
		t.Errorf("handler serves %v, template routes to IntakeFunction %v", served, intake)
	}
	inDoc := map[string]bool{}
	for _, k := range OpenAPIRoutes(doc) {
		inDoc[k] = true
	}
	for _, k := range fromTemplate {
		if !inDoc[k] {
			t.Errorf("template.yaml route %q is missing from openapi.yaml", k)
		}
		delete(inDoc, k)
	}
	for k := range inDoc {
		t.Errorf("openapi.yaml route %q is not in template.yaml", k)
	}
}
