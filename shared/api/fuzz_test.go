package api

import (
	"encoding/json"
	"testing"
)

// Fuzz targets: whatever the body, the handler answers (no panic: a panic
// would surface as a 500), never with a 5xx, always with JSON, and every
// refusal carries the error body with at least one problem.

func fuzzRoute(f *testing.F, route string, cl map[string]string, params map[string]string, seeds ...any) {
	for _, s := range seeds {
		f.Add(mustJSON(s))
	}
	f.Add(`{}`)
	f.Add(`[]`)
	f.Add(`null`)
	f.Add(`{"subject":{"type":"natural_person","name":"\u0000","id_number":"11010519491231002X"}}`)
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, body string) {
		resp := fx.do(t, request(route, cl, body, params, ""))
		checkFuzzResponse(t, resp.StatusCode, resp.Body)
	})
}

func checkFuzzResponse(t *testing.T, status int, body string) {
	t.Helper()
	if status >= 500 {
		t.Fatalf("status %d: %s", status, body)
	}
	if !json.Valid([]byte(body)) {
		t.Fatalf("response is not JSON: %q", body)
	}
	if status >= 400 {
		var eb ErrorBody
		if err := json.Unmarshal([]byte(body), &eb); err != nil || eb.Error.Code == "" || len(eb.Errors) == 0 || eb.Errors[0] != eb.Error {
			t.Fatalf("bad error body: %s", body)
		}
	}
}

func FuzzPostDecision(f *testing.F) {
	fuzzRoute(f, RoutePostDecision, clerk, nil, decisionBody(), set(decisionBody(), "subject", naturalSubject()))
}

func FuzzPostCommitmentViolation(f *testing.F) {
	fuzzRoute(f, RoutePostViolation, clerk, nil, violationBody())
}

func FuzzPostListEntry(f *testing.F) {
	fuzzRoute(f, RoutePostListEntry, office, nil, listEntryBody())
}

func FuzzPostRemoval(f *testing.F) {
	fuzzRoute(f, RoutePostRemoval, office, map[string]string{"id": "RAAAAAAAAAAAAAAAAAAAA"},
		map[string]any{"subject_id": testCode, "document_no": "撤1", "removed_on": "2026-06-01", "reason": "期满"})
}

func FuzzPostEvaluations(f *testing.F) {
	fuzzRoute(f, RoutePostEvaluations, office, nil, evaluationBody())
}

func FuzzPostObservation(f *testing.F) {
	fuzzRoute(f, RoutePostObservation, clerk, nil, observationBody())
}

// FuzzReadQueries fuzzes the query string and path parameter of the reads.
func FuzzReadQueries(f *testing.F) {
	f.Add("level=C&limit=10", testCode)
	f.Add("level=unrated&cursor=eyJtIjoieCJ9", "NPAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("subject="+testCode, "RAAAAAAAAAAAAAAAAAAAA")
	f.Add("%zz&&==", "")
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, query, id string) {
		for _, route := range []string{RouteListSubjects, RouteGetSubject, RouteGetSubjectRecord, RouteGetRecord} {
			resp := fx.do(t, request(route, auditor, nil, map[string]string{"id": id}, query))
			checkFuzzResponse(t, resp.StatusCode, resp.Body)
		}
	})
}
