package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/streambatch"
)

// HandleStream is the PublishFunction handler for the table's grade items
// (stream FilterCriteria entity = "grade"; it works for any item keyed
// SUBJ#<id>). Each subject's page is synced once, from storage, whatever the
// images say; then the index and open data are rebuilt. A failed subject
// makes Lambda deliver the batch again from its first record; a failed
// rebuild, from the batch's first record (the rebuild runs again anyway on
// every batch, so nothing is lost).
func (s *Service) HandleStream(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
	work, cancel := streambatch.BeforeDeadline(ctx, streambatch.DeadlineMargin)
	defer cancel()
	resp, sum := streambatch.Process(work, ev, streambatch.SubjectKey, func(ctx context.Context, key string) error {
		return s.SyncSubject(ctx, domain.SubjectID(key))
	})
	var rebuildErr error
	if len(ev.Records) > 0 {
		rebuildErr = s.Rebuild(work)
		if rebuildErr != nil {
			resp.BatchItemFailures = []events.DynamoDBBatchItemFailure{{ItemIdentifier: ev.Records[0].Change.SequenceNumber}}
		}
	}
	sum.Log(ctx, s.Logger, "publish batch", resp, rebuildErr)
	return resp, nil
}

// OperatorEvent is what an operator sends to rebuild the whole site:
// {"sync_all": true}.
type OperatorEvent struct {
	SyncAll bool `json:"sync_all"`
}

// OperatorResult answers an operator event.
type OperatorResult struct {
	Status string `json:"status"`
}

// ErrUnknownEvent: an invocation that is neither a stream batch nor an
// operator event.
var ErrUnknownEvent = errors.New("publish: unknown event (want a DynamoDB stream batch or {\"sync_all\": true})")

// Handle is the Lambda entry point: a DynamoDB stream batch goes to
// HandleStream, {"sync_all": true} to SyncAll.
func (s *Service) Handle(ctx context.Context, raw json.RawMessage) (any, error) {
	var probe struct {
		Records json.RawMessage `json:"Records"`
		SyncAll *bool           `json:"sync_all"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnknownEvent, err)
	}
	switch {
	case probe.Records != nil:
		var ev events.DynamoDBEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return nil, fmt.Errorf("decode stream batch: %w", err)
		}
		return s.HandleStream(ctx, ev)
	case probe.SyncAll != nil && *probe.SyncAll:
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		var op OperatorEvent
		if err := dec.Decode(&op); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrUnknownEvent, err)
		}
		if err := s.SyncAll(ctx); err != nil {
			return nil, err
		}
		s.Logger.InfoContext(ctx, "publish: site rebuilt from scratch")
		return OperatorResult{Status: "ok"}, nil
	}
	return nil, ErrUnknownEvent
}
