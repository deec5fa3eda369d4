package streambatch

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// rec builds a stream record of subject subj ("" for no readable image) with
// sequence number seq.
func rec(seq, subj string) events.DynamoDBEventRecord {
	r := events.DynamoDBEventRecord{EventName: "MODIFY", Change: events.DynamoDBStreamRecord{SequenceNumber: seq}}
	if subj != "" {
		r.Change.NewImage = map[string]events.DynamoDBAttributeValue{"subject_id": events.NewStringAttribute(subj)}
	}
	return r
}

func TestProcess(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name       string
		records    []events.DynamoDBEventRecord
		failKeys   map[string]bool
		wantCalls  []string
		wantReport []string
		wantFailed int
	}{
		{
			name:      "all succeed, each key once in first-seen order",
			records:   []events.DynamoDBEventRecord{rec("1", "B"), rec("2", "A"), rec("3", "B"), rec("4", "A")},
			wantCalls: []string{"B", "A"},
		},
		{
			name:       "failed key reports its first record, others still run",
			records:    []events.DynamoDBEventRecord{rec("1", "A"), rec("2", "B"), rec("3", "A"), rec("4", "C")},
			failKeys:   map[string]bool{"B": true},
			wantCalls:  []string{"A", "B", "C"},
			wantReport: []string{"2"},
			wantFailed: 1,
		},
		{
			name:       "two failed keys: only the earliest in batch order is reported",
			records:    []events.DynamoDBEventRecord{rec("1", "A"), rec("2", "B"), rec("3", "C"), rec("4", "B")},
			failKeys:   map[string]bool{"C": true, "B": true},
			wantCalls:  []string{"A", "B", "C"},
			wantReport: []string{"2"},
			wantFailed: 2,
		},
		{
			name:       "a failed key whose first record is late reports that first record",
			records:    []events.DynamoDBEventRecord{rec("1", "A"), rec("2", "A"), rec("3", "B"), rec("4", "A")},
			failKeys:   map[string]bool{"B": true},
			wantCalls:  []string{"A", "B"},
			wantReport: []string{"3"},
			wantFailed: 1,
		},
		{
			name:       "unreadable record fails by itself, before a later failure",
			records:    []events.DynamoDBEventRecord{rec("1", "A"), rec("2", ""), rec("3", "B")},
			failKeys:   map[string]bool{"B": true},
			wantCalls:  []string{"A", "B"},
			wantReport: []string{"2"},
			wantFailed: 2,
		},
		{
			name:       "panicking handler is a failure, not a crash",
			records:    []events.DynamoDBEventRecord{rec("1", "A"), rec("2", "panic"), rec("3", "C")},
			wantCalls:  []string{"A", "panic", "C"},
			wantReport: []string{"2"},
			wantFailed: 1,
		},
		{
			name:    "empty batch",
			records: nil,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls []string
			resp, sum := Process(context.Background(), events.DynamoDBEvent{Records: tc.records}, SubjectKey, func(_ context.Context, key string) error {
				calls = append(calls, key)
				if key == "panic" {
					panic("handler exploded")
				}
				if tc.failKeys[key] {
					return boom
				}
				return nil
			})
			if !reflect.DeepEqual(calls, tc.wantCalls) {
				t.Errorf("calls = %v, want %v", calls, tc.wantCalls)
			}
			var got []string
			for _, f := range resp.BatchItemFailures {
				got = append(got, f.ItemIdentifier)
			}
			if !reflect.DeepEqual(got, tc.wantReport) {
				t.Errorf("reported = %v, want %v", got, tc.wantReport)
			}
			if len(sum.Failures) != tc.wantFailed {
				t.Errorf("failures = %v, want %d", sum.Failures, tc.wantFailed)
			}
			if sum.Records != len(tc.records) || sum.Keys != len(tc.wantCalls) {
				t.Errorf("summary = %+v", sum)
			}
		})
	}
}

func TestProcessStopsStartingKeysAfterCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls []string
	resp, sum := Process(ctx, events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{rec("1", "A"), rec("2", "B"), rec("3", "C")}}, SubjectKey,
		func(_ context.Context, key string) error {
			calls = append(calls, key)
			cancel() // the deadline passes while A is handled
			return nil
		})
	if !reflect.DeepEqual(calls, []string{"A"}) {
		t.Fatalf("calls = %v, want only A", calls)
	}
	if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "2" {
		t.Fatalf("reported %v, want [2]", resp.BatchItemFailures)
	}
	if len(sum.Failures) != 2 || !errors.Is(sum.Failures[0].Err, context.Canceled) {
		t.Fatalf("failures = %v", sum.Failures)
	}
}

func TestSubjectKey(t *testing.T) {
	str := events.NewStringAttribute
	tests := []struct {
		name    string
		change  events.DynamoDBStreamRecord
		want    string
		wantErr bool
	}{
		{name: "new image", change: events.DynamoDBStreamRecord{NewImage: map[string]events.DynamoDBAttributeValue{"subject_id": str("S1")}}, want: "S1"},
		{name: "old image on remove", change: events.DynamoDBStreamRecord{OldImage: map[string]events.DynamoDBAttributeValue{"subject_id": str("S2")}}, want: "S2"},
		{name: "partition key fallback", change: events.DynamoDBStreamRecord{Keys: map[string]events.DynamoDBAttributeValue{"PK": str("SUBJ#S3"), "SK": str("REC#x")}}, want: "S3"},
		{name: "subject_id of wrong type", change: events.DynamoDBStreamRecord{NewImage: map[string]events.DynamoDBAttributeValue{"subject_id": events.NewNumberAttribute("7")}}, wantErr: true},
		{name: "foreign partition key", change: events.DynamoDBStreamRecord{Keys: map[string]events.DynamoDBAttributeValue{"PK": str("DOC#u#k#n")}}, wantErr: true},
		{name: "no images", change: events.DynamoDBStreamRecord{}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SubjectKey(events.DynamoDBEventRecord{Change: tc.change})
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Fatalf("SubjectKey = %q, %v; want %q, err=%v", got, err, tc.want, tc.wantErr)
			}
			if tc.wantErr && !errors.Is(err, ErrNoKey) {
				t.Fatalf("error %v is not ErrNoKey", err)
			}
		})
	}
}
