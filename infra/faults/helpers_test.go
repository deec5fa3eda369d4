package faults

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/suixian-psb/credit/infra/bench"
	"github.com/suixian-psb/credit/infra/localstack"
	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/grading"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/regrade"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// today is the suite's fixed clock: 2027-03-01, noon in Shanghai.
const today = "2027-03-01"

var clock = bench.ClockOn(today)

// quiet drops the pollers' expected warnings.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

var clerk = bench.Claims(api.RoleClerk, bench.Unit, "clerk1")

// requireSoak skips a long test unless SOAK=1 (make soak).
func requireSoak(t *testing.T) {
	t.Helper()
	if os.Getenv("SOAK") != "1" {
		t.Skip("soak test: runs with SOAK=1 (make soak)")
	}
}

// requireDynamo skips with -short (DynamoDB Local is needed).
func requireDynamo(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("DynamoDB Local: skipped with -short")
	}
}

// countingStore counts every write the API attempts.
type countingStore struct {
	api.Store
	mu     sync.Mutex
	writes int
}

func (s *countingStore) PutRecord(ctx context.Context, subj domain.Subject, rec domain.Record) (domain.Record, bool, error) {
	s.mu.Lock()
	s.writes++
	s.mu.Unlock()
	return s.Store.PutRecord(ctx, subj, rec)
}

func (s *countingStore) UpdateRecord(ctx context.Context, subject domain.SubjectID, id string, st domain.Status, m func(*domain.Record) error) (domain.Record, error) {
	s.mu.Lock()
	s.writes++
	s.mu.Unlock()
	return s.Store.UpdateRecord(ctx, subject, id, st, m)
}

func (s *countingStore) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

// countEntity counts the table's items of one entity (a Scan: tests only).
func countEntity(t *testing.T, client *dynamodb.Client, table, entity string) int {
	t.Helper()
	n := 0
	in := &dynamodb.ScanInput{
		TableName:                 aws.String(table),
		FilterExpression:          aws.String("entity = :e"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":e": &types.AttributeValueMemberS{Value: entity}},
	}
	for {
		out, err := client.Scan(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		n += int(out.Count)
		if len(out.LastEvaluatedKey) == 0 {
			return n
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// fromScratch tells whether id's stored grade says what grading its stored
// records from scratch says ("" when it does).
func fromScratch(ctx context.Context, st storage.Store, p *policy.Policy, id domain.SubjectID) (string, error) {
	recs, err := st.ListRecords(ctx, id)
	if err != nil {
		return "", err
	}
	want := grading.Grade(id, recs, p, domain.MustDate(today))
	got, err := st.GetGrade(ctx, id)
	if errors.Is(err, storage.ErrNotFound) {
		return "no grade stored", nil
	}
	if err != nil {
		return "", err
	}
	if !got.SameOutcome(want) {
		return "stored " + string(got.Level) + ", from scratch " + string(want.Level), nil
	}
	return "", nil
}

// regradeInvoker runs RegradeFunction's handler in this process for a
// localstack.Poller, counting the invocations.
type regradeInvoker struct {
	svc *regrade.Service
	mu  sync.Mutex
	n   int
	// seen counts the deliveries of each subject's records.
	seen map[string]int
}

func (r *regradeInvoker) Invoke(ctx context.Context, function string, payload []byte) ([]byte, error) {
	var ev events.DynamoDBEvent
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.n++
	if r.seen == nil {
		r.seen = map[string]int{}
	}
	for _, rec := range ev.Records {
		if v, ok := rec.Change.NewImage["subject_id"]; ok && v.DataType() == events.DataTypeString {
			r.seen[v.String()]++
		}
	}
	r.mu.Unlock()
	resp, err := r.svc.HandleStream(ctx, ev)
	if err != nil {
		return nil, &localstack.FunctionError{Function: function, Type: "error", Message: err.Error()}
	}
	return json.Marshal(resp)
}

func (r *regradeInvoker) deliveries(subject string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen[subject]
}
