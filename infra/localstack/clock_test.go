package localstack

import (
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
)

func TestClockOffset(t *testing.T) {
	real := time.Date(2026, 12, 4, 20, 30, 0, 0, time.UTC) // 2026-12-05 04:30 in Beijing
	cases := []struct {
		name, now string
		want      time.Time
		wantErr   bool
	}{
		{"real clock", "", real, false},
		{"date keeps the Beijing time of day", "2027-03-01", time.Date(2027, 2, 28, 20, 30, 0, 0, time.UTC), false},
		{"exact instant", "2027-03-01T00:05:00+08:00", time.Date(2027, 2, 28, 16, 5, 0, 0, time.UTC), false},
		{"garbage", "next week", time.Time{}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			off, err := ClockOffset(c.now, real)
			if (err != nil) != c.wantErr {
				t.Fatalf("err %v", err)
			}
			if c.wantErr {
				return
			}
			got := real.Add(time.Duration(off) * time.Second)
			if !got.Equal(c.want) {
				t.Fatalf("shifted clock %s, want %s", got, c.want)
			}
			if c.now == "2027-03-01" && domain.DateIn(got).String() != "2027-03-01" {
				t.Fatalf("local date %s", domain.DateIn(got))
			}
		})
	}
}
