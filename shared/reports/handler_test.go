package reports

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/identity"
)

func validBody() map[string]any {
	return map[string]any{
		"target":      map[string]any{"name": "某某娱乐有限公司", "credit_code": identity.MakeCreditCode("91411422MA4000AB")},
		"description": "该场所长期无证经营。",
	}
}

func TestPostReportValidation(t *testing.T) {
	long := func(n int) string { return strings.Repeat("字", n) }
	tests := []struct {
		name       string
		body       any
		wantStatus int
		wantCode   string
		wantField  string
	}{
		{"valid, anonymous", validBody(), 201, "", ""},
		{"valid, with reporter", with(validBody(), "reporter", map[string]any{"name": "张三", "contact": "13800138000"}), 201, "", ""},
		{"no credit code is fine", with(validBody(), "target", map[string]any{"name": "路边摊"}), 201, "", ""},
		{"missing target name", with(validBody(), "target", map[string]any{"name": "  "}), 400, "missing_target_name", "target.name"},
		{"bad credit code check", with(validBody(), "target", map[string]any{"name": "x", "credit_code": "91411422MA4000AB0X"}), 400, "", "target.credit_code"},
		{"missing description", with(validBody(), "description", ""), 400, "missing_description", "description"},
		{"description too long", with(validBody(), "description", long(MaxDescription+1)), 400, "too_long", "description"},
		{"description at the bound", with(validBody(), "description", long(MaxDescription)), 201, "", ""},
		{"reporter name too long", with(validBody(), "reporter", map[string]any{"name": long(MaxReporterName + 1)}), 400, "too_long", "reporter.name"},
		{"control character", with(validBody(), "target", map[string]any{"name": "a\x07b"}), 400, "invalid_characters", "target.name"},
		{"unknown field", with(validBody(), "ip", "1.2.3.4"), 400, "unknown_field", "ip"},
		{"wrong type", with(validBody(), "description", 5), 400, "invalid_type", "description"},
		{"not json", "{", 400, "invalid_json", ""},
		{"empty", "", 400, "missing_body", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, NewMemory(), 100)
			resp := f.do(t, request(RoutePostReport, nil, nil, tc.body, "", "198.51.100.7"))
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.wantStatus, resp.Body)
			}
			if tc.wantStatus == 201 {
				c := decodeResp[Created](t, resp)
				if !regexp.MustCompile(`^JB-[A-Z2-7]{10}$`).MatchString(c.Receipt) || c.Status != StatusReceived || !c.ReceivedAt.Equal(f.clock.Now()) {
					t.Errorf("created %+v", c)
				}
				return
			}
			b := decodeResp[api.ErrorBody](t, resp)
			if tc.wantCode != "" && b.Error.Code != tc.wantCode {
				t.Errorf("code %q, want %q", b.Error.Code, tc.wantCode)
			}
			if b.Error.Field != tc.wantField || b.Error.MessageZH == "" || b.Error.MessageEN == "" {
				t.Errorf("problem %+v, want field %q", b.Error, tc.wantField)
			}
		})
	}
}

func with(m map[string]any, k string, v any) map[string]any { m[k] = v; return m }

func TestStoredReportIsNormalisedAndSealed(t *testing.T) {
	mem := NewMemory()
	f := newFixture(t, mem, 100)
	code := identity.MakeCreditCode("91411422MA4000AB")
	body := with(validBody(), "reporter", map[string]any{"name": " 张三 ", "contact": "13800138000"})
	body["target"] = map[string]any{"name": "某公司", "credit_code": strings.ToLower(code)}
	c := decodeResp[Created](t, f.do(t, request(RoutePostReport, nil, nil, body, "", "198.51.100.7")))
	r, err := mem.GetReport(context.Background(), c.Receipt)
	if err != nil {
		t.Fatal(err)
	}
	if r.Target.CreditCode != code || !r.HasIdentity || len(r.SealedIdentity) == 0 {
		t.Errorf("stored %+v", r)
	}
	if strings.Contains(string(r.SealedIdentity), "13800138000") {
		t.Error("identity stored in clear")
	}
	// Sealed for its purpose: it does not open as a subject identity.
	s, _ := identity.NewLocalSealerHex(testSealKey)
	if _, err := s.Open(context.Background(), r.SealedIdentity, identity.PurposeSubjectIdentity); err == nil {
		t.Error("a reporter identity opened under another purpose")
	}
}

func TestRolesOfOfficeRoutes(t *testing.T) {
	f := newFixture(t, NewMemory(), 100)
	body := with(validBody(), "reporter", map[string]any{"name": "张三"})
	c := decodeResp[Created](t, f.do(t, request(RoutePostReport, nil, nil, body, "", "198.51.100.7")))
	p := map[string]string{"receipt": c.Receipt}
	reason := map[string]any{"reason": "需联系举报人核实线索"}
	tests := []struct {
		name   string
		route  string
		body   any
		role   string
		status int
	}{
		{"list: office", RouteListReports, nil, "office", 200},
		{"list: auditor", RouteListReports, nil, "auditor", 200},
		{"list: clerk", RouteListReports, nil, "clerk", 403},
		{"list: no token", RouteListReports, nil, "", 401},
		{"reveal: auditor", RouteReveal, reason, "auditor", 403},
		{"reveal: clerk", RouteReveal, reason, "clerk", 403},
		{"reveal: no token", RouteReveal, reason, "", 401},
		{"reveal: office without reason", RouteReveal, map[string]any{"reason": " "}, "office", 400},
		{"reveal: office", RouteReveal, reason, "office", 200},
		{"audit: auditor", RouteRevealAudits, nil, "auditor", 200},
		{"audit: clerk", RouteRevealAudits, nil, "clerk", 403},
		{"status: auditor", RouteSetStatus, map[string]any{"status": "under_review"}, "auditor", 403},
		{"status: office", RouteSetStatus, map[string]any{"status": "under_review"}, "office", 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			params := p
			if tc.route == RouteListReports {
				params = nil
			}
			resp := f.do(t, request(tc.route, params, nil, tc.body, tc.role, ""))
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tc.status, resp.Body)
			}
		})
	}
	// Only the one successful reveal was audited.
	rv, _ := f.store.ListReveals(context.Background(), c.Receipt)
	if len(rv) != 1 || rv[0].By.Role != "office" || rv[0].Reason != "需联系举报人核实线索" {
		t.Errorf("reveals %+v", rv)
	}
}

func TestStatusMovesForwardAndShowsPublicOutcome(t *testing.T) {
	f := newFixture(t, NewMemory(), 100)
	c := decodeResp[Created](t, f.do(t, request(RoutePostReport, nil, nil, validBody(), "", "198.51.100.7")))
	p := map[string]string{"receipt": c.Receipt}
	steps := []struct {
		name   string
		body   map[string]any
		status int
		code   string
	}{
		{"close without outcome", map[string]any{"status": "closed"}, 400, "missing_outcome"},
		{"outcome too early", map[string]any{"status": "under_review", "outcome": "referred"}, 400, "unexpected_outcome"},
		{"unknown status", map[string]any{"status": "done"}, 400, "invalid_status"},
		{"review", map[string]any{"status": "under_review"}, 200, ""},
		{"back to received", map[string]any{"status": "received"}, 409, "invalid_transition"},
		{"close", map[string]any{"status": "closed", "outcome": "substantiated"}, 200, ""},
		{"close again", map[string]any{"status": "closed", "outcome": "referred"}, 409, "invalid_transition"},
	}
	for _, st := range steps {
		f.clock.Add(time.Hour)
		resp := f.do(t, request(RouteSetStatus, p, nil, st.body, "office", ""))
		if resp.StatusCode != st.status {
			t.Fatalf("%s: status %d, want %d: %s", st.name, resp.StatusCode, st.status, resp.Body)
		}
		if st.code != "" && errorCode(t, resp) != st.code {
			t.Errorf("%s: %s", st.name, resp.Body)
		}
	}
	ps := decodeResp[PublicStatus](t, f.do(t, request(RouteReportStatus, p, nil, nil, "", "198.51.100.7")))
	if ps.Status != StatusClosed || ps.Outcome != OutcomeSubstantiated || ps.OutcomeZH == "" || !ps.UpdatedAt.After(ps.ReceivedAt) {
		t.Errorf("public status %+v", ps)
	}
	// Public status of an unknown or malformed receipt: 404 alike.
	for _, r := range []string{"JB-AAAAAAAAAA", "JB-1", "REPORT#x"} {
		resp := f.do(t, request(RouteReportStatus, map[string]string{"receipt": r}, nil, nil, "", "198.51.100.7"))
		if resp.StatusCode != 404 || errorCode(t, resp) != "not_found" {
			t.Errorf("%s: %d %s", r, resp.StatusCode, resp.Body)
		}
	}
}

func TestListScrubsAndPages(t *testing.T) {
	f := newFixture(t, NewMemory(), 100)
	for i := 0; i < 3; i++ {
		f.clock.Add(time.Minute)
		b := validBody()
		b["description"] = "老板电话13912345678，身份证110101199003074578。"
		f.do(t, request(RoutePostReport, nil, nil, b, "", "198.51.100.7"))
	}
	page := decodeResp[ReportPage](t, f.do(t, request(RouteListReports, nil, map[string]string{"limit": "2"}, nil, "office", "")))
	if len(page.Items) != 2 || page.NextCursor == "" {
		t.Fatalf("page %+v", page)
	}
	for _, it := range page.Items {
		if strings.Contains(it.Description, "13912345678") || strings.Contains(it.Description, "110101199003074578") ||
			!strings.Contains(it.Description, identity.MaskPhone) || it.HasIdentity {
			t.Errorf("item %+v", it)
		}
	}
	rest := decodeResp[ReportPage](t, f.do(t, request(RouteListReports, nil, map[string]string{"cursor": page.NextCursor}, nil, "auditor", "")))
	if len(rest.Items) != 1 || rest.NextCursor != "" || !rest.Items[0].ReceivedAt.After(page.Items[1].ReceivedAt) {
		t.Errorf("rest %+v", rest)
	}
	for _, q := range []map[string]string{{"limit": "0"}, {"limit": "x"}, {"status": "open"}, {"cursor": "bad!"}} {
		if resp := f.do(t, request(RouteListReports, nil, q, nil, "office", "")); resp.StatusCode != 400 {
			t.Errorf("%v: %d", q, resp.StatusCode)
		}
	}
}

func TestRateLimitPerSourceAndWindow(t *testing.T) {
	f := newFixture(t, NewMemory(), 3)
	f.clock.Add(25 * time.Second) // 02:00:35: 25 s left in the window
	post := func(ip string) int {
		return f.do(t, request(RoutePostReport, nil, nil, validBody(), "", ip)).StatusCode
	}
	for i := 0; i < 3; i++ {
		if s := post("203.0.113.9"); s != 201 {
			t.Fatalf("post %d: %d", i, s)
		}
	}
	resp := f.do(t, request(RoutePostReport, nil, nil, validBody(), "", "203.0.113.9"))
	if resp.StatusCode != http.StatusTooManyRequests || resp.Headers["Retry-After"] != "25" || errorCode(t, resp) != "rate_limited" {
		t.Errorf("4th: %d %v %s", resp.StatusCode, resp.Headers, resp.Body)
	}
	// Status lookups share the allowance.
	if s := f.do(t, request(RouteReportStatus, map[string]string{"receipt": "JB-AAAAAAAAAA"}, nil, nil, "", "203.0.113.9")).StatusCode; s != 429 {
		t.Errorf("lookup: %d", s)
	}
	if s := post("203.0.113.10"); s != 201 {
		t.Errorf("another source: %d", s)
	}
	f.clock.Add(25 * time.Second)
	if s := post("203.0.113.9"); s != 201 {
		t.Errorf("next window: %d", s)
	}
}

// failingAudit refuses to store audits: the identity must then stay sealed.
type failingAudit struct{ *Memory }

func (failingAudit) AddReveal(context.Context, Reveal) error {
	return errors.New("audit down: " + ErrUnavailable.Error()) // not wrapped: a plain failure
}

func TestNoRevealWithoutAudit(t *testing.T) {
	f := newFixture(t, failingAudit{NewMemory()}, 100)
	body := with(validBody(), "reporter", map[string]any{"name": "王秘密", "contact": "13700001111"})
	c := decodeResp[Created](t, f.do(t, request(RoutePostReport, nil, nil, body, "", "198.51.100.7")))
	resp := f.do(t, request(RouteReveal, map[string]string{"receipt": c.Receipt}, nil, map[string]any{"reason": "核实"}, "office", ""))
	if resp.StatusCode != 500 || strings.Contains(resp.Body, "王秘密") || strings.Contains(resp.Body, "13700001111") {
		t.Errorf("reveal without audit: %d %s", resp.StatusCode, resp.Body)
	}
}

func TestRevealOfAnonymousReport(t *testing.T) {
	f := newFixture(t, NewMemory(), 100)
	c := decodeResp[Created](t, f.do(t, request(RoutePostReport, nil, nil, validBody(), "", "198.51.100.7")))
	resp := f.do(t, request(RouteReveal, map[string]string{"receipt": c.Receipt}, nil, map[string]any{"reason": "核实"}, "office", ""))
	if resp.StatusCode != 404 || errorCode(t, resp) != "no_reporter_identity" {
		t.Errorf("%d %s", resp.StatusCode, resp.Body)
	}
	if rv, _ := f.store.ListReveals(context.Background(), c.Receipt); len(rv) != 0 {
		t.Errorf("audits %v", rv)
	}
}

func TestReceipts(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		r, err := NewReceipt(nil)
		if err != nil || !ValidReceipt(r) || seen[r] {
			t.Fatalf("receipt %q %v (seen %v)", r, err, seen[r])
		}
		seen[r] = true
	}
	for _, bad := range []string{"", "JB-", "JB-AAAAAAAAA", "JB-AAAAAAAAAAA", "JB-AAAAAAAAA1", "jb-AAAAAAAAAA", "XX-AAAAAAAAAA"} {
		if ValidReceipt(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}
