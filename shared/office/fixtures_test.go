package office

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/grading"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/regrade"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

const (
	unit      = "411422-PCS-01"
	otherUnit = "411422-PCS-02"
	company   = domain.SubjectID("91411422MA00000001")
	person    = domain.SubjectID("NPTESTOPAQUEID0001")
)

var ctx = context.Background()

// testClock is a clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// setDay moves the clock to 10:00 Asia/Shanghai on day.
func (c *testClock) setDay(day string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = domain.MustDate(day).Time().Add(10 * time.Hour).UTC()
}

// fullStore is a whole store: the tests post records and grades too.
type fullStore interface {
	storage.Store
	storage.OfficeStore
}

type env struct {
	st     fullStore
	svc    *Service
	rg     *regrade.Service
	clock  *testClock
	policy *policy.Policy
}

var (
	office   = Call{Actor: domain.Actor{Unit: "411422-OFFICE", User: "office1", Role: RoleOffice}, RequestID: "req-office"}
	clerk    = Call{Actor: domain.Actor{Unit: unit, User: "clerk1", Role: RoleClerk}, RequestID: "req-clerk"}
	stranger = Call{Actor: domain.Actor{Unit: otherUnit, User: "clerk2", Role: RoleClerk}, RequestID: "req-clerk2"}
	auditor  = Call{Actor: domain.Actor{Unit: "411422-AUDIT", User: "aud", Role: RoleAuditor}, RequestID: "req-aud"}
)

// stores runs a test against Memory and, as the integration test, against
// Dynamo on DynamoDB Local (a fresh table each).
func stores(t *testing.T, run func(t *testing.T, e *env)) {
	t.Helper()
	for _, tc := range []struct {
		name string
		new  func(t *testing.T) fullStore
	}{
		{"memory", func(*testing.T) fullStore { return storage.NewMemory() }},
		{"dynamodb", func(t *testing.T) fullStore {
			client, table := testenv.NewTable(t)
			return storage.NewDynamo(client, table)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := &testClock{}
			clock.setDay("2026-06-01")
			p := policy.MustDefault()
			st := tc.new(t)
			svc, err := New(st, p, clock)
			if err != nil {
				t.Fatal(err)
			}
			run(t, &env{st: st, svc: svc, rg: regradeService(st, p, clock), clock: clock, policy: p})
		})
	}
}

// decision posts a handling decision of subject with one act of sanction
// kind k on day, by unit, and regrades the subject (as the stream would).
func (e *env) decision(t *testing.T, subj domain.SubjectID, doc, day string, k domain.SanctionKind) domain.Record {
	t.Helper()
	s := domain.Sanction{Kind: k}
	if k == domain.SanctionFine {
		s.AmountFen = 100000
	}
	r := domain.Record{
		Kind: domain.KindDecision, SubjectID: subj, Unit: unit, DocumentNo: doc,
		EffectiveDate: domain.MustDate(day), Status: domain.StatusActive,
		Decision:  &domain.Decision{Acts: []domain.Act{{Facts: "未按规定登记", LegalBasis: "条例", Sanctions: []domain.Sanction{s}}}},
		CreatedAt: domain.MustDate(day).Time().UTC(), CreatedBy: domain.Actor{Unit: unit, User: "clerk1", Role: RoleClerk},
	}
	r.ID = storage.RecordID(r.Unit, r.Kind, r.DocumentNo)
	r.CountsUntil = grading.WindowEnd(e.policy, r)
	return e.put(t, r)
}

// listEntry posts a list entry from day, open-ended.
func (e *env) listEntry(t *testing.T, subj domain.SubjectID, doc, day string, k domain.ListKind) domain.Record {
	t.Helper()
	r := domain.Record{
		Kind: domain.KindListEntry, SubjectID: subj, Unit: "411422-OFFICE", DocumentNo: doc,
		EffectiveDate: domain.MustDate(day), Status: domain.StatusActive,
		ListEntry: &domain.ListEntry{List: k, ValidFrom: domain.MustDate(day)},
		CreatedAt: domain.MustDate(day).Time().UTC(), CreatedBy: office.Actor,
	}
	r.ID = storage.RecordID(r.Unit, r.Kind, r.DocumentNo)
	return e.put(t, r)
}

func (e *env) put(t *testing.T, r domain.Record) domain.Record {
	t.Helper()
	prof := domain.Subject{ID: r.SubjectID, Type: domain.LegalPerson, Name: "某某有限公司", CreditCode: string(r.SubjectID)}
	if r.SubjectID == person {
		prof = domain.Subject{ID: r.SubjectID, Type: domain.NaturalPerson, Name: "张三"}
	}
	stored, _, err := e.st.PutRecord(ctx, prof, r)
	if err != nil {
		t.Fatalf("put %s: %v", r.DocumentNo, err)
	}
	e.regrade(t, r.SubjectID)
	return stored
}

// regrade regrades subj as the record stream would, and returns the grade.
func (e *env) regrade(t *testing.T, subj domain.SubjectID) domain.Grade {
	t.Helper()
	res, err := e.rg.Regrade(ctx, subj)
	if err != nil {
		t.Fatalf("regrade %s: %v", subj, err)
	}
	return res.Grade
}

func (e *env) record(t *testing.T, subj domain.SubjectID, id string) domain.Record {
	t.Helper()
	r, err := e.st.GetRecord(ctx, subj, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func (e *env) openTasks(t *testing.T, subj domain.SubjectID) []domain.Task {
	t.Helper()
	ts, err := e.st.ListTasks(ctx, subj)
	if err != nil {
		t.Fatal(err)
	}
	var open []domain.Task
	for _, x := range ts {
		if x.Status == storage.TaskOpen {
			open = append(open, x)
		}
	}
	return open
}

// wantRefusal checks err is an office refusal with status and, when code is
// set, a problem of that code (on field, when set).
func wantRefusal(t *testing.T, err error, status int, code, field string) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want a %d refusal", err, status)
	}
	if e.Status != status {
		t.Fatalf("status %d (%v), want %d", e.Status, e, status)
	}
	if code == "" {
		return e
	}
	for _, p := range e.Problems {
		if p.Code == code && (field == "" || p.Field == field) {
			return e
		}
	}
	t.Fatalf("problems %+v, want %s at %q", e.Problems, code, field)
	return e
}

func policyDefault() *policy.Policy { return policy.MustDefault() }

func regradeService(st regrade.Store, p *policy.Policy, c domain.Clock) *regrade.Service {
	return &regrade.Service{Store: st, Policy: p, Clock: c}
}
