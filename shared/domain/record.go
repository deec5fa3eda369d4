package domain

import "time"

// RecordKind is the kind of fact a unit posts (rules.md "What feeds the grade").
type RecordKind string

const (
	KindDecision            RecordKind = "decision"             // 处理决定
	KindCommitmentViolation RecordKind = "commitment_violation" // 违反许可承诺书
	KindListEntry           RecordKind = "list_entry"           // 红/黑/失信惩戒/联合激励名单
	KindEvaluation          RecordKind = "evaluation"           // 国家公共信用综合评价
	// Kept and shown, not graded by default.
	KindInspection        RecordKind = "inspection"         // 日常监督检查
	KindComplaint         RecordKind = "complaint"          // 投诉举报
	KindPublicEvaluation  RecordKind = "public_evaluation"  // 公众评价
	KindQuantifiedGrading RecordKind = "quantified_grading" // 量化分级
	KindLicensingEvent    RecordKind = "licensing_event"    // 许可管理
)

// ObservationKinds are the record kinds kept and shown but not graded.
var ObservationKinds = []RecordKind{KindInspection, KindComplaint, KindPublicEvaluation, KindQuantifiedGrading, KindLicensingEvent}

// Graded reports whether records of this kind can move a grade.
func (k RecordKind) Graded() bool {
	switch k {
	case KindDecision, KindCommitmentViolation, KindListEntry, KindEvaluation:
		return true
	}
	return false
}

// Status is a record's state. Only active and objected records count.
type Status string

const (
	StatusActive   Status = "active"
	StatusObjected Status = "objected" // 异议处理中: still counts, marked on disclosure
	StatusRevoked  Status = "revoked"  // 撤销, after an upheld objection
	StatusRepaired Status = "repaired" // 信用修复
	StatusExpired  Status = "expired"  // out of the one-year window
)

// Counts reports whether a record in this status counts toward a grade.
func (s Status) Counts() bool { return s == StatusActive || s == StatusObjected }

// SanctionKind is a kind of sanction; their order (lightest to heaviest) and
// tiers are policy settings, not fixed here.
type SanctionKind string

const (
	SanctionCorrectionOrder     SanctionKind = "correction_order"     // 责令（限期）改正
	SanctionWarning             SanctionKind = "warning"              // 警告
	SanctionCirculatedCriticism SanctionKind = "circulated_criticism" // 通报批评
	SanctionFine                SanctionKind = "fine"                 // 罚款
	SanctionConfiscation        SanctionKind = "confiscation"         // 没收违法所得/非法财物
	SanctionLicenceSuspension   SanctionKind = "licence_suspension"   // 暂扣许可证件
	SanctionBusinessRestriction SanctionKind = "business_restriction" // 限制开展生产经营活动/责令停产停业/责令关闭
	SanctionLicenceRevocation   SanctionKind = "licence_revocation"   // 吊销许可证件
	SanctionDetention           SanctionKind = "detention"            // 行政拘留
)

// SanctionKinds is the closed set of sanction kinds.
var SanctionKinds = []SanctionKind{
	SanctionCorrectionOrder, SanctionWarning, SanctionCirculatedCriticism, SanctionFine,
	SanctionConfiscation, SanctionLicenceSuspension, SanctionBusinessRestriction,
	SanctionLicenceRevocation, SanctionDetention,
}

// Sanction is one sanction of an act. AmountFen applies to fines and
// confiscations; licence fields to suspensions and revocations.
type Sanction struct {
	Kind          SanctionKind `json:"kind"`
	AmountFen     int64        `json:"amount_fen,omitempty"`
	LicenceName   string       `json:"licence_name,omitempty"`
	LicenceNumber string       `json:"licence_number,omitempty"`
	DetentionDays int          `json:"detention_days,omitempty"`
}

// Act is one illegal act of a handling decision; each act is rated on its own.
type Act struct {
	Facts      string     `json:"facts"`
	LegalBasis string     `json:"legal_basis"`
	Sanctions  []Sanction `json:"sanctions"`
}

// Decision is a handling decision (处理决定).
type Decision struct {
	Acts []Act `json:"acts"`
}

// CommitmentViolation is a licensing-commitment violation (违反许可承诺书).
type CommitmentViolation struct {
	Commitment  string `json:"commitment"`
	Description string `json:"description"`
}

// ListKind is a kind of list a subject can be entered on.
type ListKind string

const (
	ListRed         ListKind = "red"          // 红名单 (county bureau)
	ListBlack       ListKind = "black"        // 黑名单 (city bureau)
	ListDishonesty  ListKind = "dishonesty"   // 失信惩戒名单 (from above)
	ListJointReward ListKind = "joint_reward" // 联合激励名单
)

var ListKinds = []ListKind{ListRed, ListBlack, ListDishonesty, ListJointReward}

// ListEntry is a list entry with its effective period. ValidUntil is the last
// day in effect (inclusive); zero means open-ended. A removal is a new fact
// that sets RemovedOn (the first day no longer in effect); nothing is deleted.
type ListEntry struct {
	List       ListKind `json:"list"`
	Authority  string   `json:"authority,omitempty"`
	ValidFrom  Date     `json:"valid_from"`
	ValidUntil Date     `json:"valid_until,omitempty"`
	RemovedOn  Date     `json:"removed_on,omitempty"`
	RemovalDoc string   `json:"removal_document_no,omitempty"`
}

// InEffect reports whether the entry is in effect on day d.
func (l ListEntry) InEffect(d Date) bool {
	if d.Before(l.ValidFrom) {
		return false
	}
	if !l.ValidUntil.IsZero() && d.After(l.ValidUntil) {
		return false
	}
	if !l.RemovedOn.IsZero() && !d.Before(l.RemovedOn) {
		return false
	}
	return true
}

// EvaluationLevel is a national public credit comprehensive evaluation level.
type EvaluationLevel string

const (
	EvalExcellent EvaluationLevel = "excellent" // 优
	EvalGood      EvaluationLevel = "good"      // 良
	EvalFair      EvaluationLevel = "fair"      // 中
	EvalPoor      EvaluationLevel = "poor"      // 差
)

var EvaluationLevels = []EvaluationLevel{EvalExcellent, EvalGood, EvalFair, EvalPoor}

// Evaluation is one national evaluation result for a subject.
type Evaluation struct {
	Level EvaluationLevel `json:"level"`
	Batch string          `json:"batch,omitempty"`
}

// Observation holds the kinds kept and shown but not graded by default
// (inspections, complaints, public evaluations, quantified grading, licensing
// events): a result and free-text details.
type Observation struct {
	Result  string `json:"result"`
	Details string `json:"details,omitempty"`
}

// Actor is who did something: from the verified token, never from the body.
type Actor struct {
	Unit string `json:"unit"`
	User string `json:"user"`
	Role string `json:"role"`
}

// StatusChange is one status transition of a record, with who, when and why.
type StatusChange struct {
	From      Status    `json:"from"`
	To        Status    `json:"to"`
	At        time.Time `json:"at"`
	By        Actor     `json:"by"`
	Reason    string    `json:"reason"`
	RequestID string    `json:"request_id,omitempty"`
}

// Record is one posted fact about a subject. Exactly one of the kind-specific
// parts is set, matching Kind. EffectiveDate is the decision date (decisions),
// violation date (commitment violations), start of the period (list entries),
// evaluation date (evaluations) or the date of the observation.
type Record struct {
	ID            string     `json:"id"`
	Kind          RecordKind `json:"kind"`
	SubjectID     SubjectID  `json:"subject_id"`
	Unit          string     `json:"unit"`
	DocumentNo    string     `json:"document_no"`
	EffectiveDate Date       `json:"effective_date"`
	Status        Status     `json:"status"`
	// CountsUntil is the first day the record no longer counts (the end of its
	// one-year window, exclusive); zero for kinds that do not age out this way.
	// Set at intake from the policy's window; the expiry job finds records by it.
	CountsUntil Date `json:"counts_until,omitempty"`

	Decision    *Decision            `json:"decision,omitempty"`
	Violation   *CommitmentViolation `json:"violation,omitempty"`
	ListEntry   *ListEntry           `json:"list_entry,omitempty"`
	Evaluation  *Evaluation          `json:"evaluation,omitempty"`
	Observation *Observation         `json:"observation,omitempty"`

	CreatedAt time.Time      `json:"created_at"`
	CreatedBy Actor          `json:"created_by"`
	RequestID string         `json:"request_id,omitempty"`
	History   []StatusChange `json:"history,omitempty"`
	// ContentHash identifies the posted content, so the same document posted
	// again is recognised and a different one under the same number is a 409.
	ContentHash string `json:"content_hash,omitempty"`
}
