package api

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func newDynamoFixture(t *testing.T) *fixture {
	t.Helper()
	if testing.Short() {
		t.Skip("DynamoDB Local: skipped with -short")
	}
	client, table := testenv.NewTable(t)
	return newFixtureWith(t, storage.NewDynamo(client, table))
}

// TestDynamoEveryKindReadsBack runs the read-back of every kind on the real
// table layout, and a removal.
func TestDynamoEveryKindReadsBack(t *testing.T) {
	f := newDynamoFixture(t)
	checkEveryKindReadsBack(t, f)

	entry, err := f.store.FindByDocument(context.Background(), office[ClaimUnit], "list_entry", "遂公红〔2026〕1号")
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"subject_id": string(entry.SubjectID), "document_no": "撤〔2026〕2号", "removed_on": "2026-06-12", "reason": "期满前撤销"}
	params := map[string]string{"id": entry.ID}
	if r := f.do(t, request(RoutePostRemoval, office, body, params, "")); r.StatusCode != 201 {
		t.Fatalf("removal: %d %s", r.StatusCode, r.Body)
	}
	if r := f.do(t, request(RoutePostRemoval, office, body, params, "")); r.StatusCode != 200 {
		t.Fatalf("removal repeat: %d %s", r.StatusCode, r.Body)
	}
	got := getRecord(t, f, entry.SubjectID, entry.ID)
	if got.ListEntry.RemovalDoc != "撤〔2026〕2号" || len(got.History) != 1 {
		t.Fatalf("removal not stored: %+v", got.ListEntry)
	}
}

// TestDynamoConcurrentSameDocument: 20 posts of the same document at once
// give exactly one record, one 201 and the same id everywhere; the same
// number with other content is then 409.
func TestDynamoConcurrentSameDocument(t *testing.T) {
	f := newDynamoFixture(t)
	const n = 20
	type result struct {
		status int
		id     string
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := f.h.Handle(context.Background(), request(RoutePostDecision, clerk, decisionBody(), nil, ""))
			if err != nil {
				t.Error(err)
				return
			}
			r := result{status: resp.StatusCode}
			if resp.StatusCode < 300 {
				r.id = decodeBody[RecordEnvelope](t, resp).Record.ID
			}
			results[i] = r
		}()
	}
	close(start)
	wg.Wait()
	created := 0
	for i, r := range results {
		switch r.status {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Fatalf("post %d: status %d", i, r.status)
		}
		if r.id != results[0].id || r.id == "" {
			t.Fatalf("post %d: id %q, post 0: %q", i, r.id, results[0].id)
		}
	}
	if created != 1 {
		t.Fatalf("%d posts created the record, want exactly 1", created)
	}
	recs, err := f.store.ListRecords(context.Background(), domain.SubjectID(testCode))
	if err != nil || len(recs) != 1 {
		t.Fatalf("records %d, err %v", len(recs), err)
	}
	changed := set(decisionBody(), "acts.0.facts", "另一事实")
	if r := f.do(t, request(RoutePostDecision, clerk, changed, nil, "")); r.StatusCode != http.StatusConflict {
		t.Fatalf("same number, other content: %d %s", r.StatusCode, r.Body)
	}
}
