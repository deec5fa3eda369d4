package regrade

import (
	"context"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/streambatch"
)

// HandleStream is the RegradeFunction handler for the table's record items
// (stream FilterCriteria entity = "record"). Each subject in the batch is
// regraded once, from storage, whatever its records' images say; a failed
// subject makes Lambda deliver the batch again from its first record.
func (s *Service) HandleStream(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	work, cancel := streambatch.BeforeDeadline(ctx, streambatch.DeadlineMargin)
	defer cancel()
	resp, sum := streambatch.Process(work, ev, streambatch.SubjectKey, func(ctx context.Context, key string) error {
		_, err := s.Regrade(ctx, domain.SubjectID(key))
		return err
	})
	sum.Log(ctx, s.logger(), "regrade batch", resp, nil)
	return resp, nil
}
