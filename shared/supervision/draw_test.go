package supervision

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
)

// The draw relies on PCG's stream being fixed by its algorithm; these are
// the first outputs for seed (1, 2) that Go's own pcg_test.go pins. If a Go
// release ever changed them, stored plans would stop verifying: this test
// says so before any plan does.
func TestPCGStreamIsPinned(t *testing.T) {
	p := rand.NewPCG(1, 2)
	for i, want := range []uint64{0xc4f5a58656eef510, 0x9dcec3ad077dec6c, 0xc8d04605312f8088} {
		if got := p.Uint64(); got != want {
			t.Fatalf("PCG(1,2) output %d = %#x, want %#x", i, got, want)
		}
	}
}

func TestBelowIsInRangeAndCoversIt(t *testing.T) {
	s := newStream("below")
	for _, n := range []int{1, 2, 3, 7} {
		seen := make([]bool, n)
		for range 200 {
			v := s.below(n)
			if v < 0 || v >= n {
				t.Fatalf("below(%d) = %d", n, v)
			}
			seen[v] = true
		}
		if slices.Contains(seen, false) {
			t.Errorf("below(%d) never produced some values: %v", n, seen)
		}
	}
}

func TestSampleSize(t *testing.T) {
	tests := []struct {
		name string
		rate float64
		n    int
		want int
	}{
		{"exact fifth", 0.2, 10, 2},
		{"fifth rounds up", 0.2, 11, 3},
		{"empty pool", 0.2, 0, 0},
		{"zero rate", 0, 9, 0},
		{"all", 1, 5, 5},
		{"tenth of one", 0.1, 1, 1},
		{"0.15 of 7 is 1.05", 0.15, 7, 2},
		{"0.3 of 10 (float 3.0000000000000004)", 0.3, 10, 3},
		{"0.7 of 10 (float 7.000000000000001)", 0.7, 10, 7},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SampleSize(tc.rate, tc.n); got != tc.want {
				t.Errorf("SampleSize(%v, %d) = %d, want %d", tc.rate, tc.n, got, tc.want)
			}
		})
	}
}

func TestDrawIsReproducibleAndOrderFree(t *testing.T) {
	in := input(pool(map[domain.Level]int{"A": 5, "B": 23, "C": 4, "unrated": 17}, 4), roster(9, 4), "seed-2027-03")
	first, err := Draw(in)
	if err != nil {
		t.Fatal(err)
	}
	for k := range uint64(5) {
		t.Run(fmt.Sprintf("permutation %d", k), func(t *testing.T) {
			again, err := Draw(shuffled(in, k))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(first, again) {
				t.Fatalf("plan depends on input order:\n%+v\n%+v", first.Result, again.Result)
			}
		})
	}
	t.Run("caller's slices untouched", func(t *testing.T) {
		if in.Subjects[0].ID != "SA0000" || in.Roster[0].ID != "P000" {
			t.Fatalf("input was reordered")
		}
		sh := shuffled(in, 9)
		before := append([]PoolSubject(nil), sh.Subjects...)
		if _, err := Draw(sh); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(before, sh.Subjects) {
			t.Fatalf("Draw changed the caller's subjects")
		}
	})
	t.Run("another seed draws another sample", func(t *testing.T) {
		other := in
		other.Seed = "seed-2027-04"
		p, err := Draw(other)
		if err != nil {
			t.Fatal(err)
		}
		if reflect.DeepEqual(p.Result, first.Result) {
			t.Fatalf("two seeds gave the same result")
		}
	})
}

func TestDrawLevels(t *testing.T) {
	tests := []struct {
		name     string
		perLevel map[domain.Level]int
		rates    map[domain.Level]float64
		want     map[domain.Level]int
	}{
		{"default rates", map[domain.Level]int{"A": 6, "B": 10, "C": 3, "unrated": 21},
			map[domain.Level]float64{"A": 0, "B": 0.2, "C": 1, "unrated": 0.1}, map[domain.Level]int{"A": 0, "B": 2, "C": 3, "unrated": 3}},
		{"C always included even below rate 1", map[domain.Level]int{"B": 7, "C": 5},
			map[domain.Level]float64{"A": 0, "B": 0.5, "C": 0.3, "unrated": 0}, map[domain.Level]int{"A": 0, "B": 4, "C": 5, "unrated": 0}},
		{"A exempt even with a rate", map[domain.Level]int{"A": 8, "B": 3},
			map[domain.Level]float64{"A": 1, "B": 1, "C": 1, "unrated": 1}, map[domain.Level]int{"A": 0, "B": 3, "C": 0, "unrated": 0}},
		{"empty pool", map[domain.Level]int{},
			map[domain.Level]float64{"A": 0, "B": 0.2, "C": 1, "unrated": 0.1}, map[domain.Level]int{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := input(pool(tc.perLevel, 3), roster(6, 3), "levels")
			in.Policy = PolicySnapshot{Version: "test", Rates: tc.rates}
			p, err := Draw(in)
			if err != nil {
				t.Fatal(err)
			}
			got := map[domain.Level]int{}
			for _, a := range p.Result {
				got[a.Level]++
			}
			for _, l := range domain.Levels {
				if got[l] != tc.want[l] {
					t.Errorf("level %s: drawn %d, want %d", l, got[l], tc.want[l])
				}
			}
			for _, c := range p.Counts {
				if c.InPool != tc.perLevel[c.Level] || c.Drawn != tc.want[c.Level] || c.Rate != tc.rates[c.Level] {
					t.Errorf("count row %+v, want in_pool %d drawn %d", c, tc.perLevel[c.Level], tc.want[c.Level])
				}
			}
			drawn := drawnIDs(p)
			for _, s := range in.Subjects {
				_, ok := drawn[s.ID]
				if s.Level == domain.LevelC && !ok {
					t.Errorf("C subject %s left out", s.ID)
				}
				if s.Level == domain.LevelA && ok {
					t.Errorf("A subject %s drawn", s.ID)
				}
			}
			if !slices.IsSortedFunc(p.Result, func(a, b Assignment) int { return strings.Compare(string(a.SubjectID), string(b.SubjectID)) }) {
				t.Errorf("result not in id order")
			}
		})
	}
}

// Over many seeds: a drawn B sample is always ceil(rate × n) distinct B
// subjects, and each B subject gets drawn under some seed (the sample is
// not stuck on the first ids).
func TestDrawSamplesAcrossSeeds(t *testing.T) {
	in := input(pool(map[domain.Level]int{"B": 12}, 2), roster(4, 4), "")
	everDrawn := map[domain.SubjectID]bool{}
	for i := range 60 {
		in.Seed = fmt.Sprintf("s%d", i)
		p, err := Draw(in)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Result) != 3 { // ceil(0.2 × 12)
			t.Fatalf("seed %s: drew %d, want 3", in.Seed, len(p.Result))
		}
		for _, a := range p.Result {
			everDrawn[a.SubjectID] = true
		}
	}
	if len(everDrawn) != 12 {
		t.Errorf("only %d of 12 B subjects ever drawn in 60 seeds", len(everDrawn))
	}
}

func TestDrawInspectors(t *testing.T) {
	t.Run("never from a handling unit when another is free", func(t *testing.T) {
		// 3 units, 2 inspectors each: every subject has 4 inspectors of other units.
		in := input(pool(map[domain.Level]int{"B": 20, "C": 6, "unrated": 10}, 3), roster(6, 3), "")
		for i := range 20 {
			in.Seed = fmt.Sprintf("insp-%d", i)
			p, err := Draw(in)
			if err != nil {
				t.Fatal(err)
			}
			units := map[string]string{}
			for _, r := range in.Roster {
				units[r.ID] = r.Unit
			}
			handled := map[domain.SubjectID][]string{}
			for _, s := range in.Subjects {
				handled[s.ID] = s.HandlingUnits
			}
			for _, a := range p.Result {
				if len(a.Inspectors) != 2 || a.Inspectors[0] == a.Inspectors[1] {
					t.Fatalf("%s: inspectors %v, want two different", a.SubjectID, a.Inspectors)
				}
				for _, id := range a.Inspectors {
					if slices.Contains(handled[a.SubjectID], units[id]) {
						t.Fatalf("seed %s: %s assigned %s of handling unit %s", in.Seed, a.SubjectID, id, units[id])
					}
				}
				if len(a.Conflicts) != 0 {
					t.Fatalf("unexpected conflicts %v", a.Conflicts)
				}
			}
		}
	})
	t.Run("work is spread over the roster", func(t *testing.T) {
		in := input(pool(map[domain.Level]int{"C": 12}, 0), roster(6, 6), "spread")
		p, err := Draw(in)
		if err != nil {
			t.Fatal(err)
		}
		load := map[string]int{}
		for _, a := range p.Result {
			for _, id := range a.Inspectors {
				load[id]++
			}
		}
		for _, r := range in.Roster {
			if load[r.ID] != 4 { // 12 subjects × 2 / 6 inspectors
				t.Errorf("inspector %s has %d assignments, want 4", r.ID, load[r.ID])
			}
		}
	})
	t.Run("lone inspector of the handling unit is assigned with a conflict note", func(t *testing.T) {
		in := input([]PoolSubject{{ID: "S1", Name: "甲", Level: domain.LevelC, HandlingUnits: []string{"PCS-01"}}},
			[]Inspector{{ID: "P1", Name: "民警", Unit: "PCS-01"}}, "lone")
		p, err := Draw(in)
		if err != nil {
			t.Fatal(err)
		}
		a := p.Result[0]
		if !slices.Equal(a.Inspectors, []string{"P1"}) || len(a.Conflicts) != 1 || a.Conflicts[0].InspectorID != "P1" || !strings.Contains(a.Conflicts[0].NoteZH, "回避") {
			t.Fatalf("assignment = %+v", a)
		}
	})
	t.Run("second inspector falls back to the handling unit", func(t *testing.T) {
		in := input([]PoolSubject{{ID: "S1", Level: domain.LevelC, HandlingUnits: []string{"PCS-01"}}},
			[]Inspector{{ID: "P1", Unit: "PCS-01"}, {ID: "P2", Unit: "PCS-02"}}, "pair")
		p, err := Draw(in)
		if err != nil {
			t.Fatal(err)
		}
		a := p.Result[0]
		if !slices.Equal(a.Inspectors, []string{"P2", "P1"}) || len(a.Conflicts) != 1 || a.Conflicts[0].InspectorID != "P1" {
			t.Fatalf("assignment = %+v, want the free P2 first and P1 with a conflict", a)
		}
	})
}

func TestDrawRejectsBadInput(t *testing.T) {
	good := input(pool(map[domain.Level]int{"B": 2}, 1), roster(2, 1), "x")
	tests := []struct {
		name   string
		change func(*PlanInput)
		want   string
	}{
		{"no seed", func(in *PlanInput) { in.Seed = "" }, "seed"},
		{"period reversed", func(in *PlanInput) { in.Period.To = domain.MustDate("2027-02-01") }, "period"},
		{"no trade", func(in *PlanInput) { in.Pool.Trade = " " }, "trade"},
		{"missing rate", func(in *PlanInput) { in.Policy.Rates = map[domain.Level]float64{"A": 0} }, "rates"},
		{"duplicate subject", func(in *PlanInput) { in.Subjects = append(in.Subjects, in.Subjects[0]) }, "more than once"},
		{"bad level", func(in *PlanInput) { in.Subjects = []PoolSubject{{ID: "S", Level: "D"}} }, "unknown level"},
		{"duplicate inspector", func(in *PlanInput) { in.Roster = append(in.Roster, in.Roster[0]) }, "more than once"},
		{"empty roster", func(in *PlanInput) { in.Roster = nil }, "roster"},
		{"no created time", func(in *PlanInput) { in.CreatedAt = time.Time{} }, "created_at"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := good
			in.Subjects = slices.Clone(good.Subjects)
			in.Roster = slices.Clone(good.Roster)
			tc.change(&in)
			_, err := Draw(in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestPlanJSONRoundTrip(t *testing.T) {
	p, err := Draw(input(pool(map[domain.Level]int{"A": 1, "B": 6, "C": 2, "unrated": 4}, 2), roster(3, 2), "json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back Plan
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if err := Verify(back); err != nil {
		t.Fatalf("round-tripped plan does not verify: %v", err)
	}
	if d, _ := DigestOf(back); d != p.Digest {
		t.Fatalf("digest changed over JSON: %s vs %s", d, p.Digest)
	}
}

func TestHandlingUnits(t *testing.T) {
	recs := []domain.Record{{Unit: "PCS-02"}, {Unit: "PCS-01", Status: domain.StatusRevoked}, {Unit: "PCS-02"}, {Unit: ""}}
	if got := HandlingUnits(recs); !slices.Equal(got, []string{"PCS-01", "PCS-02"}) {
		t.Errorf("HandlingUnits = %v", got)
	}
	if got := HandlingUnits(nil); len(got) != 0 {
		t.Errorf("HandlingUnits(nil) = %v", got)
	}
}
