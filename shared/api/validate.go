package api

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
)

// Validator holds the domain rules of every request body. It is a library:
// the handler and the bulk import (infra/cmd/bulkimport) run the same rules.
// Each method returns every problem found (nil when the request is valid).
type Validator struct {
	// Today is the Asia/Shanghai date from the injected clock: event dates
	// may not be after it, and birth dates in ID numbers are checked
	// against it.
	Today       domain.Date
	CreditCodes identity.CreditCodeValidator
}

// Text bounds, in characters (runes); openapi.yaml states the same.
const (
	MaxDocumentNo    = 100
	MaxFacts         = 4000
	MaxLegalBasis    = 1000
	MaxLicenceName   = 200
	MaxLicenceNumber = 100
	MaxCommitment    = 1000
	MaxDescription   = 4000
	MaxAuthority     = 200
	MaxReason        = 1000
	MaxResult        = 200
	MaxDetails       = 4000
	MaxActs          = 50
	MaxSanctions     = 20
	MaxBatchItems    = 500
	MaxDetentionDays = 20 // 行政拘留: 15 days, 20 when combined
	MaxAmountFen     = int64(100_000_000_000_000)
)

// earliestDate: nothing the platform keeps predates the People's Republic;
// an earlier date is a typing error (0202-05-01).
var earliestDate = domain.Date{Year: 1949, Month: time.October, Day: 1}

var unitPattern = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z-]{0,39}$`)

// Domain problems.
var (
	probMissing        = Problem{Code: "missing_field", MessageZH: "缺少必填项", MessageEN: "this field is required"}
	probTooLong        = Problem{Code: "too_long", MessageZH: "内容超过长度上限", MessageEN: "the text is too long"}
	probBadText        = Problem{Code: "invalid_text", MessageZH: "内容含有不允许的控制字符", MessageEN: "the text contains control characters"}
	probBadDate        = Problem{Code: "invalid_date", MessageZH: "日期无效：格式应为YYYY-MM-DD，且须为1949-10-01以后真实存在的日期", MessageEN: "invalid date: use YYYY-MM-DD, a real calendar date from 1949-10-01"}
	probFutureDate     = Problem{Code: "future_date", MessageZH: "日期不能晚于今天", MessageEN: "the date cannot be after today"}
	probPeriod         = Problem{Code: "invalid_period", MessageZH: "有效期截止日期不能早于起始日期", MessageEN: "valid_until cannot be before valid_from"}
	probBadUnit        = Problem{Code: "invalid_unit", MessageZH: "单位代码格式错误（字母、数字或连字符，最多40位）", MessageEN: "a unit code has up to 40 letters, digits or hyphens"}
	probBadEnum        = Problem{Code: "invalid_value", MessageZH: "取值不在允许范围内", MessageEN: "the value is not one of the allowed values"}
	probNoItems        = Problem{Code: "missing_items", MessageZH: "至少需要一项", MessageEN: "at least one item is required"}
	probTooMany        = Problem{Code: "too_many_items", MessageZH: "项目数量超过上限", MessageEN: "too many items"}
	probAmountRequired = Problem{Code: "amount_required", MessageZH: "罚款、没收须填写金额（单位：分）", MessageEN: "a fine or confiscation needs amount_fen (integer fen)"}
	probAmountNotHere  = Problem{Code: "amount_not_applicable", MessageZH: "该处罚种类不填写金额", MessageEN: "this sanction kind has no amount"}
	probAmountRange    = Problem{Code: "invalid_amount", MessageZH: "金额须为非负整数（单位：分），罚款金额须大于零", MessageEN: "the amount is a non-negative integer in fen; a fine is above zero"}
	probLicenceNeeded  = Problem{Code: "licence_required", MessageZH: "暂扣、吊销许可证件须填写许可证件名称和编号", MessageEN: "a licence suspension or revocation needs the licence name and number"}
	probLicenceNotHere = Problem{Code: "licence_not_applicable", MessageZH: "该处罚种类不填写许可证件", MessageEN: "this sanction kind names no licence"}
	probDetentionDays  = Problem{Code: "invalid_detention_days", MessageZH: "拘留天数须为1至20天，且仅适用于行政拘留", MessageEN: "detention_days is 1 to 20 and only applies to detention"}
	probDetentionWho   = Problem{Code: "detention_not_natural_person", MessageZH: "行政拘留仅适用于自然人", MessageEN: "administrative detention applies to natural persons only"}
	probDuplicateItem  = Problem{Code: "duplicate_item", MessageZH: "同一批次中该主体重复出现", MessageEN: "the subject appears more than once in the batch"}
)

// problems collects problems with their fields.
type problems []Problem

func (ps *problems) add(p Problem, field string) { *ps = append(*ps, p.At(field)) }

// text checks a string field: required or not, its length in runes, and
// control characters (multiline fields may contain line breaks and tabs).
func (ps *problems) text(s, field string, required bool, max int, multiline bool) {
	t := strings.TrimSpace(s)
	if t == "" {
		if required {
			ps.add(probMissing, field)
		}
		return
	}
	if !utf8.ValidString(s) {
		ps.add(probBadText, field)
		return
	}
	if utf8.RuneCountInString(t) > max {
		ps.add(probTooLong, field)
	}
	for _, r := range t {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			ps.add(probBadText, field)
			return
		}
	}
}

// date parses a date field; notFuture refuses dates after today.
func (ps *problems) date(v Validator, s, field string, required, notFuture bool) (domain.Date, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			ps.add(probMissing, field)
		}
		return domain.Date{}, false
	}
	d, err := domain.ParseDate(s)
	if err != nil || d.Before(earliestDate) {
		ps.add(probBadDate, field)
		return domain.Date{}, false
	}
	if notFuture && d.After(v.Today) {
		ps.add(probFutureDate, field)
		return d, false
	}
	return d, true
}

func (ps *problems) unit(s string) {
	if s = strings.TrimSpace(s); s != "" && !unitPattern.MatchString(s) {
		ps.add(probBadUnit, "unit")
	}
}

// subject validates a subject reference: the identifier is chosen by the
// subject type (identity.ValidateRef), never by trying each.
func (ps *problems) subject(v Validator, ref domain.SubjectRef, prefix string) {
	for _, e := range identity.ValidateRef(ref, v.Today, v.CreditCodes) {
		*ps = append(*ps, fromIdentity(e, prefix))
	}
}

func (ps *problems) count(n, max int, field string) {
	switch {
	case n == 0:
		ps.add(probNoItems, field)
	case n > max:
		ps.add(probTooMany, field)
	}
}

// Decision checks a handling decision.
func (v Validator) Decision(r DecisionRequest) []Problem {
	var ps problems
	ps.unit(r.Unit)
	ps.text(r.DocumentNo, "document_no", true, MaxDocumentNo, false)
	ps.date(v, r.DecisionDate, "decision_date", true, true)
	ps.subject(v, r.Subject, "")
	ps.count(len(r.Acts), MaxActs, "acts")
	for i, act := range r.Acts {
		f := fmt.Sprintf("acts[%d]", i)
		ps.text(act.Facts, f+".facts", true, MaxFacts, true)
		ps.text(act.LegalBasis, f+".legal_basis", true, MaxLegalBasis, true)
		ps.count(len(act.Sanctions), MaxSanctions, f+".sanctions")
		for j, s := range act.Sanctions {
			ps.sanction(s, r.Subject.Type, fmt.Sprintf("%s.sanctions[%d]", f, j))
		}
	}
	return ps
}

// sanction applies the rules of one sanction: amounts belong to fines and
// confiscations (a fine is above zero; a confiscation of goods may have no
// assessed value, so 0 is allowed), licence name and number to suspensions
// and revocations, detention days to detention, and detention to natural
// persons.
func (ps *problems) sanction(s SanctionRequest, subjectType domain.SubjectType, f string) {
	if !slices.Contains(domain.SanctionKinds, s.Kind) {
		ps.add(probBadEnum, f+".kind")
		return
	}
	switch s.Kind {
	case domain.SanctionFine, domain.SanctionConfiscation:
		switch {
		case s.AmountFen == nil:
			ps.add(probAmountRequired, f+".amount_fen")
		case *s.AmountFen < 0 || *s.AmountFen > MaxAmountFen || s.Kind == domain.SanctionFine && *s.AmountFen == 0:
			ps.add(probAmountRange, f+".amount_fen")
		}
	default:
		if s.AmountFen != nil {
			ps.add(probAmountNotHere, f+".amount_fen")
		}
	}
	switch s.Kind {
	case domain.SanctionLicenceSuspension, domain.SanctionLicenceRevocation:
		for _, l := range []struct {
			value, field string
			max          int
		}{{s.LicenceName, ".licence_name", MaxLicenceName}, {s.LicenceNumber, ".licence_number", MaxLicenceNumber}} {
			if strings.TrimSpace(l.value) == "" {
				ps.add(probLicenceNeeded, f+l.field)
			} else {
				ps.text(l.value, f+l.field, false, l.max, false)
			}
		}
	default:
		if s.LicenceName != "" {
			ps.add(probLicenceNotHere, f+".licence_name")
		}
		if s.LicenceNumber != "" {
			ps.add(probLicenceNotHere, f+".licence_number")
		}
	}
	if s.DetentionDays != nil && (s.Kind != domain.SanctionDetention || *s.DetentionDays < 1 || *s.DetentionDays > MaxDetentionDays) {
		ps.add(probDetentionDays, f+".detention_days")
	}
	if s.Kind == domain.SanctionDetention && subjectType.Valid() && subjectType != domain.NaturalPerson {
		ps.add(probDetentionWho, f+".kind")
	}
}

// CommitmentViolation checks a licensing-commitment violation.
func (v Validator) CommitmentViolation(r CommitmentViolationRequest) []Problem {
	var ps problems
	ps.unit(r.Unit)
	ps.text(r.DocumentNo, "document_no", true, MaxDocumentNo, false)
	ps.date(v, r.ViolationDate, "violation_date", true, true)
	ps.subject(v, r.Subject, "")
	ps.text(r.Commitment, "commitment", true, MaxCommitment, true)
	ps.text(r.Description, "description", true, MaxDescription, true)
	return ps
}

// ListEntry checks a list entry. valid_from is the document's start and may
// not be after today; valid_until (the last day, inclusive) may be in the
// future but not before valid_from.
func (v Validator) ListEntry(r ListEntryRequest) []Problem {
	var ps problems
	ps.unit(r.Unit)
	ps.text(r.DocumentNo, "document_no", true, MaxDocumentNo, false)
	if !slices.Contains(domain.ListKinds, r.List) {
		if r.List == "" {
			ps.add(probMissing, "list")
		} else {
			ps.add(probBadEnum, "list")
		}
	}
	ps.text(r.Authority, "authority", false, MaxAuthority, false)
	from, okFrom := ps.date(v, r.ValidFrom, "valid_from", true, true)
	until, okUntil := ps.date(v, r.ValidUntil, "valid_until", false, false)
	if okFrom && okUntil && until.Before(from) {
		ps.add(probPeriod, "valid_until")
	}
	ps.subject(v, r.Subject, "")
	return ps
}

// Removal checks a removal request on its own; that removed_on is not
// before the entry's start needs the stored entry (see the handler).
func (v Validator) Removal(r RemovalRequest) []Problem {
	var ps problems
	if strings.TrimSpace(string(r.SubjectID)) == "" {
		ps.add(probMissing, "subject_id")
	}
	ps.text(r.DocumentNo, "document_no", true, MaxDocumentNo, false)
	ps.date(v, r.RemovedOn, "removed_on", true, true)
	ps.text(r.Reason, "reason", true, MaxReason, true)
	return ps
}

// EvaluationBatch checks a batch of national evaluation results. A subject
// may appear once per batch (its document number is batch/subject).
func (v Validator) EvaluationBatch(r EvaluationBatchRequest) []Problem {
	var ps problems
	ps.unit(r.Unit)
	ps.text(r.Batch, "batch", true, MaxDocumentNo, false)
	ps.date(v, r.EvaluationDate, "evaluation_date", true, true)
	ps.count(len(r.Items), MaxBatchItems, "items")
	seen := map[string]bool{}
	for i, it := range r.Items {
		f := fmt.Sprintf("items[%d]", i)
		before := len(ps)
		ps.subject(v, it.Subject, f)
		if !slices.Contains(domain.EvaluationLevels, it.Level) {
			if it.Level == "" {
				ps.add(probMissing, f+".level")
			} else {
				ps.add(probBadEnum, f+".level")
			}
		}
		if len(ps) == before { // only valid references can be compared
			key := refKey(identity.NormalizeRef(it.Subject))
			if seen[key] {
				ps.add(probDuplicateItem, f+".subject")
			}
			seen[key] = true
		}
	}
	return ps
}

// refKey identifies a normalised reference within one request.
func refKey(r domain.SubjectRef) string {
	k := string(r.Type) + "|" + r.CreditCode + "|" + r.IDNumber
	if r.OtherDocument != nil {
		k += "|" + r.OtherDocument.Kind + "|" + r.OtherDocument.Number
	}
	return k
}

// Observation checks an observation (kept and shown, not graded).
func (v Validator) Observation(r ObservationRequest) []Problem {
	var ps problems
	if !slices.Contains(domain.ObservationKinds, r.Kind) {
		if r.Kind == "" {
			ps.add(probMissing, "kind")
		} else {
			ps.add(probBadEnum, "kind")
		}
	}
	ps.unit(r.Unit)
	ps.text(r.DocumentNo, "document_no", true, MaxDocumentNo, false)
	ps.date(v, r.Date, "date", true, true)
	ps.subject(v, r.Subject, "")
	ps.text(r.Result, "result", true, MaxResult, true)
	ps.text(r.Details, "details", false, MaxDetails, true)
	return ps
}
