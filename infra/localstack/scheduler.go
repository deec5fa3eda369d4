package localstack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// ScheduleJob is one ScheduleV2 event of a function.
type ScheduleJob struct {
	Function string // logical id
	Name     string // the event's key
	Schedule *Schedule
	Input    []byte // the template's Input, or {}
}

// Scheduler fires schedule jobs on the local clock (real time shifted by
// the -now offset), as EventBridge Scheduler would.
type Scheduler struct {
	Jobs    []ScheduleJob
	Invoker Invoker
	// Clock is the local clock; After waits a real duration. Tests replace
	// both.
	Clock  func() time.Time
	After  func(d time.Duration) <-chan time.Time
	DLQDir string // failed ticks are written here, like the schedule's dead-letter queue
	Log    *slog.Logger
}

// Run starts one loop per job and returns when ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	done := make(chan struct{})
	for _, j := range s.Jobs {
		go func() {
			s.loop(ctx, j)
			done <- struct{}{}
		}()
	}
	for range s.Jobs {
		<-done
	}
}

// NextFirings tells when each job fires next, for the banner.
func (s *Scheduler) NextFirings() map[string]time.Time {
	out := map[string]time.Time{}
	for _, j := range s.Jobs {
		if t, err := j.Schedule.Next(s.Clock()); err == nil {
			out[j.Function+"/"+j.Name] = t
		}
	}
	return out
}

func (s *Scheduler) loop(ctx context.Context, j ScheduleJob) {
	after := s.After
	if after == nil {
		after = time.After
	}
	for {
		now := s.Clock()
		next, err := j.Schedule.Next(now)
		if err != nil {
			s.log().Error("schedule stopped", "function", j.Function, "schedule", j.Name, "err", err.Error())
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-after(next.Sub(now)):
		}
		if ctx.Err() != nil {
			return
		}
		s.fire(ctx, j, next)
	}
}

func (s *Scheduler) fire(ctx context.Context, j ScheduleJob, at time.Time) {
	input := j.Input
	if len(input) == 0 {
		input = []byte("{}")
	}
	s.log().Info("schedule fired", "function", j.Function, "schedule", j.Name, "at", at.Format(time.RFC3339))
	out, err := s.Invoker.Invoke(ctx, j.Function, input)
	if err == nil {
		s.log().Info("scheduled run finished", "function", j.Function, "response", truncate(string(out), 500))
		return
	}
	if ctx.Err() != nil {
		return
	}
	s.log().Error("scheduled run failed", "function", j.Function, "err", err.Error())
	if s.DLQDir == "" {
		return
	}
	var fe *FunctionError
	entry := map[string]any{
		"function":  j.Function,
		"schedule":  j.Name,
		"firedAt":   at.Format(time.RFC3339),
		"input":     json.RawMessage(input),
		"error":     err.Error(),
		"condition": map[bool]string{true: "FunctionError", false: "InvokeError"}[errors.As(err, &fe)],
	}
	b, _ := json.MarshalIndent(entry, "", "  ")
	dir := filepath.Join(s.DLQDir, j.Function)
	if err := os.MkdirAll(dir, 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-schedule-%s.json", at.UTC().Format("20060102T150405Z"), safeName(j.Name))), b, 0o644)
	}
}

func (s *Scheduler) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
