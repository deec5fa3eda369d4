// Package storage keeps the platform's facts in one DynamoDB table
// (single-table design) and offers them through the Store port. The memory
// implementation serves fast unit tests; one contract test suite runs against
// both, and against DynamoDB Local.
//
// Items (PK / SK):
//
//	SUBJ#<subjectID> / PROFILE            the subject's profile (natural persons' ID number sealed)
//	SUBJ#<subjectID> / REC#<recordID>     a record; status changes rewrite it with a history entry
//	SUBJ#<subjectID> / GRADE              the current grade, with a per-subject Version
//	SUBJ#<subjectID> / HIST#<version>     grade history, one item per change of outcome
//	                                      (version zero-padded to 12 digits: key order = version order)
//	SUBJ#<subjectID> / TASK#<taskID>      a reminder / interview task
//	DOC#<unit>#<kind>#<documentNo> / DOC  the idempotency guard of a unit's document
//
// Items added by the features with their own ports (each file documents its own):
//
//	SUBJ#<subjectID> / REMIND#<time>#<id> reminder / interview register entry (office_store.go)
//	SUBJ#<subjectID> / OBJ#<id>           an objection (office_store.go)
//	SUBJ#<subjectID> / REPAIR#<id>        a credit repair application (office_store.go)
//	SUBJ#<subjectID> / DISCLOSURE         the publisher's public entry (disclosure_store.go)
//	PLAN#<id> / PLAN                      a random inspection plan (plans_store.go)
//	REPORT#<receipt> / REPORT, REVEAL#…   public reports and reveal audits (shared/reports)
//	RATE#<keyed hash> / W#<window>        the public report rate limit (shared/reports)
//
// Index DueIndex (GSI1PK / GSI1SK), sparse:
//
//	EXPIRE  / <windowEnd>#<subjectID>#<recordID>   counted records, by the day they leave the window
//	REGRADE / <nextChange>#<subjectID>             grades, by the day they change by themselves
//
// Index ListIndex (GSI2PK / GSI2SK), sparse:
//
//	LEVEL#<level> / <subjectID>                    current grades by level
//	TASK#open     / <dueOn>#<subjectID>#<taskID>   open reminder tasks
//	REMIND#<yyyy-mm>, OBJECTION#open, REPAIR#pending, PLAN#<yyyy-mm>,
//	DISCLOSED, HONOURED, REPORT#<status>           the features' listings (see their files)
//
// Top-level attributes "entity", "kind", "status" and "level" are copied out of
// the JSON document so stream FilterCriteria can select on them ("subject_id"
// too). Records carry a numeric "rev" (bumped on every write, UpdateRecord's
// optimistic lock), grades and history a numeric "version"; the guard holds
// "subject_id", "record_id" and "content_hash". The whole
// domain value is kept as JSON in "doc". No table key holds personal data.
package storage

import (
	"context"
	"errors"

	"github.com/suixian-psb/credit/shared/domain"
)

var (
	// ErrNotFound: the item does not exist.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the unit's document number is already used by a record with
	// different content.
	ErrConflict = errors.New("document number already used with different content")
	// ErrStale: a conditional write lost to a newer one (grade version or
	// record status changed since it was read).
	ErrStale = errors.New("stale write")
	// ErrUnavailable: the database could not be reached; the caller may retry.
	ErrUnavailable = errors.New("storage unavailable")
)

// Entity names as stored in the "entity" attribute.
const (
	EntitySubject  = "subject"
	EntityRecord   = "record"
	EntityGrade    = "grade"
	EntityHistory  = "grade_history"
	EntityTask     = "task"
	EntityDocGuard = "doc_guard"
)

// Page asks for one page of a listing; Cursor is opaque, empty for the first.
type Page struct {
	Cursor string
	Limit  int
}

// RecordRef points at one record.
type RecordRef struct {
	SubjectID domain.SubjectID
	RecordID  string
	// Due is the day the record leaves the window (or the grade's next change).
	Due domain.Date
}

// Store is the port every function uses. Implementations: Memory, Dynamo.
type Store interface {
	// PutRecord stores a record with its subject profile, idempotently by
	// (unit, kind, document number): the same content again returns the stored
	// record and created=false; different content returns ErrConflict. The
	// record's ID must already be set (see RecordID).
	PutRecord(ctx context.Context, subj domain.Subject, rec domain.Record) (stored domain.Record, created bool, err error)
	GetRecord(ctx context.Context, subject domain.SubjectID, recordID string) (domain.Record, error)
	FindByDocument(ctx context.Context, unit string, kind domain.RecordKind, documentNo string) (domain.Record, error)
	ListRecords(ctx context.Context, subject domain.SubjectID) ([]domain.Record, error)
	// UpdateRecord rewrites a record after mutate has changed it, on condition
	// that its status is still expectStatus (ErrStale otherwise).
	UpdateRecord(ctx context.Context, subject domain.SubjectID, recordID string, expectStatus domain.Status, mutate func(*domain.Record) error) (domain.Record, error)

	GetSubject(ctx context.Context, id domain.SubjectID) (domain.Subject, error)

	GetGrade(ctx context.Context, id domain.SubjectID) (domain.Grade, error)
	// PutGrade stores g as the current grade if the stored version is still
	// g.Version-1 (or absent when g.Version is 1), else ErrStale. When
	// withHistory is set, a history item is written in the same transaction.
	PutGrade(ctx context.Context, g domain.Grade, withHistory bool) error
	GradeHistory(ctx context.Context, id domain.SubjectID) ([]domain.Grade, error)
	ListByLevel(ctx context.Context, level domain.Level, p Page) ([]domain.Grade, string, error)

	// DueRecords lists counted records whose window ends on or before through.
	DueRecords(ctx context.Context, through domain.Date, p Page) ([]RecordRef, string, error)
	// DueGrades lists subjects whose grade's next change is on or before through.
	DueGrades(ctx context.Context, through domain.Date, p Page) ([]RecordRef, string, error)

	// PutTask stores a task; an open task of the same ID is not duplicated.
	PutTask(ctx context.Context, t domain.Task) error
	ListTasks(ctx context.Context, subject domain.SubjectID) ([]domain.Task, error)
	ListOpenTasks(ctx context.Context, p Page) ([]domain.Task, string, error)
	CloseTask(ctx context.Context, subject domain.SubjectID, taskID, closedBy string) error
}
