package api

import "github.com/suixian-psb/credit/shared/domain"

// Request bodies, as in openapi.yaml. Amounts are *int64 so "absent" and 0
// differ (a fine needs an amount; a warning must not have one); JSON numbers
// with a fraction (100.5) or strings ("100") do not decode into them and
// are reported as invalid_type.

// SanctionRequest is one sanction of an act.
type SanctionRequest struct {
	Kind          domain.SanctionKind `json:"kind"`
	AmountFen     *int64              `json:"amount_fen,omitempty"`
	LicenceName   string              `json:"licence_name,omitempty"`
	LicenceNumber string              `json:"licence_number,omitempty"`
	DetentionDays *int                `json:"detention_days,omitempty"`
}

// ActRequest is one illegal act with its sanctions.
type ActRequest struct {
	Facts      string            `json:"facts"`
	LegalBasis string            `json:"legal_basis"`
	Sanctions  []SanctionRequest `json:"sanctions"`
}

// DecisionRequest is POST /v1/decisions.
type DecisionRequest struct {
	Unit         string            `json:"unit,omitempty"`
	DocumentNo   string            `json:"document_no"`
	DecisionDate string            `json:"decision_date"`
	Subject      domain.SubjectRef `json:"subject"`
	Acts         []ActRequest      `json:"acts"`
}

// CommitmentViolationRequest is POST /v1/commitment-violations.
type CommitmentViolationRequest struct {
	Unit          string            `json:"unit,omitempty"`
	DocumentNo    string            `json:"document_no"`
	ViolationDate string            `json:"violation_date"`
	Subject       domain.SubjectRef `json:"subject"`
	Commitment    string            `json:"commitment"`
	Description   string            `json:"description"`
}

// ListEntryRequest is POST /v1/list-entries.
type ListEntryRequest struct {
	Unit       string            `json:"unit,omitempty"`
	DocumentNo string            `json:"document_no"`
	List       domain.ListKind   `json:"list"`
	Authority  string            `json:"authority,omitempty"`
	ValidFrom  string            `json:"valid_from"`
	ValidUntil string            `json:"valid_until,omitempty"`
	Subject    domain.SubjectRef `json:"subject"`
}

// RemovalRequest is POST /v1/list-entries/{id}/removal.
type RemovalRequest struct {
	SubjectID  domain.SubjectID `json:"subject_id"`
	DocumentNo string           `json:"document_no"`
	RemovedOn  string           `json:"removed_on"`
	Reason     string           `json:"reason"`
}

// EvaluationItem is one subject's result in a batch.
type EvaluationItem struct {
	Subject domain.SubjectRef      `json:"subject"`
	Level   domain.EvaluationLevel `json:"level"`
}

// EvaluationBatchRequest is POST /v1/evaluations.
type EvaluationBatchRequest struct {
	Unit           string           `json:"unit,omitempty"`
	Batch          string           `json:"batch"`
	EvaluationDate string           `json:"evaluation_date"`
	Items          []EvaluationItem `json:"items"`
}

// ObservationRequest is POST /v1/observations.
type ObservationRequest struct {
	Kind       domain.RecordKind `json:"kind"`
	Unit       string            `json:"unit,omitempty"`
	DocumentNo string            `json:"document_no"`
	Date       string            `json:"date"`
	Subject    domain.SubjectRef `json:"subject"`
	Result     string            `json:"result"`
	Details    string            `json:"details,omitempty"`
}
