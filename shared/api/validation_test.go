package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
	"github.com/suixian-psb/credit/shared/storage"
)

type want struct{ code, field string }

// TestValidationRules posts one bad input per rule and checks the status,
// every problem of the error body (code, field, both messages), that the
// first problem is in "error", that no resident ID number is echoed, and
// that nothing was stored.
func TestValidationRules(t *testing.T) {
	badCheck := testCode[:17] + string(otherChar(testCode[17]))
	badOrg := identity.MakeCreditCode("91411422MA3X4Y5P")[:16] + string(otherChar(testCode[16])) + testCode[17:]
	badIDCheck := testIDNo[:17] + string(otherDigit(testIDNo[17]))
	badBirth := identity.MakeResidentID("41142219900230123") // 30 February
	long := func(n int) string { return strings.Repeat("字", n) }

	cases := []struct {
		name   string
		route  string
		cl     map[string]string
		body   any
		status int
		want   []want
	}{
		// Decisions: fields, dates, subject, acts, sanctions.
		{"decision without document number", RoutePostDecision, clerk, del(decisionBody(), "document_no"), 400, []want{{"missing_field", "document_no"}}},
		{"decision with blank document number", RoutePostDecision, clerk, set(decisionBody(), "document_no", "   "), 400, []want{{"missing_field", "document_no"}}},
		{"document number too long", RoutePostDecision, clerk, set(decisionBody(), "document_no", long(101)), 400, []want{{"too_long", "document_no"}}},
		{"document number with control character", RoutePostDecision, clerk, set(decisionBody(), "document_no", "A\u0007B"), 400, []want{{"invalid_text", "document_no"}}},
		{"decision date missing", RoutePostDecision, clerk, del(decisionBody(), "decision_date"), 400, []want{{"missing_field", "decision_date"}}},
		{"decision date not a calendar date", RoutePostDecision, clerk, set(decisionBody(), "decision_date", "2026-02-29"), 400, []want{{"invalid_date", "decision_date"}}},
		{"decision date wrong format", RoutePostDecision, clerk, set(decisionBody(), "decision_date", "2026/06/01"), 400, []want{{"invalid_date", "decision_date"}}},
		{"decision date before 1949", RoutePostDecision, clerk, set(decisionBody(), "decision_date", "0202-06-01"), 400, []want{{"invalid_date", "decision_date"}}},
		{"decision date in the future", RoutePostDecision, clerk, set(decisionBody(), "decision_date", "2026-06-16"), 400, []want{{"future_date", "decision_date"}}},
		{"subject missing", RoutePostDecision, clerk, del(decisionBody(), "subject"), 400, []want{{"missing_field", "subject"}}},
		{"subject type not in the closed set", RoutePostDecision, clerk, set(decisionBody(), "subject.type", "company"), 400, []want{{"invalid_value", "subject.type"}}},
		{"subject name missing", RoutePostDecision, clerk, set(decisionBody(), "subject.name", ""), 400, []want{{"missing_field", "subject.name"}}},
		{"subject name blank", RoutePostDecision, clerk, set(decisionBody(), "subject.name", "  "), 400, []want{{"missing_subject_name", "subject.name"}}},
		{"credit code missing", RoutePostDecision, clerk, del(decisionBody(), "subject.credit_code"), 400, []want{{"missing_credit_code", "subject.credit_code"}}},
		{"credit code wrong length", RoutePostDecision, clerk, set(decisionBody(), "subject.credit_code", testCode[:17]), 400, []want{{"invalid_credit_code_length", "subject.credit_code"}}},
		{"credit code forbidden letter", RoutePostDecision, clerk, set(decisionBody(), "subject.credit_code", "I"+testCode[1:]), 400, []want{{"invalid_credit_code_charset", "subject.credit_code"}}},
		{"credit code check character", RoutePostDecision, clerk, set(decisionBody(), "subject.credit_code", badCheck), 400, []want{{"invalid_credit_code_check", "subject.credit_code"}}},
		{"credit code organisation check", RoutePostDecision, clerk, set(decisionBody(), "subject.credit_code", badOrg), 400, []want{{"invalid_credit_code_org_check", "subject.credit_code"}}},
		{"legal person with an ID number", RoutePostDecision, clerk, set(decisionBody(), "subject.id_number", testIDNo), 400, []want{{"unexpected_identifier", "subject.id_number"}}},
		{"natural person ID check character", RoutePostDecision, clerk, set(decisionBody(), "subject", set(naturalSubject(), "id_number", badIDCheck)), 400, []want{{"invalid_id_number_checksum", "subject.id_number"}}},
		{"natural person ID birth date", RoutePostDecision, clerk, set(decisionBody(), "subject", set(naturalSubject(), "id_number", badBirth)), 400, []want{{"invalid_id_number_birth_date", "subject.id_number"}}},
		{"natural person ID wrong length", RoutePostDecision, clerk, set(decisionBody(), "subject", set(naturalSubject(), "id_number", testIDNo[:15])), 400, []want{{"invalid_id_number_length", "subject.id_number"}}},
		{"natural person validated by type, not by trying a credit code", RoutePostDecision, clerk, set(decisionBody(), "subject", map[string]any{"type": "natural_person", "name": "张三", "credit_code": testCode}), 400, []want{{"unexpected_identifier", "subject.credit_code"}, {"missing_id_number", "subject.id_number"}}},
		{"natural person with both identifiers", RoutePostDecision, clerk, set(decisionBody(), "subject", set(naturalSubject(), "other_document", map[string]any{"kind": "passport", "number": "E12345678"})), 400, []want{{"conflicting_identifiers", "subject.other_document"}}},
		{"other document of unknown kind", RoutePostDecision, clerk, set(decisionBody(), "subject", map[string]any{"type": "natural_person", "name": "John", "other_document": map[string]any{"kind": "library_card", "number": "E12345678"}}), 400, []want{{"invalid_value", "subject.other_document.kind"}}},
		{"other document number malformed", RoutePostDecision, clerk, set(decisionBody(), "subject", map[string]any{"type": "natural_person", "name": "John", "other_document": map[string]any{"kind": "passport", "number": "E1"}}), 400, []want{{"invalid_document_number", "subject.other_document.number"}}},
		{"no acts", RoutePostDecision, clerk, set(decisionBody(), "acts", []any{}), 400, []want{{"missing_items", "acts"}}},
		{"act without facts", RoutePostDecision, clerk, del(decisionBody(), "acts.0.facts"), 400, []want{{"missing_field", "acts[0].facts"}}},
		{"act facts too long", RoutePostDecision, clerk, set(decisionBody(), "acts.0.facts", long(MaxFacts+1)), 400, []want{{"too_long", "acts[0].facts"}}},
		{"act without legal basis", RoutePostDecision, clerk, set(decisionBody(), "acts.0.legal_basis", " "), 400, []want{{"missing_field", "acts[0].legal_basis"}}},
		{"act without sanctions", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions", []any{}), 400, []want{{"missing_items", "acts[0].sanctions"}}},
		{"sanction kind not in the closed set", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions.0.kind", "flogging"), 400, []want{{"invalid_value", "acts[0].sanctions[0].kind"}}},
		{"fine without amount", RoutePostDecision, clerk, del(decisionBody(), "acts.0.sanctions.1.amount_fen"), 400, []want{{"amount_required", "acts[0].sanctions[1].amount_fen"}}},
		{"confiscation without amount", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions.1", map[string]any{"kind": "confiscation"}), 400, []want{{"amount_required", "acts[0].sanctions[1].amount_fen"}}},
		{"fine amount with a fraction", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions.1.amount_fen", 100.5), 400, []want{{"invalid_type", "acts[0].sanctions[1].amount_fen"}}},
		{"fine amount as a string", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions.1.amount_fen", "100"), 400, []want{{"invalid_type", "acts[0].sanctions[1].amount_fen"}}},
		{"fine amount with an exponent", RoutePostDecision, clerk, strings.Replace(mustJSON(decisionBody()), `"amount_fen":200000`, `"amount_fen":2e5`, 1), 400, []want{{"invalid_type", "acts[0].sanctions[1].amount_fen"}}},
		{"fine amount negative", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions.1.amount_fen", -1), 400, []want{{"out_of_range", "acts[0].sanctions[1].amount_fen"}}},
		{"fine amount zero", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions.1.amount_fen", 0), 400, []want{{"invalid_amount", "acts[0].sanctions[1].amount_fen"}}},
		{"fine amount beyond the bound", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions.1.amount_fen", MaxAmountFen+1), 400, []want{{"out_of_range", "acts[0].sanctions[1].amount_fen"}}},
		{"warning with an amount", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions.0.amount_fen", 100), 400, []want{{"amount_not_applicable", "acts[0].sanctions[0].amount_fen"}}},
		{"licence suspension without licence", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions.0", map[string]any{"kind": "licence_suspension"}), 400, []want{{"licence_required", "acts[0].sanctions[0].licence_name"}, {"licence_required", "acts[0].sanctions[0].licence_number"}}},
		{"licence revocation without number", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions.0", map[string]any{"kind": "licence_revocation", "licence_name": "特种行业许可证"}), 400, []want{{"licence_required", "acts[0].sanctions[0].licence_number"}}},
		{"warning naming a licence", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions.0.licence_name", "特种行业许可证"), 400, []want{{"licence_not_applicable", "acts[0].sanctions[0].licence_name"}}},
		{"detention of a legal person", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions.0", map[string]any{"kind": "detention"}), 400, []want{{"detention_not_natural_person", "acts[0].sanctions[0].kind"}}},
		{"detention days on a warning", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions.0.detention_days", 5), 400, []want{{"invalid_detention_days", "acts[0].sanctions[0].detention_days"}}},
		{"unknown field", RoutePostDecision, clerk, set(decisionBody(), "grade", "C"), 400, []want{{"unknown_field", "grade"}}},
		{"unknown nested field", RoutePostDecision, clerk, set(decisionBody(), "acts.0.sanctions.0.note", "x"), 400, []want{{"unknown_field", "acts[0].sanctions[0].note"}}},
		{"unit malformed (office)", RoutePostDecision, office, set(decisionBody(), "unit", "PCS 01!"), 400, []want{{"invalid_unit", "unit"}}},
		{"every problem at once", RoutePostDecision, clerk, set(set(del(decisionBody(), "document_no"), "decision_date", "2026-07-01"), "subject.credit_code", badCheck), 400,
			[]want{{"missing_field", "document_no"}, {"future_date", "decision_date"}, {"invalid_credit_code_check", "subject.credit_code"}}},

		// Bodies that are not requests at all.
		{"body too large", RoutePostDecision, clerk, set(decisionBody(), "acts.0.facts", strings.Repeat("x", MaxBodyBytes)), 413, []want{{"payload_too_large", ""}}},
		{"body not JSON", RoutePostDecision, clerk, `{"document_no": `, 400, []want{{"invalid_json", ""}}},
		{"body empty", RoutePostDecision, clerk, "", 400, []want{{"missing_body", ""}}},
		{"body an array", RoutePostDecision, clerk, `[]`, 400, []want{{"invalid_type", ""}}},
		{"trailing data", RoutePostDecision, clerk, mustJSON(decisionBody()) + " {}", 400, []want{{"invalid_json", ""}}},

		// Commitment violations.
		{"violation without commitment", RoutePostViolation, clerk, del(violationBody(), "commitment"), 400, []want{{"missing_field", "commitment"}}},
		{"violation description too long", RoutePostViolation, clerk, set(violationBody(), "description", long(MaxDescription+1)), 400, []want{{"too_long", "description"}}},
		{"violation date in the future", RoutePostViolation, clerk, set(violationBody(), "violation_date", "2027-01-01"), 400, []want{{"future_date", "violation_date"}}},

		// List entries.
		{"list kind not in the closed set", RoutePostListEntry, office, set(listEntryBody(), "list", "grey"), 400, []want{{"invalid_value", "list"}}},
		{"list entry without start", RoutePostListEntry, office, del(listEntryBody(), "valid_from"), 400, []want{{"missing_field", "valid_from"}}},
		{"list entry ends before it starts", RoutePostListEntry, office, set(listEntryBody(), "valid_until", "2025-12-31"), 400, []want{{"invalid_period", "valid_until"}}},
		{"list entry end not a date", RoutePostListEntry, office, set(listEntryBody(), "valid_until", "2026-13-01"), 400, []want{{"invalid_date", "valid_until"}}},
		{"list entry starting in the future", RoutePostListEntry, office, set(listEntryBody(), "valid_from", "2026-07-01"), 400, []want{{"future_date", "valid_from"}}},
		{"list authority too long", RoutePostListEntry, office, set(listEntryBody(), "authority", long(MaxAuthority+1)), 400, []want{{"too_long", "authority"}}},

		// Evaluations.
		{"evaluation batch without items", RoutePostEvaluations, office, set(evaluationBody(), "items", []any{}), 400, []want{{"missing_items", "items"}}},
		{"evaluation level not in the closed set", RoutePostEvaluations, office, set(evaluationBody(), "items.1.level", "bad"), 400, []want{{"invalid_value", "items[1].level"}}},
		{"evaluation item with bad credit code", RoutePostEvaluations, office, set(evaluationBody(), "items.1.subject.credit_code", badCheck), 400, []want{{"invalid_credit_code_check", "items[1].subject.credit_code"}}},
		{"evaluation subject twice in a batch", RoutePostEvaluations, office, set(evaluationBody(), "items.1.subject", legalSubject()), 400, []want{{"duplicate_item", "items[1].subject"}}},
		{"evaluation without date", RoutePostEvaluations, office, del(evaluationBody(), "evaluation_date"), 400, []want{{"missing_field", "evaluation_date"}}},

		// Observations.
		{"observation kind not in the closed set", RoutePostObservation, clerk, set(observationBody(), "kind", "decision"), 400, []want{{"invalid_value", "kind"}}},
		{"observation without result", RoutePostObservation, clerk, del(observationBody(), "result"), 400, []want{{"missing_field", "result"}}},
		{"observation date in the future", RoutePostObservation, clerk, set(observationBody(), "date", "2026-06-16"), 400, []want{{"future_date", "date"}}},
		{"observation details too long", RoutePostObservation, clerk, set(observationBody(), "details", long(MaxDetails+1)), 400, []want{{"too_long", "details"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			resp := f.do(t, request(tc.route, tc.cl, tc.body, nil, ""))
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, resp.Body)
			}
			checkProblems(t, resp.Body, tc.want)
			if strings.Contains(resp.Body, testIDNo) || strings.Contains(resp.Body, badIDCheck) || strings.Contains(resp.Body, badBirth) ||
				strings.Contains(f.logs.String(), testIDNo[:17]) || strings.Contains(f.logs.String(), badBirth[:17]) {
				t.Fatalf("a resident ID number was echoed in the response or the log")
			}
			assertNothingStored(t, f)
		})
	}
}

// checkProblems compares the error body with the expected problems, in any
// order, and checks the body's shape.
func checkProblems(t *testing.T, body string, wants []want) {
	t.Helper()
	eb := decodeBody[ErrorBody](t, eventsResp(body))
	if len(eb.Errors) == 0 || eb.Error != eb.Errors[0] {
		t.Fatalf("error must be the first of errors: %s", body)
	}
	got := map[want]bool{}
	for _, p := range eb.Errors {
		if p.MessageZH == "" || p.MessageEN == "" || p.Code == "" {
			t.Errorf("problem without code or messages: %+v", p)
		}
		got[want{p.Code, p.Field}] = true
	}
	for _, w := range wants {
		if !got[w] {
			t.Errorf("missing problem %+v in %s", w, body)
		}
	}
	if len(eb.Errors) != len(wants) {
		t.Errorf("got %d problems, want %d: %s", len(eb.Errors), len(wants), body)
	}
}

// assertNothingStored: no write reached the store and no known document or
// subject exists.
func assertNothingStored(t *testing.T, f *fixture) {
	t.Helper()
	if n := f.store.Writes(); n != 0 {
		t.Fatalf("%d writes reached the store", n)
	}
	ctx := context.Background()
	for _, id := range []domain.SubjectID{domain.SubjectID(testCode), domain.SubjectID(testCode2)} {
		if _, err := f.store.GetSubject(ctx, id); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("subject %s exists (err %v)", id, err)
		}
	}
	np, _ := f.ids.SubjectIDFor(domain.SubjectRef{Type: domain.NaturalPerson, IDNumber: testIDNo})
	if _, err := f.store.GetSubject(ctx, np); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("natural person exists (err %v)", err)
	}
}

func TestRemovalValidation(t *testing.T) {
	f := newFixture(t)
	entry := postOK(t, f, RoutePostListEntry, office, listEntryBody())
	base := func() map[string]any {
		return map[string]any{"subject_id": string(entry.SubjectID), "document_no": "遂公红撤〔2026〕1号", "removed_on": "2026-06-01", "reason": "主动申请"}
	}
	cases := []struct {
		name   string
		body   map[string]any
		status int
		want   []want
	}{
		{"without reason", del(base(), "reason"), 400, []want{{"missing_field", "reason"}}},
		{"without document number", del(base(), "document_no"), 400, []want{{"missing_field", "document_no"}}},
		{"removal date in the future", set(base(), "removed_on", "2026-06-16"), 400, []want{{"future_date", "removed_on"}}},
		{"removal date before the entry starts", set(base(), "removed_on", "2025-12-31"), 400, []want{{"removal_before_start", "removed_on"}}},
		{"subject id malformed", set(base(), "subject_id", "x"), 400, []want{{"invalid_subject_id", "subject_id"}}},
		{"unknown subject", set(base(), "subject_id", testCode2), 404, []want{{"not_found", ""}}},
	}
	before := f.store.Writes()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.do(t, request(RoutePostRemoval, office, tc.body, map[string]string{"id": entry.Record.ID}, ""))
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, resp.Body)
			}
			checkProblems(t, resp.Body, tc.want)
			if f.store.Writes() != before {
				t.Fatal("a refused removal wrote to the store")
			}
			got := getRecord(t, f, entry.SubjectID, entry.Record.ID)
			if !got.ListEntry.RemovedOn.IsZero() || len(got.History) != 0 {
				t.Fatalf("entry changed: %+v", got.ListEntry)
			}
		})
	}
}

func TestMediaTypeMustBeJSON(t *testing.T) {
	f := newFixture(t)
	req := request(RoutePostDecision, clerk, decisionBody(), nil, "")
	req.Headers = map[string]string{"Content-Type": "text/plain"}
	resp := f.do(t, req)
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Fatalf("status %d: %s", resp.StatusCode, resp.Body)
	}
	checkProblems(t, resp.Body, []want{{"unsupported_media_type", ""}})
	assertNothingStored(t, f)
}

func otherChar(c byte) byte {
	if c == '0' {
		return '1'
	}
	return '0'
}

func otherDigit(c byte) byte {
	if c == '3' {
		return '4'
	}
	return '3'
}
