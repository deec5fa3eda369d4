package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/suixian-psb/credit/shared/supervision"
)

// memPlans is Memory's plan state (Memory.planStore). Plans share no
// transaction with other items, so it has its own lock.
type memPlans struct {
	mu    sync.Mutex
	plans map[string]memPlan // by id
}

type memPlan struct {
	digest       string
	gsiPK, gsiSK string
	raw          []byte // the plan's JSON, as the table's "doc" holds it
}

func (m *Memory) planState() *memPlans { return &m.planStore }

func (m *Memory) PutPlan(_ context.Context, id string, p supervision.Plan) (bool, error) {
	if err := checkPlan(id, p); err != nil {
		return false, err
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return false, fmt.Errorf("encode plan: %w", err)
	}
	st := m.planState()
	st.mu.Lock()
	defer st.mu.Unlock()
	if cur, ok := st.plans[id]; ok {
		if cur.digest == p.Digest {
			return false, nil
		}
		return false, fmt.Errorf("plan %s exists with another digest: %w", id, ErrConflict)
	}
	pk, sk := planIndexKeys(id, p)
	st.plans[id] = memPlan{digest: p.Digest, gsiPK: pk, gsiSK: sk, raw: raw}
	return true, nil
}

func (m *Memory) GetPlan(_ context.Context, id string) (supervision.Plan, error) {
	st := m.planState()
	st.mu.Lock()
	cur, ok := st.plans[id]
	st.mu.Unlock()
	if !ok {
		return supervision.Plan{}, fmt.Errorf("plan %s: %w", id, ErrNotFound)
	}
	return decodePlan(cur.raw)
}

func (m *Memory) ListPlans(_ context.Context, year int, month time.Month, p Page) ([]PlanEntry, string, error) {
	pk := planMonthPK(year, month)
	st := m.planState()
	st.mu.Lock()
	var items []keyed[PlanEntry]
	var raws [][]byte
	for id, cur := range st.plans {
		if cur.gsiPK == pk {
			items = append(items, keyed[PlanEntry]{key: cur.gsiSK, v: PlanEntry{ID: id}})
			raws = append(raws, cur.raw)
		}
	}
	st.mu.Unlock()
	for i := range items {
		plan, err := decodePlan(raws[i])
		if err != nil {
			return nil, "", err
		}
		items[i].v.Plan = plan
	}
	return memPage(items, p)
}

// decodePlan reads a plan kept as JSON.
func decodePlan(raw []byte) (supervision.Plan, error) {
	var p supervision.Plan
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, fmt.Errorf("decode plan: %w", err)
	}
	return p, nil
}
