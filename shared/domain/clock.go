package domain

import "time"

// Clock gives the current instant. Production uses SystemClock; tests and the
// local stack inject a fixed or shifted clock so no behaviour depends on the
// real date.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now().UTC() }

// FixedClock always answers the same instant.
type FixedClock struct{ T time.Time }

func (c FixedClock) Now() time.Time { return c.T }

// OffsetClock runs at real speed but shifted, so the local stack can pretend
// to be on another date (make run NOW=2027-03-01) while time still passes.
type OffsetClock struct{ Offset time.Duration }

func (c OffsetClock) Now() time.Time { return time.Now().UTC().Add(c.Offset) }

// Today is the Asia/Shanghai calendar date of the clock's current instant.
func Today(c Clock) Date { return DateIn(c.Now()) }
