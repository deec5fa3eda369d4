package streambatch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

func TestBeforeDeadline(t *testing.T) {
	dl := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	parent, cancel := context.WithDeadline(context.Background(), dl)
	defer cancel()
	tests := []struct {
		name   string
		ctx    context.Context
		want   time.Time
		wantOK bool
	}{
		{"deadline moved earlier by the margin", parent, dl.Add(-DeadlineMargin), true},
		{"no deadline stays without one", context.Background(), time.Time{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			work, cancel := BeforeDeadline(tc.ctx, DeadlineMargin)
			defer cancel()
			got, ok := work.Deadline()
			if ok != tc.wantOK || !got.Equal(tc.want) {
				t.Fatalf("deadline %v %v, want %v %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestSummaryLog(t *testing.T) {
	boom := errors.New("boom")
	resume := events.DynamoDBEventResponse{BatchItemFailures: []events.DynamoDBBatchItemFailure{{ItemIdentifier: "7"}}}
	tests := []struct {
		name       string
		sum        Summary
		resp       events.DynamoDBEventResponse
		batchErr   error
		wantLevel  string
		wantFailed map[string]any
		wantBatch  string
	}{
		{"clean batch is info", Summary{Records: 3, Keys: 2}, events.DynamoDBEventResponse{}, nil, "INFO", nil, ""},
		{"failed key is error with key, cause and resume point", Summary{Records: 3, Keys: 2, Failures: []Failure{{Key: "S1", Sequence: "7", Err: boom}}}, resume, nil, "ERROR", map[string]any{"7": "S1: boom"}, ""},
		{"batch-wide failure alone is error", Summary{Records: 1, Keys: 1}, resume, boom, "ERROR", map[string]any{}, "boom"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			tc.sum.Log(context.Background(), slog.New(slog.NewJSONHandler(&buf, nil)), "batch", tc.resp, tc.batchErr)
			var line map[string]any
			if err := json.Unmarshal(buf.Bytes(), &line); err != nil {
				t.Fatalf("%v: %s", err, buf.Bytes())
			}
			if line["level"] != tc.wantLevel || line["records"] != float64(tc.sum.Records) || line["failures"] != float64(len(tc.sum.Failures)) {
				t.Fatalf("line %v", line)
			}
			failed, hasFailed := line["failed"].(map[string]any)
			if tc.wantFailed == nil {
				if _, ok := line["resume_from"]; ok || hasFailed {
					t.Fatalf("a clean batch logs failures: %v", line)
				}
				return
			}
			// An empty group is dropped by slog; compare what is there.
			if len(failed) != len(tc.wantFailed) || line["resume_from"] == nil {
				t.Fatalf("failed %v, resume_from %v; want %v", failed, line["resume_from"], tc.wantFailed)
			}
			for k, v := range tc.wantFailed {
				if failed[k] != v {
					t.Errorf("failed[%s] = %v, want %v", k, failed[k], v)
				}
			}
			if got, _ := line["batch_error"].(string); got != tc.wantBatch {
				t.Errorf("batch_error %q, want %q", got, tc.wantBatch)
			}
		})
	}
}
