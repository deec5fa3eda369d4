// Package model holds the office workflows' stored values: reminder and
// interview register entries, objections (异议) and credit repair
// applications (信用修复). It is separate from shared/office so that
// shared/storage can keep these values without importing the workflows.
package model

import (
	"time"

	"github.com/suixian-psb/credit/shared/domain"
)

// Entity names as stored in the table's "entity" attribute. The county
// feed's stream filter selects register entries by EntityReminder.
const (
	EntityReminder  = "reminder"
	EntityObjection = "objection"
	EntityRepair    = "repair"
)

// Roles of the person met at a reminder or interview (notice §5): for a
// legal person or organisation its principal, the responsible leader or the
// person directly responsible; for a natural person the person themself.
const (
	PersonPrincipal           = "principal"            // 主要负责人
	PersonResponsibleLeader   = "responsible_leader"   // 分管负责人
	PersonDirectlyResponsible = "directly_responsible" // 直接责任人
	PersonSelf                = "self"                 // 本人（自然人）
)

// OrganisationPersonRoles are the roles allowed for legal persons and
// organisations.
var OrganisationPersonRoles = []string{PersonPrincipal, PersonResponsibleLeader, PersonDirectlyResponsible}

// PersonRoleZH is a role's Chinese name (register exports).
var PersonRoleZH = map[string]string{
	PersonPrincipal:           "主要负责人",
	PersonResponsibleLeader:   "分管负责人",
	PersonDirectlyResponsible: "直接责任人",
	PersonSelf:                "本人",
}

// Person is who was met.
type Person struct {
	Role string `json:"role"`
	Name string `json:"name"`
}

// Reminder is one entry of the reminder and interview register.
type Reminder struct {
	ID          string             `json:"id"`
	SubjectID   domain.SubjectID   `json:"subject_id"`
	SubjectType domain.SubjectType `json:"subject_type"`
	// SubjectName is the name as registered (copied from the profile so the
	// register reads on its own; it is an internal office document).
	SubjectName string `json:"subject_name"`
	// TaskID is the reminder task this entry closed; Level is that task's level.
	TaskID  string       `json:"task_id"`
	Level   domain.Level `json:"level"`
	Method  string       `json:"method"`
	Person  Person       `json:"person"`
	At      time.Time    `json:"at"` // when the reminder or interview took place (UTC, seconds)
	Content string       `json:"content"`
	Officer string       `json:"officer"`
	Unit    string       `json:"unit"`

	CreatedAt   time.Time    `json:"created_at"`
	CreatedBy   domain.Actor `json:"created_by"`
	RequestID   string       `json:"request_id,omitempty"`
	ContentHash string       `json:"content_hash"`
}

// Statuses of objections and repairs.
const (
	ObjectionOpen     = "open"
	ObjectionUpheld   = "upheld"
	ObjectionRejected = "rejected"

	RepairPending  = "pending"
	RepairApproved = "approved"
	RepairRejected = "rejected"
)

// Ruling is the office's decision on an objection or a repair application.
type Ruling struct {
	Outcome   string       `json:"outcome"` // upheld|rejected (objections), approved|rejected (repairs)
	Reason    string       `json:"reason"`
	By        domain.Actor `json:"by"`
	At        time.Time    `json:"at"`
	RequestID string       `json:"request_id,omitempty"`
}

// Objection is a subject's objection (异议) to one record.
type Objection struct {
	ID        string           `json:"id"`
	SubjectID domain.SubjectID `json:"subject_id"`
	RecordID  string           `json:"record_id"`
	// Seq is the number of earlier objections to the same record; it makes
	// the deterministic id of each round distinct.
	Seq      int      `json:"seq"`
	Grounds  string   `json:"grounds"`
	Evidence []string `json:"evidence,omitempty"` // attachment references
	// ReceivedOn is the day the office received it; Deadline the last day
	// of verification (ReceivedOn + policy verification days).
	ReceivedOn domain.Date `json:"received_on"`
	Deadline   domain.Date `json:"deadline"`
	Status     string      `json:"status"`
	Decision   *Ruling     `json:"decision,omitempty"`

	CreatedAt   time.Time    `json:"created_at"`
	CreatedBy   domain.Actor `json:"created_by"`
	RequestID   string       `json:"request_id,omitempty"`
	ContentHash string       `json:"content_hash"`
}

// Repair is a credit repair (信用修复) application for one record.
type Repair struct {
	ID          string           `json:"id"`
	SubjectID   domain.SubjectID `json:"subject_id"`
	RecordID    string           `json:"record_id"`
	Seq         int              `json:"seq"`
	Proof       string           `json:"proof"`                 // proof of correction
	Attachments []string         `json:"attachments,omitempty"` // attachment references
	Commitment  string           `json:"commitment"`            // credit commitment (信用承诺)
	// Serious is the record's classification when applied for (see
	// office.Classify), and EligibleFrom the first day repair was allowed.
	Serious      bool        `json:"serious"`
	EligibleFrom domain.Date `json:"eligible_from"`
	AppliedOn    domain.Date `json:"applied_on"`
	Status       string      `json:"status"`
	Decision     *Ruling     `json:"decision,omitempty"`

	CreatedAt   time.Time    `json:"created_at"`
	CreatedBy   domain.Actor `json:"created_by"`
	RequestID   string       `json:"request_id,omitempty"`
	ContentHash string       `json:"content_hash"`
}
