package office

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/suixian-psb/credit/shared/domain"
)

// Text bounds, in characters (runes); openapi.yaml states the same.
const (
	MaxName        = 100
	MaxContent     = 4000
	MaxReason      = 1000
	MaxGrounds     = 4000
	MaxProof       = 4000
	MaxCommitment  = 2000
	MaxReference   = 500
	MaxReferences  = 20
	MaxID          = 100
	MaxRangeYears  = 5
	maxOfficerName = 100
)

// problems collects problems with their fields.
type problems []Problem

func (ps *problems) add(p Problem, field string) { *ps = append(*ps, p.At(field)) }

// text checks a string field (trimmed): required or not, its length and
// control characters (newlines and tabs are allowed in long texts).
func (ps *problems) text(v, field string, required bool, max int) string {
	v = strings.TrimSpace(v)
	switch {
	case v == "" && required:
		ps.add(probMissing, field)
	case utf8.RuneCountInString(v) > max:
		ps.add(probTooLong, field)
	case strings.ContainsFunc(v, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }):
		ps.add(probBadText, field)
	}
	return v
}

// oneOf checks a required enumerated value.
func (ps *problems) oneOf(v, field string, allowed []string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		ps.add(probMissing, field)
		return v
	}
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	ps.add(probBadEnum, field)
	return v
}

// refs checks a list of attachment references.
func (ps *problems) refs(vs []string, field string) []string {
	if len(vs) > MaxReferences {
		ps.add(probTooMany, field)
		return nil
	}
	out := make([]string, 0, len(vs))
	for i, v := range vs {
		out = append(out, ps.text(v, field+"["+strconv.Itoa(i)+"]", true, MaxReference))
	}
	return out
}

// pastTime parses a required RFC 3339 time that is not after now.
func (ps *problems) pastTime(v, field string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		ps.add(probMissing, field)
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		ps.add(probBadTime, field)
		return time.Time{}
	}
	if t.After(now) {
		ps.add(probFutureTime, field)
	}
	return t.UTC().Truncate(time.Second)
}

// pastDate parses an optional YYYY-MM-DD date that is not after today;
// empty gives today.
func (ps *problems) pastDate(v, field string, today domain.Date) domain.Date {
	v = strings.TrimSpace(v)
	if v == "" {
		return today
	}
	d, err := domain.ParseDate(v)
	if err != nil {
		ps.add(probBadDate, field)
		return today
	}
	if d.After(today) {
		ps.add(probFutureDate, field)
	}
	return d
}

// ParseRange reads the register's ?from=&to= (inclusive dates). Empty from
// is the first day of to's month; empty to is today.
func ParseRange(from, to string, today domain.Date) (domain.Date, domain.Date, error) {
	var ps problems
	parse := func(v, field string, def domain.Date) domain.Date {
		v = strings.TrimSpace(v)
		if v == "" {
			return def
		}
		d, err := domain.ParseDate(v)
		if err != nil {
			ps.add(probBadDate, field)
			return def
		}
		return d
	}
	t := parse(to, "to", today)
	f := parse(from, "from", domain.Date{Year: t.Year, Month: t.Month, Day: 1})
	if len(ps) == 0 && (f.After(t) || t.After(f.AddYears(MaxRangeYears))) {
		ps.add(probBadRange, "from")
	}
	return f, t, invalid(ps)
}
