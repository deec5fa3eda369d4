package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
)

// OfficeStore keeps the office workflows (issue 7): the reminder and
// interview register, objections and credit repair applications. Memory and
// Dynamo implement it besides Store; office_contract_test.go holds both to
// the same behaviour.
//
// Items (PK / SK), in the subject's partition:
//
//	SUBJ#<subjectID> / REMIND#<time>#<id>   a register entry (entity "reminder"; the county feed selects it)
//	SUBJ#<subjectID> / OBJ#<objectionID>    an objection (entity "objection")
//	SUBJ#<subjectID> / REPAIR#<repairID>    a repair application (entity "repair")
//
// ListIndex (GSI2PK / GSI2SK), sparse:
//
//	REMIND#<yyyy-mm>  / <time>#<subjectID>#<id>       register entries by Asia/Shanghai month, then time
//	OBJECTION#open    / <deadline>#<subjectID>#<id>   open objections by verification deadline
//	REPAIR#pending    / <appliedOn>#<subjectID>#<id>  pending repair applications
//
// <time> is UTC with whole seconds, fixed width ("2006-01-02T15:04:05Z"), so
// key order is time order. Writes that change a record or close a task do
// so in the same transaction as the office item: an objection never exists
// without its record being marked, nor a register entry without its task
// being closed.
type OfficeStore interface {
	// RegisterReminder stores a register entry and, when r.TaskID is set,
	// closes that open task (ClosedBy = the entry's id), all or nothing.
	// Idempotent by r.ID: the same content again returns the stored entry
	// and created=false; other content under the id is ErrConflict. A task
	// that is not open (any more) is ErrStale; a missing one ErrNotFound.
	RegisterReminder(ctx context.Context, r model.Reminder) (stored model.Reminder, created bool, err error)
	ListReminders(ctx context.Context, subject domain.SubjectID) ([]model.Reminder, error)
	// RemindersBetween lists register entries with from <= At < to, in time
	// order, across subjects (a Query per month, not a Scan).
	RemindersBetween(ctx context.Context, from, to time.Time) ([]model.Reminder, error)
	// ListOverdueTasks lists open tasks due before the given day.
	ListOverdueTasks(ctx context.Context, before domain.Date, p Page) ([]domain.Task, string, error)

	// OpenObjection stores a new open objection and applies rc to its
	// record, all or nothing. Idempotent by o.ID as RegisterReminder; a
	// record not in rc.Expect (or changed meanwhile) is ErrStale.
	OpenObjection(ctx context.Context, o model.Objection, rc RecordChange) (stored model.Objection, rec domain.Record, created bool, err error)
	// DecideObjection rewrites a decided objection on condition that the
	// stored one is still open (ErrStale otherwise) and applies rc.
	DecideObjection(ctx context.Context, o model.Objection, rc RecordChange) (domain.Record, error)
	GetObjection(ctx context.Context, subject domain.SubjectID, id string) (model.Objection, error)
	ListObjections(ctx context.Context, subject domain.SubjectID) ([]model.Objection, error)
	// ListOpenObjections lists open objections by deadline; with a non-zero
	// deadlineBefore only those whose deadline is before that day.
	ListOpenObjections(ctx context.Context, deadlineBefore domain.Date, p Page) ([]model.Objection, string, error)

	// PutRepair stores a new pending application, idempotent by r.ID.
	PutRepair(ctx context.Context, r model.Repair) (stored model.Repair, created bool, err error)
	// DecideRepair rewrites a decided application on condition that the
	// stored one is still pending, applying rc (nil: no record change).
	DecideRepair(ctx context.Context, r model.Repair, rc *RecordChange) (domain.Record, error)
	GetRepair(ctx context.Context, subject domain.SubjectID, id string) (model.Repair, error)
	ListRepairs(ctx context.Context, subject domain.SubjectID) ([]model.Repair, error)
	ListPendingRepairs(ctx context.Context, p Page) ([]model.Repair, string, error)
}

// RecordChange is a record rewrite made together with an office item, as
// UpdateRecord makes it: on condition that the record's status is still
// Expect and nobody wrote it meanwhile.
type RecordChange struct {
	SubjectID domain.SubjectID
	RecordID  string
	Expect    domain.Status
	Mutate    func(*domain.Record) error
}

var (
	_ OfficeStore = (*Memory)(nil)
	_ OfficeStore = (*Dynamo)(nil)
)

// Key parts of the office items.
const (
	prefixRemind     = "REMIND#"
	prefixObjection  = "OBJ#"
	prefixRepair     = "REPAIR#"
	gsiOpenObjection = "OBJECTION#open"
	gsiPendingRepair = "REPAIR#pending"
	reminderTimeFmt  = "2006-01-02T15:04:05Z"
)

// ReminderTime is how register times are keyed: UTC, whole seconds.
func ReminderTime(t time.Time) string { return t.UTC().Format(reminderTimeFmt) }

// reminderMonthPK is the ListIndex partition of the Asia/Shanghai month of t.
func reminderMonthPK(t time.Time) string {
	d := domain.DateIn(t)
	return fmt.Sprintf("%s%04d-%02d", prefixRemind, d.Year, int(d.Month))
}

// officeDoc is an office item before it becomes a table item (Dynamo) or a
// map entry (Memory): its keys, the attributes copied out for filters, and
// the value kept as JSON.
type officeDoc struct {
	entity       string
	subject      domain.SubjectID
	sk           string
	kind         string // copied to "kind" (register entries: the method)
	status       string
	gsiPK, gsiSK string
	hash         string
	value        any
}

// ReminderRegisterKey is a register entry's ListIndex sort key: its order is
// the order the per-month query returns entries in, so paging callers
// compare entries by it.
func ReminderRegisterKey(r model.Reminder) string {
	return ReminderTime(r.At) + "#" + string(r.SubjectID) + "#" + r.ID
}

func reminderDoc(r model.Reminder) (officeDoc, error) {
	if r.ID == "" || r.SubjectID == "" || r.At.IsZero() {
		return officeDoc{}, fmt.Errorf("%w: reminder needs id, subject and time", ErrInvalid)
	}
	at := ReminderTime(r.At)
	return officeDoc{
		entity: model.EntityReminder, subject: r.SubjectID, sk: prefixRemind + at + "#" + r.ID,
		kind: r.Method, hash: r.ContentHash, value: r,
		gsiPK: reminderMonthPK(r.At), gsiSK: ReminderRegisterKey(r),
	}, nil
}

func objectionDoc(o model.Objection) (officeDoc, error) {
	if o.ID == "" || o.SubjectID == "" || o.RecordID == "" || o.Status == "" {
		return officeDoc{}, fmt.Errorf("%w: objection needs id, subject, record and status", ErrInvalid)
	}
	d := officeDoc{
		entity: model.EntityObjection, subject: o.SubjectID, sk: prefixObjection + o.ID,
		status: o.Status, hash: o.ContentHash, value: o,
	}
	if o.Status == model.ObjectionOpen {
		d.gsiPK, d.gsiSK = gsiOpenObjection, o.Deadline.String()+"#"+string(o.SubjectID)+"#"+o.ID
	}
	return d, nil
}

func repairDoc(r model.Repair) (officeDoc, error) {
	if r.ID == "" || r.SubjectID == "" || r.RecordID == "" || r.Status == "" {
		return officeDoc{}, fmt.Errorf("%w: repair needs id, subject, record and status", ErrInvalid)
	}
	d := officeDoc{
		entity: model.EntityRepair, subject: r.SubjectID, sk: prefixRepair + r.ID,
		status: r.Status, hash: r.ContentHash, value: r,
	}
	if r.Status == model.RepairPending {
		d.gsiPK, d.gsiSK = gsiPendingRepair, r.AppliedOn.String()+"#"+string(r.SubjectID)+"#"+r.ID
	}
	return d, nil
}

// officeWrite is one all-or-nothing office write: put doc (create: only if
// absent; else only if the stored status is expectStatus), optionally with a
// record change and closing a task.
type officeWrite struct {
	doc          officeDoc
	create       bool
	expectStatus string
	record       *RecordChange
	closeTask    string // task id of doc.subject to close, "" for none
	closedBy     string
}

// overdueBound is the exclusive upper bound of "<date>#..." sort keys whose
// date is before day: "<day>#..." sorts above "<day>".
func overdueBound(day domain.Date) string { return day.String() }

// monthPKs are the register's ListIndex partitions covering [from, to), in
// order; none when the range is empty.
func monthPKs(from, to time.Time) []string {
	if !from.Before(to) {
		return nil
	}
	first, last := domain.DateIn(from), domain.DateIn(to.Add(-time.Nanosecond))
	var out []string
	for y, mo := first.Year, first.Month; y < last.Year || y == last.Year && mo <= last.Month; {
		out = append(out, fmt.Sprintf("%s%04d-%02d", prefixRemind, y, int(mo)))
		if mo == time.December {
			y, mo = y+1, time.January
		} else {
			mo++
		}
	}
	return out
}

func isStale(err error) bool    { return errors.Is(err, ErrStale) }
func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
