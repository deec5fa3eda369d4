package office

import (
	"net/http"
	"slices"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/storage"
)

func objectTo(rec domain.Record) ObjectionInput {
	return ObjectionInput{SubjectID: rec.SubjectID, RecordID: rec.ID, Grounds: "处罚对象认定错误", Evidence: []string{"att/2026/0001.pdf"}}
}

func TestObjectionUpheldRevokesTheRecord(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, e *env) {
		rec := e.decision(t, company, "D1", "2026-05-20", domain.SanctionFine)
		before, _ := e.st.GetGrade(ctx, company)
		if before.Level != domain.LevelB {
			t.Fatalf("level %s, want B", before.Level)
		}
		o, created, err := e.svc.Object(ctx, office, objectTo(rec))
		if err != nil || !created {
			t.Fatalf("object: created=%v err=%v", created, err)
		}
		if o.Deadline != domain.MustDate("2026-06-21") || o.Status != model.ObjectionOpen {
			t.Errorf("objection %+v, want open with deadline 2026-06-21", o)
		}
		marked := e.record(t, company, rec.ID)
		last := marked.History[len(marked.History)-1]
		if marked.Status != domain.StatusObjected || last.To != domain.StatusObjected || last.By != office.Actor || last.RequestID != office.RequestID || last.At.IsZero() || last.Reason == "" {
			t.Errorf("record after objection %+v, history %+v", marked.Status, last)
		}
		// Still counted: the grade says the same.
		if g := e.regrade(t, company); !g.SameOutcome(before) {
			t.Errorf("grade while objected %s %v, want the same as before %s", g.Level, g.Reasons, before.Level)
		}
		// A retry answers with the open objection; other grounds are refused.
		again, created, err := e.svc.Object(ctx, office, objectTo(rec))
		if err != nil || created || again.ID != o.ID {
			t.Errorf("retry: %+v created=%v err=%v", again, created, err)
		}
		other := objectTo(rec)
		other.Grounds = "另一理由"
		_, _, err = e.svc.Object(ctx, office, other)
		wantRefusal(t, err, http.StatusConflict, "objection_open", "record_id")

		dec := DecisionInput{SubjectID: company, Outcome: model.ObjectionUpheld, Reason: "经核实，处罚对象有误"}
		decided, err := e.svc.DecideObjection(ctx, office, o.ID, dec)
		if err != nil || decided.Status != model.ObjectionUpheld || decided.Decision.By != office.Actor {
			t.Fatalf("decide: %+v %v", decided, err)
		}
		if r := e.record(t, company, rec.ID); r.Status != domain.StatusRevoked || len(r.History) != 2 {
			t.Errorf("record after upheld objection %s, history %+v", r.Status, r.History)
		}
		// The record change makes regrade drop the record.
		if g := e.regrade(t, company); g.Level != domain.LevelUnrated {
			t.Errorf("grade after revocation %s %v, want unrated", g.Level, g.Reasons)
		}
		if again, err := e.svc.DecideObjection(ctx, office, o.ID, dec); err != nil || again.Decision.At != decided.Decision.At {
			t.Errorf("repeated decision: %+v %v", again, err)
		}
		dec.Outcome = model.ObjectionRejected
		_, err = e.svc.DecideObjection(ctx, office, o.ID, dec)
		wantRefusal(t, err, http.StatusConflict, "already_decided", "outcome")
		// A revoked record cannot be objected to.
		_, _, err = e.svc.Object(ctx, office, objectTo(rec))
		wantRefusal(t, err, http.StatusConflict, "record_not_active", "record_id")
	})
}

func TestObjectionRejectedRestoresTheRecord(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, e *env) {
		rec := e.decision(t, company, "D1", "2026-05-20", domain.SanctionFine)
		o, _, err := e.svc.Object(ctx, office, objectTo(rec))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.DecideObjection(ctx, office, o.ID, DecisionInput{SubjectID: company, Outcome: model.ObjectionRejected, Reason: "事实清楚"}); err != nil {
			t.Fatal(err)
		}
		r := e.record(t, company, rec.ID)
		if r.Status != domain.StatusActive || len(r.History) != 2 || r.History[1].From != domain.StatusObjected {
			t.Errorf("record after rejection %s %+v", r.Status, r.History)
		}
		if g := e.regrade(t, company); g.Level != domain.LevelB {
			t.Errorf("grade after rejection %s, want B", g.Level)
		}
		// The record may be objected to again: a new round with its own id.
		o2, created, err := e.svc.Object(ctx, office, objectTo(rec))
		if err != nil || !created || o2.ID == o.ID || o2.Seq != 1 {
			t.Errorf("second round %+v created=%v err=%v", o2, created, err)
		}
	})
}

func TestObjectionsOverdue(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, e *env) {
		rec := e.decision(t, company, "D1", "2026-05-20", domain.SanctionFine)
		o, _, err := e.svc.Object(ctx, office, objectTo(rec))
		if err != nil {
			t.Fatal(err)
		}
		e.clock.setDay("2026-06-21") // the deadline itself
		if got, _, _ := e.svc.Objections(ctx, true, storage.Page{}); len(got) != 0 {
			t.Errorf("overdue on the deadline: %+v", got)
		}
		all, _, _ := e.svc.Objections(ctx, false, storage.Page{})
		if len(all) != 1 || all[0].DaysLeft != 0 || all[0].Overdue {
			t.Errorf("open objections %+v", all)
		}
		e.clock.setDay("2026-06-22")
		got, _, err := e.svc.Objections(ctx, true, storage.Page{})
		if err != nil || len(got) != 1 || got[0].ID != o.ID || !got[0].Overdue || got[0].DaysLeft != -1 {
			t.Errorf("overdue after 20 days: %+v %v", got, err)
		}
	})
}

func TestObjectionRefusals(t *testing.T) {
	t.Parallel()
	e := memEnv(t)
	rec := e.decision(t, company, "D1", "2026-05-20", domain.SanctionFine)
	tests := []struct {
		name   string
		call   Call
		in     ObjectionInput
		status int
		codes  []string
	}{
		{"clerk", clerk, objectTo(rec), http.StatusForbidden, []string{"forbidden_role"}},
		{"auditor", auditor, objectTo(rec), http.StatusForbidden, []string{"forbidden_role"}},
		{"all problems at once", office, ObjectionInput{Evidence: []string{""}, ReceivedOn: "2026-06-02"}, http.StatusBadRequest,
			[]string{"missing_field", "missing_field", "missing_field", "missing_field", "future_date"}},
		{"unknown record", office, ObjectionInput{SubjectID: company, RecordID: "RNONE", Grounds: "g"}, http.StatusNotFound, []string{"not_found"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.svc.Object(ctx, tc.call, tc.in)
			re := wantRefusal(t, err, tc.status, "", "")
			var codes []string
			for _, p := range re.Problems {
				codes = append(codes, p.Code)
			}
			slices.Sort(codes)
			want := slices.Clone(tc.codes)
			slices.Sort(want)
			if !slices.Equal(codes, want) {
				t.Errorf("codes %v, want %v", codes, want)
			}
		})
	}
	if r := e.record(t, company, rec.ID); r.Status != domain.StatusActive {
		t.Errorf("refused objections changed the record to %s", r.Status)
	}
	_, err := e.svc.DecideObjection(ctx, office, "ONONE", DecisionInput{SubjectID: company, Outcome: "upheld", Reason: "r"})
	wantRefusal(t, err, http.StatusNotFound, "not_found", "id")
	_, err = e.svc.DecideObjection(ctx, office, "ONONE", DecisionInput{Outcome: "maybe"})
	wantRefusal(t, err, http.StatusBadRequest, "invalid_value", "outcome")
}
