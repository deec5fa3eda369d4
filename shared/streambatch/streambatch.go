// Package streambatch does the bookkeeping of a DynamoDB stream handler
// that reports partial batch failures (FunctionResponseTypes:
// ReportBatchItemFailures).
//
// Records are grouped by a key (usually the subject id), the handler runs
// once per key, and the response names the FIRST failed record in batch
// order. Lambda resumes the shard from the lowest reported sequence number,
// so reporting that one alone is both correct and minimal: every record after
// it, failed or not, is delivered again, which is why per-key work must be
// idempotent. A failing key does not stop the other keys; a record whose key
// cannot be read fails by itself instead of panicking.
//
// Typical use in a function:
//
//	work, cancel := streambatch.BeforeDeadline(ctx, streambatch.DeadlineMargin)
//	defer cancel()
//	resp, sum := streambatch.Process(work, ev, streambatch.SubjectKey, func(ctx context.Context, key string) error {
//		_, err := svc.Regrade(ctx, domain.SubjectID(key))
//		return err
//	})
//	sum.Log(ctx, logger, "regrade batch", resp, nil) // counts, failed keys, resume point
//	return resp, nil
package streambatch

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// KeyFunc reads the grouping key of one stream record.
type KeyFunc func(events.DynamoDBEventRecord) (string, error)

// Failure is one key (or unreadable record) that failed.
type Failure struct {
	Key      string // "" when the record's key could not be read
	Sequence string // the sequence number of the key's first record in the batch
	Err      error
}

// Summary says what a batch did, for the handler's log line.
type Summary struct {
	Records  int
	Keys     int // distinct keys handled (successfully or not)
	Failures []Failure
}

// ErrNoKey: a record carries no readable key.
var ErrNoKey = errors.New("stream record has no readable key")

// Process groups the batch's records by keyOf, calls handle once per key in
// order of first appearance, and builds the response reporting the first
// failed record in batch order (none when everything succeeded). Once ctx is
// done, the remaining keys are not started and count as failed, so Lambda
// delivers them again.
func Process(ctx context.Context, ev events.DynamoDBEvent, keyOf KeyFunc, handle func(ctx context.Context, key string) error) (events.DynamoDBEventResponse, Summary) {
	sum := Summary{Records: len(ev.Records)}
	// firstFailed is the batch position of the earliest failed record.
	firstFailed := -1
	fail := func(pos int, f Failure) {
		sum.Failures = append(sum.Failures, f)
		if firstFailed < 0 || pos < firstFailed {
			firstFailed = pos
		}
	}

	firstPos := map[string]int{} // key → position of its first record
	var order []string
	for i, rec := range ev.Records {
		key, err := safeKey(keyOf, rec)
		if err != nil {
			fail(i, Failure{Sequence: rec.Change.SequenceNumber, Err: err})
			continue
		}
		if _, seen := firstPos[key]; !seen {
			firstPos[key] = i
			order = append(order, key)
		}
	}

	for _, key := range order {
		sum.Keys++
		pos := firstPos[key]
		err := ctx.Err()
		if err == nil {
			err = safeHandle(ctx, handle, key)
		}
		if err != nil {
			fail(pos, Failure{Key: key, Sequence: ev.Records[pos].Change.SequenceNumber, Err: err})
		}
	}

	var resp events.DynamoDBEventResponse
	if firstFailed >= 0 {
		resp.BatchItemFailures = []events.DynamoDBBatchItemFailure{{ItemIdentifier: ev.Records[firstFailed].Change.SequenceNumber}}
	}
	return resp, sum
}

// SubjectKey reads the subject id of a record's item: the "subject_id"
// attribute of the new image (the old one for a REMOVE), or else the
// partition key "SUBJ#<id>" of the item's keys.
func SubjectKey(rec events.DynamoDBEventRecord) (string, error) {
	for _, img := range []map[string]events.DynamoDBAttributeValue{rec.Change.NewImage, rec.Change.OldImage} {
		if s, ok := stringAttr(img, "subject_id"); ok && s != "" {
			return s, nil
		}
	}
	for _, img := range []map[string]events.DynamoDBAttributeValue{rec.Change.Keys, rec.Change.NewImage, rec.Change.OldImage} {
		if pk, ok := stringAttr(img, "PK"); ok {
			if id, found := strings.CutPrefix(pk, "SUBJ#"); found && id != "" {
				return id, nil
			}
		}
	}
	return "", fmt.Errorf("record %s (%s): %w", rec.Change.SequenceNumber, rec.EventName, ErrNoKey)
}

// stringAttr reads a string attribute without the panics of
// events.DynamoDBAttributeValue.String on another type.
func stringAttr(img map[string]events.DynamoDBAttributeValue, name string) (string, bool) {
	v, ok := img[name]
	if !ok || v.DataType() != events.DataTypeString {
		return "", false
	}
	return v.String(), true
}

// safeKey turns a panicking KeyFunc into a failure of that one record.
func safeKey(keyOf KeyFunc, rec events.DynamoDBEventRecord) (key string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reading key of record %s: panic: %v", rec.Change.SequenceNumber, r)
		}
	}()
	return keyOf(rec)
}

// safeHandle turns a panicking handler into a failure of that key, so one bad
// subject does not lose the whole batch's bookkeeping.
func safeHandle(ctx context.Context, handle func(context.Context, string) error, key string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("handling key %s: panic: %v", key, r)
		}
	}()
	return handle(ctx, key)
}
