package supervision

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/suixian-psb/credit/shared/domain"
)

// canonical validates the input and returns a copy in canonical order:
// subjects and roster sorted by id, each subject's handling units sorted
// and deduplicated. Nothing of the caller's slices is shared or changed.
func canonical(in PlanInput) (PlanInput, error) {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if in.Seed == "" {
		bad("seed: required / 随机种子不能为空")
	}
	if in.Period.From.IsZero() || in.Period.To.IsZero() {
		bad("period: from and to are required / 抽查期间不能为空")
	} else if in.Period.To.Before(in.Period.From) {
		bad("period: to %s is before from %s / 抽查期间结束日期早于开始日期", in.Period.To, in.Period.From)
	}
	if strings.TrimSpace(in.Pool.Trade) == "" || strings.TrimSpace(in.Pool.Jurisdiction) == "" {
		bad("pool: trade and jurisdiction are required / 行业和辖区不能为空")
	}
	if in.Policy.Version == "" {
		bad("policy.version: required / 政策版本不能为空")
	}
	for _, l := range domain.Levels {
		r, ok := in.Policy.Rates[l]
		if !ok {
			bad("policy.rates: missing level %q / 缺少抽查比例", l)
		} else if r < 0 || r > 1 || r != r {
			bad("policy.rates.%s: must be between 0 and 1 (got %v)", l, r)
		}
	}
	if in.InspectorsPerSubject == 0 {
		in.InspectorsPerSubject = DefaultInspectorsPerSubject
	}
	if in.InspectorsPerSubject < 1 {
		bad("inspectors_per_subject: must be at least 1 (got %d)", in.InspectorsPerSubject)
	}
	if in.CreatedAt.IsZero() {
		bad("created_at: required")
	}
	in.CreatedAt = in.CreatedAt.UTC()
	rates := make(map[domain.Level]float64, len(in.Policy.Rates))
	for l, r := range in.Policy.Rates {
		rates[l] = r
	}
	in.Policy.Rates = rates

	subjects := make([]PoolSubject, len(in.Subjects))
	for i, s := range in.Subjects {
		if s.ID == "" {
			bad("subjects[%d]: id required", i)
		}
		if !s.Level.Valid() {
			bad("subjects[%d] (%s): unknown level %q", i, s.ID, s.Level)
		}
		units := slices.Clone(s.HandlingUnits)
		slices.Sort(units)
		s.HandlingUnits = slices.Compact(units)
		if len(s.HandlingUnits) == 0 {
			s.HandlingUnits = nil
		}
		subjects[i] = s
	}
	slices.SortFunc(subjects, func(a, b PoolSubject) int { return strings.Compare(string(a.ID), string(b.ID)) })
	for i := 1; i < len(subjects); i++ {
		if subjects[i].ID == subjects[i-1].ID {
			bad("subjects: id %s appears more than once / 主体重复", subjects[i].ID)
		}
	}

	roster := slices.Clone(in.Roster)
	for i, r := range roster {
		if r.ID == "" || r.Unit == "" {
			bad("roster[%d]: id and unit required", i)
		}
	}
	slices.SortFunc(roster, func(a, b Inspector) int { return strings.Compare(a.ID, b.ID) })
	for i := 1; i < len(roster); i++ {
		if roster[i].ID == roster[i-1].ID {
			bad("roster: inspector %s appears more than once / 检查人员重复", roster[i].ID)
		}
	}
	if len(errs) > 0 {
		return PlanInput{}, fmt.Errorf("draw plan: %w", errors.Join(errs...))
	}
	in.Subjects, in.Roster = subjects, roster
	return in, nil
}

// HandlingUnits lists the units that posted any of a subject's records
// (whatever their status: a unit that handled a revoked record still
// handled the subject), sorted and without duplicates, for PoolSubject.
func HandlingUnits(records []domain.Record) []string {
	var units []string
	for _, r := range records {
		if r.Unit != "" {
			units = append(units, r.Unit)
		}
	}
	slices.Sort(units)
	return slices.Compact(units)
}
