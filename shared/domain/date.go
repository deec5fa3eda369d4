package domain

import (
	"encoding/json"
	"fmt"
	"time"
)

// Shanghai is the time zone every calendar date of the platform is read in.
var Shanghai = mustLoadShanghai()

func mustLoadShanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		// Lambda's provided.al2023 ships tzdata; a fixed +08:00 zone is exact
		// for Shanghai (no daylight saving since 1991), so fall back to it.
		return time.FixedZone("Asia/Shanghai", 8*3600)
	}
	return loc
}

// Date is a calendar date in Asia/Shanghai, with no time of day.
// The zero value is "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

const dateLayout = "2006-01-02"

// ParseDate reads a YYYY-MM-DD date and rejects dates that do not exist
// (2023-02-29, 2024-13-01).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// MustDate is ParseDate for literals in tests and fixtures.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf returns the date of t's own clock reading (t is not converted).
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// DateIn returns the Asia/Shanghai calendar date of the instant t.
func DateIn(t time.Time) Date { return DateOf(t.In(Shanghai)) }

// IsZero reports whether d is the zero "no date" value.
func (d Date) IsZero() bool { return d == Date{} }

// Time is 00:00 Asia/Shanghai on d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Shanghai) }

func (d Date) utc() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays moves d by n calendar days.
func (d Date) AddDays(n int) Date { return DateOf(d.utc().AddDate(0, 0, n)) }

// AddMonths moves d by n months; a day that does not exist in the target
// month rolls forward (31 March + 1 month = 1 May), as Go's AddDate does.
func (d Date) AddMonths(n int) Date { return DateOf(d.utc().AddDate(0, n, 0)) }

// AddYears moves d by n years. 29 February plus one year is 1 March, the
// rule rules.md decides for the one-year window.
func (d Date) AddYears(n int) Date { return DateOf(d.utc().AddDate(n, 0, 0)) }

// Compare returns -1, 0 or +1.
func (d Date) Compare(o Date) int { return d.utc().Compare(o.utc()) }

func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }
func (d Date) After(o Date) bool  { return d.Compare(o) > 0 }

// DaysUntil is the number of days from d to o (negative when o is earlier).
func (d Date) DaysUntil(o Date) int { return int(o.utc().Sub(d.utc()).Hours() / 24) }

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.utc().Format(dateLayout)
}

func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date must be a string YYYY-MM-DD: %w", err)
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// MinDate returns the earlier of two dates, ignoring zero values.
func MinDate(a, b Date) Date {
	switch {
	case a.IsZero():
		return b
	case b.IsZero():
		return a
	case b.Before(a):
		return b
	}
	return a
}
