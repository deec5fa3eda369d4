package publish

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/render"
	"github.com/suixian-psb/credit/shared/storage"
)

// Store is the part of the storage port the publisher uses: it reads
// grades, profiles and records, and writes only its own disclosure entries
// (storage.DisclosureStore), from which the site-wide objects are rebuilt.
type Store interface {
	GetGrade(ctx context.Context, id domain.SubjectID) (domain.Grade, error)
	GetSubject(ctx context.Context, id domain.SubjectID) (domain.Subject, error)
	ListRecords(ctx context.Context, subject domain.SubjectID) ([]domain.Record, error)
	ListByLevel(ctx context.Context, level domain.Level, p storage.Page) ([]domain.Grade, string, error)
	storage.DisclosureStore
}

// Keys of the site-wide objects.
const (
	KeyIndex  = "index.html"
	KeyHonour = "honour.html"
	// PagesPrefix holds one page per disclosed subject.
	PagesPrefix = "subjects/"
)

// Service publishes the disclosure site. Policy, Clock and Logger are
// required; Site has a default.
type Service struct {
	Store   Store
	Objects Objects
	Bucket  string
	Policy  *policy.Policy
	Clock   domain.Clock
	Logger  *slog.Logger
	// Site names the publishing authority (default render.DefaultSite).
	Site string
	// Units names the records' units on the pages and in the open data (a
	// *units.Registry); nil shows their codes.
	Units render.UnitNames
}

// SyncError says which parts of a run failed; the rest was done.
type SyncError struct {
	Subjects map[domain.SubjectID]error // pages that could not be brought in step
	Rebuild  error                      // the index, open data or honour roll
}

func (e *SyncError) Error() string {
	var parts []string
	ids := make([]string, 0, len(e.Subjects))
	for id := range e.Subjects {
		ids = append(ids, string(id))
	}
	slices.Sort(ids)
	for _, id := range ids {
		parts = append(parts, fmt.Sprintf("subject %s: %v", id, e.Subjects[domain.SubjectID(id)]))
	}
	if e.Rebuild != nil {
		parts = append(parts, fmt.Sprintf("rebuild: %v", e.Rebuild))
	}
	return "publish: " + strings.Join(parts, "; ")
}

func (e *SyncError) Unwrap() []error {
	var errs []error
	for _, err := range e.Subjects {
		errs = append(errs, err)
	}
	if e.Rebuild != nil {
		errs = append(errs, e.Rebuild)
	}
	return errs
}

// Sync brings the pages and disclosure entries of the given subjects in
// step with their grades (written if C and publishable and changed, deleted
// otherwise), then rebuilds the index, the open data and the honour roll
// from the stored entries. Safe to run twice or concurrently: every object ends as the table
// says at the time it was read. A failure of one subject does not stop the
// others; the error is a *SyncError.
func (s *Service) Sync(ctx context.Context, subjects []domain.SubjectID) error {
	failed := map[domain.SubjectID]error{}
	seen := map[domain.SubjectID]bool{}
	for _, id := range subjects {
		if seen[id] {
			continue
		}
		seen[id] = true
		if err := s.SyncSubject(ctx, id); err != nil {
			failed[id] = err
		}
	}
	rebuildErr := s.Rebuild(ctx)
	if len(failed) > 0 || rebuildErr != nil {
		return &SyncError{Subjects: failed, Rebuild: rebuildErr}
	}
	return nil
}

// SyncSubject brings one subject's disclosure entry and page in step with
// its grade: the entry is stored (C, or A while the honour roll is on) or
// withdrawn, conditional on the grade's version, then the page is written
// (C) or deleted. When a run holding a newer grade has already stored the
// entry, this one leaves entry and page to it.
func (s *Service) SyncSubject(ctx context.Context, id domain.SubjectID) error {
	if !render.ValidKey(string(id)) {
		// Not a name any page can have: nothing to write or delete.
		s.Logger.WarnContext(ctx, "publish: subject id cannot name a page", "subject_id", string(id))
		return nil
	}
	key := render.PagePath(string(id))
	var g *domain.Grade
	switch got, err := s.Store.GetGrade(ctx, id); {
	case errors.Is(err, storage.ErrNotFound):
	case err != nil:
		return fmt.Errorf("read grade of %s: %w", id, err)
	default:
		g = &got
	}
	e, ok, err := s.entry(ctx, id, g)
	if err != nil {
		return err
	}
	var version int64
	if g != nil {
		version = g.Version
	}
	if ok {
		err = s.Store.PutDisclosure(ctx, e, version)
	} else {
		err = s.Store.DeleteDisclosure(ctx, id, version)
	}
	if errors.Is(err, storage.ErrStale) {
		s.Logger.InfoContext(ctx, "publish: a newer grade was published meanwhile", "subject_id", string(id), "version", version)
		return nil
	}
	if err != nil {
		return fmt.Errorf("store disclosure of %s: %w", id, err)
	}
	if !ok || e.Level != domain.LevelC {
		deleted, err := s.remove(ctx, key)
		if err != nil {
			return err
		}
		if deleted {
			s.Logger.InfoContext(ctx, "publish: page removed", "subject_id", string(id), "key", key)
		}
		return nil
	}
	body, err := render.SubjectPage(s.site(), e)
	if err != nil {
		return err
	}
	wrote, err := s.put(ctx, key, body, typeHTML)
	if err != nil {
		return err
	}
	if wrote {
		s.Logger.InfoContext(ctx, "publish: page written", "subject_id", string(id), "key", key)
	}
	return nil
}

// entry reads what is public about a subject with grade g (nil: no grade).
// ok is false when nothing is: not C, nor A with the honour roll on, or not
// publishable.
func (s *Service) entry(ctx context.Context, id domain.SubjectID, g *domain.Grade) (render.Entry, bool, error) {
	if g == nil {
		return render.Entry{}, false, nil
	}
	switch {
	case g.Level == domain.LevelC:
	case g.Level == domain.LevelA && s.Policy.Disclosure.HonourRoll:
	default:
		return render.Entry{}, false, nil
	}
	subj, err := s.Store.GetSubject(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		s.Logger.WarnContext(ctx, "publish: graded subject has no profile", "subject_id", string(id))
		return render.Entry{}, false, nil
	}
	if err != nil {
		return render.Entry{}, false, fmt.Errorf("read subject %s: %w", id, err)
	}
	if !s.publishable(subj.Type) {
		return render.Entry{}, false, nil
	}
	var records []domain.Record
	until := domain.Date{}
	if g.Level == domain.LevelC {
		records, err = s.Store.ListRecords(ctx, id)
		if err != nil {
			return render.Entry{}, false, fmt.Errorf("read records of %s: %w", id, err)
		}
		until = DisclosureUntil(s.Policy, id, records, domain.Today(s.Clock))
	}
	e, err := render.NewEntry(subj, *g, records, until, s.Units)
	if errors.Is(err, render.ErrNotPublishable) {
		s.Logger.WarnContext(ctx, "publish: subject not publishable", "subject_id", string(id), "error", err.Error())
		return render.Entry{}, false, nil
	}
	if err != nil {
		return render.Entry{}, false, err
	}
	return e, true, nil
}

// publishable applies the policy's switch for natural persons; legal
// persons and organisations are disclosed by their credit code.
func (s *Service) publishable(t domain.SubjectType) bool {
	switch t {
	case domain.LegalPerson, domain.Organization:
		return true
	case domain.NaturalPerson:
		return s.Policy.Disclosure.NaturalPersons
	}
	return false
}

func (s *Service) site() render.Site {
	return render.Site{Name: s.Site, Honour: s.Policy.Disclosure.HonourRoll}
}

// stored lists every stored entry of one listing (ListDisclosed or
// ListHonoured), all pages: a query per page, no per-subject read.
func (s *Service) stored(ctx context.Context, what string, list func(context.Context, storage.Page) ([]storage.Disclosure, string, error)) ([]storage.Disclosure, error) {
	var all []storage.Disclosure
	cursor := ""
	for {
		page, next, err := list(ctx, storage.Page{Cursor: cursor, Limit: storage.MaxPageLimit})
		if err != nil {
			return nil, fmt.Errorf("list %s entries: %w", what, err)
		}
		all = append(all, page...)
		if next == "" {
			return all, nil
		}
		cursor = next
	}
}

// public keeps the stored entries of a level that the policy publishes now
// (an entry stored before natural persons were switched off is left out at
// once), newest first, then by key: a stable order, so unchanged facts give
// an unchanged index.
func (s *Service) public(stored []storage.Disclosure, level domain.Level) []render.Entry {
	out := make([]render.Entry, 0, len(stored))
	for _, d := range stored {
		if d.Entry.Level == level && s.publishable(d.Entry.Type) {
			out = append(out, d.Entry)
		}
	}
	slices.SortFunc(out, func(a, b render.Entry) int {
		if c := b.Since.Compare(a.Since); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}

// listLevel reads every grade at a level, all pages.
func (s *Service) listLevel(ctx context.Context, level domain.Level) ([]domain.Grade, error) {
	var all []domain.Grade
	cursor := ""
	for {
		page, next, err := s.Store.ListByLevel(ctx, level, storage.Page{Cursor: cursor, Limit: storage.MaxPageLimit})
		if err != nil {
			return nil, fmt.Errorf("list level %s: %w", level, err)
		}
		all = append(all, page...)
		if next == "" {
			return all, nil
		}
		cursor = next
	}
}
