package regrade

import (
	"context"
	"errors"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

// step is one regrade in a scenario: records posted before it, the day it
// runs, and what must hold after it.
type step struct {
	post        []domain.Record
	mutate      func(t *testing.T, st *storage.Memory)
	day         string
	policy      *policy.Policy // nil: the default
	wantLevel   domain.Level
	wantChanged bool
	wantVersion int64
	wantHistory int
	wantSince   string
	wantTasks   []string
}

func TestRegradeScenarios(t *testing.T) {
	p := policy.MustDefault()
	p2 := policy.MustDefault()
	p2.Version = "2026.2"

	w1 := warning(p, subj, "W1", "2025-01-10")
	w2 := warning(p, subj, "W2", "2025-02-10")
	w3 := warning(p, subj, "W3", "2025-03-10")
	red := listEntry(subj, "RED1", domain.ListRed, "2025-01-01", "2026-12-31")

	tests := []struct {
		name  string
		steps []step
	}{
		{
			name: "first grade, duplicate regrade writes nothing",
			steps: []step{
				{post: []domain.Record{w1}, day: "2025-01-10", wantLevel: domain.LevelB, wantChanged: true, wantVersion: 1, wantHistory: 1, wantSince: "2025-01-10", wantTasks: []string{"remind-B-2025-01-10"}},
				{day: "2025-01-10", wantLevel: domain.LevelB, wantVersion: 1, wantHistory: 1, wantSince: "2025-01-10", wantTasks: []string{"remind-B-2025-01-10"}},
			},
		},
		{
			name: "reasons change at the same level: history, Since kept, no new task",
			steps: []step{
				{post: []domain.Record{w1}, day: "2025-01-10", wantLevel: domain.LevelB, wantChanged: true, wantVersion: 1, wantHistory: 1, wantSince: "2025-01-10", wantTasks: []string{"remind-B-2025-01-10"}},
				{post: []domain.Record{w2}, day: "2025-02-10", wantLevel: domain.LevelB, wantChanged: true, wantVersion: 2, wantHistory: 2, wantSince: "2025-01-10", wantTasks: []string{"remind-B-2025-01-10"}},
			},
		},
		{
			name: "B to C opens the C task; aging out back to B opens a new B task",
			steps: []step{
				{post: []domain.Record{w1, w2}, day: "2025-02-10", wantLevel: domain.LevelB, wantChanged: true, wantVersion: 1, wantHistory: 1, wantSince: "2025-02-10", wantTasks: []string{"remind-B-2025-02-10"}},
				{post: []domain.Record{w3}, day: "2025-03-10", wantLevel: domain.LevelC, wantChanged: true, wantVersion: 2, wantHistory: 2, wantSince: "2025-03-10",
					wantTasks: []string{"remind-B-2025-02-10", "remind-C-2025-03-10"}},
				{day: "2026-01-10", wantLevel: domain.LevelB, wantChanged: true, wantVersion: 3, wantHistory: 3, wantSince: "2026-01-10",
					wantTasks: []string{"remind-B-2025-02-10", "remind-B-2026-01-10", "remind-C-2025-03-10"}},
			},
		},
		{
			name: "only the next change moves: new version without history",
			steps: []step{
				{post: []domain.Record{red}, day: "2025-06-01", wantLevel: domain.LevelA, wantChanged: true, wantVersion: 1, wantHistory: 1, wantSince: "2025-06-01"},
				{mutate: func(t *testing.T, st *storage.Memory) {
					// The red-list entry is removed from 2025-09-01 on: the
					// grade is still A today, for the same reason, but will
					// change earlier.
					_, err := st.UpdateRecord(context.Background(), subj, red.ID, domain.StatusActive, func(r *domain.Record) error {
						r.ListEntry.RemovedOn = domain.MustDate("2025-09-01")
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
				}, day: "2025-06-02", wantLevel: domain.LevelA, wantChanged: true, wantVersion: 2, wantHistory: 1, wantSince: "2025-06-01"},
			},
		},
		{
			name: "policy change with the same level and reasons: new version without history",
			steps: []step{
				{post: []domain.Record{w1}, day: "2025-01-10", wantLevel: domain.LevelB, wantChanged: true, wantVersion: 1, wantHistory: 1, wantSince: "2025-01-10", wantTasks: []string{"remind-B-2025-01-10"}},
				{policy: p2, day: "2025-01-11", wantLevel: domain.LevelB, wantChanged: true, wantVersion: 2, wantHistory: 1, wantSince: "2025-01-10", wantTasks: []string{"remind-B-2025-01-10"}},
			},
		},
		{
			name: "subject with only ungraded records is stored unrated",
			steps: []step{
				{post: []domain.Record{inspection(subj, "I1", "2025-01-09")}, day: "2025-01-10", wantLevel: domain.LevelUnrated, wantChanged: true, wantVersion: 1, wantHistory: 1, wantSince: "2025-01-10"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := storage.NewMemory()
			for i, s := range tc.steps {
				put(t, st, s.post...)
				if s.mutate != nil {
					s.mutate(t, st)
				}
				pol := p
				if s.policy != nil {
					pol = s.policy
				}
				res, err := service(st, pol, s.day).Regrade(ctx, subj)
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				g, err := st.GetGrade(ctx, subj)
				if err != nil {
					t.Fatalf("step %d: GetGrade: %v", i, err)
				}
				hist, _ := st.GradeHistory(ctx, subj)
				tasks, _ := st.ListTasks(ctx, subj)
				var taskIDs []string
				for _, tk := range tasks {
					taskIDs = append(taskIDs, tk.ID)
				}
				switch {
				case res.Changed != s.wantChanged:
					t.Errorf("step %d: changed = %v, want %v", i, res.Changed, s.wantChanged)
				case g.Level != s.wantLevel || res.Grade.Level != s.wantLevel:
					t.Errorf("step %d: level = %s (result %s), want %s", i, g.Level, res.Grade.Level, s.wantLevel)
				case g.Version != s.wantVersion:
					t.Errorf("step %d: version = %d, want %d", i, g.Version, s.wantVersion)
				case len(hist) != s.wantHistory:
					t.Errorf("step %d: %d history items, want %d", i, len(hist), s.wantHistory)
				case g.Since.String() != s.wantSince:
					t.Errorf("step %d: since = %s, want %s", i, g.Since, s.wantSince)
				case !equalStrings(taskIDs, s.wantTasks):
					t.Errorf("step %d: tasks = %v, want %v", i, taskIDs, s.wantTasks)
				case g.AsOf.IsZero() || g.ComputedAt.IsZero() || g.ComputedAt.Location().String() != "UTC":
					t.Errorf("step %d: as_of %s computed_at %v", i, g.AsOf, g.ComputedAt)
				}
			}
		})
	}
}

func TestRegradeTaskDueDate(t *testing.T) {
	p := policy.MustDefault()
	st := storage.NewMemory()
	put(t, st, warning(p, subj, "W1", "2025-01-10"))
	if _, err := service(st, p, "2025-01-12").Regrade(context.Background(), subj); err != nil {
		t.Fatal(err)
	}
	tasks, _ := st.ListTasks(context.Background(), subj)
	if len(tasks) != 1 {
		t.Fatalf("tasks = %v", tasks)
	}
	tk := tasks[0]
	want := domain.MustDate("2025-01-12").AddDays(p.Reminders.DueDays)
	if tk.DueOn != want || tk.OpenedOn != domain.MustDate("2025-01-12") || tk.Status != storage.TaskOpen || tk.Level != domain.LevelB ||
		!equalStrings(tk.Allowed, p.Reminders.Methods[domain.LevelB]) {
		t.Fatalf("task = %+v, want due %s", tk, want)
	}
}

// staleStore loses the first n PutGrade calls to a "concurrent" writer.
type staleStore struct {
	Store
	n     int
	calls int
}

func (s *staleStore) PutGrade(ctx context.Context, g domain.Grade, h bool) error {
	s.calls++
	if s.calls <= s.n {
		return storage.ErrStale
	}
	return s.Store.PutGrade(ctx, g, h)
}

func TestRegradeRetriesStale(t *testing.T) {
	p := policy.MustDefault()
	tests := []struct {
		name     string
		losses   int
		wantErr  bool
		attempts int
	}{
		{name: "no race", losses: 0, attempts: 1},
		{name: "two lost races", losses: 2, attempts: 3},
		{name: "always loses", losses: MaxAttempts, wantErr: true, attempts: MaxAttempts},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := storage.NewMemory()
			put(t, mem, warning(p, subj, "W1", "2025-01-10"))
			st := &staleStore{Store: mem, n: tc.losses}
			res, err := service(st, p, "2025-01-10").Regrade(context.Background(), subj)
			if (err != nil) != tc.wantErr || res.Attempts != tc.attempts {
				t.Fatalf("err = %v, attempts = %d; want err %v, attempts %d", err, res.Attempts, tc.wantErr, tc.attempts)
			}
			if tc.wantErr && !errors.Is(err, storage.ErrStale) {
				t.Fatalf("error %v is not ErrStale", err)
			}
			_, gerr := mem.GetGrade(context.Background(), subj)
			if tc.wantErr != errors.Is(gerr, storage.ErrNotFound) {
				t.Fatalf("stored grade: %v", gerr)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRegradeUnknownSubjectWritesNothing(t *testing.T) {
	st := storage.NewMemory()
	res, err := service(st, policy.MustDefault(), "2025-01-10").Regrade(context.Background(), "91411422MA99999999")
	if err != nil || res.Changed {
		t.Fatalf("result %+v, err %v", res, err)
	}
	if _, err := st.GetGrade(context.Background(), "91411422MA99999999"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("a grade was stored for a subject without records: %v", err)
	}
}
