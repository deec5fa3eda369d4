package localstack

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// fakeStream serves shards from memory, two records per read.
type fakeStream struct {
	arn       string
	shards    []*fakeShard
	describes int
}

type fakeShard struct {
	id, parent string
	recs       []events.DynamoDBEventRecord
	closed     bool
}

func (f *fakeStream) LatestStreamARN(context.Context) (string, error) { return f.arn, nil }

func (f *fakeStream) Shards(context.Context, string) ([]Shard, error) {
	f.describes++
	var out []Shard
	for _, s := range f.shards {
		out = append(out, Shard{ID: s.id, Parent: s.parent})
	}
	return out, nil
}

func (f *fakeStream) find(id string) *fakeShard {
	for _, s := range f.shards {
		if s.id == id {
			return s
		}
	}
	return nil
}

func (f *fakeStream) Iterator(_ context.Context, _ string, shardID, after string) (string, error) {
	s := f.find(shardID)
	pos := 0
	if after != "" {
		for i, r := range s.recs {
			if r.Change.SequenceNumber == after {
				pos = i + 1
			}
		}
	}
	return fmt.Sprintf("%s|%d", shardID, pos), nil
}

func (f *fakeStream) Records(_ context.Context, it string) ([]events.DynamoDBEventRecord, string, error) {
	id, p, _ := strings.Cut(it, "|")
	pos, _ := strconv.Atoi(p)
	s := f.find(id)
	end := min(pos+2, len(s.recs))
	recs := append([]events.DynamoDBEventRecord(nil), s.recs[pos:end]...)
	if s.closed && end == len(s.recs) {
		return recs, "", nil
	}
	return recs, fmt.Sprintf("%s|%d", id, end), nil
}

func streamRec(seq int, entity string) events.DynamoDBEventRecord {
	return events.DynamoDBEventRecord{
		EventID:   "e" + strconv.Itoa(seq),
		EventName: "INSERT",
		Change: events.DynamoDBStreamRecord{
			SequenceNumber: fmt.Sprintf("%06d", seq),
			NewImage:       map[string]events.DynamoDBAttributeValue{"entity": events.NewStringAttribute(entity)},
		},
	}
}

// seqs decodes the sequence numbers of a delivered batch.
func seqs(t *testing.T, payload []byte) []string {
	t.Helper()
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range ev.Records {
		out = append(out, r.Change.SequenceNumber)
		if r.EventSourceArn != "arn:stream" || r.AWSRegion != "us-east-1" {
			t.Fatalf("record not Lambda-shaped: %+v", r)
		}
	}
	return out
}

func batches(t *testing.T, calls []fakeCall) string {
	var parts []string
	for _, c := range calls {
		parts = append(parts, strings.Join(seqs(t, c.Payload), ","))
	}
	return strings.Join(parts, " | ")
}

func newTestPoller(t *testing.T, src StreamSource, m StreamMapping, fn func([]string) ([]byte, error)) (*Poller, *fakeInvoker) {
	inv := &fakeInvoker{}
	inv.fn = func(_ string, payload []byte) ([]byte, error) { return fn(seqs(t, payload)) }
	dir := t.TempDir()
	return &Poller{
		Source: src, Mapping: m, Invoker: inv, Region: "us-east-1",
		DLQDir: filepath.Join(dir, "dlq"), StateFile: filepath.Join(dir, "state", m.Function+".json"),
		Log:     slog.New(slog.DiscardHandler),
		Backoff: func(context.Context, int) error { return nil },
	}, inv
}

func recordFilter(t *testing.T) Filters {
	f, err := ParseFilter(`{"dynamodb":{"NewImage":{"entity":{"S":["record"]}}}}`)
	if err != nil {
		t.Fatal(err)
	}
	return Filters{f}
}

func ok([]string) ([]byte, error) { return []byte("null"), nil }

func dlqFiles(t *testing.T, p *Poller) []DLQEntry {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(p.DLQDir, p.Mapping.Function, "*.json"))
	var out []DLQEntry
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var e DLQEntry
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func TestPollerOrderFilterBatchAndShardRollover(t *testing.T) {
	src := &fakeStream{arn: "arn:stream", shards: []*fakeShard{
		// The child is listed first: it must still wait for its parent.
		{id: "child", parent: "parent", recs: []events.DynamoDBEventRecord{streamRec(6, "record"), streamRec(7, "record")}},
		{id: "parent", closed: true, recs: []events.DynamoDBEventRecord{
			streamRec(1, "record"), streamRec(2, "grade"), streamRec(3, "record"), streamRec(4, "record"), streamRec(5, "record"),
		}},
	}}
	p, inv := newTestPoller(t, src, StreamMapping{Function: "RegradeFunction", BatchSize: 3, Filters: recordFilter(t)}, ok)
	n, err := p.PollOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n != 7 {
		t.Fatalf("read %d records, want 7", n)
	}
	// Reads come two at a time; the grade record is filtered out.
	if got, want := batches(t, inv.Calls()), "000001 | 000003,000004 | 000005 | 000006,000007"; got != want {
		t.Fatalf("batches %q, want %q", got, want)
	}
	// A restarted poller resumes from the checkpoint: nothing is redelivered,
	// new records are.
	src.shards[0].recs = append(src.shards[0].recs, streamRec(8, "record"))
	p2, inv2 := newTestPoller(t, src, p.Mapping, ok)
	p2.StateFile = p.StateFile
	if _, err := p2.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := batches(t, inv2.Calls()); got != "000008" {
		t.Fatalf("after restart delivered %q, want only 000008", got)
	}
}

func TestPollerBatchSizeWithinOneRead(t *testing.T) {
	var recs []events.DynamoDBEventRecord
	for i := 1; i <= 2; i++ {
		recs = append(recs, streamRec(i, "record"))
	}
	src := &fakeStream{arn: "arn:stream", shards: []*fakeShard{{id: "s", recs: recs}}}
	p, inv := newTestPoller(t, src, StreamMapping{Function: "F", BatchSize: 1}, ok)
	if _, err := p.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := batches(t, inv.Calls()); got != "000001 | 000002" {
		t.Fatalf("batches %q", got)
	}
}

func TestPollerFailures(t *testing.T) {
	five := func() []events.DynamoDBEventRecord {
		var r []events.DynamoDBEventRecord
		for i := 1; i <= 5; i++ {
			r = append(r, streamRec(i, "record"))
		}
		return r
	}
	has := func(batch []string, s string) bool {
		for _, b := range batch {
			if b == s {
				return true
			}
		}
		return false
	}
	cases := []struct {
		name        string
		mapping     StreamMapping
		fn          func(calls *int) func([]string) ([]byte, error)
		wantBatches string
		wantDLQ     []string // sequence numbers sent to the on-failure destination
		wantInvokes int      // approximateInvokeCount of the DLQ entry
	}{
		{
			name:    "partial failure retries from the first failed record",
			mapping: StreamMapping{Function: "F", BatchSize: 10, MaxRetries: 3, ReportItemFailures: true},
			fn: func(calls *int) func([]string) ([]byte, error) {
				return func(b []string) ([]byte, error) {
					if has(b, "000003") {
						*calls++
					}
					if *calls == 1 && has(b, "000003") {
						return []byte(`{"batchItemFailures":[{"itemIdentifier":"000004"},{"itemIdentifier":"000003"}]}`), nil
					}
					return []byte(`{"batchItemFailures":[]}`), nil
				}
			},
			// Two reads of two records, then one; the first fails at 3 of the second read.
			wantBatches: "000001,000002 | 000003,000004 | 000003,000004 | 000005",
		},
		{
			name:    "records before the failed one are not redelivered",
			mapping: StreamMapping{Function: "F", BatchSize: 10, MaxRetries: 3, ReportItemFailures: true},
			fn: func(calls *int) func([]string) ([]byte, error) {
				return func(b []string) ([]byte, error) {
					if has(b, "000003") {
						*calls++
						return []byte(`{"batchItemFailures":[{"itemIdentifier":"000004"}]}`), nil
					}
					return nil, nil
				}
			},
			wantBatches: "000001,000002 | 000003,000004 | 000004 | 000005",
		},
		{
			name:    "item failures ignored without ReportBatchItemFailures",
			mapping: StreamMapping{Function: "F", BatchSize: 10, MaxRetries: 3},
			fn: func(*int) func([]string) ([]byte, error) {
				return func([]string) ([]byte, error) {
					return []byte(`{"batchItemFailures":[{"itemIdentifier":"000001"}]}`), nil
				}
			},
			wantBatches: "000001,000002 | 000003,000004 | 000005",
		},
		{
			name:    "unknown identifier fails the whole batch until retries run out",
			mapping: StreamMapping{Function: "F", BatchSize: 10, MaxRetries: 1, ReportItemFailures: true},
			fn: func(*int) func([]string) ([]byte, error) {
				return func(b []string) ([]byte, error) {
					if has(b, "000001") {
						return []byte(`{"batchItemFailures":[{"itemIdentifier":""}]}`), nil
					}
					return nil, nil
				}
			},
			wantBatches: "000001,000002 | 000001,000002 | 000003,000004 | 000005",
			wantDLQ:     []string{"000001", "000002"},
			wantInvokes: 2,
		},
		{
			name:    "function error retried then sent to the destination, stream moves on",
			mapping: StreamMapping{Function: "F", BatchSize: 10, MaxRetries: 2},
			fn: func(*int) func([]string) ([]byte, error) {
				return func(b []string) ([]byte, error) {
					if has(b, "000003") {
						return nil, &FunctionError{Function: "F", Type: "errorString", Message: "boom"}
					}
					return nil, nil
				}
			},
			wantBatches: "000001,000002 | 000003,000004 | 000003,000004 | 000003,000004 | 000005",
			wantDLQ:     []string{"000003", "000004"},
			wantInvokes: 3,
		},
		{
			name:    "bisect isolates the poison record",
			mapping: StreamMapping{Function: "F", BatchSize: 10, MaxRetries: 0, Bisect: true},
			fn: func(*int) func([]string) ([]byte, error) {
				return func(b []string) ([]byte, error) {
					if has(b, "000004") {
						return nil, &FunctionError{Function: "F", Type: "errorString", Message: "poison"}
					}
					return nil, nil
				}
			},
			wantBatches: "000001,000002 | 000003,000004 | 000003 | 000004 | 000005",
			wantDLQ:     []string{"000004"},
			wantInvokes: 1,
		},
		{
			name:    "infinite retries are capped locally",
			mapping: StreamMapping{Function: "F", BatchSize: 10, MaxRetries: -1},
			fn: func(*int) func([]string) ([]byte, error) {
				return func(b []string) ([]byte, error) {
					if has(b, "000005") {
						return nil, &FunctionError{Function: "F", Type: "errorString", Message: "boom"}
					}
					return nil, nil
				}
			},
			wantBatches: "000001,000002 | 000003,000004" + strings.Repeat(" | 000005", LocalRetryCap+1),
			wantDLQ:     []string{"000005"},
			wantInvokes: LocalRetryCap + 1,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := &fakeStream{arn: "arn:stream", shards: []*fakeShard{{id: "s", recs: five()}}}
			calls := 0
			p, inv := newTestPoller(t, src, c.mapping, c.fn(&calls))
			if _, err := p.PollOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := batches(t, inv.Calls()); got != c.wantBatches {
				t.Fatalf("batches\n got %q\nwant %q", got, c.wantBatches)
			}
			dl := dlqFiles(t, p)
			if len(c.wantDLQ) == 0 {
				if len(dl) != 0 {
					t.Fatalf("unexpected DLQ entries %+v", dl)
				}
				return
			}
			if len(dl) != 1 {
				t.Fatalf("want one DLQ entry, got %d", len(dl))
			}
			e := dl[0]
			var got []string
			for _, r := range e.Records {
				got = append(got, r.Change.SequenceNumber)
			}
			if strings.Join(got, ",") != strings.Join(c.wantDLQ, ",") || e.BatchInfo.BatchSize != len(c.wantDLQ) ||
				e.RequestContext.ApproximateInvokeCount != c.wantInvokes || e.RequestContext.FunctionName != "F" ||
				e.Error == "" || e.BatchInfo.StreamARN != "arn:stream" || e.BatchInfo.StartSequenceNumber != c.wantDLQ[0] {
				t.Fatalf("DLQ entry %+v", e)
			}
		})
	}
}

func TestPollerInvokerDownKeepsPosition(t *testing.T) {
	src := &fakeStream{arn: "arn:stream", shards: []*fakeShard{{id: "s", recs: []events.DynamoDBEventRecord{streamRec(1, "record"), streamRec(2, "record")}}}}
	down := true
	p, inv := newTestPoller(t, src, StreamMapping{Function: "F", BatchSize: 1}, func(b []string) ([]byte, error) {
		if down && b[0] == "000002" {
			return nil, fmt.Errorf("connection refused")
		}
		return nil, nil
	})
	if _, err := p.PollOnce(context.Background()); err == nil {
		t.Fatal("want the unreachable function reported")
	}
	down = false
	if _, err := p.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := batches(t, inv.Calls()); got != "000001 | 000002 | 000002" {
		t.Fatalf("batches %q", got)
	}
	if len(dlqFiles(t, p)) != 0 {
		t.Fatal("an unreachable function is not a function failure")
	}
}

func TestPollerNewStreamStartsOver(t *testing.T) {
	src := &fakeStream{arn: "arn:stream", shards: []*fakeShard{{id: "s", recs: []events.DynamoDBEventRecord{streamRec(1, "record")}}}}
	p, inv := newTestPoller(t, src, StreamMapping{Function: "F"}, ok)
	if _, err := p.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The table is recreated: new stream, shard ids may repeat.
	src.arn = "arn:stream2"
	src.shards = []*fakeShard{{id: "s", recs: []events.DynamoDBEventRecord{streamRec(1, "record")}}}
	inv.fn = func(string, []byte) ([]byte, error) { return nil, nil }
	if _, err := p.PollOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := len(inv.Calls()); n != 2 {
		t.Fatalf("want the new stream read from its start, got %d calls", n)
	}
}

func TestPollerDescribesSparinglyAndFollowsRollover(t *testing.T) {
	parent := &fakeShard{id: "p", recs: []events.DynamoDBEventRecord{streamRec(1, "record")}}
	src := &fakeStream{arn: "arn:stream", shards: []*fakeShard{parent}}
	p, inv := newTestPoller(t, src, StreamMapping{Function: "F"}, ok)
	p.DescribeEvery = time.Hour
	for i := 0; i < 5; i++ {
		if _, err := p.PollOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if src.describes != 1 {
		t.Fatalf("described %d times in 5 polls", src.describes)
	}
	// Rollover: the parent closes with one more record, a child opens.
	parent.recs = append(parent.recs, streamRec(2, "record"))
	parent.closed = true
	src.shards = append(src.shards, &fakeShard{id: "c", parent: "p", recs: []events.DynamoDBEventRecord{streamRec(3, "record")}})
	for i := 0; i < 2; i++ {
		if _, err := p.PollOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := batches(t, inv.Calls()); got != "000001 | 000002 | 000003" {
		t.Fatalf("batches %q", got)
	}
}
