package faults

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/suixian-psb/credit/infra/bench"
	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/infra/localstack"
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/regrade"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

// streamRecord is the stream record of a write of r as DynamoDB delivers
// it (the attributes the handler may look at).
func streamRecord(seq string, r domain.Record) events.DynamoDBEventRecord {
	s := events.NewStringAttribute
	img := map[string]events.DynamoDBAttributeValue{
		"PK": s("SUBJ#" + string(r.SubjectID)), "SK": s("REC#" + r.ID),
		"entity": s(storage.EntityRecord), "subject_id": s(string(r.SubjectID)), "status": s(string(r.Status)),
	}
	return events.DynamoDBEventRecord{
		EventName: "INSERT", EventSource: "aws:dynamodb",
		Change: events.DynamoDBStreamRecord{SequenceNumber: seq, Keys: map[string]events.DynamoDBAttributeValue{"PK": img["PK"], "SK": img["SK"]}, NewImage: img},
	}
}

// TestStreamBatchTwiceAndOutOfOrder delivers record batches twice, late
// and in reverse order, interleaved with new writes: every grade ends equal
// to a from-scratch grading of the stored records.
func TestStreamBatchTwiceAndOutOfOrder(t *testing.T) {
	requireDynamo(t)
	ctx := context.Background()
	client, table := testenv.NewTable(t)
	st := storage.NewDynamo(client, table)
	p := policy.MustDefault()
	svc := &regrade.Service{Store: st, Policy: p, Clock: clock}
	a, b := bench.SubjectID(62, 1), bench.SubjectID(62, 2)
	warn := domain.Sanction{Kind: domain.SanctionWarning}
	fine := domain.Sanction{Kind: domain.SanctionFine, AmountFen: 30_000_000}
	a1 := bench.DecisionRecord(p, a, "A1", "2027-01-05", warn)
	a2 := bench.DecisionRecord(p, a, "A2", "2027-01-06", warn)
	a3 := bench.DecisionRecord(p, a, "A3", "2027-01-07", warn)
	b1 := bench.DecisionRecord(p, b, "B1", "2027-01-08", fine)
	b2 := bench.DecisionRecord(p, b, "B2", "2027-01-09", fine)
	put := func(rs ...domain.Record) {
		t.Helper()
		if err := bench.PutAll(ctx, st, rs); err != nil {
			t.Fatal(err)
		}
	}
	deliver := func(rs ...events.DynamoDBEventRecord) {
		t.Helper()
		resp, err := svc.HandleStream(ctx, events.DynamoDBEvent{Records: rs})
		if err != nil || len(resp.BatchItemFailures) > 0 {
			t.Fatalf("HandleStream: %+v %v", resp, err)
		}
	}
	check := func(stage string) {
		t.Helper()
		for _, id := range []domain.SubjectID{a, b} {
			diff, err := fromScratch(ctx, st, p, id)
			if err != nil {
				t.Fatal(err)
			}
			if diff != "" {
				t.Fatalf("%s: subject %s: %s", stage, id, diff)
			}
		}
	}

	put(a1, b1)
	first := []events.DynamoDBEventRecord{streamRecord("100", a1), streamRecord("101", b1)}
	deliver(first...)
	check("first delivery")
	put(a2, a3, b2)
	second := []events.DynamoDBEventRecord{streamRecord("102", a2), streamRecord("103", a3), streamRecord("104", b2)}
	// The newer batch arrives first, reversed; then the old one again,
	// then the newer one twice more in another order.
	deliver(second[2], second[1], second[0])
	check("newer batch, reversed")
	deliver(first[1], first[0])
	check("old batch again, late and reversed")
	deliver(second[1], second[0], second[2], second[1])
	deliver(append(append([]events.DynamoDBEventRecord{}, first...), second...)...)
	check("everything again")
	ga, err := st.GetGrade(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if ga.Level != domain.LevelC {
		t.Fatalf("three warnings graded %s, want C", ga.Level)
	}
	// Re-deliveries wrote nothing new: one version per change of outcome.
	hist, err := st.GradeHistory(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 { // B after a1, C after a3
		t.Fatalf("subject A history has %d versions, want 2 (B, then C): duplicates rewrote grades", len(hist))
	}
}

// regradeMapping is RegradeFunction's event source mapping from the
// template, as the local stack builds it.
func regradeMapping(t *testing.T) localstack.StreamMapping {
	t.Helper()
	tpl, err := cfn.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	f, err := tpl.Function("RegradeFunction")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Streams) != 1 {
		t.Fatalf("RegradeFunction has %d stream events, want 1", len(f.Streams))
	}
	ev := f.Streams[0]
	var filters localstack.Filters
	for _, pat := range ev.FilterPatterns {
		fl, err := localstack.ParseFilter(pat)
		if err != nil {
			t.Fatal(err)
		}
		filters = append(filters, fl)
	}
	return localstack.StreamMapping{Function: f.LogicalID, BatchSize: ev.BatchSize, MaxRetries: ev.MaximumRetryAttempts,
		Bisect: ev.BisectBatchOnFunctionError, ReportItemFailures: ev.ReportsBatchItemFailures(), Filters: filters}
}

// putPoison writes a record item whose document is not valid JSON straight
// into the table, as a bug or a hand edit could: regrading its subject
// fails every time.
func putPoison(t *testing.T, client *dynamodb.Client, table string, id domain.SubjectID) {
	t.Helper()
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	_, err := client.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
		"PK": s("SUBJ#" + string(id)), "SK": s("REC#RPOISON"), "entity": s(storage.EntityRecord), "kind": s("decision"),
		"status": s("active"), "subject_id": s(string(id)), "doc": s(`{"id":"RPOISON","kind":`), "rev": &types.AttributeValueMemberN{Value: "1"},
	}})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPoisonRecordToDeadLetter runs the local stack's stream poller with
// RegradeFunction's mapping from the template over DynamoDB Local, the
// handler in this process: a record that always fails is retried within
// the mapping's bound, then lands in the on-failure destination, and a
// subject posted meanwhile is graded.
func TestPoisonRecordToDeadLetter(t *testing.T) {
	requireDynamo(t)
	ctx := context.Background()
	client, table := testenv.NewTable(t)
	st := storage.NewDynamo(client, table)
	p := policy.MustDefault()
	inv := &regradeInvoker{svc: &regrade.Service{Store: st, Policy: p, Clock: clock}}
	db, streams := localstack.DynamoClients(testenv.Endpoint(t), testenv.Region)
	mapping := regradeMapping(t)
	dlq := t.TempDir()
	poller := &localstack.Poller{
		Source: &localstack.DynamoStream{DB: db, Streams: streams, Table: table}, Mapping: mapping, Invoker: inv,
		DLQDir: dlq, Backoff: func(context.Context, int) error { return nil }, Log: quiet,
	}

	poison, good := bench.SubjectID(63, 1), bench.SubjectID(63, 2)
	putPoison(t, client, table, poison)
	if err := bench.PutAll(ctx, st, []domain.Record{bench.DecisionRecord(p, good, "G1", "2027-02-01", domain.Sanction{Kind: domain.SanctionWarning})}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	var files []string
	for {
		if _, err := poller.PollOnce(ctx); err != nil {
			t.Fatalf("poll: %v", err)
		}
		files, _ = filepath.Glob(filepath.Join(dlq, mapping.Function, "*.json"))
		if len(files) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no dead-letter entry 30 s after the poison record")
		}
	}
	if len(files) != 1 {
		t.Fatalf("%d dead-letter entries, want 1: %v", len(files), files)
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var entry localstack.DLQEntry
	if err := json.Unmarshal(raw, &entry); err != nil {
		t.Fatal(err)
	}
	// The entry starts at the poison record; records after it in the same
	// batch ride along (Lambda checkpoints at the lowest reported failure),
	// though their subjects were regraded on every try.
	if len(entry.Records) == 0 || !strings.Contains(entry.Records[0].Change.Keys["PK"].String(), string(poison)) ||
		entry.RequestContext.Condition != "RetryAttemptsExhausted" {
		t.Fatalf("dead-letter entry does not start with the poison record: %s", raw)
	}
	// Retried, and within the bound: the first try plus MaximumRetryAttempts.
	tries := inv.deliveries(string(poison))
	if tries < 2 || tries > mapping.MaxRetries+1+4 { // +4: bisection splits do not count as retries
		t.Fatalf("the poison record was delivered %d times; mapping allows %d retries", tries, mapping.MaxRetries)
	}
	if diff, err := fromScratch(ctx, st, p, good); err != nil || diff != "" {
		t.Fatalf("the other subject: %q %v", diff, err)
	}
	// And the shard moved on: a later record is graded without a new
	// dead-letter entry.
	later := bench.SubjectID(63, 3)
	if err := bench.PutAll(ctx, st, []domain.Record{bench.DecisionRecord(p, later, "L1", "2027-02-02", domain.Sanction{Kind: domain.SanctionWarning})}); err != nil {
		t.Fatal(err)
	}
	if _, err := poller.PollOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if diff, err := fromScratch(ctx, st, p, later); err != nil || diff != "" {
		t.Fatalf("a subject posted after the poison: %q %v", diff, err)
	}
	if files, _ := filepath.Glob(filepath.Join(dlq, mapping.Function, "*.json")); len(files) != 1 {
		t.Fatalf("%d dead-letter entries after a good record, want still 1", len(files))
	}
	t.Logf("poison delivered %d times (MaximumRetryAttempts %d, bisect %v), then dead-lettered", tries, mapping.MaxRetries, mapping.Bisect)
}
