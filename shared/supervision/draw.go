package supervision

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/suixian-psb/credit/shared/domain"
)

// drawOrder is the order levels are drawn in; it fixes how the number
// stream is consumed, so it is part of the algorithm.
var drawOrder = []domain.Level{domain.LevelC, domain.LevelB, domain.LevelUnrated, domain.LevelA}

// SampleSize is how many of n subjects a rate draws: ⌈rate × n⌉, computed on
// the rate rounded to millionths in integers so 0.2 × 10 is exactly 2 (in
// floating point it is 2.0000000000000004 and would round up to 3).
func SampleSize(rate float64, n int) int {
	ppm := int64(math.Round(rate * 1e6))
	return int((ppm*int64(n) + 999_999) / 1_000_000)
}

// Draw draws a random inspection plan. See the package documentation for
// the exact procedure; it depends only on the input, never on its order.
func Draw(in PlanInput) (Plan, error) {
	in, err := canonical(in)
	if err != nil {
		return Plan{}, err
	}
	s := newStream(in.Seed)

	byLevel := map[domain.Level][]PoolSubject{}
	for _, sub := range in.Subjects {
		byLevel[sub.Level] = append(byLevel[sub.Level], sub)
	}
	var counts []LevelCount
	var drawn []PoolSubject
	for _, l := range drawOrder {
		members := byLevel[l]
		n := len(members)
		rate := in.Policy.Rates[l]
		var k int
		var rule string
		switch l {
		case domain.LevelA:
			k, rule = 0, "exempt: A级除投诉举报和专项执法检查外免予日常巡查检查（通知第四条第一款）"
		case domain.LevelC:
			k, rule = n, "all: C级加大随机抽查力度，全部列入（通知第四条第三款）"
		default:
			k, rule = SampleSize(rate, n), fmt.Sprintf("ceil(rate×n): 按比例 %s 向上取整随机抽取", formatRate(rate))
		}
		counts = append(counts, LevelCount{Level: l, InPool: n, Drawn: k, Rate: rate, Rule: rule})
		drawn = append(drawn, sample(s, members, k)...)
	}
	slices.SortFunc(drawn, func(a, b PoolSubject) int { return strings.Compare(string(a.ID), string(b.ID)) })

	result, err := assign(s, drawn, in.Roster, in.InspectorsPerSubject)
	if err != nil {
		return Plan{}, err
	}
	p := Plan{
		Format:               FormatVersion,
		Algorithm:            Algorithm,
		Period:               in.Period,
		Pool:                 in.Pool,
		Seed:                 in.Seed,
		Policy:               in.Policy,
		InspectorsPerSubject: in.InspectorsPerSubject,
		Subjects:             in.Subjects,
		Roster:               in.Roster,
		Counts:               counts,
		Result:               result,
		CreatedAt:            in.CreatedAt,
	}
	if p.Digest, err = DigestOf(p); err != nil {
		return Plan{}, err
	}
	return p, nil
}

// sample picks k of members (sorted by id) by a partial Fisher–Yates
// shuffle: for i in 0..k-1, swap position i with i + below(n-i). When k is
// 0 or n no number is consumed.
func sample(s stream, members []PoolSubject, k int) []PoolSubject {
	n := len(members)
	if k <= 0 {
		return nil
	}
	if k >= n {
		return slices.Clone(members)
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	for i := 0; i < k; i++ {
		j := i + s.below(n-i)
		idx[i], idx[j] = idx[j], idx[i]
	}
	out := make([]PoolSubject, k)
	for i := range out {
		out[i] = members[idx[i]]
	}
	return out
}

// assign gives each drawn subject (in id order) up to per inspectors. Each
// pick is uniform among the not-yet-chosen inspectors with the fewest
// assignments so far (so the work is spread), taken first from those whose
// unit did not handle the subject; only when none of those is left is an
// inspector of a handling unit assigned, with a recorded conflict note so
// the unit applies its recusal review (回避审查) instead of the plan failing.
func assign(s stream, drawn []PoolSubject, roster []Inspector, per int) ([]Assignment, error) {
	if len(drawn) > 0 && len(roster) == 0 {
		return nil, errors.New("draw plan: the roster is empty but subjects were drawn / 检查人员名录为空")
	}
	load := make([]int, len(roster))
	out := make([]Assignment, 0, len(drawn))
	for _, sub := range drawn {
		a := Assignment{SubjectID: sub.ID, Level: sub.Level}
		chosen := make([]bool, len(roster))
		for range min(per, len(roster)) {
			i, conflicted := pick(s, roster, sub.HandlingUnits, chosen, load)
			chosen[i] = true
			load[i]++
			a.Inspectors = append(a.Inspectors, roster[i].ID)
			if conflicted {
				a.Conflicts = append(a.Conflicts, Conflict{
					InspectorID: roster[i].ID,
					Unit:        roster[i].Unit,
					NoteZH:      fmt.Sprintf("检查人员所在单位（%s）曾办理该主体的记录，因名录中无其他可指派人员仍予指派，须经回避审查后实施检查", roster[i].Unit),
				})
			}
		}
		out = append(out, a)
	}
	return out, nil
}

func pick(s stream, roster []Inspector, handling []string, chosen []bool, load []int) (int, bool) {
	for _, conflicted := range []bool{false, true} {
		var ties []int
		best := math.MaxInt
		for i, ins := range roster {
			if chosen[i] || slices.Contains(handling, ins.Unit) != conflicted {
				continue
			}
			switch {
			case load[i] < best:
				best, ties = load[i], []int{i}
			case load[i] == best:
				ties = append(ties, i)
			}
		}
		if len(ties) > 0 {
			return ties[s.below(len(ties))], conflicted
		}
	}
	panic("supervision: pick called with every inspector chosen")
}

// DigestOf is the SHA-256 (hex) of the plan's JSON encoding with Digest
// empty. encoding/json writes struct fields in declaration order and map
// keys sorted, so the encoding, and the digest, is stable.
func DigestOf(p Plan) (string, error) {
	p.Digest = ""
	b, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("plan digest: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func formatRate(r float64) string {
	return fmt.Sprintf("%g%%", math.Round(r*1e6)/1e4)
}
