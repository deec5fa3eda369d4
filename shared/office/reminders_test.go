package office

import (
	"net/http"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/storage"
)

func oral(subj domain.SubjectID, at string) ReminderInput {
	return ReminderInput{
		SubjectID: subj, Method: "oral_reminder", Time: at,
		Person:  model.Person{Role: model.PersonPrincipal, Name: "王五"},
		Content: "指出失信行为，督促其诚信守法", Officer: "李警官",
	}
}

func TestReminderClosesTheTask(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, e *env) {
		e.decision(t, company, "D1", "2026-05-20", domain.SanctionWarning)
		open := e.openTasks(t, company)
		if len(open) != 1 || open[0].Level != domain.LevelB {
			t.Fatalf("open tasks %+v, want one B task", open)
		}
		in := oral(company, "2026-06-01T09:00:00+08:00")
		r, created, err := e.svc.RegisterReminder(ctx, office, in)
		if err != nil || !created {
			t.Fatalf("register: created=%v err=%v", created, err)
		}
		if r.TaskID != open[0].ID || r.Level != domain.LevelB || r.Unit != office.Actor.Unit || r.SubjectName != "某某有限公司" {
			t.Errorf("entry %+v", r)
		}
		if got := e.openTasks(t, company); len(got) != 0 {
			t.Errorf("open tasks after the reminder %+v", got)
		}
		ts, _ := e.st.ListTasks(ctx, company)
		if ts[0].ClosedBy != r.ID {
			t.Errorf("task closed by %q, want the entry %q", ts[0].ClosedBy, r.ID)
		}
		// A retry answers with the stored entry.
		again, created, err := e.svc.RegisterReminder(ctx, office, in)
		if err != nil || created || again.ID != r.ID {
			t.Errorf("retry: %+v created=%v err=%v", again, created, err)
		}
		// Same meeting, other content: a conflict, not a second entry.
		changed := in
		changed.Content = "另一内容"
		_, _, err = e.svc.RegisterReminder(ctx, office, changed)
		wantRefusal(t, err, http.StatusConflict, "reminder_conflict", "")
		// Another reminder: nothing is due any more.
		_, _, err = e.svc.RegisterReminder(ctx, office, oral(company, "2026-06-01T09:30:00+08:00"))
		wantRefusal(t, err, http.StatusConflict, "no_open_task", "subject_id")
		if list, _ := e.st.ListReminders(ctx, company); len(list) != 1 {
			t.Errorf("register holds %d entries, want 1", len(list))
		}
	})
}

func TestReminderMethodMustSuitTheLevel(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, e *env) {
		for _, doc := range []string{"D1", "D2", "D3"} {
			e.decision(t, company, doc, "2026-05-20", domain.SanctionWarning)
		}
		if g, _ := e.st.GetGrade(ctx, company); g.Level != domain.LevelC {
			t.Fatalf("level %s, want C", g.Level)
		}
		_, _, err := e.svc.RegisterReminder(ctx, office, oral(company, "2026-06-01T09:00:00+08:00"))
		wantRefusal(t, err, http.StatusUnprocessableEntity, "method_not_allowed", "method")
		if list, _ := e.st.ListReminders(ctx, company); len(list) != 0 {
			t.Errorf("a refused reminder was stored: %+v", list)
		}
		hasOpenC := func() bool {
			for _, x := range e.openTasks(t, company) {
				if x.Level == domain.LevelC {
					return true
				}
			}
			return false
		}
		if !hasOpenC() {
			t.Error("the C task was closed by a refused reminder")
		}
		in := oral(company, "2026-06-01T09:00:00+08:00")
		in.Method = "interview"
		in.Person.Role = model.PersonDirectlyResponsible
		r, _, err := e.svc.RegisterReminder(ctx, office, in)
		if err != nil || r.Level != domain.LevelC || hasOpenC() {
			t.Fatalf("interview: %+v %v; it closes the C task", r, err)
		}
	})
}

func TestReminderValidation(t *testing.T) {
	t.Parallel()
	e := memEnv(t)
	e.decision(t, company, "D1", "2026-05-20", domain.SanctionWarning)
	e.decision(t, person, "D2", "2026-05-20", domain.SanctionWarning)
	tests := []struct {
		name   string
		in     ReminderInput
		status int
		want   map[string]string // field → code, all reported at once
	}{
		{"everything wrong", ReminderInput{SubjectID: company, Method: "phone", Time: "2026-06-02T09:00:00+08:00", Person: model.Person{Role: "boss"}},
			http.StatusBadRequest, map[string]string{"method": "invalid_value", "time": "future_time", "content": "missing_field", "officer": "missing_field", "person.role": "invalid_person_role", "person.name": "missing_field"}},
		{"missing subject and time", ReminderInput{Method: "oral_reminder", Content: "c", Officer: "o"},
			http.StatusBadRequest, map[string]string{"subject_id": "missing_field", "time": "missing_field"}},
		{"not a time", func() ReminderInput { in := oral(company, "2026-06-01 09:00"); return in }(),
			http.StatusBadRequest, map[string]string{"time": "invalid_time"}},
		{"natural person met by a principal", func() ReminderInput { in := oral(person, "2026-06-01T09:00:00+08:00"); return in }(),
			http.StatusBadRequest, map[string]string{"person.role": "invalid_person_role"}},
		{"unknown subject", oral("91411422MA0000000X", "2026-06-01T09:00:00+08:00"),
			http.StatusNotFound, map[string]string{"subject_id": "not_found"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.svc.RegisterReminder(ctx, office, tc.in)
			re := wantRefusal(t, err, tc.status, "", "")
			got := map[string]string{}
			for _, p := range re.Problems {
				got[p.Field] = p.Code
			}
			if len(got) != len(tc.want) {
				t.Errorf("problems %v, want %v", got, tc.want)
			}
			for f, c := range tc.want {
				if got[f] != c {
					t.Errorf("%s: %q, want %q (all: %v)", f, got[f], c, got)
				}
			}
		})
	}
	if list, _ := e.st.ListReminders(ctx, company); len(list) != 0 {
		t.Errorf("invalid input stored %+v", list)
	}
	// A natural person is met in person; the name defaults to theirs.
	in := oral(person, "2026-06-01T09:00:00+08:00")
	in.Person = model.Person{}
	r, _, err := e.svc.RegisterReminder(ctx, office, in)
	if err != nil || r.Person.Role != model.PersonSelf || r.Person.Name != "张三" {
		t.Errorf("natural person: %+v %v", r.Person, err)
	}
}

func TestReminderRoles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		call   Call
		unit   string
		status int // 0: allowed
	}{
		{"office", office, "", 0},
		{"office in another unit's name", office, otherUnit, 0},
		{"clerk of the unit that handled the subject", clerk, "", 0},
		{"clerk in another unit's name", clerk, otherUnit, http.StatusForbidden},
		{"clerk of another unit", stranger, "", http.StatusForbidden},
		{"auditor", auditor, "", http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := memEnv(t)
			e.decision(t, company, "D1", "2026-05-20", domain.SanctionWarning)
			in := oral(company, "2026-06-01T09:00:00+08:00")
			in.Unit = tc.unit
			r, _, err := e.svc.RegisterReminder(ctx, tc.call, in)
			if tc.status == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if want := tc.unit; want != "" && r.Unit != want || want == "" && r.Unit != tc.call.Actor.Unit {
					t.Errorf("unit %q", r.Unit)
				}
				return
			}
			wantRefusal(t, err, tc.status, "", "")
			if len(e.openTasks(t, company)) != 1 {
				t.Error("a refused caller closed the task")
			}
		})
	}
}

func TestTasksOverdue(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, e *env) {
		e.decision(t, company, "D1", "2026-05-20", domain.SanctionWarning) // task due 2026-06-16
		e.clock.setDay("2026-06-10")
		e.decision(t, "91411422MA00000002", "D2", "2026-06-10", domain.SanctionWarning) // due 2026-06-25
		e.clock.setDay("2026-06-16")
		if got, _, _ := e.svc.Tasks(ctx, true, storage.Page{}); len(got) != 0 {
			t.Errorf("overdue on the due day: %+v", got)
		}
		all, _, err := e.svc.Tasks(ctx, false, storage.Page{})
		if err != nil || len(all) != 2 || all[0].SubjectID != company || all[0].AgeDays != 15 || all[1].AgeDays != 6 {
			t.Fatalf("open tasks %+v %v", all, err)
		}
		e.clock.setDay("2026-06-17")
		got, _, err := e.svc.Tasks(ctx, true, storage.Page{})
		if err != nil || len(got) != 1 || got[0].SubjectID != company || !got[0].Overdue || got[0].DaysOverdue != 1 || got[0].AgeDays != 16 {
			t.Errorf("overdue the day after: %+v %v", got, err)
		}
	})
}

// memEnv is one Memory environment (for tests that need no DynamoDB).
func memEnv(t *testing.T) *env {
	t.Helper()
	var out *env
	clock := &testClock{}
	clock.setDay("2026-06-01")
	st := storage.NewMemory()
	p := policyDefault()
	svc, err := New(st, p, clock)
	if err != nil {
		t.Fatal(err)
	}
	out = &env{st: st, svc: svc, clock: clock, policy: p}
	out.rg = regradeService(st, p, clock)
	return out
}
