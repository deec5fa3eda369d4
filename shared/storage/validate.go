package storage

import (
	"encoding/json"
	"fmt"

	"github.com/suixian-psb/credit/shared/domain"
)

// prepareRecord checks what PutRecord needs and fills the content hash when
// the caller left it empty.
func prepareRecord(subj domain.Subject, rec domain.Record) (domain.Record, error) {
	switch {
	case subj.ID == "":
		return rec, fmt.Errorf("%w: subject without id", ErrInvalid)
	case rec.ID == "":
		return rec, fmt.Errorf("%w: record without id (see storage.RecordID)", ErrInvalid)
	case rec.SubjectID != subj.ID:
		return rec, fmt.Errorf("%w: record subject %q differs from profile %q", ErrInvalid, rec.SubjectID, subj.ID)
	case rec.Unit == "" || rec.Kind == "" || rec.DocumentNo == "":
		return rec, fmt.Errorf("%w: record needs unit, kind and document number", ErrInvalid)
	case rec.Status == "":
		return rec, fmt.Errorf("%w: record without status", ErrInvalid)
	}
	if rec.ContentHash == "" {
		rec.ContentHash = RecordContentHash(rec)
	}
	return rec, nil
}

// checkIdentity refuses a mutate that changed what locates the record.
func checkIdentity(before, after domain.Record) error {
	if before.ID != after.ID || before.SubjectID != after.SubjectID || before.Unit != after.Unit ||
		before.Kind != after.Kind || before.DocumentNo != after.DocumentNo || before.ContentHash != after.ContentHash {
		return fmt.Errorf("%w: mutate must not change a record's id, subject, unit, kind, document number or content hash", ErrInvalid)
	}
	if after.Status == "" {
		return fmt.Errorf("%w: mutate left the record without status", ErrInvalid)
	}
	return nil
}

func checkGrade(g domain.Grade) error {
	switch {
	case g.SubjectID == "":
		return fmt.Errorf("%w: grade without subject", ErrInvalid)
	case !g.Level.Valid():
		return fmt.Errorf("%w: grade level %q", ErrInvalid, g.Level)
	case g.Version < 1:
		return fmt.Errorf("%w: grade version %d (first version is 1)", ErrInvalid, g.Version)
	}
	return nil
}

// prepareTask checks a task and defaults an empty status to open.
func prepareTask(t domain.Task) (domain.Task, error) {
	if t.ID == "" || t.SubjectID == "" {
		return t, fmt.Errorf("%w: task needs id and subject", ErrInvalid)
	}
	if t.Status == "" {
		t.Status = TaskOpen
	}
	if t.Status != TaskOpen && t.Status != TaskClosed {
		return t, fmt.Errorf("%w: task status %q", ErrInvalid, t.Status)
	}
	return t, nil
}

// clone deep-copies a domain value through JSON, the same way it goes
// through the table's "doc" attribute, so Memory and Dynamo return values
// that compare equal.
func clone[T any](v T) T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("storage: marshal %T: %v", v, err))
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("storage: unmarshal %T: %v", v, err))
	}
	return out
}
