package regrade

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/grading"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func dynamoStore(t *testing.T) *storage.Dynamo {
	t.Helper()
	client, table := testenv.NewTable(t)
	return storage.NewDynamo(client, table)
}

// streamRecord is the stream record of a write of r, as DynamoDB would
// deliver it (only the attributes the handler may look at).
func streamRecord(seq, event string, r domain.Record) events.DynamoDBEventRecord {
	s := events.NewStringAttribute
	img := map[string]events.DynamoDBAttributeValue{
		"PK": s("SUBJ#" + string(r.SubjectID)), "SK": s("REC#" + r.ID),
		"entity": s(storage.EntityRecord), "subject_id": s(string(r.SubjectID)), "status": s(string(r.Status)),
	}
	return events.DynamoDBEventRecord{
		EventName: event, EventSource: "aws:dynamodb",
		Change: events.DynamoDBStreamRecord{SequenceNumber: seq, Keys: map[string]events.DynamoDBAttributeValue{"PK": img["PK"], "SK": img["SK"]}, NewImage: img},
	}
}

func batch(recs ...events.DynamoDBEventRecord) events.DynamoDBEvent {
	return events.DynamoDBEvent{Records: recs}
}

// assertFromScratch checks the stored grade says what a from-scratch
// grading of the stored records says.
func assertFromScratch(t *testing.T, st storage.Store, p *policy.Policy, id domain.SubjectID, day string) domain.Grade {
	t.Helper()
	ctx := context.Background()
	recs, err := st.ListRecords(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := grading.Grade(id, recs, p, domain.MustDate(day))
	got, err := st.GetGrade(ctx, id)
	if err != nil {
		t.Fatalf("GetGrade %s: %v", id, err)
	}
	if !got.SameOutcome(want) {
		t.Fatalf("%s: stored %s %v, from scratch %s %v", id, got.Level, got.Reasons, want.Level, want.Reasons)
	}
	return got
}

func handle(t *testing.T, svc *Service, ev events.DynamoDBEvent) {
	t.Helper()
	resp, err := svc.HandleStream(context.Background(), ev)
	if err != nil || len(resp.BatchItemFailures) > 0 {
		t.Fatalf("HandleStream: %v %v", resp, err)
	}
}

func TestDynamoStreamDuplicateDelivery(t *testing.T) {
	ctx := context.Background()
	p := policy.MustDefault()
	st := dynamoStore(t)
	other := domain.SubjectID("91411422MA00000002")
	w1, w2 := warning(p, subj, "W1", "2025-01-10"), warning(p, subj, "W2", "2025-01-11")
	o1 := decision(p, other, "F1", "2025-01-11", domain.Sanction{Kind: domain.SanctionFine, AmountFen: 100_000})
	put(t, st, w1, w2, o1)
	ev := batch(streamRecord("100", "INSERT", w1), streamRecord("101", "INSERT", o1), streamRecord("102", "INSERT", w2))
	svc := service(st, p, "2025-01-11")
	handle(t, svc, ev)
	handle(t, svc, ev) // Lambda delivers the same batch again

	for _, id := range []domain.SubjectID{subj, other} {
		g := assertFromScratch(t, st, p, id, "2025-01-11")
		hist, err := st.GradeHistory(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		tasks, err := st.ListTasks(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if g.Level != domain.LevelB || g.Version != 1 || len(hist) != 1 || len(tasks) != 1 {
			t.Fatalf("%s: level %s version %d, %d history items, %d tasks; want B, 1, 1, 1", id, g.Level, g.Version, len(hist), len(tasks))
		}
	}
}

func TestDynamoStreamOutOfOrder(t *testing.T) {
	ctx := context.Background()
	p := policy.MustDefault()
	st := dynamoStore(t)
	svc := service(st, p, "2025-03-10")
	w1, w2, w3 := warning(p, subj, "W1", "2025-01-10"), warning(p, subj, "W2", "2025-02-10"), warning(p, subj, "W3", "2025-03-10")
	put(t, st, w1, w2, w3)
	// W3 is revoked after an upheld objection; its MODIFY arrives first, the
	// INSERT of W3 (an image where it still counts) after it.
	revoked, err := st.UpdateRecord(ctx, subj, w3.ID, domain.StatusActive, func(r *domain.Record) error {
		r.Status = domain.StatusRevoked
		r.History = append(r.History, domain.StatusChange{From: domain.StatusActive, To: domain.StatusRevoked, By: domain.Actor{Unit: "411422-OFFICE", User: "office", Role: "office"}, Reason: "异议成立 / objection upheld"})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	steps := []events.DynamoDBEvent{
		batch(streamRecord("203", "MODIFY", revoked)),
		batch(streamRecord("202", "INSERT", w3), streamRecord("200", "INSERT", w1)),
		batch(streamRecord("201", "INSERT", w2)),
	}
	for i, ev := range steps {
		handle(t, svc, ev)
		g := assertFromScratch(t, st, p, subj, "2025-03-10")
		if g.Level != domain.LevelB {
			t.Fatalf("after batch %d: level %s, want B (the revoked third warning never counts)", i, g.Level)
		}
	}
	tasks, _ := st.ListTasks(ctx, subj)
	if len(tasks) != 1 || tasks[0].Level != domain.LevelB {
		t.Fatalf("tasks = %+v", tasks)
	}
}

// hookStore runs hooks around the first GetGrade and ListRecords of one
// regrade, to force two regrades to interleave.
type hookStore struct {
	Store
	beforeGet, afterList func()
	getOnce, listOnce    sync.Once
}

func (h *hookStore) GetGrade(ctx context.Context, id domain.SubjectID) (domain.Grade, error) {
	if h.beforeGet != nil {
		h.getOnce.Do(h.beforeGet)
	}
	return h.Store.GetGrade(ctx, id)
}

func (h *hookStore) ListRecords(ctx context.Context, id domain.SubjectID) ([]domain.Record, error) {
	recs, err := h.Store.ListRecords(ctx, id)
	if h.afterList != nil {
		h.listOnce.Do(h.afterList)
	}
	return recs, err
}

func TestDynamoConcurrentRegrades(t *testing.T) {
	p := policy.MustDefault()
	tests := []struct {
		name string
		// lateRecord is posted after the first regrade read the records and
		// before the second one reads the grade.
		lateRecord bool
		wantLevel  domain.Level
	}{
		{name: "both see the same records", wantLevel: domain.LevelC},
		{name: "a record arrives between the two reads", lateRecord: true, wantLevel: domain.LevelC},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			st := dynamoStore(t)
			w1, w2, w3 := warning(p, subj, "W1", "2025-01-10"), warning(p, subj, "W2", "2025-02-10"), warning(p, subj, "W3", "2025-03-10")
			put(t, st, w1, w2)
			if !tc.lateRecord {
				put(t, st, w3)
			}
			// Both regrades read before either writes, so both try version 1.
			aRead, bRead := make(chan struct{}), make(chan struct{})
			a := &hookStore{Store: st, afterList: func() { close(aRead); <-bRead }}
			b := &hookStore{Store: st,
				beforeGet: func() {
					<-aRead
					if tc.lateRecord { // not t.Fatal: this runs on the regrade's goroutine
						if _, _, err := st.PutRecord(ctx, profile(subj), w3); err != nil {
							t.Errorf("late PutRecord: %v", err)
						}
					}
				},
				afterList: func() { close(bRead) },
			}
			var wg sync.WaitGroup
			results := make([]Result, 2)
			errs := make([]error, 2)
			for i, s := range []Store{a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					results[i], errs[i] = service(s, p, "2025-03-10").Regrade(ctx, subj)
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("regrade %d: %v", i, err)
				}
			}
			if results[0].Attempts+results[1].Attempts < 3 {
				t.Fatalf("attempts %d and %d: the race did not happen", results[0].Attempts, results[1].Attempts)
			}
			g := assertFromScratch(t, st, p, subj, "2025-03-10")
			hist, _ := st.GradeHistory(ctx, subj)
			tasks, _ := st.ListTasks(ctx, subj)
			if g.Level != tc.wantLevel || int(g.Version) != len(hist) {
				t.Fatalf("level %s version %d with %d history items", g.Level, g.Version, len(hist))
			}
			for i, h := range hist {
				if h.Version != int64(i+1) {
					t.Fatalf("history versions %v: a version was lost or repeated", versions(hist))
				}
			}
			seen := map[string]bool{}
			for _, tk := range tasks {
				if seen[tk.ID] {
					t.Fatalf("task %s duplicated", tk.ID)
				}
				seen[tk.ID] = true
			}
			if !seen[TaskID(domain.LevelC, domain.MustDate("2025-03-10"))] {
				t.Fatalf("no C task among %v", tasks)
			}
		})
	}
}

func versions(hist []domain.Grade) string {
	s := ""
	for _, h := range hist {
		s += fmt.Sprintf("%d ", h.Version)
	}
	return s
}
