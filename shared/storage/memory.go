package storage

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/suixian-psb/credit/shared/domain"
)

// Memory is an in-process Store for unit tests and tools. It keeps the same
// semantics as Dynamo (conditional writes, idempotency, sparse listings in
// key order, opaque cursors); the contract tests hold both to them. Values go
// in and out through JSON, as they do through the table's "doc" attribute.
type Memory struct {
	mu       sync.Mutex
	subjects map[domain.SubjectID]domain.Subject
	records  map[domain.SubjectID]map[string]memRecord
	guards   map[string]docGuard
	grades   map[domain.SubjectID]domain.Grade
	history  map[domain.SubjectID]map[int64]domain.Grade
	tasks    map[domain.SubjectID]map[string]domain.Task
	// office holds reminders, objections and repairs (office_memory.go),
	// guarded by mu so office writes are atomic with record/task changes.
	officeState memOffice
	// plans holds inspection plans (plans_memory.go); they share no
	// transaction with other items, so they carry their own lock.
	planStore memPlans
	// disclosureStore holds the publisher's entries (disclosure_memory.go),
	// with their own lock.
	disclosureStore memDisclosures
}

type memRecord struct {
	rec domain.Record
	rev int64 // bumped on every write; UpdateRecord's optimistic lock
}

// docGuard is what the DOC# item holds: where the document's record lives
// and what it said.
type docGuard struct {
	SubjectID   domain.SubjectID
	RecordID    string
	ContentHash string
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty store.
func NewMemory() *Memory {
	return &Memory{
		subjects:    map[domain.SubjectID]domain.Subject{},
		records:     map[domain.SubjectID]map[string]memRecord{},
		guards:      map[string]docGuard{},
		grades:      map[domain.SubjectID]domain.Grade{},
		history:     map[domain.SubjectID]map[int64]domain.Grade{},
		tasks:       map[domain.SubjectID]map[string]domain.Task{},
		officeState: memOffice{items: map[domain.SubjectID]map[string]memOfficeItem{}},
		planStore:   memPlans{plans: map[string]memPlan{}},
	}
}

func (m *Memory) PutRecord(_ context.Context, subj domain.Subject, rec domain.Record) (domain.Record, bool, error) {
	rec, err := prepareRecord(subj, rec)
	if err != nil {
		return domain.Record{}, false, err
	}
	rec = clone(rec)
	m.mu.Lock()
	defer m.mu.Unlock()
	gk := guardPK(rec.Unit, rec.Kind, rec.DocumentNo)
	if g, ok := m.guards[gk]; ok {
		if g.ContentHash != rec.ContentHash {
			return domain.Record{}, false, ErrConflict
		}
		stored, ok := m.records[g.SubjectID][g.RecordID]
		if !ok {
			return domain.Record{}, false, fmt.Errorf("document guard points at missing record %s: %w", g.RecordID, ErrNotFound)
		}
		return clone(stored.rec), false, nil
	}
	if _, ok := m.records[rec.SubjectID][rec.ID]; ok {
		// Same id, different document: only a hash collision gets here.
		return domain.Record{}, false, fmt.Errorf("record %s exists under another document: %w", rec.ID, ErrConflict)
	}
	m.guards[gk] = docGuard{SubjectID: rec.SubjectID, RecordID: rec.ID, ContentHash: rec.ContentHash}
	if m.records[rec.SubjectID] == nil {
		m.records[rec.SubjectID] = map[string]memRecord{}
	}
	m.records[rec.SubjectID][rec.ID] = memRecord{rec: rec, rev: 1}
	if _, ok := m.subjects[subj.ID]; !ok { // the first profile is kept
		m.subjects[subj.ID] = clone(subj)
	}
	return clone(rec), true, nil
}

func (m *Memory) GetRecord(_ context.Context, subject domain.SubjectID, recordID string) (domain.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.records[subject][recordID]
	if !ok {
		return domain.Record{}, fmt.Errorf("record %s: %w", recordID, ErrNotFound)
	}
	return clone(r.rec), nil
}

func (m *Memory) FindByDocument(_ context.Context, unit string, kind domain.RecordKind, documentNo string) (domain.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.guards[guardPK(unit, kind, documentNo)]
	if !ok {
		return domain.Record{}, fmt.Errorf("document: %w", ErrNotFound)
	}
	r, ok := m.records[g.SubjectID][g.RecordID]
	if !ok {
		return domain.Record{}, fmt.Errorf("record %s: %w", g.RecordID, ErrNotFound)
	}
	return clone(r.rec), nil
}

func (m *Memory) ListRecords(_ context.Context, subject domain.SubjectID) ([]domain.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]domain.Record, 0, len(m.records[subject]))
	for _, r := range m.records[subject] {
		out = append(out, clone(r.rec))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (m *Memory) UpdateRecord(_ context.Context, subject domain.SubjectID, recordID string, expectStatus domain.Status, mutate func(*domain.Record) error) (domain.Record, error) {
	m.mu.Lock()
	cur, ok := m.records[subject][recordID]
	m.mu.Unlock()
	if !ok {
		return domain.Record{}, fmt.Errorf("record %s: %w", recordID, ErrNotFound)
	}
	if cur.rec.Status != expectStatus {
		return domain.Record{}, fmt.Errorf("record %s is %s, not %s: %w", recordID, cur.rec.Status, expectStatus, ErrStale)
	}
	next := clone(cur.rec)
	// mutate runs outside the lock: it may be slow or call the store.
	if err := mutate(&next); err != nil {
		return domain.Record{}, err
	}
	if err := checkIdentity(cur.rec, next); err != nil {
		return domain.Record{}, err
	}
	next = clone(next)
	m.mu.Lock()
	defer m.mu.Unlock()
	now, ok := m.records[subject][recordID]
	if !ok || now.rev != cur.rev || now.rec.Status != expectStatus {
		return domain.Record{}, fmt.Errorf("record %s changed meanwhile: %w", recordID, ErrStale)
	}
	m.records[subject][recordID] = memRecord{rec: next, rev: cur.rev + 1}
	return clone(next), nil
}

func (m *Memory) GetSubject(_ context.Context, id domain.SubjectID) (domain.Subject, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.subjects[id]
	if !ok {
		return domain.Subject{}, fmt.Errorf("subject: %w", ErrNotFound)
	}
	return clone(s), nil
}

func (m *Memory) GetGrade(_ context.Context, id domain.SubjectID) (domain.Grade, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.grades[id]
	if !ok {
		return domain.Grade{}, fmt.Errorf("grade: %w", ErrNotFound)
	}
	return clone(g), nil
}

func (m *Memory) PutGrade(_ context.Context, g domain.Grade, withHistory bool) error {
	if err := checkGrade(g); err != nil {
		return err
	}
	g = clone(g)
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, exists := m.grades[g.SubjectID]
	if g.Version == 1 && exists || g.Version > 1 && (!exists || cur.Version != g.Version-1) {
		return fmt.Errorf("grade version %d: %w", g.Version, ErrStale)
	}
	m.grades[g.SubjectID] = g
	if withHistory {
		if m.history[g.SubjectID] == nil {
			m.history[g.SubjectID] = map[int64]domain.Grade{}
		}
		m.history[g.SubjectID][g.Version] = g
	}
	return nil
}

func (m *Memory) GradeHistory(_ context.Context, id domain.SubjectID) ([]domain.Grade, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]domain.Grade, 0, len(m.history[id]))
	for _, g := range m.history[id] {
		out = append(out, clone(g))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

func (m *Memory) ListByLevel(_ context.Context, level domain.Level, p Page) ([]domain.Grade, string, error) {
	m.mu.Lock()
	var items []keyed[domain.Grade]
	for id, g := range m.grades {
		if g.Level == level {
			items = append(items, keyed[domain.Grade]{key: string(id), v: clone(g)})
		}
	}
	m.mu.Unlock()
	return memPage(items, p)
}

func (m *Memory) DueRecords(_ context.Context, through domain.Date, p Page) ([]RecordRef, string, error) {
	bound := dueBound(through)
	m.mu.Lock()
	var items []keyed[RecordRef]
	for _, recs := range m.records {
		for _, r := range recs {
			if sk, ok := expireSK(r.rec); ok && sk < bound {
				items = append(items, keyed[RecordRef]{key: sk, v: RecordRef{SubjectID: r.rec.SubjectID, RecordID: r.rec.ID, Due: r.rec.CountsUntil}})
			}
		}
	}
	m.mu.Unlock()
	return memPage(items, p)
}

func (m *Memory) DueGrades(_ context.Context, through domain.Date, p Page) ([]RecordRef, string, error) {
	bound := dueBound(through)
	m.mu.Lock()
	var items []keyed[RecordRef]
	for _, g := range m.grades {
		if sk, ok := regradeSK(g); ok && sk < bound {
			items = append(items, keyed[RecordRef]{key: sk, v: RecordRef{SubjectID: g.SubjectID, Due: g.NextChange}})
		}
	}
	m.mu.Unlock()
	return memPage(items, p)
}

func (m *Memory) PutTask(_ context.Context, t domain.Task) error {
	t, err := prepareTask(t)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.tasks[t.SubjectID][t.ID]; ok {
		return nil // already there, open or closed: a task is never duplicated nor reopened
	}
	if m.tasks[t.SubjectID] == nil {
		m.tasks[t.SubjectID] = map[string]domain.Task{}
	}
	m.tasks[t.SubjectID][t.ID] = clone(t)
	return nil
}

func (m *Memory) ListTasks(_ context.Context, subject domain.SubjectID) ([]domain.Task, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]domain.Task, 0, len(m.tasks[subject]))
	for _, t := range m.tasks[subject] {
		out = append(out, clone(t))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (m *Memory) ListOpenTasks(_ context.Context, p Page) ([]domain.Task, string, error) {
	m.mu.Lock()
	var items []keyed[domain.Task]
	for _, ts := range m.tasks {
		for _, t := range ts {
			if sk, ok := openTaskSK(t); ok {
				items = append(items, keyed[domain.Task]{key: sk, v: clone(t)})
			}
		}
	}
	m.mu.Unlock()
	return memPage(items, p)
}

func (m *Memory) CloseTask(_ context.Context, subject domain.SubjectID, taskID, closedBy string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tasks[subject][taskID]
	if !ok {
		return fmt.Errorf("task %s: %w", taskID, ErrNotFound)
	}
	if t.Status != TaskOpen {
		return fmt.Errorf("task %s is already %s: %w", taskID, t.Status, ErrStale)
	}
	t.Status = TaskClosed
	t.ClosedBy = closedBy
	m.tasks[subject][taskID] = t
	return nil
}

// keyed is a listing entry with the index sort key it would have in the table.
type keyed[T any] struct {
	key string
	v   T
}

// memPage returns the page of items after the cursor, in key order. The
// cursor is the last key returned, wrapped so it stays opaque to callers.
func memPage[T any](items []keyed[T], p Page) ([]T, string, error) {
	sort.Slice(items, func(i, j int) bool { return items[i].key < items[j].key })
	start := 0
	if p.Cursor != "" {
		after, err := decodeMemCursor(p.Cursor)
		if err != nil {
			return nil, "", err
		}
		start = sort.Search(len(items), func(i int) bool { return items[i].key > after })
	}
	end := min(start+pageLimit(p), len(items))
	out := make([]T, 0, end-start)
	for _, it := range items[start:end] {
		out = append(out, it.v)
	}
	next := ""
	if end < len(items) {
		next = encodeMemCursor(items[end-1].key)
	}
	return out, next, nil
}

type memCursor struct {
	After string `json:"m"`
}

func encodeMemCursor(key string) string { return EncodeCursor(memCursor{After: key}) }

func decodeMemCursor(s string) (string, error) {
	var c memCursor
	if err := DecodeCursor(s, &c); err != nil {
		return "", err
	}
	if c.After == "" {
		return "", fmt.Errorf("%w: not a memory-store cursor", ErrBadCursor)
	}
	return c.After, nil
}
