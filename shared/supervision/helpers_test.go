package supervision

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

var created = time.Date(2027, 2, 25, 2, 0, 0, 0, time.UTC)

// pool builds a pool with the given number of subjects per level. Subject i
// was handled by unit PCS-(i mod units); ids are padded so order by id is
// the order of creation within a level.
func pool(perLevel map[domain.Level]int, units int) []PoolSubject {
	var out []PoolSubject
	i := 0
	for _, l := range domain.Levels {
		for j := 0; j < perLevel[l]; j++ {
			s := PoolSubject{ID: domain.SubjectID(fmt.Sprintf("S%s%04d", l, j)), Name: fmt.Sprintf("主体%s%d号", l, j), Level: l}
			if units > 0 {
				s.HandlingUnits = []string{fmt.Sprintf("PCS-%02d", i%units)}
			}
			out = append(out, s)
			i++
		}
	}
	return out
}

// roster has n inspectors spread over units (inspector i in PCS-(i mod units)).
func roster(n, units int) []Inspector {
	out := make([]Inspector, n)
	for i := range out {
		out[i] = Inspector{ID: fmt.Sprintf("P%03d", i), Name: fmt.Sprintf("民警%d", i), Unit: fmt.Sprintf("PCS-%02d", i%units)}
	}
	return out
}

func input(subjects []PoolSubject, r []Inspector, seed string) PlanInput {
	return PlanInput{
		Period:    Period{From: domain.MustDate("2027-03-01"), To: domain.MustDate("2027-03-31")},
		Pool:      Pool{Trade: "旅馆业", Jurisdiction: "城关镇"},
		Subjects:  subjects,
		Roster:    r,
		Policy:    SnapshotOf(policy.MustDefault()),
		Seed:      seed,
		CreatedAt: created,
	}
}

// shuffled returns a copy of in with subjects, roster and handling units in
// a different order (driven by a test-local generator).
func shuffled(in PlanInput, k uint64) PlanInput {
	r := rand.New(rand.NewPCG(k, k+1))
	out := in
	out.Subjects = make([]PoolSubject, len(in.Subjects))
	for i, s := range in.Subjects {
		s.HandlingUnits = append([]string(nil), s.HandlingUnits...)
		r.Shuffle(len(s.HandlingUnits), func(i, j int) { s.HandlingUnits[i], s.HandlingUnits[j] = s.HandlingUnits[j], s.HandlingUnits[i] })
		out.Subjects[i] = s
	}
	r.Shuffle(len(out.Subjects), func(i, j int) { out.Subjects[i], out.Subjects[j] = out.Subjects[j], out.Subjects[i] })
	out.Roster = append([]Inspector(nil), in.Roster...)
	r.Shuffle(len(out.Roster), func(i, j int) { out.Roster[i], out.Roster[j] = out.Roster[j], out.Roster[i] })
	return out
}

func drawnIDs(p Plan) map[domain.SubjectID]Assignment {
	m := map[domain.SubjectID]Assignment{}
	for _, a := range p.Result {
		m[a.SubjectID] = a
	}
	return m
}
