package storage

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/supervision"
	"github.com/suixian-psb/credit/shared/testenv"
)

func TestMemoryPlanContract(t *testing.T) {
	t.Parallel()
	runPlanContract(t, func(*testing.T) PlanStore { return NewMemory() })
}

func TestDynamoPlanContract(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("DynamoDB Local: skipped with -short")
	}
	runPlanContract(t, func(t *testing.T) PlanStore {
		client, table := testenv.NewTable(t)
		return NewDynamo(client, table)
	})
}

func runPlanContract(t *testing.T, newStore func(t *testing.T) PlanStore) {
	cases := []struct {
		name string
		run  func(t *testing.T, s PlanStore)
	}{
		{"a plan is stored once and reads back as stored", planPutGet},
		{"another plan under an id is a conflict, never an overwrite", planConflict},
		{"malformed ids and plans are refused", planInvalid},
		{"plans list by the month their period starts, in draw order", planList},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, newStore(t))
		})
	}
}

// drawPlan draws a small real plan starting on from, drawn at createdAt.
func drawPlan(t *testing.T, from string, createdAt time.Time, seed string) supervision.Plan {
	t.Helper()
	start := domain.MustDate(from)
	p, err := supervision.Draw(supervision.PlanInput{
		Period: supervision.Period{From: start, To: start.AddDays(29)},
		Pool:   supervision.Pool{Trade: "旅馆业", Jurisdiction: "城关镇"},
		Subjects: []supervision.PoolSubject{
			{ID: "914114220000000011", Name: "甲旅馆", Level: domain.LevelB, HandlingUnits: []string{"411422-PCS-01"}},
			{ID: "914114220000000022", Name: "乙旅馆", Level: domain.LevelC},
			{ID: "914114220000000033", Name: "丙旅馆", Level: domain.LevelA},
		},
		Roster: []supervision.Inspector{
			{ID: "P001", Name: "张警官", Unit: "411422-PCS-01"},
			{ID: "P002", Name: "李警官", Unit: "411422-PCS-02"},
			{ID: "P003", Name: "王警官", Unit: "411422-PCS-03"},
		},
		Policy:    supervision.PolicySnapshot{Version: "t1", Rates: map[domain.Level]float64{domain.LevelA: 0, domain.LevelB: 0.5, domain.LevelC: 1, domain.LevelUnrated: 0.1}},
		Seed:      seed,
		CreatedAt: createdAt,
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func planPutGet(t *testing.T, s PlanStore) {
	p := drawPlan(t, "2027-03-01", created, "seed-one")
	id := PlanID(p.Digest)
	if _, err := s.GetPlan(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get before put: %v", err)
	}
	made, err := s.PutPlan(ctx, id, p)
	if err != nil || !made {
		t.Fatalf("put: created=%v err=%v", made, err)
	}
	again, err := s.PutPlan(ctx, id, p)
	if err != nil || again {
		t.Fatalf("repeat put: created=%v err=%v, want false, nil", again, err)
	}
	got, err := s.GetPlan(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, p) {
		t.Fatalf("read back differs:\n%+v\n%+v", got, p)
	}
	if err := supervision.Verify(got); err != nil {
		t.Fatalf("stored plan no longer verifies: %v", err)
	}
}

func planConflict(t *testing.T, s PlanStore) {
	p := drawPlan(t, "2027-03-01", created, "seed-two")
	id := PlanID(p.Digest)
	if _, err := s.PutPlan(ctx, id, p); err != nil {
		t.Fatal(err)
	}
	// A plan whose digest shares the id's 96 bits but differs after them.
	other := p
	other.Seed = "tampered"
	last := other.Digest[len(other.Digest)-1]
	other.Digest = other.Digest[:len(other.Digest)-1] + map[bool]string{true: "0", false: "1"}[last != '0']
	if _, err := s.PutPlan(ctx, id, other); !errors.Is(err, ErrConflict) {
		t.Fatalf("put over a stored plan: %v, want ErrConflict", err)
	}
	got, err := s.GetPlan(ctx, id)
	if err != nil || got.Seed != "seed-two" || got.Digest != p.Digest {
		t.Fatalf("the stored plan changed: %v %+v", err, got)
	}
}

func planInvalid(t *testing.T, s PlanStore) {
	p := drawPlan(t, "2027-03-01", created, "seed-three")
	noDigest := p
	noDigest.Digest = ""
	cases := []struct {
		name string
		id   string
		plan supervision.Plan
	}{
		{"malformed id", "plan-1", p},
		{"id of another digest", PlanID(drawPlan(t, "2027-03-01", created, "seed-four").Digest), p},
		{"no digest", PlanID(p.Digest), noDigest},
	}
	for _, tc := range cases {
		if _, err := s.PutPlan(ctx, tc.id, tc.plan); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", tc.name, err)
		}
	}
}

func planList(t *testing.T, s PlanStore) {
	var march []string
	for i := range 3 {
		// Stored out of draw order: the listing must sort by draw time.
		at := created.Add(time.Duration(2-i) * time.Hour)
		p := drawPlan(t, "2027-03-01", at, fmt.Sprintf("march-%d", i))
		id := PlanID(p.Digest)
		if _, err := s.PutPlan(ctx, id, p); err != nil {
			t.Fatal(err)
		}
		march = append([]string{id}, march...)
	}
	april := drawPlan(t, "2027-04-01", created, "april")
	if _, err := s.PutPlan(ctx, PlanID(april.Digest), april); err != nil {
		t.Fatal(err)
	}
	var got []string
	cursor := ""
	for pages := 0; pages < 5; pages++ {
		items, next, err := s.ListPlans(ctx, 2027, time.March, Page{Cursor: cursor, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range items {
			if PlanID(e.Plan.Digest) != e.ID || e.Plan.Period.From.Month != time.March {
				t.Fatalf("entry %s holds plan %s of %v", e.ID, e.Plan.Digest, e.Plan.Period.From)
			}
			got = append(got, e.ID)
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	if !reflect.DeepEqual(got, march) {
		t.Fatalf("march plans %v, want %v", got, march)
	}
	items, _, err := s.ListPlans(ctx, 2027, time.May, Page{})
	if err != nil || len(items) != 0 {
		t.Fatalf("may: %v %v", items, err)
	}
}
