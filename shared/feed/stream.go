package feed

import (
	"context"
	"errors"
	"log/slog"
	"sort"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/streambatch"
)

// Service is FeedFunction's logic.
type Service struct {
	Subjects Subjects
	Objects  Objects
	Bucket   string
	Labels   Labels // DefaultLabels when Authority and Source are empty (Units kept)
	Logger   *slog.Logger
}

// recordKey makes every stream record its own unit of work (its sequence
// number is unique in the shard).
func recordKey(rec events.DynamoDBEventRecord) (string, error) {
	if rec.Change.SequenceNumber != "" {
		return rec.Change.SequenceNumber, nil
	}
	if rec.EventID != "" {
		return rec.EventID, nil
	}
	return "", streambatch.ErrNoKey
}

// HandleStream writes the batch's feed events, then rebuilds the daily file
// of every day it touched. It reports the first failed record
// (ReportBatchItemFailures); a daily file that could not be rebuilt fails
// the first record of that day, so the retry rebuilds it.
func (s *Service) HandleStream(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	log := s.Logger
	if log == nil {
		log = slog.Default()
	}
	labels := s.Labels
	if labels.Authority == "" && labels.Source == "" {
		labels.Authority, labels.Source = DefaultLabels.Authority, DefaultLabels.Source
	}
	byKey := map[string]events.DynamoDBEventRecord{}
	pos := map[string]int{}
	for i, r := range ev.Records {
		if k, err := recordKey(r); err == nil {
			byKey[k], pos[k] = r, i
		}
	}
	dayFirst := map[string]int{} // day → batch position of its first event
	written, skipped := 0, 0
	resp, sum := streambatch.Process(ctx, ev, recordKey, func(ctx context.Context, key string) error {
		e, err := EventOf(ctx, s.Subjects, labels, byKey[key])
		if errors.Is(err, errSkip) {
			skipped++
			return nil
		}
		if err != nil {
			return err
		}
		wrote, err := Write(ctx, s.Objects, s.Bucket, e)
		if err != nil {
			return err
		}
		if wrote {
			written++
		}
		if p, ok := dayFirst[e.Date]; !ok || pos[key] < p {
			dayFirst[e.Date] = pos[key]
		}
		return nil
	})
	days := make([]string, 0, len(dayFirst))
	for d := range dayFirst {
		days = append(days, d)
	}
	sort.Strings(days)
	for _, d := range days {
		n, err := Consolidate(ctx, s.Objects, s.Bucket, d)
		if err != nil {
			log.WarnContext(ctx, "feed: daily file not rebuilt", "day", d, "err", err)
			resp = earliest(resp, ev, dayFirst[d])
			continue
		}
		log.InfoContext(ctx, "feed: daily file", "day", d, "events", n)
	}
	for _, f := range sum.Failures {
		log.ErrorContext(ctx, "feed: record failed", "sequence", f.Sequence, "err", f.Err)
	}
	log.InfoContext(ctx, "feed batch", "records", sum.Records, "written", written, "skipped", skipped,
		"failed", len(sum.Failures), "days", days)
	return resp, nil
}

// earliest adds the record at position p to the reported failures, keeping
// only the earliest one (Lambda resumes from it).
func earliest(resp events.DynamoDBEventResponse, ev events.DynamoDBEvent, p int) events.DynamoDBEventResponse {
	seq := ev.Records[p].Change.SequenceNumber
	for _, f := range resp.BatchItemFailures {
		for i := 0; i < p; i++ {
			if ev.Records[i].Change.SequenceNumber == f.ItemIdentifier {
				return resp
			}
		}
	}
	resp.BatchItemFailures = []events.DynamoDBBatchItemFailure{{ItemIdentifier: seq}}
	return resp
}
