package localstack

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// ageNow is the poller's clock at the start of each case: a whole minute,
// like DynamoDB Local's truncated creation stamps.
var ageNow = time.Date(2027, 3, 1, 2, 10, 0, 0, time.UTC)

// agedRec is a record stamped age before ageNow (zero age: no stamp).
func agedRec(seq int, age time.Duration) events.DynamoDBEventRecord {
	r := streamRec(seq, "record")
	if age > 0 {
		r.Change.ApproximateCreationDateTime = events.SecondsEpochTime{Time: ageNow.Add(-age)}
	}
	return r
}

type wantDLQ struct {
	seqs      string // comma separated
	condition string
	reason    string
	invokes   int
	err       string // substring of the error field
}

func TestPollerMaximumRecordAge(t *testing.T) {
	boom := &FunctionError{Function: "F", Type: "errorString", Message: "boom"}
	fail := func([]string) ([]byte, error) { return nil, boom }
	exhausted := func(seqs string, invokes int) wantDLQ {
		return wantDLQ{seqs: seqs, condition: "RetryAttemptsExhausted", reason: "retry attempts exhausted", invokes: invokes, err: "boom"}
	}
	tooOld := func(seqs string, invokes int, err string) wantDLQ {
		return wantDLQ{seqs: seqs, condition: "RecordAgeExceeded", reason: "record age exceeded", invokes: invokes, err: err}
	}
	cases := []struct {
		name    string
		recs    []events.DynamoDBEventRecord
		maxAge  time.Duration
		retries int
		report  bool          // ReportBatchItemFailures
		start   time.Duration // clock at the first poll, after ageNow
		step    time.Duration // clock advance per retry backoff
		fn      func([]string) ([]byte, error)
		batches string
		dlq     []wantDLQ
	}{
		{
			name:   "fresh record is retried until the retries run out",
			recs:   []events.DynamoDBEventRecord{agedRec(1, 10*time.Minute)},
			maxAge: time.Hour, retries: 2, step: time.Minute, fn: fail,
			batches: "000001 | 000001 | 000001",
			dlq:     []wantDLQ{exhausted("000001", 3)},
		},
		{
			name:   "old record goes to the destination without an invocation",
			recs:   []events.DynamoDBEventRecord{agedRec(1, 2*time.Hour), agedRec(2, 5*time.Minute)},
			maxAge: time.Hour, retries: 3, fn: ok,
			batches: "000002",
			dlq:     []wantDLQ{tooOld("000001", 0, "record age exceeded")},
		},
		{
			name:   "the minute of truncation is given to the record",
			recs:   []events.DynamoDBEventRecord{agedRec(1, 61*time.Minute)},
			maxAge: time.Hour, retries: 3, fn: ok,
			batches: "000001",
		},
		{
			name:   "one second past the limit and the minute is dropped",
			recs:   []events.DynamoDBEventRecord{agedRec(1, 61*time.Minute)},
			maxAge: time.Hour, retries: 3, start: time.Second, fn: ok,
			dlq: []wantDLQ{tooOld("000001", 0, "record age exceeded")},
		},
		{
			name:   "record that ages out while retried is not retried any more",
			recs:   []events.DynamoDBEventRecord{agedRec(1, 59*time.Minute)},
			maxAge: time.Hour, retries: 10, step: time.Minute, fn: fail,
			// Ages 59, 60 and 61 minutes are invoked; at 62 it is dropped.
			batches: "000001 | 000001 | 000001",
			dlq:     []wantDLQ{tooOld("000001", 3, "boom")},
		},
		{
			name:   "mixed batch: the old part leaves, the fresh part keeps its retries",
			recs:   []events.DynamoDBEventRecord{agedRec(1, 60*time.Minute), agedRec(2, 30*time.Minute)},
			maxAge: time.Hour, retries: 5, step: time.Minute, fn: fail,
			batches: "000001,000002 | 000001,000002 | 000002 | 000002 | 000002 | 000002",
			dlq:     []wantDLQ{tooOld("000001", 2, "boom"), exhausted("000002", 6)},
		},
		{
			name:   "old head of a read goes, the fresh records are delivered in order",
			recs:   []events.DynamoDBEventRecord{agedRec(1, 3*time.Hour), agedRec(2, time.Minute), agedRec(3, time.Minute)},
			maxAge: time.Hour, retries: 3, fn: ok,
			batches: "000002 | 000003",
			dlq:     []wantDLQ{tooOld("000001", 0, "record age exceeded")},
		},
		{
			name:   "partial failure: the failed record ages out, the ones before it are done",
			recs:   []events.DynamoDBEventRecord{agedRec(1, 60*time.Minute), agedRec(2, 60*time.Minute)},
			maxAge: time.Hour, retries: 3, report: true, step: 2 * time.Minute,
			fn: func(b []string) ([]byte, error) {
				return []byte(`{"batchItemFailures":[{"itemIdentifier":"000002"}]}`), nil
			},
			batches: "000001,000002",
			dlq:     []wantDLQ{tooOld("000002", 1, "batch item failure at sequence number 000002")},
		},
		{
			name:   "unbounded (-1) never drops, however old",
			recs:   []events.DynamoDBEventRecord{agedRec(1, 30*24*time.Hour)},
			maxAge: -time.Second, retries: 1, step: time.Hour, fn: fail,
			batches: "000001 | 000001",
			dlq:     []wantDLQ{exhausted("000001", 2)},
		},
		{
			name:   "unset (0) never drops",
			recs:   []events.DynamoDBEventRecord{agedRec(1, 30*24*time.Hour)},
			maxAge: 0, retries: 1, fn: ok,
			batches: "000001",
		},
		{
			name:   "record without a creation time is never dropped",
			recs:   []events.DynamoDBEventRecord{agedRec(1, 0)},
			maxAge: time.Minute, retries: 0, start: 48 * time.Hour, fn: ok,
			batches: "000001",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := &fakeStream{arn: "arn:stream", shards: []*fakeShard{{id: "s", recs: c.recs}}}
			m := StreamMapping{Function: "F", BatchSize: 10, MaxRetries: c.retries, MaxRecordAge: c.maxAge, ReportItemFailures: c.report}
			p, inv := newTestPoller(t, src, m, c.fn)
			now := ageNow.Add(c.start)
			p.Now = func() time.Time { return now }
			p.Backoff = func(context.Context, int) error { now = now.Add(c.step); return nil }
			if _, err := p.PollOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := batches(t, inv.Calls()); got != c.batches {
				t.Fatalf("batches\n got %q\nwant %q", got, c.batches)
			}
			dl := dlqFiles(t, p)
			sort.Slice(dl, func(i, j int) bool { return dl[i].BatchInfo.StartSequenceNumber < dl[j].BatchInfo.StartSequenceNumber })
			if len(dl) != len(c.dlq) {
				t.Fatalf("want %d DLQ entries, got %+v", len(c.dlq), dl)
			}
			for i, w := range c.dlq {
				e := dl[i]
				var got []string
				for _, r := range e.Records {
					got = append(got, r.Change.SequenceNumber)
				}
				if strings.Join(got, ",") != w.seqs || e.BatchInfo.BatchSize != len(got) ||
					e.RequestContext.Condition != w.condition || e.Reason != w.reason ||
					e.RequestContext.ApproximateInvokeCount != w.invokes || !strings.Contains(e.Error, w.err) ||
					e.BatchInfo.StreamARN != "arn:stream" || e.RequestContext.FunctionName != "F" {
					t.Fatalf("DLQ entry %d: %+v, want %+v", i, e, w)
				}
			}
			// The poller moved on: a second poll delivers nothing again.
			before := len(inv.Calls())
			if _, err := p.PollOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			if after := len(inv.Calls()); after != before {
				t.Fatalf("records redelivered after the poll: %d calls, then %d", before, after)
			}
		})
	}
}

// A record dropped for its age keeps its creation time in the destination
// so an operator can see how late it was.
func TestPollerRecordAgeDLQKeepsCreationTime(t *testing.T) {
	src := &fakeStream{arn: "arn:stream", shards: []*fakeShard{{id: "s", recs: []events.DynamoDBEventRecord{agedRec(1, 2*time.Hour)}}}}
	p, _ := newTestPoller(t, src, StreamMapping{Function: "F", MaxRecordAge: time.Hour}, func([]string) ([]byte, error) {
		return nil, errors.New("must not be invoked")
	})
	p.Now = func() time.Time { return ageNow }
	if _, err := p.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	dl := dlqFiles(t, p)
	if len(dl) != 1 || !dl[0].Records[0].Change.ApproximateCreationDateTime.Time.Equal(ageNow.Add(-2*time.Hour)) ||
		dl[0].Timestamp != ageNow.Format(time.RFC3339Nano) {
		t.Fatalf("DLQ %+v", dl)
	}
}
