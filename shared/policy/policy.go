package policy

import (
	"slices"

	"github.com/suixian-psb/credit/shared/domain"
)

// Tier is the tier an act falls in by its heaviest sanction (rules.md
// "Severity of an act").
type Tier string

const (
	TierWarning Tier = "warning" // correction order, warning, circulated criticism
	TierPenalty Tier = "penalty" // fine or anything heavier
)

// Reminder methods that close a reminder task (notice §5).
const (
	MethodOralReminder    = "oral_reminder"
	MethodWrittenReminder = "written_reminder"
	MethodInterview       = "interview"
)

// Methods is the closed set of reminder methods.
var Methods = []string{MethodOralReminder, MethodWrittenReminder, MethodInterview}

// Supervision actions a unit may check a subject's level against.
const (
	ActionSpecialTradeLicence        = "special_trade_licence"        // 特种行业许可
	ActionNewProjectApproval         = "new_project_approval"         // 新增项目审批、核准
	ActionProcurementEligibility     = "procurement_eligibility"      // 政府采购、招投标、资格审查
	ActionLicensingGreenChannel      = "licensing_green_channel"      // 行政许可“绿色通道”
	ActionRoutineInspectionExemption = "routine_inspection_exemption" // 免予日常巡查检查
)

// Actions is the closed set of supervision actions.
var Actions = []string{
	ActionSpecialTradeLicence, ActionNewProjectApproval, ActionProcurementEligibility,
	ActionLicensingGreenChannel, ActionRoutineInspectionExemption,
}

// Verdict is a supervision check's answer for an action at a level.
type Verdict string

const (
	VerdictAllowed      Verdict = "allowed"
	VerdictStrictReview Verdict = "strict_review"
	VerdictRestricted   Verdict = "restricted"
)

// Verdicts is the closed set of verdicts.
var Verdicts = []Verdict{VerdictAllowed, VerdictStrictReview, VerdictRestricted}

// Policy is one version of the grading policy. Obtain it from Parse, Default,
// LoadFile or FromEnv so it has been validated; callers treat it as read-only
// (tests may copy it and change a switch).
type Policy struct {
	Version     string `json:"version"`
	WindowYears int    `json:"window_years"`

	Sanctions  Sanctions  `json:"sanctions"`
	Thresholds Thresholds `json:"thresholds"`
	// Escalation switches rules.md's escalation decision: exceeding a B bound
	// gives C. Off, C comes only from lists (and an evaluation mapped to C).
	Escalation bool `json:"escalation"`

	Lists Lists `json:"lists"`
	// NationalEvaluation maps an evaluation level to the level it gives (B or
	// C); a level absent from the map has no effect.
	NationalEvaluation map[domain.EvaluationLevel]domain.Level `json:"national_evaluation"`

	Disclosure  Disclosure                 `json:"disclosure"`
	Reminders   Reminders                  `json:"reminders"`
	Repair      Repair                     `json:"repair"`
	Objection   Objection                  `json:"objection"`
	Measures    map[domain.Level][]Measure `json:"measures"`
	Supervision Supervision                `json:"supervision"`
}

// Sanctions holds the sanction order and tiers.
type Sanctions struct {
	// Order lists every sanction kind exactly once, lightest first.
	Order []domain.SanctionKind `json:"order"`
	// Tiers gives every sanction kind its tier.
	Tiers map[domain.SanctionKind]Tier `json:"tiers"`
	// SummedKinds are the kinds whose amounts count toward the
	// fines+confiscations sum ("罚没款金额累计").
	SummedKinds []domain.SanctionKind `json:"summed_kinds"`
}

// Thresholds are the C bounds. B holds below them (from one act up).
type Thresholds struct {
	WarningActs          int   `json:"warning_acts"`          // C at ≥ this many warning-tier acts
	PenaltyActs          int   `json:"penalty_acts"`          // C at ≥ this many penalty-tier acts
	CommitmentViolations int   `json:"commitment_violations"` // C at ≥ this many violations
	FineSumFen           int64 `json:"fine_sum_fen"`          // C when the sum is strictly greater
}

// Lists names the list kinds that give C (serious) and A (good).
type Lists struct {
	Serious []domain.ListKind `json:"serious"`
	Good    []domain.ListKind `json:"good"`
}

// Disclosure holds the publication switches.
type Disclosure struct {
	HonourRoll     bool `json:"honour_roll"`     // publish the A honour roll
	NaturalPersons bool `json:"natural_persons"` // publish natural persons (masked)
}

// Reminders configures the task due when a subject becomes B or C.
type Reminders struct {
	DueDays int `json:"due_days"`
	// Methods per level (B and C) that close the task.
	Methods map[domain.Level][]string `json:"methods"`
}

// Repair holds the minimum disclosure periods before credit repair, in
// months from the decision date.
type Repair struct {
	GeneralMonths int `json:"general_months"` // B-type (一般失信)
	SeriousMonths int `json:"serious_months"` // C-type (严重失信)
}

// Objection holds the objection handling deadline.
type Objection struct {
	VerificationDays int `json:"verification_days"`
}

// Measure is one measure applied at a level (notice §4).
type Measure struct {
	Key    string `json:"key"`
	TextZH string `json:"text_zh"`
	TextEN string `json:"text_en"`
}

// Supervision maps actions and levels to verdicts, and levels to the share
// of subjects drawn in random inspections (0 exempt, 1 always included).
type Supervision struct {
	Actions              map[string]map[domain.Level]Verdict `json:"actions"`
	RandomInspectionRate map[domain.Level]float64            `json:"random_inspection_rate"`
}

// Rank is the position of a sanction kind in the order, lightest 0; -1 when
// the policy does not know the kind.
func (p *Policy) Rank(k domain.SanctionKind) int { return slices.Index(p.Sanctions.Order, k) }

// Tier is the tier of a sanction kind ("" when unknown).
func (p *Policy) Tier(k domain.SanctionKind) Tier { return p.Sanctions.Tiers[k] }

// Summed reports whether amounts of this kind count toward the sum.
func (p *Policy) Summed(k domain.SanctionKind) bool {
	return slices.Contains(p.Sanctions.SummedKinds, k)
}

// ListLevel is the level a list kind gives: C, A, or "" for none.
func (p *Policy) ListLevel(k domain.ListKind) domain.Level {
	switch {
	case slices.Contains(p.Lists.Serious, k):
		return domain.LevelC
	case slices.Contains(p.Lists.Good, k):
		return domain.LevelA
	}
	return ""
}

// EvaluationLevel is the level an evaluation result gives ("" for none).
func (p *Policy) EvaluationLevel(e domain.EvaluationLevel) domain.Level {
	return p.NationalEvaluation[e]
}

// Check answers a supervision check: the verdict for an action at a level.
// ok is false for an unknown action or level.
func (p *Policy) Check(action string, level domain.Level) (v Verdict, ok bool) {
	v, ok = p.Supervision.Actions[action][level]
	return v, ok
}
