package e2e

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/identity"
)

// TestDecisionIsGraded posts a handling decision over HTTP, reads it back
// and waits until the stream has regraded its subject: the path of issue 2
// through the real binaries, emulator, database and stream.
func TestDecisionIsGraded(t *testing.T) {
	requireStack(t)
	requireRunning(t, "IntakeFunction", "RegradeFunction")
	clerk := token(t, "411422-PCS-01", "clerk")

	code := identity.MakeCreditCode(fmt.Sprintf("91411422%08d", time.Now().UnixNano()%1e8))
	decision := map[string]any{
		"subject":       map[string]any{"type": "legal_person", "credit_code": code, "name": "睢县测试宾馆有限公司"},
		"document_no":   fmt.Sprintf("睢公（城关）行罚决字〔2027〕%04d号", time.Now().UnixNano()%10000),
		"decision_date": "2027-02-20", // before the stack's clock (2027-03-01)
		"acts": []any{map[string]any{
			"facts":       "2027年2月12日，该宾馆接待旅客住宿时未按规定登记住宿旅客身份信息。",
			"legal_basis": "《旅馆业治安管理办法》第六条、第十五条",
			"sanctions":   []any{map[string]any{"kind": "fine", "amount_fen": 200000}},
		}},
	}
	body, _ := json.Marshal(decision)

	if status, b := call(t, "POST", "/v1/decisions", "", body); status != 401 {
		t.Fatalf("without a token: %d %s", status, b)
	}
	status, b := call(t, "POST", "/v1/decisions", clerk, body)
	if status != 201 {
		t.Fatalf("POST /v1/decisions: %d %s", status, b)
	}
	var posted struct {
		SubjectID string `json:"subject_id"`
		Record    struct {
			ID         string `json:"id"`
			DocumentNo string `json:"document_no"`
		} `json:"record"`
	}
	if err := json.Unmarshal(b, &posted); err != nil || posted.Record.ID == "" || posted.SubjectID == "" {
		t.Fatalf("POST response %s: %v", b, err)
	}

	status, b = call(t, "GET", "/v1/records/"+url.PathEscape(posted.Record.ID)+"?subject="+url.QueryEscape(posted.SubjectID), clerk, nil)
	if status != 200 {
		t.Fatalf("GET record: %d %s", status, b)
	}
	var rec struct {
		ID, DocumentNo string `json:"-"`
	}
	var recRaw map[string]any
	_ = json.Unmarshal(b, &recRaw)
	if r, ok := recRaw["record"].(map[string]any); ok {
		recRaw = r
	}
	rec.ID, _ = recRaw["id"].(string)
	rec.DocumentNo, _ = recRaw["document_no"].(string)
	if rec.ID != posted.Record.ID || rec.DocumentNo != decision["document_no"] {
		t.Fatalf("record read back %s", b)
	}

	// The grade comes from the stream: poll, bounded.
	deadline := time.Now().Add(30 * time.Second)
	var level string
	for {
		status, b = call(t, "GET", "/v1/subjects/"+url.PathEscape(posted.SubjectID), clerk, nil)
		var subj struct {
			Grade *struct {
				Level string `json:"level"`
			} `json:"grade"`
		}
		if status == 200 && json.Unmarshal(b, &subj) == nil && subj.Grade != nil && subj.Grade.Level != "" {
			level = subj.Grade.Level
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no grade 30 s after the decision; last answer %d %s", status, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// One fine of 2,000 yuan within the year: B (rules.md).
	if level != "B" {
		t.Fatalf("grade %q, want B", level)
	}
}

// TestFrontRefusals checks the authorizer and routing answers of the
// running front.
func TestFrontRefusals(t *testing.T) {
	requireStack(t)
	cases := []struct {
		name, method, path, token string
		status                    int
		code                      string
	}{
		{"no token", "GET", "/v1/subjects", "", 401, "unauthorized"},
		{"forged token", "GET", "/v1/subjects", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", 401, "unauthorized"},
		{"unknown route", "GET", "/v1/nothing-here", token(t, "411422-PCS-01", "clerk"), 404, "not_found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, b := call(t, c.method, c.path, c.token, nil)
			var e struct {
				Error struct {
					Code      string `json:"code"`
					MessageZh string `json:"message_zh"`
					MessageEn string `json:"message_en"`
				} `json:"error"`
			}
			if status != c.status || json.Unmarshal(b, &e) != nil || e.Error.Code != c.code || e.Error.MessageZh == "" {
				t.Fatalf("%d %s", status, b)
			}
		})
	}
}
