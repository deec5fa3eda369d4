package storage

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/testenv"
)

// officeStore is what the office contract needs of a store.
type officeStore interface {
	Store
	OfficeStore
}

func TestMemoryOfficeContract(t *testing.T) {
	t.Parallel()
	runOfficeContract(t, func(*testing.T) officeStore { return NewMemory() })
}

func TestDynamoOfficeContract(t *testing.T) {
	t.Parallel()
	runOfficeContract(t, func(t *testing.T) officeStore {
		client, table := testenv.NewTable(t)
		return NewDynamo(client, table)
	})
}

// runOfficeContract is the behaviour of the office items every store must
// have (see OfficeStore).
func runOfficeContract(t *testing.T, newStore func(t *testing.T) officeStore) {
	cases := []struct {
		name string
		run  func(t *testing.T, s officeStore)
	}{
		{"reminder closes its task, once, idempotently", contractReminderTask},
		{"reminders between two instants by Shanghai month", contractRemindersBetween},
		{"overdue tasks are open tasks due before a day", contractOverdueTasks},
		{"objection marks its record in the same write", contractObjectionOpen},
		{"objection decision is conditional and changes the record", contractObjectionDecide},
		{"repairs pending, decided, with and without a record change", contractRepairs},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, newStore(t))
		})
	}
}

func reminder(id, subj, taskID, at string) model.Reminder {
	r := model.Reminder{
		ID: id, SubjectID: domain.SubjectID(subj), SubjectType: domain.LegalPerson, SubjectName: "公司" + subj,
		TaskID: taskID, Level: domain.LevelB, Method: "written_reminder",
		Person: model.Person{Role: model.PersonPrincipal, Name: "张三"}, At: mustTime(at),
		Content: "书面提醒其纠正失信行为", Officer: "李警官", Unit: "U1", CreatedAt: created,
		CreatedBy: domain.Actor{Unit: "U1", User: "office1", Role: "office"},
	}
	r.ContentHash = ContentHash(r.Content + "|" + r.Method)
	return r
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func contractReminderTask(t *testing.T, s officeStore) {
	for _, tk := range []domain.Task{task("T1", "S1", "2027-01-10"), task("T2", "S1", "2027-01-12")} {
		if err := s.PutTask(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	r := reminder("M1", "S1", "T1", "2026-12-20T10:00:00+08:00")
	stored, ok, err := s.RegisterReminder(ctx, r)
	if err != nil || !ok {
		t.Fatalf("register: created=%v err=%v", ok, err)
	}
	if !reflect.DeepEqual(stored, r) {
		t.Errorf("stored %+v, want %+v", stored, r)
	}
	ts, _ := s.ListTasks(ctx, "S1")
	if ts[0].Status != TaskClosed || ts[0].ClosedBy != "M1" || ts[1].Status != TaskOpen {
		t.Errorf("tasks after the reminder %+v, want T1 closed by M1, T2 open", ts)
	}

	again, ok, err := s.RegisterReminder(ctx, r)
	if err != nil || ok || !reflect.DeepEqual(again, r) {
		t.Errorf("repeat: %+v created=%v err=%v, want the stored entry, not created", again, ok, err)
	}
	other := r
	other.Content = "另一内容"
	other.ContentHash = ContentHash("other")
	_, _, err = s.RegisterReminder(ctx, other)
	wantErr(t, "same id, other content", err, ErrConflict)

	second := reminder("M2", "S1", "T1", "2026-12-21T10:00:00+08:00")
	_, _, err = s.RegisterReminder(ctx, second)
	wantErr(t, "reminder on a closed task", err, ErrStale)
	_, _, err = s.RegisterReminder(ctx, reminder("M3", "S1", "T9", "2026-12-21T10:00:00+08:00"))
	wantErr(t, "reminder on an unknown task", err, ErrNotFound)

	list, err := s.ListReminders(ctx, "S1")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != "M1" {
		t.Errorf("reminders of S1 %+v, want only M1 (failed writes store nothing)", list)
	}
	// Without a task the entry is simply stored.
	if _, ok, err := s.RegisterReminder(ctx, reminder("M4", "S1", "", "2026-12-22T10:00:00+08:00")); err != nil || !ok {
		t.Errorf("reminder without task: created=%v err=%v", ok, err)
	}
	if ts, _ := s.ListTasks(ctx, "S1"); ts[1].Status != TaskOpen {
		t.Errorf("T2 %+v changed by a reminder naming no task", ts[1])
	}
}

func reminderIDs(rs []model.Reminder) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func contractRemindersBetween(t *testing.T, s officeStore) {
	// 2026-03-31T17:00Z is 1 April 01:00 in Shanghai: April's partition.
	for _, r := range []model.Reminder{
		reminder("A", "S1", "", "2026-03-31T23:59:59+08:00"),
		reminder("B", "S2", "", "2026-03-31T17:00:00Z"),
		reminder("C", "S1", "", "2026-04-30T23:59:59+08:00"),
		reminder("D", "S3", "", "2026-05-01T00:00:00+08:00"),
		reminder("E", "S2", "", "2025-12-31T12:00:00+08:00"),
	} {
		if _, _, err := s.RegisterReminder(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	day := func(d string) time.Time { return domain.MustDate(d).Time() }
	tests := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"April in Shanghai", day("2026-04-01"), day("2026-05-01"), []string{"B", "C"}},
		{"across the year", day("2025-12-01"), day("2026-04-01"), []string{"E", "A"}},
		{"everything", day("2025-01-01"), day("2027-01-01"), []string{"E", "A", "B", "C", "D"}},
		{"to is exclusive", day("2026-03-31"), mustTime("2026-03-31T23:59:59+08:00"), []string{}},
		{"from is inclusive", mustTime("2026-05-01T00:00:00+08:00"), day("2026-05-02"), []string{"D"}},
		{"empty range", day("2026-05-01"), day("2026-04-01"), []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.RemindersBetween(ctx, tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			if ids := reminderIDs(got); !reflect.DeepEqual(ids, tc.want) {
				t.Errorf("got %v, want %v", ids, tc.want)
			}
		})
	}
}

func contractOverdueTasks(t *testing.T, s officeStore) {
	for _, tk := range []domain.Task{task("T1", "S1", "2027-01-10"), task("T2", "S1", "2027-01-05"), task("T3", "S2", "2027-01-04"), task("T4", "S3", "2027-01-01")} {
		if err := s.PutTask(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CloseTask(ctx, "S3", "T4", "x"); err != nil {
		t.Fatal(err)
	}
	overdue := func(before string) []string {
		return taskIDs(pages(t, 1, func(p Page) ([]domain.Task, string, error) {
			return s.ListOverdueTasks(ctx, domain.MustDate(before), p)
		}))
	}
	for _, tc := range []struct {
		before string
		want   []string
	}{
		{"2027-01-04", []string{}},
		{"2027-01-05", []string{"T3"}},
		{"2027-01-06", []string{"T3", "T2"}},
		{"2027-02-01", []string{"T3", "T2", "T1"}},
	} {
		if got := overdue(tc.before); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("overdue before %s: %v, want %v", tc.before, got, tc.want)
		}
	}
}

func openObjection(id, subj, recordID, deadline string) model.Objection {
	o := model.Objection{
		ID: id, SubjectID: domain.SubjectID(subj), RecordID: recordID, Grounds: "处罚对象错误",
		ReceivedOn: domain.MustDate(deadline).AddDays(-20), Deadline: domain.MustDate(deadline),
		Status: model.ObjectionOpen, CreatedAt: created, CreatedBy: domain.Actor{Unit: "OFFICE", User: "o1", Role: "office"},
	}
	o.ContentHash = ContentHash(o.RecordID + "|" + o.Grounds)
	return o
}

func markObjected(subj domain.SubjectID, recordID, why string) RecordChange {
	return RecordChange{SubjectID: subj, RecordID: recordID, Expect: domain.StatusActive, Mutate: func(r *domain.Record) error {
		r.History = append(r.History, domain.StatusChange{From: r.Status, To: domain.StatusObjected, At: created, Reason: why})
		r.Status = domain.StatusObjected
		return nil
	}}
}

func contractObjectionOpen(t *testing.T, s officeStore) {
	rec := mustPut(t, s, decision("S1", "U1", "D-1", domain.MustDate("2027-05-01")))
	o := openObjection("O1", "S1", rec.ID, "2026-12-21")
	stored, updated, ok, err := s.OpenObjection(ctx, o, markObjected("S1", rec.ID, "异议 O1"))
	if err != nil || !ok {
		t.Fatalf("open: created=%v err=%v", ok, err)
	}
	if !reflect.DeepEqual(stored, o) {
		t.Errorf("stored %+v, want %+v", stored, o)
	}
	if got, _ := s.GetRecord(ctx, "S1", rec.ID); got.Status != domain.StatusObjected || len(got.History) != 1 || !reflect.DeepEqual(got, updated) {
		t.Errorf("record %+v (returned %+v), want objected with one history entry", got, updated)
	}
	// A repeat of the same objection: the stored one, the record untouched.
	again, _, ok, err := s.OpenObjection(ctx, o, markObjected("S1", rec.ID, "异议 O1"))
	if err != nil || ok || !reflect.DeepEqual(again, o) {
		t.Errorf("repeat: %+v created=%v err=%v", again, ok, err)
	}
	other := o
	other.Grounds, other.ContentHash = "另一理由", ContentHash("x")
	_, _, _, err = s.OpenObjection(ctx, other, markObjected("S1", rec.ID, "x"))
	wantErr(t, "same id, other content", err, ErrConflict)
	// A second objection to the objected record: stale, nothing stored.
	_, _, _, err = s.OpenObjection(ctx, openObjection("O2", "S1", rec.ID, "2026-12-22"), markObjected("S1", rec.ID, "异议 O2"))
	wantErr(t, "second objection", err, ErrStale)
	_, err = s.GetObjection(ctx, "S1", "O2")
	wantErr(t, "the refused objection", err, ErrNotFound)
	if got, _ := s.GetRecord(ctx, "S1", rec.ID); len(got.History) != 1 {
		t.Errorf("history %+v after refused writes, want one entry", got.History)
	}
	// A failing mutate stores nothing either.
	rec2 := mustPut(t, s, decision("S1", "U1", "D-2", domain.MustDate("2027-05-01")))
	boom := errors.New("boom")
	_, _, _, err = s.OpenObjection(ctx, openObjection("O3", "S1", rec2.ID, "2026-12-22"), RecordChange{
		SubjectID: "S1", RecordID: rec2.ID, Expect: domain.StatusActive, Mutate: func(*domain.Record) error { return boom },
	})
	wantErr(t, "mutate error", err, boom)
	_, err = s.GetObjection(ctx, "S1", "O3")
	wantErr(t, "objection of a failed mutate", err, ErrNotFound)
	_, _, _, err = s.OpenObjection(ctx, openObjection("O4", "S1", "RNONE", "2026-12-22"), markObjected("S1", "RNONE", "x"))
	wantErr(t, "objection to an unknown record", err, ErrNotFound)
}

func contractObjectionDecide(t *testing.T, s officeStore) {
	var recs []domain.Record
	deadlines := []string{"2026-12-25", "2026-12-21", "2026-12-23"}
	for i, dl := range deadlines {
		subj := fmt.Sprintf("S%d", i+1)
		rec := mustPut(t, s, decision(subj, "U1", fmt.Sprintf("D-%d", i), domain.MustDate("2027-05-01")))
		recs = append(recs, rec)
		if _, _, _, err := s.OpenObjection(ctx, openObjection(fmt.Sprintf("O%d", i+1), subj, rec.ID, dl), markObjected(rec.SubjectID, rec.ID, "异议")); err != nil {
			t.Fatal(err)
		}
	}
	open := func(before string) []string {
		var d domain.Date
		if before != "" {
			d = domain.MustDate(before)
		}
		os := pages(t, 2, func(p Page) ([]model.Objection, string, error) { return s.ListOpenObjections(ctx, d, p) })
		out := []string{}
		for _, o := range os {
			out = append(out, o.ID)
		}
		return out
	}
	if got, want := open(""), []string{"O2", "O3", "O1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("open objections %v, want %v (by deadline)", got, want)
	}
	if got, want := open("2026-12-23"), []string{"O2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("overdue on 2026-12-23 %v, want %v", got, want)
	}

	o, err := s.GetObjection(ctx, "S2", "O2")
	if err != nil {
		t.Fatal(err)
	}
	o.Status = model.ObjectionUpheld
	o.Decision = &model.Ruling{Outcome: model.ObjectionUpheld, Reason: "核实有误", At: created}
	revoke := RecordChange{SubjectID: "S2", RecordID: recs[1].ID, Expect: domain.StatusObjected, Mutate: func(r *domain.Record) error {
		r.History = append(r.History, domain.StatusChange{From: r.Status, To: domain.StatusRevoked, At: created, Reason: "异议成立"})
		r.Status = domain.StatusRevoked
		return nil
	}}
	rec, err := s.DecideObjection(ctx, o, revoke)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != domain.StatusRevoked || len(rec.History) != 2 {
		t.Errorf("record after upheld objection %+v", rec)
	}
	if got, _ := s.GetObjection(ctx, "S2", "O2"); !reflect.DeepEqual(got, o) {
		t.Errorf("decided objection %+v, want %+v", got, o)
	}
	_, err = s.DecideObjection(ctx, o, revoke)
	wantErr(t, "deciding twice", err, ErrStale)
	if got, want := open(""), []string{"O3", "O1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("open objections after a decision %v, want %v", got, want)
	}
	unknown := o
	unknown.ID = "O9"
	_, err = s.DecideObjection(ctx, unknown, revoke)
	wantErr(t, "deciding an unknown objection", err, ErrNotFound)
	if list, _ := s.ListObjections(ctx, "S2"); len(list) != 1 || list[0].Status != model.ObjectionUpheld {
		t.Errorf("objections of S2 %+v", list)
	}
}

func pendingRepair(id, subj, recordID, applied string) model.Repair {
	r := model.Repair{
		ID: id, SubjectID: domain.SubjectID(subj), RecordID: recordID, Proof: "已整改", Commitment: "守信承诺",
		EligibleFrom: domain.MustDate(applied), AppliedOn: domain.MustDate(applied), Status: model.RepairPending,
		CreatedAt: created, CreatedBy: domain.Actor{Unit: "OFFICE", User: "o1", Role: "office"},
	}
	r.ContentHash = ContentHash(r.RecordID + "|" + r.Proof)
	return r
}

func contractRepairs(t *testing.T, s officeStore) {
	rec := mustPut(t, s, decision("S1", "U1", "D-1", domain.MustDate("2027-05-01")))
	a := pendingRepair("P1", "S1", rec.ID, "2026-12-02")
	b := pendingRepair("P2", "S2", "R2", "2026-12-01")
	for _, r := range []model.Repair{a, b} {
		if stored, ok, err := s.PutRepair(ctx, r); err != nil || !ok || !reflect.DeepEqual(stored, r) {
			t.Fatalf("put %s: %+v created=%v err=%v", r.ID, stored, ok, err)
		}
	}
	if _, ok, err := s.PutRepair(ctx, a); err != nil || ok {
		t.Errorf("repeat: created=%v err=%v", ok, err)
	}
	changed := a
	changed.Proof, changed.ContentHash = "x", ContentHash("x")
	_, _, err := s.PutRepair(ctx, changed)
	wantErr(t, "same id, other content", err, ErrConflict)
	pending := func() []string {
		rs := pages(t, 1, func(p Page) ([]model.Repair, string, error) { return s.ListPendingRepairs(ctx, p) })
		out := []string{}
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	if got, want := pending(), []string{"P2", "P1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("pending %v, want %v", got, want)
	}

	a.Status = model.RepairApproved
	a.Decision = &model.Ruling{Outcome: model.RepairApproved, Reason: "整改到位", At: created}
	repaired, err := s.DecideRepair(ctx, a, &RecordChange{SubjectID: "S1", RecordID: rec.ID, Expect: domain.StatusActive, Mutate: func(r *domain.Record) error {
		r.Status = domain.StatusRepaired
		return nil
	}})
	if err != nil || repaired.Status != domain.StatusRepaired {
		t.Fatalf("approve: %+v %v", repaired, err)
	}
	if got, _ := s.GetRecord(ctx, "S1", rec.ID); got.Status != domain.StatusRepaired {
		t.Errorf("record %s, want repaired", got.Status)
	}
	b.Status = model.RepairRejected
	b.Decision = &model.Ruling{Outcome: model.RepairRejected, Reason: "证明不足", At: created}
	if _, err := s.DecideRepair(ctx, b, nil); err != nil {
		t.Fatalf("reject: %v", err)
	}
	_, err = s.DecideRepair(ctx, b, nil)
	wantErr(t, "deciding twice", err, ErrStale)
	if got := pending(); len(got) != 0 {
		t.Errorf("pending after decisions %v", got)
	}
	if got, err := s.GetRepair(ctx, "S2", "P2"); err != nil || !reflect.DeepEqual(got, b) {
		t.Errorf("rejected repair %+v %v, want %+v", got, err, b)
	}
	if list, _ := s.ListRepairs(ctx, "S1"); len(list) != 1 || list[0].Status != model.RepairApproved {
		t.Errorf("repairs of S1 %+v", list)
	}
}
