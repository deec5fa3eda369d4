package localstack

import (
	"fmt"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
)

// ClockOffset turns the -now flag into LOCAL_CLOCK_OFFSET_SECONDS: "" is
// the real clock; a date (2027-03-01) is that Beijing date at the current
// Beijing time of day, so time still passes normally; RFC3339 is an exact
// instant.
func ClockOffset(now string, real time.Time) (int64, error) {
	if now == "" {
		return 0, nil
	}
	if t, err := time.Parse(time.RFC3339, now); err == nil {
		return int64(t.Sub(real).Round(time.Second) / time.Second), nil
	}
	d, err := domain.ParseDate(now)
	if err != nil {
		return 0, fmt.Errorf("-now %q: want YYYY-MM-DD or RFC3339: %w", now, err)
	}
	loc := domain.Shanghai
	r := real.In(loc)
	y, m, day := d.Time().Date()
	target := time.Date(y, m, day, r.Hour(), r.Minute(), r.Second(), r.Nanosecond(), loc)
	return int64(target.Sub(real).Round(time.Second) / time.Second), nil
}
