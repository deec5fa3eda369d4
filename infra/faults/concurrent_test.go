package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/suixian-psb/credit/infra/bench"
	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

// poster sends one POST of a decision body and returns the status and the
// posted record (when acknowledged).
type poster func(ctx context.Context, body []byte) (int, bench.Posted, error)

// ack is one acknowledged post.
type ack struct {
	doc    int
	status int
	posted bench.Posted
}

// postDuplicates sends docs distinct documents, each copies times, all at
// once through workers concurrent senders, in an interleaved order so the
// copies of a document race each other.
func postDuplicates(t *testing.T, post poster, docs, copies, workers, salt int) []ack {
	t.Helper()
	type job struct{ doc int }
	jobs := make(chan job)
	var mu sync.Mutex
	var acks []ack
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				body := bench.DecisionBody(bench.CreditCode(salt, j.doc%37), bench.DocNo("并发", j.doc), "2027-02-15", bench.Warning, bench.Fine(10_000))
				st, p, err := post(context.Background(), body)
				if err != nil {
					t.Errorf("post of document %d: %v", j.doc, err)
					continue
				}
				if st >= 500 {
					t.Errorf("post of document %d: status %d", j.doc, st)
				}
				if st == 200 || st == 201 {
					mu.Lock()
					acks = append(acks, ack{doc: j.doc, status: st, posted: p})
					mu.Unlock()
				}
			}
		}()
	}
	for c := range copies {
		for d := range docs {
			// Document order shifts per round so copies meet in flight.
			jobs <- job{doc: (d + c*7) % docs}
		}
	}
	close(jobs)
	wg.Wait()
	return acks
}

// checkDuplicates: every document was acknowledged, all copies of one
// document name the same record, exactly one copy created it (201), and
// the table holds exactly docs records, each acknowledged one readable.
func checkDuplicates(t *testing.T, acks []ack, docs int, records int, get func(subject, id string) error) {
	t.Helper()
	byDoc := map[int][]ack{}
	for _, a := range acks {
		byDoc[a.doc] = append(byDoc[a.doc], a)
	}
	if len(byDoc) != docs {
		t.Fatalf("%d documents acknowledged, want %d", len(byDoc), docs)
	}
	for d, as := range byDoc {
		created := 0
		for _, a := range as {
			if a.posted.Record.ID != as[0].posted.Record.ID || a.posted.Record.ID == "" {
				t.Fatalf("document %d: copies acknowledged as different records %q and %q", d, as[0].posted.Record.ID, a.posted.Record.ID)
			}
			if a.status == 201 {
				created++
			}
		}
		if created != 1 {
			t.Errorf("document %d: %d copies answered 201 Created, want exactly 1", d, created)
		}
		if err := get(as[0].posted.SubjectID, as[0].posted.Record.ID); err != nil {
			t.Errorf("document %d: acknowledged record %s not readable: %v", d, as[0].posted.Record.ID, err)
		}
	}
	if records != docs {
		t.Fatalf("the table holds %d records, want exactly %d", records, docs)
	}
}

// TestConcurrentDuplicatePosts: 1,000 concurrent posts of 100 distinct
// documents, each sent 10 times, through the API handler on DynamoDB
// Local give exactly 100 records, every acknowledged one present.
func TestConcurrentDuplicatePosts(t *testing.T) {
	requireDynamo(t)
	client, table := testenv.NewTable(t)
	st := storage.NewDynamo(client, table)
	h, err := bench.NewHandler(st, clock, nil)
	if err != nil {
		t.Fatal(err)
	}
	var seq int64
	var seqMu sync.Mutex
	post := func(ctx context.Context, body []byte) (int, bench.Posted, error) {
		seqMu.Lock()
		seq++
		id := fmt.Sprintf("dup-%d", seq)
		seqMu.Unlock()
		resp, err := h.Handle(ctx, bench.Request(api.RoutePostDecision, clerk, body, nil, id))
		if err != nil {
			return 0, bench.Posted{}, err
		}
		var p bench.Posted
		if resp.StatusCode < 300 {
			if err := json.Unmarshal([]byte(resp.Body), &p); err != nil {
				return 0, p, err
			}
		}
		return resp.StatusCode, p, nil
	}
	start := time.Now()
	acks := postDuplicates(t, post, 100, 10, 16, 61)
	t.Logf("1,000 posts in %s", time.Since(start).Round(time.Millisecond))
	checkDuplicates(t, acks, 100, countEntity(t, client, table, storage.EntityRecord), func(subject, id string) error {
		_, err := st.GetRecord(context.Background(), domain.SubjectID(subject), id)
		return err
	})
}
