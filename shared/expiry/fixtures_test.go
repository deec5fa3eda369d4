package expiry

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/grading"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/regrade"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func noon(day string) time.Time {
	return domain.MustDate(day).Time().Add(12 * time.Hour).UTC()
}

func clockOn(day string) domain.Clock { return domain.FixedClock{T: noon(day)} }

func sid(i int) domain.SubjectID { return domain.SubjectID(fmt.Sprintf("91411422MA%08d", i)) }

// warning is a decision on id with one warning-tier act dated day.
func warning(p *policy.Policy, id domain.SubjectID, doc, day string) domain.Record {
	r := domain.Record{
		Kind:          domain.KindDecision,
		SubjectID:     id,
		Unit:          "411422-PCS-01",
		DocumentNo:    doc,
		EffectiveDate: domain.MustDate(day),
		Status:        domain.StatusActive,
		Decision: &domain.Decision{Acts: []domain.Act{{Facts: "f", LegalBasis: "b",
			Sanctions: []domain.Sanction{{Kind: domain.SanctionWarning}}}}},
		CreatedAt: noon(day),
		CreatedBy: domain.Actor{Unit: "411422-PCS-01", User: "clerk", Role: "clerk"},
	}
	r.ID = storage.RecordID(r.Unit, r.Kind, r.DocumentNo)
	r.CountsUntil = grading.WindowEnd(p, r)
	return r
}

func put(t testing.TB, st storage.Store, recs ...domain.Record) {
	t.Helper()
	for _, r := range recs {
		subj := domain.Subject{ID: r.SubjectID, Type: domain.LegalPerson, Name: "某某有限公司", CreditCode: string(r.SubjectID)}
		if _, _, err := st.PutRecord(context.Background(), subj, r); err != nil {
			t.Fatalf("PutRecord %s: %v", r.DocumentNo, err)
		}
	}
}

// putMany stores records with a few writers at once (DynamoDB Local is
// round-trip bound).
func putMany(t testing.TB, st storage.Store, recs []domain.Record) {
	t.Helper()
	var wg sync.WaitGroup
	var failed atomic.Value
	next := atomic.Int64{}
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(recs) {
					return
				}
				r := recs[i]
				subj := domain.Subject{ID: r.SubjectID, Type: domain.LegalPerson, Name: "某某有限公司", CreditCode: string(r.SubjectID)}
				if _, _, err := st.PutRecord(context.Background(), subj, r); err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, ok := failed.Load().(error); ok {
		t.Fatalf("PutRecord: %v", err)
	}
}

// job is a run on day with its own regrader.
func job(st storage.Store, p *policy.Policy, day string) *Job {
	c := clockOn(day)
	return &Job{Store: st, Regrader: &regrade.Service{Store: st, Policy: p, Clock: c}, Clock: c}
}

func regradeOn(t testing.TB, st storage.Store, p *policy.Policy, day string, id domain.SubjectID) domain.Grade {
	t.Helper()
	res, err := (&regrade.Service{Store: st, Policy: p, Clock: clockOn(day)}).Regrade(context.Background(), id)
	if err != nil {
		t.Fatalf("regrade %s: %v", id, err)
	}
	return res.Grade
}

// countingDB counts the items DynamoDB reads for the store: what each
// Query scanned and each GetItem found.
type countingDB struct {
	storage.DynamoAPI
	read    atomic.Int64
	queries atomic.Int64
}

func (c *countingDB) Query(ctx context.Context, in *dynamodb.QueryInput, opt ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	out, err := c.DynamoAPI.Query(ctx, in, opt...)
	if err == nil {
		c.queries.Add(1)
		c.read.Add(int64(out.ScannedCount))
	}
	return out, err
}

func (c *countingDB) GetItem(ctx context.Context, in *dynamodb.GetItemInput, opt ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	out, err := c.DynamoAPI.GetItem(ctx, in, opt...)
	if err == nil && out.Item != nil {
		c.read.Add(1)
	}
	return out, err
}

// backends are the stores each scenario runs on.
var backends = []struct {
	name string
	new  func(t *testing.T) storage.Store
}{
	{"memory", func(*testing.T) storage.Store { return storage.NewMemory() }},
	{"dynamodb-local", func(t *testing.T) storage.Store {
		client, table := testenv.NewTable(t)
		return storage.NewDynamo(client, table)
	}},
}
