package reports

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/identity"
)

// Length bounds, in characters.
const (
	MaxTargetName      = 100
	MaxDescription     = 4000
	MaxReporterName    = 50
	MaxReporterContact = 100
	MaxReason          = 500
)

// ReportRequest is the body of POST /public/reports.
type ReportRequest struct {
	Target      TargetRequest    `json:"target"`
	Description string           `json:"description"`
	Reporter    *ReporterRequest `json:"reporter,omitempty"`
}

type TargetRequest struct {
	Name       string `json:"name"`
	CreditCode string `json:"credit_code,omitempty"`
}

type ReporterRequest struct {
	Name    string `json:"name,omitempty"`
	Contact string `json:"contact,omitempty"`
}

// RevealRequest is the body of POST /v1/reports/{receipt}/reveal.
type RevealRequest struct {
	Reason string `json:"reason"`
}

// StatusRequest is the body of POST /v1/reports/{receipt}/status.
type StatusRequest struct {
	Status  Status  `json:"status"`
	Outcome Outcome `json:"outcome,omitempty"`
}

// checkText trims s and reports a problem when it is longer than max
// characters or holds control characters (newlines and tabs are allowed
// where multiline is set).
func checkText(s string, max int, multiline bool, field string) (string, []api.Problem) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return s, []api.Problem{probTextControl.At(field)}
	}
	var ps []api.Problem
	if utf8.RuneCountInString(s) > max {
		ps = append(ps, probTextTooLong.At(field))
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			ps = append(ps, probTextControl.At(field))
			break
		}
	}
	return s, ps
}

// validateReport normalises the request and returns every problem. No
// message repeats a value.
func validateReport(r *ReportRequest, codes identity.CreditCodeValidator) []api.Problem {
	var ps, more []api.Problem
	r.Target.Name, more = checkText(r.Target.Name, MaxTargetName, false, "target.name")
	ps = append(ps, more...)
	if r.Target.Name == "" {
		ps = append(ps, probTargetName)
	}
	if strings.TrimSpace(r.Target.CreditCode) != "" {
		if err := codes.Validate(r.Target.CreditCode); err != nil {
			var ie *identity.Error
			p := api.Problem{Code: "invalid_credit_code", MessageZH: "统一社会信用代码无效", MessageEN: "invalid unified social credit code"}
			if asIdentityError(err, &ie) {
				p = api.Problem{Code: ie.Code, MessageZH: ie.MessageZH, MessageEN: ie.MessageEN}
			}
			ps = append(ps, p.At("target.credit_code"))
		}
		r.Target.CreditCode = identity.NormalizeCreditCode(r.Target.CreditCode)
	} else {
		r.Target.CreditCode = ""
	}
	r.Description, more = checkText(r.Description, MaxDescription, true, "description")
	ps = append(ps, more...)
	if r.Description == "" {
		ps = append(ps, probDescription)
	}
	if r.Reporter != nil {
		r.Reporter.Name, more = checkText(r.Reporter.Name, MaxReporterName, false, "reporter.name")
		ps = append(ps, more...)
		r.Reporter.Contact, more = checkText(r.Reporter.Contact, MaxReporterContact, false, "reporter.contact")
		ps = append(ps, more...)
	}
	return ps
}

func validateReason(r *RevealRequest) []api.Problem {
	var ps []api.Problem
	r.Reason, ps = checkText(r.Reason, MaxReason, true, "reason")
	if r.Reason == "" {
		ps = append(ps, probReason)
	}
	return ps
}

// validateStatus checks a status change request against the current status.
func validateStatus(r StatusRequest, current Status) []api.Problem {
	var ps []api.Problem
	if !r.Status.Valid() {
		ps = append(ps, probStatus)
	}
	switch {
	case r.Outcome != "" && !r.Outcome.Valid():
		ps = append(ps, probOutcome)
	case r.Status == StatusClosed && r.Outcome == "":
		ps = append(ps, probOutcomeNeeded)
	case r.Status.Valid() && r.Status != StatusClosed && r.Outcome != "":
		ps = append(ps, probOutcomeEarly)
	}
	if len(ps) == 0 && !current.next(r.Status) {
		ps = append(ps, probTransition)
	}
	return ps
}

func asIdentityError(err error, target **identity.Error) bool { return errors.As(err, target) }
