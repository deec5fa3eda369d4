package localstack

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Schedule is a parsed EventBridge Scheduler expression: cron(...) or
// rate(...), evaluated in its time zone.
type Schedule struct {
	Expr string
	loc  *time.Location
	cron *cronSpec
	rate time.Duration
}

type cronSpec struct {
	min, hour, dom, month, dow, year fieldSet
	domAny, dowAny                   bool // "?" or "*": the field does not restrict
}

// fieldSet is the allowed values of one field; nil means any.
type fieldSet map[int]bool

func (f fieldSet) has(v int) bool { return f == nil || f[v] }

// ParseSchedule parses a ScheduleExpression with its
// ScheduleExpressionTimezone (empty means UTC, as in the Scheduler).
func ParseSchedule(expr, timezone string) (*Schedule, error) {
	loc := time.UTC
	if timezone != "" {
		l, err := time.LoadLocation(timezone)
		if err != nil {
			return nil, fmt.Errorf("schedule timezone %q: %w", timezone, err)
		}
		loc = l
	}
	s := &Schedule{Expr: expr, loc: loc}
	switch {
	case strings.HasPrefix(expr, "cron(") && strings.HasSuffix(expr, ")"):
		c, err := parseCron(strings.TrimSuffix(strings.TrimPrefix(expr, "cron("), ")"))
		if err != nil {
			return nil, fmt.Errorf("schedule %q: %w", expr, err)
		}
		s.cron = c
	case strings.HasPrefix(expr, "rate(") && strings.HasSuffix(expr, ")"):
		d, err := parseRate(strings.TrimSuffix(strings.TrimPrefix(expr, "rate("), ")"))
		if err != nil {
			return nil, fmt.Errorf("schedule %q: %w", expr, err)
		}
		s.rate = d
	default:
		return nil, fmt.Errorf("schedule %q: only cron(...) and rate(...) are supported locally", expr)
	}
	return s, nil
}

// Next is the first firing strictly after t (returned in UTC). For rate()
// the series starts at t, as a schedule created at t would.
func (s *Schedule) Next(t time.Time) (time.Time, error) {
	if s.cron == nil {
		return t.Add(s.rate).UTC(), nil
	}
	c := s.cron
	lt := t.In(s.loc)
	// Start from the next whole minute in local wall time.
	start := time.Date(lt.Year(), lt.Month(), lt.Day(), lt.Hour(), lt.Minute(), 0, 0, s.loc).Add(time.Minute)
	day := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, s.loc)
	// Five years of days covers every satisfiable expression except rare
	// year/leap-day combinations, which the template does not use.
	for i := 0; i < 5*366+1; i++ {
		d := day.AddDate(0, 0, i)
		if !c.year.has(d.Year()) || !c.month.has(int(d.Month())) || !c.dayMatches(d) {
			continue
		}
		for h := 0; h < 24; h++ {
			if !c.hour.has(h) {
				continue
			}
			for m := 0; m < 60; m++ {
				if !c.min.has(m) {
					continue
				}
				at := time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, s.loc)
				// time.Date normalises wall times inside a DST gap; skip
				// those rather than firing at a shifted hour twice.
				if at.Hour() != h || at.Before(start) {
					continue
				}
				return at.UTC(), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("schedule %q: no firing within five years of %s", s.Expr, t.Format(time.RFC3339))
}

func (c *cronSpec) dayMatches(d time.Time) bool {
	domOK := c.dom.has(d.Day())
	dowOK := c.dow.has(int(d.Weekday()) + 1) // AWS: 1 = Sunday
	switch {
	case c.domAny && c.dowAny:
		return true
	case c.domAny:
		return dowOK
	case c.dowAny:
		return domOK
	default:
		return domOK && dowOK
	}
}

var monthNames = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}
var dayNames = map[string]int{"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}

func parseCron(body string) (*cronSpec, error) {
	f := strings.Fields(body)
	if len(f) != 6 {
		return nil, fmt.Errorf("cron needs 6 fields (minutes hours day-of-month month day-of-week year), got %d", len(f))
	}
	c := &cronSpec{}
	var err error
	if c.min, err = parseField(f[0], 0, 59, nil); err != nil {
		return nil, fmt.Errorf("minutes: %w", err)
	}
	if c.hour, err = parseField(f[1], 0, 23, nil); err != nil {
		return nil, fmt.Errorf("hours: %w", err)
	}
	if c.dom, err = parseField(f[2], 1, 31, nil); err != nil {
		return nil, fmt.Errorf("day-of-month: %w", err)
	}
	if c.month, err = parseField(f[3], 1, 12, monthNames); err != nil {
		return nil, fmt.Errorf("month: %w", err)
	}
	if c.dow, err = parseField(f[4], 1, 7, dayNames); err != nil {
		return nil, fmt.Errorf("day-of-week: %w", err)
	}
	if c.year, err = parseField(f[5], 1970, 2199, nil); err != nil {
		return nil, fmt.Errorf("year: %w", err)
	}
	c.domAny = f[2] == "?" || f[2] == "*"
	c.dowAny = f[4] == "?" || f[4] == "*"
	if f[2] != "?" && f[4] != "?" {
		return nil, errors.New("one of day-of-month and day-of-week must be ?")
	}
	return c, nil
}

// parseField reads "*", "?", "n", "a-b", "*/s", "a/s", "a-b/s" and comma
// lists of those. L, W and # are not supported.
func parseField(s string, lo, hi int, names map[string]int) (fieldSet, error) {
	if s == "*" || s == "?" {
		return nil, nil
	}
	set := fieldSet{}
	for _, part := range strings.Split(s, ",") {
		rng, stepStr, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepStr)
			if err != nil || n <= 0 {
				return nil, fmt.Errorf("bad step in %q", part)
			}
			step = n
		}
		from, to := lo, hi
		switch {
		case rng == "*":
		case strings.Contains(rng, "-"):
			a, b, _ := strings.Cut(rng, "-")
			var err error
			if from, err = fieldValue(a, names); err != nil {
				return nil, err
			}
			if to, err = fieldValue(b, names); err != nil {
				return nil, err
			}
		default:
			v, err := fieldValue(rng, names)
			if err != nil {
				return nil, err
			}
			from = v
			if !hasStep {
				to = v
			}
		}
		if from < lo || to > hi || from > to {
			return nil, fmt.Errorf("%q out of range %d-%d", part, lo, hi)
		}
		for v := from; v <= to; v += step {
			set[v] = true
		}
	}
	return set, nil
}

func fieldValue(s string, names map[string]int) (int, error) {
	if v, ok := names[strings.ToUpper(s)]; ok {
		return v, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("unsupported value %q (L, W and # are not supported locally)", s)
	}
	return v, nil
}

func parseRate(body string) (time.Duration, error) {
	f := strings.Fields(body)
	if len(f) != 2 {
		return 0, errors.New("rate needs a value and a unit")
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bad rate value %q", f[0])
	}
	var unit time.Duration
	switch strings.TrimSuffix(f[1], "s") {
	case "minute":
		unit = time.Minute
	case "hour":
		unit = time.Hour
	case "day":
		unit = 24 * time.Hour
	default:
		return 0, fmt.Errorf("bad rate unit %q", f[1])
	}
	return time.Duration(n) * unit, nil
}
