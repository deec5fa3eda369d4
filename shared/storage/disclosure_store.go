package storage

import (
	"context"
	"fmt"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/render"
)

// DisclosureStore keeps the publisher's own copy of what is public about
// each disclosed subject (shared/publish), so that the site-wide index, open
// data and honour roll are rebuilt from one index query instead of reading
// every subject's profile and records. Memory and Dynamo implement it
// besides Store; disclosure_contract_test.go holds both to it.
//
// Items (PK / SK):
//
//	SUBJ#<subjectID> / DISCLOSURE   entity "disclosure"; "version" is the grade version it
//	                                was derived from; "doc" the render.Entry as JSON
//
// ListIndex (GSI2PK / GSI2SK), only while the subject is public:
//
//	DISCLOSED / <subjectID>   a C subject on the disclosure index and open data
//	HONOURED  / <subjectID>   an A subject on the honour roll
//
// A withdrawn entry is not deleted but rewritten as a tombstone (no doc, no
// index keys, the version kept), so that a slower run holding an older
// grade can never bring it back. No stream FilterCriteria selects entity
// "disclosure": writing these items triggers no function.
type DisclosureStore interface {
	// PutDisclosure stores e (Level C: DISCLOSED; Level A: HONOURED) as
	// derived from grade version, unless an entry or tombstone of a newer
	// version is stored (ErrStale). The same version may be rewritten: facts
	// shown on the page (an objection) change without a new grade.
	PutDisclosure(ctx context.Context, e render.Entry, version int64) error
	// DeleteDisclosure withdraws the subject's entry (a tombstone of
	// version), unless a newer version is stored (ErrStale).
	DeleteDisclosure(ctx context.Context, id domain.SubjectID, version int64) error
	// ListDisclosed pages through the C entries, by subject id.
	ListDisclosed(ctx context.Context, p Page) ([]Disclosure, string, error)
	// ListHonoured pages through the A entries, by subject id.
	ListHonoured(ctx context.Context, p Page) ([]Disclosure, string, error)
}

// Disclosure is a stored entry with the grade version it came from.
type Disclosure struct {
	Entry   render.Entry
	Version int64
}

var (
	_ DisclosureStore = (*Memory)(nil)
	_ DisclosureStore = (*Dynamo)(nil)
)

// EntityDisclosure is the "entity" attribute of disclosure items.
const EntityDisclosure = "disclosure"

const (
	skDisclosure = "DISCLOSURE"
	gsiDisclosed = "DISCLOSED"
	gsiHonoured  = "HONOURED"
)

// disclosurePartition is the ListIndex partition of an entry at its level.
func disclosurePartition(e render.Entry) (string, error) {
	switch e.Level {
	case domain.LevelC:
		return gsiDisclosed, nil
	case domain.LevelA:
		return gsiHonoured, nil
	}
	return "", fmt.Errorf("%w: disclosure entry at level %q (want C or A)", ErrInvalid, e.Level)
}

// checkDisclosure refuses an entry that cannot name a page or a version
// that no grade has.
func checkDisclosure(id string, version int64) error {
	switch {
	case !render.ValidKey(id):
		return fmt.Errorf("%w: disclosure key %q", ErrInvalid, id)
	case version < 0:
		return fmt.Errorf("%w: disclosure version %d", ErrInvalid, version)
	}
	return nil
}
