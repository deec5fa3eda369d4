package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
)

// memOffice is Memory's office state (Memory.officeState). It is only touched
// under the Memory's own mutex, so office writes that change a record or a
// task are atomic with them.
type memOffice struct {
	items map[domain.SubjectID]map[string]memOfficeItem // subject → sort key
}

type memOfficeItem struct {
	doc officeDoc // value cleared; raw holds it
	raw []byte
}

// office returns m's office state; the caller holds m.mu.
func (m *Memory) office() *memOffice { return &m.officeState }

// applyOffice performs w with the same conditions Dynamo's transaction
// has. It returns the stored item's JSON (the existing one on an idempotent
// repeat), the rewritten record (when w changes one) and whether it wrote.
func (m *Memory) applyOffice(w officeWrite) ([]byte, domain.Record, bool, error) {
	raw, err := json.Marshal(w.doc.value)
	if err != nil {
		return nil, domain.Record{}, false, fmt.Errorf("encode %s: %w", w.doc.entity, err)
	}
	var (
		cur         memRecord
		next        domain.Record
		staleRecord bool
	)
	if rc := w.record; rc != nil {
		m.mu.Lock()
		c, ok := m.records[rc.SubjectID][rc.RecordID]
		m.mu.Unlock()
		if !ok {
			return nil, domain.Record{}, false, fmt.Errorf("record %s: %w", rc.RecordID, ErrNotFound)
		}
		cur = c
		if cur.rec.Status != rc.Expect {
			staleRecord = true // reported after an idempotent repeat is ruled out
		} else {
			next = clone(cur.rec)
			// mutate runs outside the lock, as in UpdateRecord.
			if err := rc.Mutate(&next); err != nil {
				return nil, domain.Record{}, false, err
			}
			if err := checkIdentity(cur.rec, next); err != nil {
				return nil, domain.Record{}, false, err
			}
			next = clone(next)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.office()
	existing, exists := st.items[w.doc.subject][w.doc.sk]
	switch {
	case w.create && exists && existing.doc.hash == w.doc.hash:
		return existing.raw, domain.Record{}, false, nil
	case w.create && exists:
		return nil, domain.Record{}, false, fmt.Errorf("%s %s exists with other content: %w", w.doc.entity, w.doc.sk, ErrConflict)
	case !w.create && !exists:
		return nil, domain.Record{}, false, fmt.Errorf("%s %s: %w", w.doc.entity, w.doc.sk, ErrNotFound)
	case !w.create && existing.doc.status != w.expectStatus:
		return nil, domain.Record{}, false, fmt.Errorf("%s %s is %s, not %s: %w", w.doc.entity, w.doc.sk, existing.doc.status, w.expectStatus, ErrStale)
	}
	if rc := w.record; rc != nil {
		now, ok := m.records[rc.SubjectID][rc.RecordID]
		if staleRecord || !ok || now.rev != cur.rev || now.rec.Status != rc.Expect {
			return nil, domain.Record{}, false, fmt.Errorf("record %s is not %s or changed meanwhile: %w", rc.RecordID, rc.Expect, ErrStale)
		}
	}
	if w.closeTask != "" {
		t, ok := m.tasks[w.doc.subject][w.closeTask]
		if !ok {
			return nil, domain.Record{}, false, fmt.Errorf("task %s: %w", w.closeTask, ErrNotFound)
		}
		if t.Status != TaskOpen {
			return nil, domain.Record{}, false, fmt.Errorf("task %s is already %s: %w", w.closeTask, t.Status, ErrStale)
		}
		t.Status, t.ClosedBy = TaskClosed, w.closedBy
		m.tasks[w.doc.subject][w.closeTask] = t
	}
	if rc := w.record; rc != nil {
		m.records[rc.SubjectID][rc.RecordID] = memRecord{rec: next, rev: cur.rev + 1}
	}
	if st.items[w.doc.subject] == nil {
		st.items[w.doc.subject] = map[string]memOfficeItem{}
	}
	d := w.doc
	d.value = nil
	st.items[w.doc.subject][w.doc.sk] = memOfficeItem{doc: d, raw: raw}
	if w.record != nil {
		return raw, clone(next), true, nil
	}
	return raw, domain.Record{}, true, nil
}

func decodeRaw[T any](raw []byte) (T, error) {
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, fmt.Errorf("decode %T: %w", v, err)
	}
	return v, nil
}

// subjectItems lists a subject's office items whose sort key starts with
// prefix, in key order.
func memSubjectItems[T any](m *Memory, subject domain.SubjectID, prefix string) ([]T, error) {
	m.mu.Lock()
	var keys []string
	items := m.office().items[subject]
	for sk := range items {
		if len(sk) >= len(prefix) && sk[:len(prefix)] == prefix {
			keys = append(keys, sk)
		}
	}
	sort.Strings(keys)
	raws := make([][]byte, len(keys))
	for i, k := range keys {
		raws[i] = items[k].raw
	}
	m.mu.Unlock()
	out := make([]T, 0, len(raws))
	for _, r := range raws {
		v, err := decodeRaw[T](r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// memIndex lists office items in ListIndex partition gsiPK whose sort key
// is in [lo, hi) (hi "" for no upper bound), keyed for memPage.
func memIndex[T any](m *Memory, gsiPK, lo, hi string) ([]keyed[T], error) {
	m.mu.Lock()
	var found []memOfficeItem
	for _, items := range m.office().items {
		for _, it := range items {
			if it.doc.gsiPK == gsiPK && it.doc.gsiSK >= lo && (hi == "" || it.doc.gsiSK < hi) {
				found = append(found, it)
			}
		}
	}
	m.mu.Unlock()
	out := make([]keyed[T], 0, len(found))
	for _, it := range found {
		v, err := decodeRaw[T](it.raw)
		if err != nil {
			return nil, err
		}
		out = append(out, keyed[T]{key: it.doc.gsiSK, v: v})
	}
	return out, nil
}

func (m *Memory) get(subject domain.SubjectID, sk string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	it, ok := m.office().items[subject][sk]
	if !ok {
		return nil, fmt.Errorf("%s: %w", sk, ErrNotFound)
	}
	return it.raw, nil
}

func (m *Memory) RegisterReminder(_ context.Context, r model.Reminder) (model.Reminder, bool, error) {
	d, err := reminderDoc(r)
	if err != nil {
		return model.Reminder{}, false, err
	}
	raw, _, created, err := m.applyOffice(officeWrite{doc: d, create: true, closeTask: r.TaskID, closedBy: r.ID})
	if err != nil {
		return model.Reminder{}, false, err
	}
	stored, err := decodeRaw[model.Reminder](raw)
	return stored, created, err
}

func (m *Memory) ListReminders(_ context.Context, subject domain.SubjectID) ([]model.Reminder, error) {
	return memSubjectItems[model.Reminder](m, subject, prefixRemind)
}

func (m *Memory) RemindersBetween(_ context.Context, from, to time.Time) ([]model.Reminder, error) {
	var all []model.Reminder
	for _, month := range monthPKs(from, to) {
		items, err := memIndex[model.Reminder](m, month, ReminderTime(from), ReminderTime(to))
		if err != nil {
			return nil, err
		}
		sort.Slice(items, func(i, j int) bool { return items[i].key < items[j].key })
		for _, it := range items {
			all = append(all, it.v)
		}
	}
	return all, nil
}

func (m *Memory) ListOverdueTasks(_ context.Context, before domain.Date, p Page) ([]domain.Task, string, error) {
	bound := overdueBound(before)
	m.mu.Lock()
	var items []keyed[domain.Task]
	for _, ts := range m.tasks {
		for _, t := range ts {
			if sk, ok := openTaskSK(t); ok && sk < bound {
				items = append(items, keyed[domain.Task]{key: sk, v: clone(t)})
			}
		}
	}
	m.mu.Unlock()
	return memPage(items, p)
}

func (m *Memory) OpenObjection(_ context.Context, o model.Objection, rc RecordChange) (model.Objection, domain.Record, bool, error) {
	d, err := objectionDoc(o)
	if err != nil {
		return model.Objection{}, domain.Record{}, false, err
	}
	raw, rec, created, err := m.applyOffice(officeWrite{doc: d, create: true, record: &rc})
	if err != nil {
		return model.Objection{}, domain.Record{}, false, err
	}
	stored, err := decodeRaw[model.Objection](raw)
	return stored, rec, created, err
}

func (m *Memory) DecideObjection(_ context.Context, o model.Objection, rc RecordChange) (domain.Record, error) {
	d, err := objectionDoc(o)
	if err != nil {
		return domain.Record{}, err
	}
	_, rec, _, err := m.applyOffice(officeWrite{doc: d, expectStatus: model.ObjectionOpen, record: &rc})
	return rec, err
}

func (m *Memory) GetObjection(_ context.Context, subject domain.SubjectID, id string) (model.Objection, error) {
	raw, err := m.get(subject, prefixObjection+id)
	if err != nil {
		return model.Objection{}, err
	}
	return decodeRaw[model.Objection](raw)
}

func (m *Memory) ListObjections(_ context.Context, subject domain.SubjectID) ([]model.Objection, error) {
	return memSubjectItems[model.Objection](m, subject, prefixObjection)
}

func (m *Memory) ListOpenObjections(_ context.Context, deadlineBefore domain.Date, p Page) ([]model.Objection, string, error) {
	hi := ""
	if !deadlineBefore.IsZero() {
		hi = overdueBound(deadlineBefore)
	}
	items, err := memIndex[model.Objection](m, gsiOpenObjection, "", hi)
	if err != nil {
		return nil, "", err
	}
	return memPage(items, p)
}

func (m *Memory) PutRepair(_ context.Context, r model.Repair) (model.Repair, bool, error) {
	d, err := repairDoc(r)
	if err != nil {
		return model.Repair{}, false, err
	}
	raw, _, created, err := m.applyOffice(officeWrite{doc: d, create: true})
	if err != nil {
		return model.Repair{}, false, err
	}
	stored, err := decodeRaw[model.Repair](raw)
	return stored, created, err
}

func (m *Memory) DecideRepair(_ context.Context, r model.Repair, rc *RecordChange) (domain.Record, error) {
	d, err := repairDoc(r)
	if err != nil {
		return domain.Record{}, err
	}
	_, rec, _, err := m.applyOffice(officeWrite{doc: d, expectStatus: model.RepairPending, record: rc})
	return rec, err
}

func (m *Memory) GetRepair(_ context.Context, subject domain.SubjectID, id string) (model.Repair, error) {
	raw, err := m.get(subject, prefixRepair+id)
	if err != nil {
		return model.Repair{}, err
	}
	return decodeRaw[model.Repair](raw)
}

func (m *Memory) ListRepairs(_ context.Context, subject domain.SubjectID) ([]model.Repair, error) {
	return memSubjectItems[model.Repair](m, subject, prefixRepair)
}

func (m *Memory) ListPendingRepairs(_ context.Context, p Page) ([]model.Repair, string, error) {
	items, err := memIndex[model.Repair](m, gsiPendingRepair, "", "")
	if err != nil {
		return nil, "", err
	}
	return memPage(items, p)
}
