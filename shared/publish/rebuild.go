package publish

import (
	"context"
	"fmt"
	"reflect"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/render"
	"github.com/suixian-psb/credit/shared/storage"
)

// rebuildAttempts bounds the re-reads when the stored C entries change
// while the index is being rebuilt.
const rebuildAttempts = 3

// Rebuild writes index.html and the open data from the stored C entries,
// and the honour roll from the stored A entries (or deletes it when the
// policy does not publish it): one index query per page of entries, no read
// per subject. Each object is written only if it changed. If the C entries
// changed while it worked (a concurrent run stored one), it rebuilds again,
// so the last run to finish leaves what the table says.
func (s *Service) Rebuild(ctx context.Context) error {
	for attempt := 1; ; attempt++ {
		seen, err := s.rebuildC(ctx)
		if err != nil {
			return err
		}
		now, err := s.stored(ctx, "disclosed", s.Store.ListDisclosed)
		if err != nil {
			return err
		}
		if reflect.DeepEqual(seen, now) {
			break
		}
		if attempt == rebuildAttempts {
			s.Logger.WarnContext(ctx, "publish: C entries still changing; the next run will catch up", "attempts", attempt)
			break
		}
	}
	return s.rebuildHonour(ctx)
}

// rebuildC writes the index and open data; it returns the entries it read,
// so Rebuild can tell whether they changed meanwhile.
func (s *Service) rebuildC(ctx context.Context) ([]storage.Disclosure, error) {
	stored, err := s.stored(ctx, "disclosed", s.Store.ListDisclosed)
	if err != nil {
		return nil, err
	}
	entries := s.public(stored, domain.LevelC)
	today := domain.Today(s.Clock)
	index, err := render.Index(s.site(), today, entries)
	if err != nil {
		return nil, err
	}
	js, err := render.OpenJSON(today, entries)
	if err != nil {
		return nil, err
	}
	csv, err := render.OpenCSV(entries)
	if err != nil {
		return nil, err
	}
	schema, err := render.SchemaJSON()
	if err != nil {
		return nil, err
	}
	// The data files first, the index last: a reader who sees the new index
	// finds data at least as new.
	for _, o := range []struct {
		key, typ string
		body     []byte
	}{
		{render.OpenSchemaPath, typeJSON, schema},
		{render.OpenJSONPath, typeJSON, js},
		{render.OpenCSVPath, typeCSV, csv},
		{KeyIndex, typeHTML, index},
	} {
		wrote, err := s.put(ctx, o.key, o.body, o.typ)
		if err != nil {
			return nil, err
		}
		if wrote {
			s.Logger.InfoContext(ctx, "publish: object written", "key", o.key, "subjects", len(entries))
		}
	}
	return stored, nil
}

func (s *Service) rebuildHonour(ctx context.Context) error {
	if !s.Policy.Disclosure.HonourRoll {
		if _, err := s.remove(ctx, KeyHonour); err != nil {
			return err
		}
		return nil
	}
	stored, err := s.stored(ctx, "honoured", s.Store.ListHonoured)
	if err != nil {
		return err
	}
	body, err := render.Honour(s.site(), domain.Today(s.Clock), s.public(stored, domain.LevelA))
	if err != nil {
		return err
	}
	if _, err := s.put(ctx, KeyHonour, body, typeHTML); err != nil {
		return err
	}
	return nil
}

// SyncAll rebuilds the whole site from the table, for the operator (after
// a policy change, a restore, a failed run, or once after deploying the
// disclosure entries): every C subject (and A subject while the honour roll
// is on) has its entry and page brought in step; every page in the bucket
// and every stored entry whose subject is no longer public is withdrawn;
// then the index, open data and honour roll are rebuilt.
func (s *Service) SyncAll(ctx context.Context) error {
	levels := []domain.Level{domain.LevelC}
	if s.Policy.Disclosure.HonourRoll {
		levels = append(levels, domain.LevelA)
	}
	var ids []domain.SubjectID
	for _, l := range levels {
		grades, err := s.listLevel(ctx, l)
		if err != nil {
			return err
		}
		for _, g := range grades {
			ids = append(ids, g.SubjectID)
		}
	}
	for what, list := range map[string]func(context.Context, storage.Page) ([]storage.Disclosure, string, error){
		"disclosed": s.Store.ListDisclosed, "honoured": s.Store.ListHonoured,
	} {
		stored, err := s.stored(ctx, what, list)
		if err != nil {
			return err
		}
		for _, d := range stored {
			ids = append(ids, domain.SubjectID(d.Entry.Key))
		}
	}
	keys, err := s.listKeys(ctx, PagesPrefix)
	if err != nil {
		return err
	}
	for _, k := range keys {
		id, ok := pageSubject(k)
		if !ok {
			// Not a page this service writes; leave it, but say so.
			s.Logger.WarnContext(ctx, "publish: unexpected object under subjects/", "key", k)
			continue
		}
		ids = append(ids, id)
	}
	if err := s.Sync(ctx, ids); err != nil {
		return fmt.Errorf("sync all: %w", err)
	}
	return nil
}

// pageSubject reads the subject id back from a page key.
func pageSubject(key string) (domain.SubjectID, bool) {
	const suffix = ".html"
	if len(key) <= len(PagesPrefix)+len(suffix) || key[:len(PagesPrefix)] != PagesPrefix || key[len(key)-len(suffix):] != suffix {
		return "", false
	}
	id := key[len(PagesPrefix) : len(key)-len(suffix)]
	if !render.ValidKey(id) {
		return "", false
	}
	return domain.SubjectID(id), true
}
