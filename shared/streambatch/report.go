package streambatch

import (
	"context"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// DeadlineMargin is kept free before the invocation's deadline: keys not
// started by then are reported as failed and delivered again, rather than
// the whole batch timing out.
const DeadlineMargin = 3 * time.Second

// BeforeDeadline is ctx with its deadline moved margin earlier, for the
// batch's work; ctx itself when it has no deadline. Call cancel when done.
func BeforeDeadline(ctx context.Context, margin time.Duration) (context.Context, context.CancelFunc) {
	if dl, ok := ctx.Deadline(); ok {
		return context.WithDeadline(ctx, dl.Add(-margin))
	}
	return ctx, func() {}
}

// Log writes the batch's one log line: the counts, and when anything failed
// (a key, or batchErr: work of the whole batch such as a rebuild) at level
// Error each failed key with its error, batchErr, and the record Lambda
// resumes from. Keys are subject ids (opaque for natural persons) and
// handlers' errors carry ids and storage or S3 causes, never record content.
func (s Summary) Log(ctx context.Context, log *slog.Logger, msg string, resp events.DynamoDBEventResponse, batchErr error) {
	attrs := []slog.Attr{slog.Int("records", s.Records), slog.Int("subjects", s.Keys), slog.Int("failures", len(s.Failures))}
	level := slog.LevelInfo
	if len(s.Failures) > 0 || batchErr != nil {
		level = slog.LevelError
		failed := make([]any, 0, len(s.Failures))
		for _, f := range s.Failures {
			failed = append(failed, slog.String(f.Sequence, f.Key+": "+f.Err.Error()))
		}
		attrs = append(attrs, slog.Group("failed", failed...), slog.Any("resume_from", resp.BatchItemFailures))
		if batchErr != nil {
			attrs = append(attrs, slog.String("batch_error", batchErr.Error()))
		}
	}
	log.LogAttrs(ctx, level, msg, attrs...)
}
