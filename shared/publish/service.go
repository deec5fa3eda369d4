package publish

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/render"
	"github.com/suixian-psb/credit/shared/storage"
)

// Store is the part of the storage port the publisher reads.
type Store interface {
	GetGrade(ctx context.Context, id domain.SubjectID) (domain.Grade, error)
	GetSubject(ctx context.Context, id domain.SubjectID) (domain.Subject, error)
	ListRecords(ctx context.Context, subject domain.SubjectID) ([]domain.Record, error)
	ListByLevel(ctx context.Context, level domain.Level, p storage.Page) ([]domain.Grade, string, error)
}

// Keys of the site-wide objects.
const (
	KeyIndex  = "index.html"
	KeyHonour = "honour.html"
	// PagesPrefix holds one page per disclosed subject.
	PagesPrefix = "subjects/"
)

// Service publishes the disclosure site. Policy, Clock and Logger are
// required; Site and Concurrency have defaults.
type Service struct {
	Store   Store
	Objects Objects
	Bucket  string
	Policy  *policy.Policy
	Clock   domain.Clock
	Logger  *slog.Logger
	// Site names the publishing authority (default render.DefaultSite).
	Site string
	// Concurrency bounds the parallel reads while rebuilding the index
	// (default 8).
	Concurrency int
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

// Sync brings the pages of the given subjects in step with their grades
// (written if C and publishable and changed, deleted otherwise), then
// rebuilds the index, the open data and the honour roll from the level
// index. Safe to run twice or concurrently: every object ends as the table
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

// SyncSubject writes or deletes one subject's page.
func (s *Service) SyncSubject(ctx context.Context, id domain.SubjectID) error {
	if !render.ValidKey(string(id)) {
		// Not a name any page can have: nothing to write or delete.
		s.Logger.WarnContext(ctx, "publish: subject id cannot name a page", "subject_id", string(id))
		return nil
	}
	key := render.PagePath(string(id))
	e, ok, err := s.entry(ctx, id, domain.LevelC, nil)
	if err != nil {
		return err
	}
	if !ok {
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

// entry reads what is public about a subject at the wanted level. ok is
// false when the subject is not at that level now or may not be published.
// A grade already read (from a level listing) may be passed in.
func (s *Service) entry(ctx context.Context, id domain.SubjectID, want domain.Level, g *domain.Grade) (render.Entry, bool, error) {
	if g == nil {
		got, err := s.Store.GetGrade(ctx, id)
		if errors.Is(err, storage.ErrNotFound) {
			return render.Entry{}, false, nil
		}
		if err != nil {
			return render.Entry{}, false, fmt.Errorf("read grade of %s: %w", id, err)
		}
		g = &got
	}
	if g.Level != want {
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
	if !s.publishable(subj) {
		return render.Entry{}, false, nil
	}
	var records []domain.Record
	until := domain.Date{}
	if want == domain.LevelC {
		records, err = s.Store.ListRecords(ctx, id)
		if err != nil {
			return render.Entry{}, false, fmt.Errorf("read records of %s: %w", id, err)
		}
		until = DisclosureUntil(s.Policy, id, records, domain.Today(s.Clock))
	}
	e, err := render.NewEntry(subj, *g, records, until)
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
func (s *Service) publishable(subj domain.Subject) bool {
	switch subj.Type {
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

// entries lists the public entries of every subject at a level, reading
// them with bounded concurrency. It also returns the grades' versions, so a
// caller can tell whether the level changed while it worked.
func (s *Service) entries(ctx context.Context, level domain.Level) ([]render.Entry, map[domain.SubjectID]int64, error) {
	grades, err := s.listLevel(ctx, level)
	if err != nil {
		return nil, nil, err
	}
	versions := make(map[domain.SubjectID]int64, len(grades))
	for _, g := range grades {
		versions[g.SubjectID] = g.Version
	}
	out := make([]render.Entry, len(grades))
	keep := make([]bool, len(grades))
	errs := make([]error, len(grades))
	workers := s.Concurrency
	if workers <= 0 {
		workers = 8
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(workers, max(len(grades), 1)) {
		wg.Go(func() {
			for i := range next {
				out[i], keep[i], errs[i] = s.entry(ctx, grades[i].SubjectID, level, &grades[i])
			}
		})
	}
	for i := range grades {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	kept := out[:0]
	for i, e := range out {
		if keep[i] {
			kept = append(kept, e)
		}
	}
	// Newest first, then by key: a stable order, so unchanged facts give an
	// unchanged index.
	slices.SortFunc(kept, func(a, b render.Entry) int {
		if c := b.Since.Compare(a.Since); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return kept, versions, nil
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
