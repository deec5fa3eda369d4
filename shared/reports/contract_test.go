package reports

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/testenv"
)

type fullStore interface {
	Store
	RateCounter
}

var (
	bg = context.Background()
	t0 = time.Date(2026, 12, 4, 1, 2, 3, 0, time.UTC)
)

// receiptN is a valid, distinct receipt for n < 32^2.
func receiptN(n int) string {
	return fmt.Sprintf("JB-AAAAAAAA%c%c", receiptAlphabet[n/32%32], receiptAlphabet[n%32])
}

func sample(n int, at time.Time) Report {
	return Report{
		Receipt: receiptN(n), Target: Target{Name: "某公司"}, Description: "描述",
		Status: StatusReceived, ReceivedAt: at,
	}
}

func runContract(t *testing.T, newStore func(t *testing.T) fullStore) {
	cases := []struct {
		name string
		run  func(t *testing.T, s fullStore)
	}{
		{"put, get, not found and no second put", contractPutGet},
		{"the sealed identity survives and sets has_identity", contractSealed},
		{"list pages by status, oldest first", contractList},
		{"status moves conditionally", contractStatus},
		{"reveals are kept in order", contractReveals},
		{"rate counter stops at the limit per source and window", contractRate},
		{"concurrent takes never overshoot", contractRateConcurrent},
		{"bad cursor", contractBadCursor},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, newStore(t))
		})
	}
}

func TestMemoryContract(t *testing.T) {
	runContract(t, func(*testing.T) fullStore { return NewMemory() })
}

func TestDynamoContract(t *testing.T) {
	runContract(t, func(t *testing.T) fullStore {
		db, table := testenv.NewTable(t)
		return NewDynamo(db, table)
	})
}

func contractPutGet(t *testing.T, s fullStore) {
	r := sample(1, t0)
	if err := s.PutReport(bg, r); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetReport(bg, r.Receipt)
	if err != nil {
		t.Fatal(err)
	}
	r.UpdatedAt = r.ReceivedAt
	if got.Receipt != r.Receipt || got.Target != r.Target || got.Description != r.Description ||
		got.Status != StatusReceived || !got.ReceivedAt.Equal(t0) || !got.UpdatedAt.Equal(t0) || got.HasIdentity {
		t.Errorf("got %+v", got)
	}
	if err := s.PutReport(bg, sample(1, t0.Add(time.Hour))); !errors.Is(err, ErrExists) {
		t.Errorf("second put: %v, want ErrExists", err)
	}
	if _, err := s.GetReport(bg, receiptN(2)); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
	bad := sample(3, t0)
	bad.Receipt = "JB-lower"
	if err := s.PutReport(bg, bad); err == nil {
		t.Error("a malformed receipt was stored")
	}
}

func contractSealed(t *testing.T, s fullStore) {
	r := sample(1, t0)
	r.SealedIdentity = []byte{1, 2, 3, 0, 255}
	r.HasIdentity = false // the store decides from the seal
	if err := s.PutReport(bg, r); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetReport(bg, r.Receipt)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.SealedIdentity, r.SealedIdentity) || !got.HasIdentity {
		t.Errorf("sealed %v has %v", got.SealedIdentity, got.HasIdentity)
	}
}

func contractList(t *testing.T, s fullStore) {
	// Put in an order different from arrival.
	for _, i := range []int{3, 0, 4, 1, 2} {
		if err := s.PutReport(bg, sample(i, t0.Add(time.Duration(i)*time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SetStatus(bg, receiptN(2), StatusReceived, StatusUnderReview, "", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var got []string
	cursor := ""
	for page := 0; ; page++ {
		rs, next, err := s.ListReports(bg, StatusReceived, cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			got = append(got, r.Receipt)
		}
		if next == "" {
			break
		}
		if page > 5 {
			t.Fatal("no end")
		}
		cursor = next
	}
	want := []string{receiptN(0), receiptN(1), receiptN(3), receiptN(4)}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("received: %v, want %v", got, want)
	}
	rs, next, err := s.ListReports(bg, StatusUnderReview, "", 10)
	if err != nil || len(rs) != 1 || rs[0].Receipt != receiptN(2) || next != "" {
		t.Errorf("under review: %v %q %v", rs, next, err)
	}
	// Exactly a page: no cursor.
	rs, next, err = s.ListReports(bg, StatusReceived, "", 4)
	if err != nil || len(rs) != 4 || next != "" {
		t.Errorf("full page: %d %q %v", len(rs), next, err)
	}
}

func contractStatus(t *testing.T, s fullStore) {
	r := sample(1, t0)
	if err := s.PutReport(bg, r); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(48 * time.Hour)
	got, err := s.SetStatus(bg, r.Receipt, StatusReceived, StatusClosed, OutcomeReferred, at)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusClosed || got.Outcome != OutcomeReferred || !got.UpdatedAt.Equal(at) {
		t.Errorf("got %+v", got)
	}
	if _, err := s.SetStatus(bg, r.Receipt, StatusReceived, StatusUnderReview, "", at); !errors.Is(err, ErrStale) {
		t.Errorf("stale move: %v", err)
	}
	if _, err := s.SetStatus(bg, receiptN(9), StatusReceived, StatusClosed, OutcomeReferred, at); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
	stored, err := s.GetReport(bg, r.Receipt)
	if err != nil || stored.Status != StatusClosed || stored.Outcome != OutcomeReferred {
		t.Errorf("stored %+v %v", stored, err)
	}
	if rs, _, _ := s.ListReports(bg, StatusReceived, "", 10); len(rs) != 0 {
		t.Errorf("a closed report is still listed as received: %v", rs)
	}
}

func contractReveals(t *testing.T, s fullStore) {
	r := sample(1, t0)
	if err := s.PutReport(bg, r); err != nil {
		t.Fatal(err)
	}
	by := domain.Actor{Unit: "411422-OFFICE", User: "wang", Role: "office"}
	for i, at := range []time.Time{t0.Add(2 * time.Hour), t0.Add(time.Hour), t0.Add(time.Hour)} {
		rv := Reveal{Receipt: r.Receipt, At: at, By: by, Reason: fmt.Sprintf("reason %d", i), RequestID: fmt.Sprintf("req-%d", i)}
		if err := s.AddReveal(bg, rv); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ListReveals(bg, r.Receipt)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !got[0].At.Equal(t0.Add(time.Hour)) || !got[2].At.Equal(t0.Add(2*time.Hour)) || got[2].Reason != "reason 0" || got[2].By != by {
		t.Errorf("reveals %+v", got)
	}
	if got, err := s.ListReveals(bg, receiptN(5)); err != nil || len(got) != 0 {
		t.Errorf("none: %v %v", got, err)
	}
}

func contractRate(t *testing.T, s fullStore) {
	w := t0.Truncate(time.Minute)
	exp := w.Add(time.Hour)
	for i := 0; i < 3; i++ {
		if ok, err := s.Take(bg, "h1", w, 3, exp); err != nil || !ok {
			t.Fatalf("take %d: %v %v", i, ok, err)
		}
	}
	if ok, err := s.Take(bg, "h1", w, 3, exp); err != nil || ok {
		t.Errorf("fourth take allowed: %v %v", ok, err)
	}
	if ok, err := s.Take(bg, "h2", w, 3, exp); err != nil || !ok {
		t.Errorf("another source was limited: %v %v", ok, err)
	}
	if ok, err := s.Take(bg, "h1", w.Add(time.Minute), 3, exp); err != nil || !ok {
		t.Errorf("the next window was limited: %v %v", ok, err)
	}
}

func contractRateConcurrent(t *testing.T, s fullStore) {
	w := t0.Truncate(time.Minute)
	var allowed atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.Take(bg, "burst", w, 5, w.Add(time.Hour))
			if err != nil {
				t.Error(err)
			}
			if ok {
				allowed.Add(1)
			}
		}()
	}
	wg.Wait()
	if allowed.Load() != 5 {
		t.Errorf("%d allowed, want 5", allowed.Load())
	}
}

func contractBadCursor(t *testing.T, s fullStore) {
	for _, c := range []string{"!!!", encodeCursor("nonsense"), encodeCursor("2026-12-04T01:02:03.000000000Z#JB-x")} {
		if _, _, err := s.ListReports(bg, StatusReceived, c, 10); !errors.Is(err, ErrBadCursor) {
			t.Errorf("cursor %q: %v", c, err)
		}
	}
}
