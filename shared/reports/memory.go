package reports

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"
)

var timeZero = time.Time{}

// Memory is a Store and RateCounter in memory, for tests.
type Memory struct {
	mu      sync.Mutex
	reports map[string]Report
	reveals map[string][]Reveal
	counts  map[string]int
}

var (
	_ Store       = (*Memory)(nil)
	_ RateCounter = (*Memory)(nil)
)

func NewMemory() *Memory {
	return &Memory{reports: map[string]Report{}, reveals: map[string][]Reveal{}, counts: map[string]int{}}
}

func cloneReport(r Report) Report {
	r.SealedIdentity = append([]byte(nil), r.SealedIdentity...)
	if len(r.SealedIdentity) == 0 {
		r.SealedIdentity = nil
	}
	return r
}

func (m *Memory) PutReport(_ context.Context, r Report) error {
	if err := checkReport(r); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.reports[r.Receipt]; ok {
		return ErrExists
	}
	m.reports[r.Receipt] = cloneReport(normalize(r))
	return nil
}

func (m *Memory) GetReport(_ context.Context, receipt string) (Report, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.reports[receipt]
	if !ok {
		return Report{}, fmt.Errorf("report: %w", ErrNotFound)
	}
	return cloneReport(r), nil
}

func (m *Memory) ListReports(_ context.Context, status Status, cursor string, limit int) ([]Report, string, error) {
	after := ""
	if cursor != "" {
		var err error
		if after, err = decodeCursor(cursor); err != nil {
			return nil, "", err
		}
	}
	limit = clampLimit(limit)
	m.mu.Lock()
	var all []Report
	for _, r := range m.reports {
		if r.Status == status && listingSK(r) > after {
			all = append(all, cloneReport(r))
		}
	}
	m.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return listingSK(all[i]) < listingSK(all[j]) })
	if len(all) <= limit {
		return all, "", nil
	}
	all = all[:limit]
	return all, encodeCursor(listingSK(all[limit-1])), nil
}

func (m *Memory) SetStatus(_ context.Context, receipt string, from, to Status, outcome Outcome, at time.Time) (Report, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.reports[receipt]
	if !ok {
		return Report{}, fmt.Errorf("report: %w", ErrNotFound)
	}
	if r.Status != from {
		return Report{}, fmt.Errorf("report is %s, not %s: %w", r.Status, from, ErrStale)
	}
	r.Status, r.Outcome, r.UpdatedAt = to, outcome, at.UTC()
	m.reports[receipt] = r
	return cloneReport(r), nil
}

func (m *Memory) AddReveal(_ context.Context, rv Reveal) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.reports[rv.Receipt]; !ok {
		return fmt.Errorf("report: %w", ErrNotFound)
	}
	rv.At = rv.At.UTC()
	m.reveals[rv.Receipt] = append(m.reveals[rv.Receipt], rv)
	return nil
}

func (m *Memory) ListReveals(_ context.Context, receipt string) ([]Reveal, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := append([]Reveal{}, m.reveals[receipt]...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

func (m *Memory) Take(_ context.Context, source string, window time.Time, limit int, _ time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := ratePK(source) + "/" + windowSK(window)
	if m.counts[key] >= limit {
		return false, nil
	}
	m.counts[key]++
	return true, nil
}

// checkReport refuses a report no store should hold.
func checkReport(r Report) error {
	switch {
	case !ValidReceipt(r.Receipt):
		return fmt.Errorf("report: invalid receipt")
	case !r.Status.Valid():
		return fmt.Errorf("report: invalid status %q", r.Status)
	case r.ReceivedAt.IsZero():
		return fmt.Errorf("report: received_at is required")
	}
	return nil
}

// normalize keeps times in UTC and HasIdentity in step with the seal.
func normalize(r Report) Report {
	r.ReceivedAt = r.ReceivedAt.UTC()
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = r.ReceivedAt
	}
	r.UpdatedAt = r.UpdatedAt.UTC()
	r.HasIdentity = len(r.SealedIdentity) > 0
	return r
}

func windowSK(window time.Time) string { return fmt.Sprintf("%s%d", skWindowPrefix, window.Unix()) }
