package regrade

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

// fakeLister pages through a fixed list of subjects with index cursors.
type fakeLister struct {
	ids   []domain.SubjectID
	calls int
}

func (f *fakeLister) ListSubjects(_ context.Context, p storage.Page) ([]domain.SubjectID, string, error) {
	f.calls++
	start := 0
	if p.Cursor != "" {
		if _, err := fmt.Sscanf(p.Cursor, "at%d", &start); err != nil {
			return nil, "", storage.ErrBadCursor
		}
	}
	end := min(start+p.Limit, len(f.ids))
	next := ""
	if end < len(f.ids) {
		next = fmt.Sprintf("at%d", end)
	}
	return f.ids[start:end], next, nil
}

// recordingStore remembers which subjects were regraded, in the order
// their regrades began.
type recordingStore struct {
	Store
	mu   sync.Mutex
	seen []domain.SubjectID
}

func (r *recordingStore) ListRecords(ctx context.Context, id domain.SubjectID) ([]domain.Record, error) {
	r.mu.Lock()
	r.seen = append(r.seen, id)
	r.mu.Unlock()
	return r.Store.ListRecords(ctx, id)
}

// sortedSeen is seen in the subjects' order (concurrent regrades of a page
// begin in any order).
func (r *recordingStore) sortedSeen() []domain.SubjectID {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(slices.Values(r.seen))
}

func subjects(n int) []domain.SubjectID {
	out := make([]domain.SubjectID, n)
	for i := range out {
		out[i] = domain.SubjectID(fmt.Sprintf("91411422MA%08d", i))
	}
	return out
}

func TestRegradeAllResumesExactly(t *testing.T) {
	p := policy.MustDefault()
	total := 2*AllPageSize + 37
	tests := []struct {
		name string
		max  int // per call
	}{
		{name: "one call", max: 0},
		{name: "stops inside pages", max: 73},
		{name: "stops on page boundaries", max: AllPageSize},
		{name: "one at a time near the end", max: total - 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ids := subjects(total)
			st := &recordingStore{Store: storage.NewMemory()}
			svc := service(st, p, "2025-05-01")
			lister := &fakeLister{ids: ids}
			cursor, calls, lastProgress := "", 0, 0
			for {
				next, done, err := svc.RegradeAll(context.Background(), lister, cursor, tc.max, func(d int) { lastProgress = d })
				if err != nil {
					t.Fatal(err)
				}
				if done != lastProgress {
					t.Fatalf("done %d, last progress %d", done, lastProgress)
				}
				calls++
				if next == "" {
					break
				}
				if calls > total {
					t.Fatal("walk does not end")
				}
				cursor = next
			}
			if got := st.sortedSeen(); !slices.Equal(got, ids) {
				t.Fatalf("regraded %d subjects (first %v), want each of %d once", len(got), got[:min(3, len(got))], total)
			}
		})
	}
}

// TestRegradeAllStopsOnCancel: walking one subject at a time, a cancelled
// walk stops right after the subject in progress and resumes exactly there.
func TestRegradeAllStopsOnCancel(t *testing.T) {
	p := policy.MustDefault()
	ids := subjects(10)
	st := &recordingStore{Store: storage.NewMemory()}
	svc := service(st, p, "2025-05-01")
	svc.AllWorkers = 1
	ctx, cancel := context.WithCancel(context.Background())
	next, done, err := svc.RegradeAll(ctx, &fakeLister{ids: ids}, "", 0, func(d int) {
		if d == 4 {
			cancel() // the operator's ^C, or the Lambda deadline
		}
	})
	if !errors.Is(err, context.Canceled) || done != 4 || next == "" {
		t.Fatalf("next %q done %d err %v", next, done, err)
	}
	next, done, err = svc.RegradeAll(context.Background(), &fakeLister{ids: ids}, next, 0, nil)
	if err != nil || next != "" || done != 6 {
		t.Fatalf("resume: next %q done %d err %v", next, done, err)
	}
	if !slices.Equal(st.seen, ids) {
		t.Fatalf("regraded %v", st.seen)
	}
}

func TestRegradeAllBadCursor(t *testing.T) {
	svc := service(storage.NewMemory(), policy.MustDefault(), "2025-05-01")
	_, _, err := svc.RegradeAll(context.Background(), &fakeLister{}, "not base64!", 0, nil)
	if !errors.Is(err, storage.ErrBadCursor) {
		t.Fatalf("err = %v", err)
	}
}

func TestRegradeAllAppliesNewPolicy(t *testing.T) {
	ctx := context.Background()
	old := policy.MustDefault()
	st := storage.NewMemory()
	ids := subjects(3)
	for i, id := range ids {
		put(t, st, warning(old, id, fmt.Sprintf("W%d", i), "2025-01-10"))
		if _, err := service(st, old, "2025-01-10").Regrade(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	newer := policy.MustDefault()
	newer.Version = "2026.9"
	if _, _, err := service(st, newer, "2025-01-11").RegradeAll(ctx, &fakeLister{ids: ids}, "", 0, nil); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		g, err := st.GetGrade(ctx, id)
		if err != nil || g.PolicyVersion != "2026.9" || g.Version != 2 {
			t.Fatalf("%s: %+v %v", id, g, err)
		}
	}
}
