package regrade

import (
	"context"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/streambatch"
)

// StreamMargin is kept free before the invocation's deadline: keys not
// started by then are reported as failed and delivered again, rather than
// the whole batch timing out.
const StreamMargin = 3 * time.Second

// HandleStream is the RegradeFunction handler for the table's record items
// (stream FilterCriteria entity = "record"). Each subject in the batch is
// regraded once, from storage, whatever its records' images say; a failed
// subject makes Lambda deliver the batch again from its first record.
func (s *Service) HandleStream(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	work := ctx
	if dl, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		work, cancel = context.WithDeadline(ctx, dl.Add(-StreamMargin))
		defer cancel()
	}
	resp, sum := streambatch.Process(work, ev, streambatch.SubjectKey, func(ctx context.Context, key string) error {
		_, err := s.Regrade(ctx, domain.SubjectID(key))
		return err
	})
	attrs := []slog.Attr{slog.Int("records", sum.Records), slog.Int("subjects", sum.Keys), slog.Int("failures", len(sum.Failures))}
	level := slog.LevelInfo
	if len(sum.Failures) > 0 {
		level = slog.LevelError
		failed := make([]any, 0, len(sum.Failures))
		for _, f := range sum.Failures {
			// Subject ids are opaque for natural persons; errors carry ids and
			// storage causes, never record content.
			failed = append(failed, slog.String(f.Sequence, f.Key+": "+f.Err.Error()))
		}
		attrs = append(attrs, slog.Group("failed", failed...), slog.Any("resume_from", resp.BatchItemFailures))
	}
	s.logger().LogAttrs(ctx, level, "regrade batch", attrs...)
	return resp, nil
}
