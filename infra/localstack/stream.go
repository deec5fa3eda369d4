package localstack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// StreamSource reads a DynamoDB stream (DynamoDB Local in the stack, a
// fake in tests).
type StreamSource interface {
	// LatestStreamARN is the table's current stream.
	LatestStreamARN(ctx context.Context) (string, error)
	// Shards lists the stream's shards with their parents.
	Shards(ctx context.Context, streamARN string) ([]Shard, error)
	// Iterator positions a reader after afterSeq, or at TRIM_HORIZON when
	// afterSeq is empty.
	Iterator(ctx context.Context, streamARN, shardID, afterSeq string) (string, error)
	// Records reads from an iterator; next is empty once a closed shard
	// has been read to its end.
	Records(ctx context.Context, iterator string) (recs []events.DynamoDBEventRecord, next string, err error)
}

// Shard is one stream shard.
type Shard struct {
	ID     string
	Parent string
}

// ErrIteratorExpired makes the poller re-position from its checkpoint.
var ErrIteratorExpired = errors.New("shard iterator expired or trimmed")

// StreamMapping is one DynamoDB event source mapping of the template.
type StreamMapping struct {
	Function   string // logical id
	BatchSize  int    // default 100
	MaxRetries int    // MaximumRetryAttempts; -1 = Lambda's "until the record expires"
	// MaxRecordAge is MaximumRecordAgeInSeconds: records older than this
	// are not invoked or retried any more but sent to the on-failure
	// destination. Zero or less (the template's -1) is unbounded. Checked
	// with a minute of slack for DynamoDB Local (see recordage.go).
	MaxRecordAge       time.Duration
	Bisect             bool // BisectBatchOnFunctionError
	ReportItemFailures bool // FunctionResponseTypes: [ReportBatchItemFailures]
	Filters            Filters
}

// LocalRetryCap replaces "retry until the record expires" (24 hours in
// the cloud), which would wedge a shard for a day on a developer machine.
const LocalRetryCap = 5

// Poller feeds one event source mapping: it reads every shard in order
// (a child shard only after its parent is finished), filters records as
// Lambda does (dropped records are never delivered), invokes the function
// with batches and applies the retry, bisect and on-failure rules. Its
// position is kept in StateFile so a restart resumes where it left off.
type Poller struct {
	Source    StreamSource
	Mapping   StreamMapping
	Invoker   Invoker
	Region    string
	DLQDir    string // on-failure destination: one JSON file per failed batch
	StateFile string // checkpoints; empty keeps them in memory only
	Log       *slog.Logger
	// Backoff waits before retry n (1-based); nil uses a short exponential
	// backoff. Tests make it instant.
	Backoff func(ctx context.Context, n int) error
	// Now is the clock for record ages and DLQ timestamps; nil is real
	// time, which is what DynamoDB Local stamps records with.
	Now func() time.Time
	// DescribeEvery spaces out DescribeTable/DescribeStream calls (the
	// stream and its shards rarely change; a finished shard forces a
	// refresh). Zero describes on every poll.
	DescribeEvery time.Duration

	mu          sync.Mutex
	shards      []Shard
	describedAt time.Time
	state       pollState
	iters       map[string]string // shard → current iterator (not persisted)
}

type pollState struct {
	StreamARN string                 `json:"streamArn"`
	Shards    map[string]*shardState `json:"shards"`
}

type shardState struct {
	LastSeq string `json:"lastSequenceNumber,omitempty"`
	Done    bool   `json:"done,omitempty"`
}

// Run polls until ctx ends: every interval while records flow, up to
// twice that while the stream is idle (DynamoDB Local's CPU is shared
// with everything else on a developer machine).
func (p *Poller) Run(ctx context.Context, interval time.Duration) {
	wait := interval
	for {
		n, err := p.PollOnce(ctx)
		if err != nil && ctx.Err() == nil {
			p.log().Warn("stream poll failed", "function", p.Mapping.Function, "err", err.Error())
		}
		if n > 0 {
			wait = interval
		} else {
			wait = min(wait+interval/4, 2*interval)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// PollOnce reads every shard until it has no more records right now and
// delivers them; it returns how many records were read.
func (p *Poller) PollOnce(ctx context.Context) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.loadState(); err != nil {
		return 0, err
	}
	if p.shards == nil || p.DescribeEvery <= 0 || time.Since(p.describedAt) >= p.DescribeEvery {
		if err := p.describe(ctx); err != nil {
			return 0, err
		}
	}
	arn, shards := p.state.StreamARN, p.shards
	known := map[string]bool{}
	for _, s := range shards {
		known[s.ID] = true
	}
	total := 0
	// Repeat while progress is made so a child shard opened by a parent
	// finishing in this round is read in the same round.
	for progress := true; progress; {
		progress = false
		for _, sh := range shards {
			st := p.shard(sh.ID)
			if st.Done {
				continue
			}
			if sh.Parent != "" && known[sh.Parent] && !p.shard(sh.Parent).Done {
				continue // order across a shard split: parent first
			}
			n, err := p.drainShard(ctx, arn, sh.ID)
			total += n
			if err != nil {
				p.shards = nil // describe again next time
				return total, err
			}
			if p.shard(sh.ID).Done {
				progress = true
				p.shards = nil // a finished shard usually means a new one
			}
		}
	}
	return total, nil
}

// describe refreshes the stream ARN and its shard list.
func (p *Poller) describe(ctx context.Context) error {
	arn, err := p.Source.LatestStreamARN(ctx)
	if err != nil {
		return fmt.Errorf("stream of the table: %w", err)
	}
	if arn != p.state.StreamARN {
		// A new stream (the table was recreated): start over on it.
		p.state = pollState{StreamARN: arn, Shards: map[string]*shardState{}}
		p.iters = map[string]string{}
	}
	shards, err := p.Source.Shards(ctx, arn)
	if err != nil {
		return fmt.Errorf("describe stream: %w", err)
	}
	p.shards, p.describedAt = shards, time.Now()
	return nil
}

func (p *Poller) shard(id string) *shardState {
	st := p.state.Shards[id]
	if st == nil {
		st = &shardState{}
		p.state.Shards[id] = st
	}
	return st
}

// drainShard reads a shard until it returns no records.
func (p *Poller) drainShard(ctx context.Context, arn, shardID string) (int, error) {
	st := p.shard(shardID)
	total := 0
	expired := 0
	for {
		it := p.iters[shardID]
		if it == "" {
			var err error
			it, err = p.Source.Iterator(ctx, arn, shardID, st.LastSeq)
			if err != nil {
				return total, fmt.Errorf("iterator for %s: %w", shardID, err)
			}
		}
		recs, next, err := p.Source.Records(ctx, it)
		if err != nil {
			delete(p.iters, shardID)
			if errors.Is(err, ErrIteratorExpired) && expired < 3 {
				expired++
				continue
			}
			return total, fmt.Errorf("records of %s: %w", shardID, err)
		}
		total += len(recs)
		if err := p.deliver(ctx, arn, shardID, recs); err != nil {
			// Not delivered: re-read from the checkpoint next time.
			delete(p.iters, shardID)
			return total, err
		}
		if next == "" {
			st.Done = true
			delete(p.iters, shardID)
			return total, p.saveState()
		}
		p.iters[shardID] = next
		if len(recs) == 0 {
			return total, nil
		}
	}
}

// deliver filters and batches one read of a shard. It returns an error
// only when the function could not be reached at all; function failures
// end in a retry, a bisection or the on-failure destination.
func (p *Poller) deliver(ctx context.Context, arn, shardID string, recs []events.DynamoDBEventRecord) error {
	var pass []events.DynamoDBEventRecord
	for _, r := range recs {
		r.EventSourceArn = arn
		if p.Region != "" {
			r.AWSRegion = p.Region
		}
		if r.EventSource == "" {
			r.EventSource = "aws:dynamodb"
		}
		ok, err := p.Mapping.Filters.Match(r)
		if err != nil {
			return err
		}
		if ok {
			pass = append(pass, r)
		}
	}
	size := p.Mapping.BatchSize
	if size <= 0 {
		size = 100
	}
	st := p.shard(shardID)
	for start := 0; start < len(pass); start += size {
		batch := pass[start:min(start+size, len(pass))]
		if err := p.processBatch(ctx, arn, shardID, batch, 0); err != nil {
			return err
		}
		st.LastSeq = batch[len(batch)-1].Change.SequenceNumber
		if err := p.saveState(); err != nil {
			return err
		}
	}
	// Records filtered out still move the checkpoint.
	if len(recs) > 0 {
		st.LastSeq = recs[len(recs)-1].Change.SequenceNumber
		return p.saveState()
	}
	return nil
}

func (p *Poller) maxRetries() int {
	if p.Mapping.MaxRetries < 0 {
		return LocalRetryCap
	}
	return p.Mapping.MaxRetries
}

// processBatch invokes the function until the batch succeeds, bisecting
// on function errors and retrying from the first reported item failure;
// retries are counted per record range and bounded by MaximumRetryAttempts
// (splitting does not count, so a bad record is isolated first). Before
// every invocation, records past MaximumRecordAgeInSeconds leave the batch
// for the on-failure destination.
func (p *Poller) processBatch(ctx context.Context, arn, shardID string, batch []events.DynamoDBEventRecord, attempt int) error {
	lastErr := recordAgeExceeded // the error of the last failed attempt, if any
	for {
		old, fresh := p.splitByAge(batch)
		if len(old) > 0 {
			if err := p.toDLQ(arn, shardID, old, "RecordAgeExceeded", recordAgeExceeded, lastErr, attempt); err != nil {
				return err
			}
		}
		if len(fresh) == 0 {
			return nil
		}
		batch = fresh
		payload, err := json.Marshal(events.DynamoDBEvent{Records: batch})
		if err != nil {
			return fmt.Errorf("marshal batch: %w", err)
		}
		out, err := p.Invoker.Invoke(ctx, p.Mapping.Function, payload)
		var fe *FunctionError
		var failReason string
		switch {
		case errors.As(err, &fe):
			if p.Mapping.Bisect && len(batch) > 1 {
				half := len(batch) / 2
				p.log().Warn("function error, bisecting batch", "function", p.Mapping.Function, "size", len(batch), "err", fe.Error())
				if err := p.processBatch(ctx, arn, shardID, batch[:half], attempt); err != nil {
					return err
				}
				return p.processBatch(ctx, arn, shardID, batch[half:], attempt)
			}
			failReason = fe.Error()
		case err != nil:
			return fmt.Errorf("invoke %s: %w", p.Mapping.Function, err)
		default:
			idx, ferr := p.firstFailure(batch, out)
			if ferr == nil && idx < 0 {
				return nil
			}
			if ferr != nil {
				failReason = ferr.Error()
			} else {
				failReason = fmt.Sprintf("batch item failure at sequence number %s", batch[idx].Change.SequenceNumber)
				batch = batch[idx:] // the records before it are done
			}
		}
		lastErr = failReason
		attempt++
		if attempt > p.maxRetries() {
			return p.toDLQ(arn, shardID, batch, "RetryAttemptsExhausted", "retry attempts exhausted", failReason, attempt)
		}
		p.log().Warn("retrying batch", "function", p.Mapping.Function, "attempt", attempt, "size", len(batch), "reason", failReason)
		if err := p.backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// firstFailure reads a partial batch response: the index in batch of the
// lowest reported failure, -1 when all succeeded. An identifier that is
// empty or not in the batch fails the whole batch, as in Lambda.
func (p *Poller) firstFailure(batch []events.DynamoDBEventRecord, out []byte) (int, error) {
	if !p.Mapping.ReportItemFailures {
		return -1, nil
	}
	var resp events.DynamoDBEventResponse
	if len(out) == 0 || string(out) == "null" {
		return -1, nil
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		return -1, nil // not a batch response: success, as in Lambda
	}
	idx := -1
	for _, f := range resp.BatchItemFailures {
		found := -1
		for i, r := range batch {
			if f.ItemIdentifier != "" && r.Change.SequenceNumber == f.ItemIdentifier {
				found = i
				break
			}
		}
		if found < 0 {
			return 0, fmt.Errorf("invalid batch item failure identifier %q: the whole batch fails", f.ItemIdentifier)
		}
		if idx < 0 || found < idx {
			idx = found
		}
	}
	return idx, nil
}

func (p *Poller) backoff(ctx context.Context, n int) error {
	if p.Backoff != nil {
		return p.Backoff(ctx, n)
	}
	d := min(100*time.Millisecond<<min(n, 5), 2*time.Second)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// DLQEntry is what the on-failure destination receives, shaped like
// Lambda's stream failure record, plus the records themselves so they can
// be inspected and replayed.
type DLQEntry struct {
	Version        string `json:"version"`
	Timestamp      string `json:"timestamp"`
	RequestContext struct {
		FunctionName           string `json:"functionName"`
		Condition              string `json:"condition"`
		ApproximateInvokeCount int    `json:"approximateInvokeCount"`
	} `json:"requestContext"`
	// Reason says why the records left the stream: "retry attempts
	// exhausted" or "record age exceeded" (local addition).
	Reason    string `json:"reason"`
	Error     string `json:"error"`
	BatchInfo struct {
		ShardID             string `json:"shardId"`
		StartSequenceNumber string `json:"startSequenceNumber"`
		EndSequenceNumber   string `json:"endSequenceNumber"`
		BatchSize           int    `json:"batchSize"`
		StreamARN           string `json:"streamArn"`
	} `json:"DDBStreamBatchInfo"`
	Records []events.DynamoDBEventRecord `json:"records"`
}

// toDLQ writes one failed batch part: condition is Lambda's
// requestContext.condition, reason the plain-words cause and errText the
// last function error (or the reason when there was none).
func (p *Poller) toDLQ(arn, shardID string, batch []events.DynamoDBEventRecord, condition, reason, errText string, attempts int) error {
	now := p.now().UTC()
	var e DLQEntry
	e.Version = "1.0"
	e.Timestamp = now.Format(time.RFC3339Nano)
	e.RequestContext.FunctionName = p.Mapping.Function
	e.RequestContext.Condition = condition
	e.RequestContext.ApproximateInvokeCount = attempts
	e.Reason = reason
	e.Error = errText
	e.BatchInfo.ShardID = shardID
	e.BatchInfo.StartSequenceNumber = batch[0].Change.SequenceNumber
	e.BatchInfo.EndSequenceNumber = batch[len(batch)-1].Change.SequenceNumber
	e.BatchInfo.BatchSize = len(batch)
	e.BatchInfo.StreamARN = arn
	e.Records = batch
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return fmt.Errorf("dlq entry: %w", err)
	}
	dir := filepath.Join(p.DLQDir, p.Mapping.Function)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("dlq dir: %w", err)
	}
	name := fmt.Sprintf("%s-%s.json", now.Format("20060102T150405.000000000Z"), safeName(e.BatchInfo.StartSequenceNumber))
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("dlq write: %w", err)
	}
	p.log().Error("batch sent to the on-failure destination", "function", p.Mapping.Function, "file", path, "records", len(batch), "attempts", attempts, "reason", reason, "err", errText)
	return nil
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

func (p *Poller) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}

func (p *Poller) loadState() error {
	if p.iters == nil {
		p.iters = map[string]string{}
	}
	if p.state.Shards != nil {
		return nil
	}
	p.state = pollState{Shards: map[string]*shardState{}}
	if p.StateFile == "" {
		return nil
	}
	b, err := os.ReadFile(p.StateFile)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("stream checkpoint: %w", err)
	}
	if err := json.Unmarshal(b, &p.state); err != nil {
		p.log().Warn("ignoring unreadable stream checkpoint", "file", p.StateFile, "err", err.Error())
		p.state = pollState{}
	}
	if p.state.Shards == nil {
		p.state.Shards = map[string]*shardState{}
	}
	return nil
}

func (p *Poller) saveState() error {
	if p.StateFile == "" {
		return nil
	}
	b, err := json.MarshalIndent(p.state, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p.StateFile), 0o755); err != nil {
		return fmt.Errorf("stream checkpoint: %w", err)
	}
	tmp := p.StateFile + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("stream checkpoint: %w", err)
	}
	return os.Rename(tmp, p.StateFile)
}
