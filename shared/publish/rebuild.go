package publish

import (
	"context"
	"fmt"
	"maps"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/render"
)

// rebuildAttempts bounds the re-reads when the C level changes while the
// index is being rebuilt.
const rebuildAttempts = 3

// Rebuild writes index.html and the open data from the C level index, and
// the honour roll from the A level index (or deletes it when the policy
// does not publish it). Each object is written only if it changed. If the C
// level changed while it worked (a concurrent regrade), it rebuilds again,
// so the last run to finish leaves what the table says.
func (s *Service) Rebuild(ctx context.Context) error {
	for attempt := 1; ; attempt++ {
		versions, err := s.rebuildC(ctx)
		if err != nil {
			return err
		}
		now, err := s.levelVersions(ctx, domain.LevelC)
		if err != nil {
			return err
		}
		if maps.Equal(versions, now) {
			break
		}
		if attempt == rebuildAttempts {
			s.Logger.WarnContext(ctx, "publish: C level still changing; the next run will catch up", "attempts", attempt)
			break
		}
	}
	return s.rebuildHonour(ctx)
}

func (s *Service) rebuildC(ctx context.Context) (map[domain.SubjectID]int64, error) {
	entries, versions, err := s.entries(ctx, domain.LevelC)
	if err != nil {
		return nil, err
	}
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
	return versions, nil
}

func (s *Service) rebuildHonour(ctx context.Context) error {
	if !s.Policy.Disclosure.HonourRoll {
		if _, err := s.remove(ctx, KeyHonour); err != nil {
			return err
		}
		return nil
	}
	entries, _, err := s.entries(ctx, domain.LevelA)
	if err != nil {
		return err
	}
	body, err := render.Honour(s.site(), domain.Today(s.Clock), entries)
	if err != nil {
		return err
	}
	if _, err := s.put(ctx, KeyHonour, body, typeHTML); err != nil {
		return err
	}
	return nil
}

func (s *Service) levelVersions(ctx context.Context, level domain.Level) (map[domain.SubjectID]int64, error) {
	grades, err := s.listLevel(ctx, level)
	if err != nil {
		return nil, err
	}
	out := make(map[domain.SubjectID]int64, len(grades))
	for _, g := range grades {
		out[g.SubjectID] = g.Version
	}
	return out, nil
}

// SyncAll rebuilds the whole site from the table, for the operator (after a
// policy change, a restore or a failed run): every C subject's page is
// brought in step, every page in the bucket whose subject is no longer
// disclosed is deleted, and the index, open data and honour roll are
// rebuilt.
func (s *Service) SyncAll(ctx context.Context) error {
	grades, err := s.listLevel(ctx, domain.LevelC)
	if err != nil {
		return err
	}
	ids := make([]domain.SubjectID, 0, len(grades))
	for _, g := range grades {
		ids = append(ids, g.SubjectID)
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
