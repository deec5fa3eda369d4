package localstack

import (
	"testing"
	"time"
)

func TestScheduleNext(t *testing.T) {
	cases := []struct {
		name, expr, tz, after, want string
	}{
		{"daily Shanghai before firing", "cron(10 0 * * ? *)", "Asia/Shanghai", "2027-02-28T15:00:00Z", "2027-02-28T16:10:00Z"},
		{"daily Shanghai just after firing", "cron(10 0 * * ? *)", "Asia/Shanghai", "2027-02-28T16:10:00Z", "2027-03-01T16:10:00Z"},
		{"daily Shanghai seconds after firing", "cron(10 0 * * ? *)", "Asia/Shanghai", "2027-02-28T16:10:30Z", "2027-03-01T16:10:00Z"},
		{"daily UTC when no zone", "cron(10 0 * * ? *)", "", "2027-02-28T15:00:00Z", "2027-03-01T00:10:00Z"},
		{"month end rolls over", "cron(0 12 * * ? *)", "UTC", "2027-12-31T12:00:00Z", "2028-01-01T12:00:00Z"},
		{"every 15 minutes", "cron(0/15 * * * ? *)", "UTC", "2027-01-01T10:16:00Z", "2027-01-01T10:30:00Z"},
		{"weekdays by name", "cron(0 9 ? * MON-FRI *)", "Asia/Shanghai", "2027-03-05T02:00:00Z", "2027-03-08T01:00:00Z"}, // Fri 10:00 CST → Mon 09:00
		{"sunday is 1", "cron(0 0 ? * 1 *)", "UTC", "2027-03-01T00:00:00Z", "2027-03-07T00:00:00Z"},
		{"first of month", "cron(30 1 1 * ? *)", "Asia/Shanghai", "2027-03-01T00:00:00Z", "2027-03-31T17:30:00Z"},
		{"year restricts", "cron(0 0 1 1 ? 2029)", "UTC", "2027-03-01T00:00:00Z", "2029-01-01T00:00:00Z"},
		{"DST gap skipped", "cron(30 2 * * ? *)", "America/New_York", "2027-03-13T08:00:00Z", "2027-03-15T06:30:00Z"},
		{"rate", "rate(5 minutes)", "", "2027-01-01T10:16:00Z", "2027-01-01T10:21:00Z"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseSchedule(c.expr, c.tz)
			if err != nil {
				t.Fatal(err)
			}
			after, _ := time.Parse(time.RFC3339, c.after)
			got, err := s.Next(after)
			if err != nil {
				t.Fatal(err)
			}
			if w, _ := time.Parse(time.RFC3339, c.want); !got.Equal(w) {
				t.Fatalf("Next(%s) = %s, want %s", c.after, got.Format(time.RFC3339), c.want)
			}
		})
	}
}

func TestParseScheduleRejects(t *testing.T) {
	for name, expr := range map[string]string{
		"five fields":         "cron(0 0 * * ?)",
		"both day fields":     "cron(0 0 1 * MON *)",
		"minute out of range": "cron(60 0 * * ? *)",
		"last day":            "cron(0 0 L * ? *)",
		"at expression":       "at(2027-01-01T00:00:00)",
		"bad rate unit":       "rate(5 weeks)",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseSchedule(expr, "UTC"); err == nil {
				t.Fatal("want an error")
			}
		})
	}
}
