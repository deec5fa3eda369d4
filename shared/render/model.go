package render

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
)

// Entry is everything public about one disclosed subject. Build it with
// NewEntry: its text fields are already masked and scrubbed.
type Entry struct {
	// Key names the subject's page (subjects/<Key>.html): the unified social
	// credit code, or a natural person's opaque subject id.
	Key        string
	Name       string // published name: masked (张*) for natural persons
	CreditCode string // empty for natural persons
	Type       domain.SubjectType
	TypeZH     string
	Level      domain.Level
	LevelZH    string
	Since      domain.Date
	// Until is the last day of disclosure unless renewed (see the publish
	// package for how it is computed); zero when no end is known (a list
	// entry without an end date).
	Until   domain.Date
	Reasons []Reason
	Records []Record
}

// Reason is one rule that held, as shown to people.
type Reason struct {
	Rule string
	Text string
}

// Record is one record behind the reasons.
type Record struct {
	ID         string
	Kind       domain.RecordKind
	KindZH     string
	DocumentNo string
	Date       domain.Date
	Unit       string // the unit's code (custom:unit), for machines
	UnitName   string // its name (执法单位); empty in entries stored before the unit registry: read UnitText
	Status     domain.Status
	Objected   bool     // 异议处理中
	Details    []string // one line per act / list entry / violation, scrubbed
	Sanctions  []Sanction
	AmountFen  int64 // total of the sanctions' amounts
}

// Sanction is one sanction of an act, with its amount formatted in yuan.
type Sanction struct {
	Kind      domain.SanctionKind
	KindZH    string
	AmountFen int64
	Text      string // e.g. "罚款 1,000.00 元"
}

// keyPattern is what a page key may be: credit codes and natural persons'
// ids are upper-case letters and digits; anything else must not become an
// object key or a link.
var keyPattern = regexp.MustCompile(`^[0-9A-Za-z]{1,64}$`)

// ErrNotPublishable: the subject cannot be given a public page.
var ErrNotPublishable = errors.New("subject cannot be published")

// UnitNames resolves a unit code to the name people read. A
// *units.Registry is one; it returns the code itself for a unit it does not
// know, so a page is never refused for a missing unit.
type UnitNames interface {
	NameZH(code string) string
}

// UnitText is the unit as shown on the page and in the open data's name
// column: its name, or its code when no name was resolved.
func (r Record) UnitText() string {
	if r.UnitName != "" {
		return r.UnitName
	}
	return r.Unit
}

// ValidKey reports whether k can name a page.
func ValidKey(k string) bool { return keyPattern.MatchString(k) }

// NewEntry builds the public view of a subject from its profile, its grade
// and its records. Only the reasons of the grade's level and the records
// they name are included. until is the last day of disclosure (zero if
// open-ended). units names the records' units; nil shows their codes.
func NewEntry(s domain.Subject, g domain.Grade, records []domain.Record, until domain.Date, units UnitNames) (Entry, error) {
	key := string(s.ID)
	if !ValidKey(key) {
		return Entry{}, fmt.Errorf("subject key is not a valid page name: %w", ErrNotPublishable)
	}
	e := Entry{
		Key:     key,
		Type:    s.Type,
		TypeZH:  label(subjectTypeZH, s.Type),
		Level:   g.Level,
		LevelZH: g.Level.NameZH(),
		Since:   g.Since,
		Until:   until,
	}
	if s.Type == domain.NaturalPerson {
		// Mask before scrubbing: the mask keeps one character only.
		e.Name = domain.MaskedName(strings.TrimSpace(s.Name))
	} else {
		if !s.Type.UsesCreditCode() {
			return Entry{}, fmt.Errorf("subject type %q: %w", s.Type, ErrNotPublishable)
		}
		// The credit code is validated at intake and public by law; it is
		// not scrubbed (an all-digit code could look like an ID number).
		e.CreditCode = s.CreditCode
		if e.CreditCode == "" {
			e.CreditCode = key
		}
		e.Name = scrub(s.Name)
	}
	if e.Name == "" {
		e.Name = "（名称未登记）"
	}
	if e.Since.IsZero() {
		e.Since = g.AsOf
	}

	byID := make(map[string]domain.Record, len(records))
	for _, r := range records {
		if r.SubjectID == s.ID {
			byID[r.ID] = r
		}
	}
	seen := map[string]bool{}
	for _, rs := range g.Reasons {
		if rs.Level != "" && rs.Level != g.Level {
			continue
		}
		e.Reasons = append(e.Reasons, Reason{Rule: rs.Rule, Text: scrub(rs.MessageZH)})
		for _, id := range rs.RecordIDs {
			r, ok := byID[id]
			if !ok || seen[id] {
				continue
			}
			seen[id] = true
			e.Records = append(e.Records, newRecord(r, units))
		}
	}
	// Newest first; ties by document number so the order is stable.
	slices.SortStableFunc(e.Records, func(a, b Record) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return strings.Compare(a.DocumentNo, b.DocumentNo)
	})
	return e, nil
}

func newRecord(r domain.Record, units UnitNames) Record {
	out := Record{
		ID:         r.ID,
		Kind:       r.Kind,
		KindZH:     label(recordKindZH, r.Kind),
		DocumentNo: scrub(r.DocumentNo),
		Date:       r.EffectiveDate,
		Unit:       scrub(r.Unit),
		UnitName:   unitName(units, r.Unit),
		Status:     r.Status,
		Objected:   r.Status == domain.StatusObjected,
	}
	switch {
	case r.Decision != nil:
		for i, act := range r.Decision.Acts {
			line := "违法事实：" + scrub(strings.TrimSpace(act.Facts))
			var texts []string
			for _, s := range act.Sanctions {
				sv := newSanction(s)
				out.Sanctions = append(out.Sanctions, sv)
				out.AmountFen += sv.AmountFen
				texts = append(texts, sv.Text)
			}
			if multi := len(r.Decision.Acts) > 1; multi {
				// Each act is rated on its own: say which sanctions are its.
				line = fmt.Sprintf("违法行为%d：%s", i+1, scrub(strings.TrimSpace(act.Facts)))
				if len(texts) > 0 {
					line += "（处罚：" + strings.Join(texts, "；") + "）"
				}
			}
			out.Details = append(out.Details, line)
		}
	case r.Violation != nil:
		line := scrub(strings.TrimSpace(r.Violation.Description))
		if c := scrub(strings.TrimSpace(r.Violation.Commitment)); c != "" {
			line = "承诺事项：" + c + "；" + line
		}
		out.Details = append(out.Details, line)
	case r.ListEntry != nil:
		l := r.ListEntry
		out.KindZH = "列入" + label(listZH, l.List)
		line := "列入" + label(listZH, l.List)
		if a := scrub(l.Authority); a != "" {
			line += "（" + a + "）"
		}
		line += "，有效期自 " + l.ValidFrom.String()
		if !l.ValidUntil.IsZero() {
			line += " 至 " + l.ValidUntil.String()
		} else {
			line += " 起，未设截止日期"
		}
		out.Details = append(out.Details, line)
	case r.Evaluation != nil:
		out.Details = append(out.Details, "评价结果："+label(evaluationZH, r.Evaluation.Level))
	case r.Observation != nil:
		out.Details = append(out.Details, scrub(r.Observation.Result))
	}
	return out
}

// unitName is the unit's name, scrubbed like every other text that comes
// from a document; empty when there is no resolver or no code.
func unitName(units UnitNames, code string) string {
	if units == nil || code == "" {
		return ""
	}
	return scrub(strings.TrimSpace(units.NameZH(code)))
}

func newSanction(s domain.Sanction) Sanction {
	out := Sanction{Kind: s.Kind, KindZH: label(sanctionZH, s.Kind)}
	text := out.KindZH
	switch {
	case s.AmountFen > 0:
		out.AmountFen = s.AmountFen
		text += " " + FormatYuan(s.AmountFen)
	case s.DetentionDays > 0:
		text += " " + strconv.Itoa(s.DetentionDays) + " 日"
	}
	if n := scrub(strings.TrimSpace(s.LicenceName)); n != "" {
		text += "（" + n
		if no := scrub(strings.TrimSpace(s.LicenceNumber)); no != "" {
			text += " " + no
		}
		text += "）"
	}
	out.Text = text
	return out
}

// scrub removes ID numbers and telephone numbers from free text.
func scrub(s string) string { return identity.ScrubText(s) }

// ReasonLine is the reasons in one line, for the index: the first reason,
// and how many more there are.
func (e Entry) ReasonLine() string {
	switch len(e.Reasons) {
	case 0:
		return ""
	case 1:
		return e.Reasons[0].Text
	}
	return fmt.Sprintf("%s 等 %d 项", e.Reasons[0].Text, len(e.Reasons))
}

// Page is the entry's page path, relative to the site root.
func (e Entry) Page() string { return PagePath(e.Key) }

// PagePath is the object key of a subject's page.
func PagePath(key string) string { return "subjects/" + key + ".html" }

// SearchKey is what the index's search box matches: name and code (or key),
// lower case, computed once here so the page's script does no work per row.
func (e Entry) SearchKey() string {
	code := e.CreditCode
	if code == "" {
		code = e.Key
	}
	return strings.ToLower(e.Name + " " + code)
}

// CodeText is the code column of the index: the credit code, or a note for
// a natural person (who has none to show).
func (e Entry) CodeText() string {
	if e.CreditCode == "" {
		return "—（" + e.TypeZH + "）"
	}
	return e.CreditCode
}
