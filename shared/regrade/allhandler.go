package regrade

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// AllEvent is RegradeAllFunction's payload: where to resume ("" to start)
// and an optional bound on the subjects of this invocation.
type AllEvent struct {
	Cursor      string `json:"cursor"`
	MaxSubjects int    `json:"max_subjects,omitempty"`
}

// AllResponse tells the operator how far the walk got and where to resume.
type AllResponse struct {
	Done          int    `json:"done"`
	NextCursor    string `json:"next_cursor"`
	Finished      bool   `json:"finished"`
	PolicyVersion string `json:"policy_version"`
	// Error is a failed regrade or listing; the walk can be resumed from
	// NextCursor once the cause is fixed.
	Error string `json:"error,omitempty"`
}

// AllMargin is kept free before the invocation's deadline so the response
// (with its cursor) is returned rather than the invocation timing out.
const AllMargin = 15 * time.Second

// AllHandler runs RegradeAll as a Lambda invocation.
type AllHandler struct {
	Service *Service
	Lister  SubjectLister
	Margin  time.Duration // 0: AllMargin
}

// Handle regrades subjects from ev.Cursor until the walk ends, MaxSubjects
// are done, or the deadline (minus the margin) is near. The error goes in
// the response rather than failing the invocation, which would lose the
// cursor.
func (h AllHandler) Handle(ctx context.Context, ev AllEvent) (AllResponse, error) {
	margin := h.Margin
	if margin <= 0 {
		margin = AllMargin
	}
	work := ctx
	if dl, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		work, cancel = context.WithDeadline(ctx, dl.Add(-margin))
		defer cancel()
	}
	next, done, err := h.Service.RegradeAll(work, h.Lister, ev.Cursor, ev.MaxSubjects, nil)
	resp := AllResponse{Done: done, NextCursor: next, PolicyVersion: h.Service.Policy.Version}
	switch {
	case err == nil:
		resp.Finished = next == ""
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		// Our own margin: a clean stop, resume from next.
	default:
		resp.Error = err.Error()
	}
	h.Service.logger().LogAttrs(ctx, slog.LevelInfo, "regrade all",
		slog.Int("done", resp.Done), slog.Bool("finished", resp.Finished),
		slog.String("next_cursor", resp.NextCursor), slog.String("policy_version", resp.PolicyVersion),
		slog.String("error", resp.Error))
	return resp, nil
}
