package office

import (
	"net/http"
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/storage"
)

func repairOf(rec domain.Record) RepairInput {
	return RepairInput{SubjectID: rec.SubjectID, RecordID: rec.ID, Proof: "已完成整改并缴清罚款", Attachments: []string{"att/receipt.pdf"}, Commitment: "本单位承诺今后诚信守法经营"}
}

func TestRepairAfterTheGeneralPeriodImprovesTheGrade(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, e *env) {
		rec := e.decision(t, company, "D1", "2026-05-20", domain.SanctionFine)
		_, _, err := e.svc.ApplyRepair(ctx, office, repairOf(rec))
		re := wantRefusal(t, err, http.StatusUnprocessableEntity, "not_yet_eligible", "record_id")
		if p := re.Problems[0]; !strings.Contains(p.MessageZH, "2026-08-20") || !strings.Contains(p.MessageEN, "2026-08-20") {
			t.Errorf("refusal %+v does not say the date it becomes eligible", p)
		}
		if rs, _ := e.st.ListRepairs(ctx, company); len(rs) != 0 {
			t.Errorf("a refused application was stored: %+v", rs)
		}

		e.clock.setDay("2026-08-20")
		r, created, err := e.svc.ApplyRepair(ctx, office, repairOf(rec))
		if err != nil || !created || r.Serious || r.EligibleFrom != domain.MustDate("2026-08-20") || r.Status != model.RepairPending {
			t.Fatalf("apply: %+v created=%v err=%v", r, created, err)
		}
		if again, created, err := e.svc.ApplyRepair(ctx, office, repairOf(rec)); err != nil || created || again.ID != r.ID {
			t.Errorf("retry: %+v created=%v err=%v", again, created, err)
		}
		other := repairOf(rec)
		other.Proof = "另一证明"
		_, _, err = e.svc.ApplyRepair(ctx, office, other)
		wantRefusal(t, err, http.StatusConflict, "repair_pending", "record_id")
		pending, _, err := e.svc.PendingRepairs(ctx, storage.Page{})
		if err != nil || len(pending) != 1 || pending[0].ID != r.ID {
			t.Errorf("pending %+v %v", pending, err)
		}

		dec := DecisionInput{SubjectID: company, Outcome: model.RepairApproved, Reason: "整改到位"}
		approved, err := e.svc.DecideRepair(ctx, office, r.ID, dec)
		if err != nil || approved.Status != model.RepairApproved {
			t.Fatalf("approve: %+v %v", approved, err)
		}
		got := e.record(t, company, rec.ID)
		if got.Status != domain.StatusRepaired || got.History[len(got.History)-1].By != office.Actor {
			t.Errorf("record after repair %s %+v", got.Status, got.History)
		}
		if g := e.regrade(t, company); g.Level != domain.LevelUnrated {
			t.Errorf("grade after repair %s, want unrated (the record stopped counting)", g.Level)
		}
		if pending, _, _ := e.svc.PendingRepairs(ctx, storage.Page{}); len(pending) != 0 {
			t.Errorf("pending after the decision %+v", pending)
		}
		if _, err := e.svc.DecideRepair(ctx, office, r.ID, dec); err != nil {
			t.Errorf("repeated decision: %v", err)
		}
		_, _, err = e.svc.ApplyRepair(ctx, office, repairOf(rec))
		wantRefusal(t, err, http.StatusConflict, "record_not_active", "record_id")
	})
}

func TestRepairOfASeriousListEntry(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, e *env) {
		e.clock.setDay("2026-01-10")
		rec := e.listEntry(t, company, "BL-1", "2026-01-10", domain.ListBlack)
		e.clock.setDay("2026-12-01")
		_, _, err := e.svc.ApplyRepair(ctx, office, repairOf(rec))
		re := wantRefusal(t, err, http.StatusUnprocessableEntity, "not_yet_eligible", "")
		if !strings.Contains(re.Problems[0].MessageEN, "2027-01-10") || !strings.Contains(re.Problems[0].MessageEN, "serious") {
			t.Errorf("refusal %+v", re.Problems[0])
		}
		e.clock.setDay("2027-01-10")
		r, _, err := e.svc.ApplyRepair(ctx, office, repairOf(rec))
		if err != nil || !r.Serious {
			t.Fatalf("apply: %+v %v", r, err)
		}
		if _, err := e.svc.DecideRepair(ctx, office, r.ID, DecisionInput{SubjectID: company, Outcome: model.RepairApproved, Reason: "已整改"}); err != nil {
			t.Fatal(err)
		}
		if g := e.regrade(t, company); g.Level != domain.LevelUnrated {
			t.Errorf("grade after repairing the black-list entry %s", g.Level)
		}
	})
}

func TestRepairRejectedLeavesTheRecord(t *testing.T) {
	t.Parallel()
	e := memEnv(t)
	rec := e.decision(t, company, "D1", "2026-05-20", domain.SanctionFine)
	e.clock.setDay("2026-09-01")
	r, _, err := e.svc.ApplyRepair(ctx, office, repairOf(rec))
	if err != nil {
		t.Fatal(err)
	}
	rej, err := e.svc.DecideRepair(ctx, office, r.ID, DecisionInput{SubjectID: company, Outcome: model.RepairRejected, Reason: "整改证明不足"})
	if err != nil || rej.Decision.Reason != "整改证明不足" || rej.Status != model.RepairRejected {
		t.Fatalf("reject: %+v %v", rej, err)
	}
	if got := e.record(t, company, rec.ID); got.Status != domain.StatusActive || len(got.History) != 0 {
		t.Errorf("record after rejection %s %+v", got.Status, got.History)
	}
	// A new application is a new round.
	r2, created, err := e.svc.ApplyRepair(ctx, office, repairOf(rec))
	if err != nil || !created || r2.ID == r.ID {
		t.Errorf("second application %+v %v %v", r2, created, err)
	}
}

func TestSeriousClassification(t *testing.T) {
	t.Parallel()
	e := memEnv(t)
	var recs []domain.Record
	for _, doc := range []string{"D1", "D2", "D3"} {
		recs = append(recs, e.decision(t, company, doc, "2026-05-20", domain.SanctionWarning))
	}
	general := e.decision(t, "91411422MA00000002", "D4", "2026-05-20", domain.SanctionWarning)
	red := e.listEntry(t, "91411422MA00000003", "RL-1", "2026-05-20", domain.ListRed)
	gC, _ := e.st.GetGrade(ctx, company)
	gB, _ := e.st.GetGrade(ctx, general.SubjectID)
	tests := []struct {
		name       string
		rec        domain.Record
		g          domain.Grade
		serious    bool
		repairable bool
		from       string
	}{
		{"behind a C reason", recs[0], gC, true, true, "2027-05-20"},
		{"general B record", general, gB, false, true, "2026-08-20"},
		{"same record, grade not known", recs[0], domain.Grade{}, false, true, "2026-08-20"},
		{"red list", red, domain.Grade{}, false, false, "2026-08-20"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Serious(e.policy, tc.rec, tc.g)
			from, _ := EligibleFrom(e.policy, tc.rec, s)
			if s != tc.serious || Repairable(e.policy, tc.rec) != tc.repairable || from.String() != tc.from {
				t.Errorf("serious=%v repairable=%v from=%s, want %v %v %s", s, Repairable(e.policy, tc.rec), from, tc.serious, tc.repairable, tc.from)
			}
		})
	}
	e.clock.setDay("2027-06-01")
	_, _, err := e.svc.ApplyRepair(ctx, office, repairOf(red))
	wantRefusal(t, err, http.StatusUnprocessableEntity, "not_repairable", "record_id")
	// An objected record cannot be repaired until the objection is decided.
	if _, _, err := e.svc.Object(ctx, office, objectTo(general)); err != nil {
		t.Fatal(err)
	}
	_, _, err = e.svc.ApplyRepair(ctx, office, repairOf(general))
	wantRefusal(t, err, http.StatusConflict, "objection_pending", "record_id")
	_, _, err = e.svc.ApplyRepair(ctx, clerk, repairOf(general))
	wantRefusal(t, err, http.StatusForbidden, "forbidden_role", "")
}
