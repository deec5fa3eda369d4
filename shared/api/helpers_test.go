package api

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

// The fixed test instant: 2026-06-15 10:00 in Shanghai.
var testNow = time.Date(2026, 6, 15, 2, 0, 0, 0, time.UTC)

const (
	testUnit  = "411422-PCS-01"
	otherUnit = "411422-PCS-02"
	hashKey   = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
	sealKey   = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
)

var (
	testCode  = identity.MakeCreditCode("91411422MA3X4Y5P")
	testCode2 = identity.MakeCreditCode("52411422MJ0000017"[:16])
	testIDNo  = identity.MakeResidentID("41142219900101123")
)

// countingStore records every write so tests can assert nothing was stored.
type countingStore struct {
	Store
	mu     sync.Mutex
	writes int
}

func (s *countingStore) PutRecord(ctx context.Context, subj domain.Subject, rec domain.Record) (domain.Record, bool, error) {
	s.mu.Lock()
	s.writes++
	s.mu.Unlock()
	return s.Store.PutRecord(ctx, subj, rec)
}

func (s *countingStore) UpdateRecord(ctx context.Context, subject domain.SubjectID, id string, st domain.Status, m func(*domain.Record) error) (domain.Record, error) {
	s.mu.Lock()
	s.writes++
	s.mu.Unlock()
	return s.Store.UpdateRecord(ctx, subject, id, st, m)
}

func (s *countingStore) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

type fixture struct {
	h     *Handler
	mem   *storage.Memory
	store *countingStore
	ids   *identity.Hasher
	logs  *bytes.Buffer
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureWith(t, storage.NewMemory())
}

func newFixtureWith(t testing.TB, backing Store) *fixture {
	t.Helper()
	ids, err := identity.NewHasherHex(hashKey)
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := identity.NewLocalSealerHex(sealKey)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{ids: ids, logs: &bytes.Buffer{}}
	f.mem, _ = backing.(*storage.Memory)
	f.store = &countingStore{Store: backing}
	f.h, err = New(Config{
		Store:       f.store,
		Clock:       domain.FixedClock{T: testNow},
		Policy:      policy.MustDefault(),
		CreditCodes: identity.CreditCodeValidator{},
		SubjectIDs:  ids,
		Sealer:      sealer,
		Logger:      slog.New(slog.NewJSONHandler(&lockedWriter{w: f.logs}, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func claims(role, unit, user string) map[string]string {
	return map[string]string{ClaimRole: role, ClaimUnit: unit, ClaimSub: "sub-" + user, ClaimUsername: user}
}

var (
	clerk   = claims(RoleClerk, testUnit, "clerk1")
	office  = claims(RoleOffice, "411422-OFFICE", "office1")
	auditor = claims(RoleAuditor, "411422-AUDIT", "auditor1")
)

// request builds a payload 2.0 event for routeKey. body may be a string
// (sent as is) or any value (marshalled). Path parameters are filled from
// params; query is a raw query string.
func request(routeKey string, cl map[string]string, body any, params map[string]string, query string) events.APIGatewayV2HTTPRequest {
	req := events.APIGatewayV2HTTPRequest{
		RouteKey:       routeKey,
		RawQueryString: query,
		PathParameters: params,
		Headers:        map[string]string{"content-type": "application/json"},
	}
	req.RequestContext.RequestID = "req-" + strconv.Itoa(int(time.Now().UnixNano()%1e6))
	if cl != nil {
		req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: cl},
		}
	}
	switch b := body.(type) {
	case nil:
	case string:
		req.Body = b
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			panic(err)
		}
		req.Body = string(raw)
	}
	return req
}

func (f *fixture) do(t testing.TB, req events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := f.h.Handle(context.Background(), req)
	if err != nil {
		t.Fatalf("Handle returned an error: %v", err)
	}
	return resp
}

func decodeBody[T any](t testing.TB, resp events.APIGatewayV2HTTPResponse) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
		t.Fatalf("decode %q: %v", resp.Body, err)
	}
	return v
}

// Valid bodies, as generic maps so cases can change one field.

func legalSubject() map[string]any {
	return map[string]any{"type": "legal_person", "name": "遂县宏达旅馆有限公司", "credit_code": testCode}
}

func naturalSubject() map[string]any {
	return map[string]any{"type": "natural_person", "name": "张三", "id_number": testIDNo}
}

func decisionBody() map[string]any {
	return map[string]any{
		"document_no":   "遂公（治）决字〔2026〕101号",
		"decision_date": "2026-06-01",
		"subject":       legalSubject(),
		"acts": []any{
			map[string]any{
				"facts":       "未按规定登记住宿旅客信息",
				"legal_basis": "《旅馆业治安管理办法》第六条",
				"sanctions": []any{
					map[string]any{"kind": "warning"},
					map[string]any{"kind": "fine", "amount_fen": 200000},
				},
			},
		},
	}
}

func violationBody() map[string]any {
	return map[string]any{
		"document_no": "承诺〔2026〕7号", "violation_date": "2026-05-20", "subject": legalSubject(),
		"commitment": "特种行业许可告知承诺书", "description": "承诺的消防条件未落实",
	}
}

func listEntryBody() map[string]any {
	return map[string]any{
		"document_no": "遂公红〔2026〕1号", "list": "red", "authority": "遂县公安局",
		"valid_from": "2026-01-01", "valid_until": "2026-12-31", "subject": legalSubject(),
	}
}

func evaluationBody() map[string]any {
	return map[string]any{
		"batch": "2026年第1批", "evaluation_date": "2026-06-01",
		"items": []any{
			map[string]any{"subject": legalSubject(), "level": "poor"},
			map[string]any{"subject": map[string]any{"type": "organization", "name": "遂县志愿者协会", "credit_code": testCode2}, "level": "good"},
		},
	}
}

func observationBody() map[string]any {
	return map[string]any{
		"kind": "inspection", "document_no": "检〔2026〕33号", "date": "2026-06-10",
		"subject": legalSubject(), "result": "合格", "details": "消防通道畅通",
	}
}

// set changes the value at a dotted path ("acts.0.sanctions.1.amount_fen");
// a nil value with del removes the key.
func set(m map[string]any, path string, v any) map[string]any {
	setPath(m, strings.Split(path, "."), v, false)
	return m
}

func del(m map[string]any, path string) map[string]any {
	setPath(m, strings.Split(path, "."), nil, true)
	return m
}

func setPath(cur any, parts []string, v any, remove bool) {
	for i, p := range parts {
		last := i == len(parts)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				if remove {
					delete(c, p)
				} else {
					c[p] = v
				}
				return
			}
			cur = c[p]
		case []any:
			n, err := strconv.Atoi(p)
			if err != nil {
				panic(p)
			}
			if last {
				c[n] = v
				return
			}
			cur = c[n]
		default:
			panic("setPath: " + strings.Join(parts, "."))
		}
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func eventsResp(body string) events.APIGatewayV2HTTPResponse {
	return events.APIGatewayV2HTTPResponse{Body: body}
}

// postOK posts a valid body and expects 201.
func postOK(t testing.TB, f *fixture, route string, cl map[string]string, body any) RecordEnvelope {
	t.Helper()
	resp := f.do(t, request(route, cl, body, nil, ""))
	if resp.StatusCode != 201 {
		t.Fatalf("%s: status %d: %s", route, resp.StatusCode, resp.Body)
	}
	return decodeBody[RecordEnvelope](t, resp)
}

func getRecord(t testing.TB, f *fixture, subject domain.SubjectID, id string) domain.Record {
	t.Helper()
	resp := f.do(t, request(RouteGetRecord, auditor, nil, map[string]string{"id": id}, "subject="+string(subject)))
	if resp.StatusCode != 200 {
		t.Fatalf("GET record: status %d: %s", resp.StatusCode, resp.Body)
	}
	return decodeBody[RecordEnvelope](t, resp).Record
}

// makeCode completes 16 characters into a valid credit code.
func makeCode(first16 string) string { return identity.MakeCreditCode(first16) }
