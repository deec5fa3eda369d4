package localstack

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// fakeTime is a local clock that jumps forward whenever the scheduler
// waits, so a day of schedule runs in microseconds.
type fakeTime struct {
	mu  sync.Mutex
	now time.Time
}

func (f *fakeTime) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeTime) After(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
	ch := make(chan time.Time, 1)
	ch <- f.now
	return ch
}

func TestSchedulerFiresOnTheShiftedClock(t *testing.T) {
	sched, err := ParseSchedule("cron(10 0 * * ? *)", "Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	// The local clock says 2027-03-01 23:00 Beijing time.
	clock := &fakeTime{now: time.Date(2027, 3, 1, 15, 0, 0, 0, time.UTC)}
	ctx, cancel := context.WithCancel(context.Background())
	var fired []time.Time
	inv := &fakeInvoker{}
	inv.fn = func(fn string, payload []byte) ([]byte, error) {
		fired = append(fired, clock.Now())
		switch len(fired) {
		case 2:
			return nil, &FunctionError{Function: fn, Type: "errorString", Message: "boom"}
		case 3:
			cancel()
		}
		return []byte(`{"expired":0}`), nil
	}
	dlq := t.TempDir()
	s := &Scheduler{
		Jobs:    []ScheduleJob{{Function: "ExpireFunction", Name: "Daily", Schedule: sched, Input: []byte(`{"max_items":5}`)}},
		Invoker: inv, Clock: clock.Now, After: clock.After, DLQDir: dlq, Log: slog.New(slog.DiscardHandler),
	}
	s.Run(ctx)
	want := []time.Time{time.Date(2027, 3, 1, 16, 10, 0, 0, time.UTC), time.Date(2027, 3, 2, 16, 10, 0, 0, time.UTC), time.Date(2027, 3, 3, 16, 10, 0, 0, time.UTC)}
	if len(fired) != 3 || !fired[0].Equal(want[0]) || !fired[1].Equal(want[1]) || !fired[2].Equal(want[2]) {
		t.Fatalf("fired at %v, want %v", fired, want)
	}
	for _, c := range inv.Calls() {
		if string(c.Payload) != `{"max_items":5}` || c.Function != "ExpireFunction" {
			t.Fatalf("call %s %s", c.Function, c.Payload)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dlq, "ExpireFunction", "*.json"))
	if len(files) != 1 {
		t.Fatalf("want the failed tick recorded once, got %v", files)
	}
	b, _ := os.ReadFile(files[0])
	if len(b) == 0 {
		t.Fatal("empty DLQ entry")
	}
}

func TestSchedulerEmptyInputIsEmptyObject(t *testing.T) {
	sched, _ := ParseSchedule("rate(1 hour)", "")
	clock := &fakeTime{now: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)}
	ctx, cancel := context.WithCancel(context.Background())
	inv := &fakeInvoker{fn: func(string, []byte) ([]byte, error) { cancel(); return nil, errors.New("down") }}
	s := &Scheduler{Jobs: []ScheduleJob{{Function: "F", Name: "N", Schedule: sched}}, Invoker: inv, Clock: clock.Now, After: clock.After, Log: slog.New(slog.DiscardHandler)}
	s.Run(ctx)
	if c := inv.Calls(); len(c) != 1 || string(c[0].Payload) != "{}" {
		t.Fatalf("calls %v", c)
	}
}
