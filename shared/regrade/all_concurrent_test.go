package regrade

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

// gateStore holds the first `gate` regrades until that many are in
// progress at once (failing the test if they never are: the walk is not
// concurrent), and fails the regrade of one subject.
type gateStore struct {
	recordingStore
	gate    int
	arrived int
	open    chan struct{}
	failOn  domain.SubjectID
	t       *testing.T
}

var errInjected = errors.New("injected failure")

func (g *gateStore) ListRecords(ctx context.Context, id domain.SubjectID) ([]domain.Record, error) {
	g.mu.Lock()
	g.arrived++
	wait := g.arrived <= g.gate
	if g.arrived == g.gate {
		close(g.open)
	}
	g.mu.Unlock()
	if wait {
		select {
		case <-g.open:
		case <-time.After(10 * time.Second):
			g.t.Errorf("only %d regrades ever ran at once, want %d", g.arrived, g.gate)
		}
	}
	if id == g.failOn {
		return nil, errInjected
	}
	return g.recordingStore.ListRecords(ctx, id)
}

// TestRegradeAllConcurrentNeverSkips: regrading a page's subjects at once,
// a walk cancelled or failing at any point returns a cursor before every
// subject it did not regrade, and the resumed walk covers every subject.
func TestRegradeAllConcurrentNeverSkips(t *testing.T) {
	total := 3*AllPageSize + 17
	ids := subjects(total)
	tests := []struct {
		name     string
		cancelAt int // cancel once this many are done (0: never)
		failAt   int // index of the subject whose regrade fails (-1: none)
	}{
		{name: "cancel after the first", cancelAt: 1, failAt: -1},
		{name: "cancel inside the first page", cancelAt: 50, failAt: -1},
		{name: "cancel near a page's end", cancelAt: 2*AllPageSize - 3, failAt: -1},
		{name: "a regrade fails inside a page", failAt: AllPageSize + 41},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			const workers = 8
			st := &gateStore{recordingStore: recordingStore{Store: storage.NewMemory()}, gate: workers, open: make(chan struct{}), t: t}
			if tc.failAt >= 0 {
				st.failOn = ids[tc.failAt]
			}
			svc := service(st, policy.MustDefault(), "2025-05-01")
			svc.AllWorkers = workers
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			next, done, err := svc.RegradeAll(ctx, &fakeLister{ids: ids}, "", 0, func(d int) {
				if d == tc.cancelAt {
					cancel()
				}
			})
			switch {
			case tc.failAt >= 0 && !errors.Is(err, errInjected):
				t.Fatalf("err = %v, want the injected failure", err)
			case tc.failAt < 0 && !errors.Is(err, context.Canceled):
				t.Fatalf("err = %v, want context.Canceled", err)
			case next == "":
				t.Fatalf("an interrupted walk says it is complete (done %d)", done)
			}
			at := absolute(t, next)
			first := st.sortedSeen()
			if n := len(first); n != done {
				t.Errorf("%d regrades began, done %d", n, done)
			}
			// Every subject before the cursor was regraded in this call.
			for _, id := range ids[:at] {
				if _, ok := slices.BinarySearch(first, id); !ok || id == st.failOn {
					t.Fatalf("cursor at %d passes %s, which was not regraded", at, id)
				}
			}
			if tc.failAt >= 0 && at > tc.failAt {
				t.Fatalf("cursor at %d passes the failed subject %d", at, tc.failAt)
			}
			// Resume (without the failure) to the end: every subject is
			// covered, and at most a few in-flight ones are repeated.
			st.failOn = ""
			if next, _, err = svc.RegradeAll(context.Background(), &fakeLister{ids: ids}, next, 0, nil); err != nil || next != "" {
				t.Fatalf("resume: next %q err %v", next, err)
			}
			all := slices.Compact(st.sortedSeen())
			if !slices.Equal(all, ids) {
				t.Fatalf("after resuming, %d distinct subjects regraded, want %d", len(all), total)
			}
			if extra := len(st.sortedSeen()) - total; extra > AllPageSize {
				t.Errorf("%d subjects regraded twice: more than a page", extra)
			}
		})
	}
}

// absolute is the index in the fake lister's order of a RegradeAll cursor.
func absolute(t *testing.T, cursor string) int {
	t.Helper()
	c, err := decodeAllCursor(cursor)
	if err != nil {
		t.Fatal(err)
	}
	start := 0
	if c.Page != "" {
		if _, err := fmt.Sscanf(c.Page, "at%d", &start); err != nil {
			t.Fatal(err)
		}
	}
	return start + c.Skip
}
