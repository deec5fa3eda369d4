package grading

import (
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

// Severity is how grave one act is (notice §3, last paragraph): its heaviest
// sanction kind by the policy order, then the largest amount of that kind.
type Severity struct {
	Kind      domain.SanctionKind `json:"kind"`
	Rank      int                 `json:"rank"` // position in the policy order; -1 for no known sanction
	AmountFen int64               `json:"amount_fen"`
	Tier      policy.Tier         `json:"tier"` // "" for no known sanction
}

// Compare orders severities: heavier kind first decides, then amount.
func (s Severity) Compare(o Severity) int {
	switch {
	case s.Rank != o.Rank:
		if s.Rank < o.Rank {
			return -1
		}
		return 1
	case s.AmountFen < o.AmountFen:
		return -1
	case s.AmountFen > o.AmountFen:
		return 1
	}
	return 0
}

// ActSeverity rates one act on its own. Sanction kinds the policy does not
// know are ignored (intake rejects them); an act with none has Rank -1 and
// no tier, and does not count.
func ActSeverity(p *policy.Policy, act domain.Act) Severity {
	best := Severity{Rank: -1}
	for _, s := range act.Sanctions {
		r := p.Rank(s.Kind)
		if r < 0 {
			continue
		}
		c := Severity{Kind: s.Kind, Rank: r, AmountFen: max(s.AmountFen, 0), Tier: p.Tier(s.Kind)}
		if c.Compare(best) > 0 {
			best = c
		}
	}
	return best
}

// ActAmountFen is what one act adds to the fines+confiscations sum: the
// amounts of all its sanctions of the policy's summed kinds. Negative amounts
// (rejected at intake) count as zero so no record can lower the sum.
func ActAmountFen(p *policy.Policy, act domain.Act) int64 {
	var sum int64
	for _, s := range act.Sanctions {
		if p.Summed(s.Kind) && s.AmountFen > 0 {
			sum = addSat(sum, s.AmountFen)
		}
	}
	return sum
}

// addSat adds two non-negative amounts, saturating instead of overflowing.
func addSat(a, b int64) int64 {
	if a > 1<<63-1-b {
		return 1<<63 - 1
	}
	return a + b
}
