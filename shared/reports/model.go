package reports

import (
	"time"

	"github.com/suixian-psb/credit/shared/domain"
)

// Status is where a report stands; it is all the public may learn about it.
type Status string

const (
	StatusReceived    Status = "received"     // 已受理
	StatusUnderReview Status = "under_review" // 核查中
	StatusClosed      Status = "closed"       // 已办结
)

// Statuses is the closed set, in the order a report moves through it.
var Statuses = []Status{StatusReceived, StatusUnderReview, StatusClosed}

func (s Status) Valid() bool {
	return s == StatusReceived || s == StatusUnderReview || s == StatusClosed
}

// NameZH is the status as shown to the public.
func (s Status) NameZH() string {
	switch s {
	case StatusReceived:
		return "已受理"
	case StatusUnderReview:
		return "核查中"
	case StatusClosed:
		return "已办结"
	}
	return ""
}

// next reports whether the office may move a report from s to to: forward
// only, one or two steps (a report can be closed without a review step).
func (s Status) next(to Status) bool {
	switch s {
	case StatusReceived:
		return to == StatusUnderReview || to == StatusClosed
	case StatusUnderReview:
		return to == StatusClosed
	}
	return false
}

// Outcome is the public-safe result of a closed report: a fixed phrase, never
// the office's findings or anyone's name.
type Outcome string

const (
	OutcomeSubstantiated    Outcome = "substantiated"     // 经核查属实，已依法处理
	OutcomeNotSubstantiated Outcome = "not_substantiated" // 经核查不属实
	OutcomeReferred         Outcome = "referred"          // 已移交有关部门办理
)

var Outcomes = []Outcome{OutcomeSubstantiated, OutcomeNotSubstantiated, OutcomeReferred}

func (o Outcome) Valid() bool {
	return o == OutcomeSubstantiated || o == OutcomeNotSubstantiated || o == OutcomeReferred
}

func (o Outcome) NameZH() string {
	switch o {
	case OutcomeSubstantiated:
		return "经核查属实，已依法处理"
	case OutcomeNotSubstantiated:
		return "经核查不属实"
	case OutcomeReferred:
		return "已移交有关部门办理"
	}
	return ""
}

// Target is who the report is about.
type Target struct {
	Name       string `json:"name"`
	CreditCode string `json:"credit_code,omitempty"`
}

// Identity is the reporter's identity: what is sealed, and what Reveal
// returns. Both parts are optional; a report may be anonymous.
type Identity struct {
	Name    string `json:"name,omitempty"`
	Contact string `json:"contact,omitempty"`
}

// Empty reports whether the reporter gave nothing.
func (i Identity) Empty() bool { return i.Name == "" && i.Contact == "" }

// Report is one stored report. SealedIdentity is never part of the JSON
// form (json:"-"): stores keep it in an attribute of its own so no document,
// view or stream consumer that decodes the JSON can carry it.
type Report struct {
	Receipt        string    `json:"receipt"`
	Target         Target    `json:"target"`
	Description    string    `json:"description"`
	Status         Status    `json:"status"`
	Outcome        Outcome   `json:"outcome,omitempty"`
	ReceivedAt     time.Time `json:"received_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	HasIdentity    bool      `json:"has_identity"`
	SealedIdentity []byte    `json:"-"`
}

// Reveal is one audited opening of a reporter's identity.
type Reveal struct {
	Receipt   string       `json:"receipt"`
	At        time.Time    `json:"at"`
	By        domain.Actor `json:"by"`
	Reason    string       `json:"reason"`
	RequestID string       `json:"request_id"`
}
