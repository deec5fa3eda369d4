package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/render"
)

// memDisclosures is Memory's disclosure state (Memory.disclosureStore).
// Entries share no transaction with other items, so it has its own lock;
// the map is made on first use.
type memDisclosures struct {
	mu      sync.Mutex
	entries map[domain.SubjectID]memDisclosure
}

type memDisclosure struct {
	version int64
	gsiPK   string // empty for a tombstone
	raw     []byte // the entry's JSON, as the table's "doc" holds it
}

func (m *Memory) PutDisclosure(_ context.Context, e render.Entry, version int64) error {
	if err := checkDisclosure(e.Key, version); err != nil {
		return err
	}
	part, err := disclosurePartition(e)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("encode disclosure: %w", err)
	}
	return m.storeDisclosure(domain.SubjectID(e.Key), memDisclosure{version: version, gsiPK: part, raw: raw})
}

func (m *Memory) DeleteDisclosure(_ context.Context, id domain.SubjectID, version int64) error {
	if err := checkDisclosure(string(id), version); err != nil {
		return err
	}
	return m.storeDisclosure(id, memDisclosure{version: version})
}

func (m *Memory) storeDisclosure(id domain.SubjectID, d memDisclosure) error {
	st := &m.disclosureStore
	st.mu.Lock()
	defer st.mu.Unlock()
	if cur, ok := st.entries[id]; ok && cur.version > d.version {
		return fmt.Errorf("disclosure %s at version %d: %w", id, d.version, ErrStale)
	}
	if st.entries == nil {
		st.entries = map[domain.SubjectID]memDisclosure{}
	}
	st.entries[id] = d
	return nil
}

func (m *Memory) ListDisclosed(_ context.Context, p Page) ([]Disclosure, string, error) {
	return m.listDisclosures(gsiDisclosed, p)
}

func (m *Memory) ListHonoured(_ context.Context, p Page) ([]Disclosure, string, error) {
	return m.listDisclosures(gsiHonoured, p)
}

func (m *Memory) listDisclosures(part string, p Page) ([]Disclosure, string, error) {
	st := &m.disclosureStore
	st.mu.Lock()
	var items []keyed[memDisclosure]
	for id, d := range st.entries {
		if d.gsiPK == part {
			items = append(items, keyed[memDisclosure]{key: string(id), v: d})
		}
	}
	st.mu.Unlock()
	page, cursor, err := memPage(items, p)
	if err != nil {
		return nil, "", err
	}
	out := make([]Disclosure, 0, len(page))
	for _, d := range page {
		var e render.Entry
		if err := json.Unmarshal(d.raw, &e); err != nil {
			return nil, "", fmt.Errorf("decode disclosure: %w", err)
		}
		out = append(out, Disclosure{Entry: e, Version: d.version})
	}
	return out, cursor, nil
}
