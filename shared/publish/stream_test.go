package publish

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/render"
	"github.com/suixian-psb/credit/shared/storage"
)

func gradeEvent(ids ...domain.SubjectID) events.DynamoDBEvent {
	var ev events.DynamoDBEvent
	for i, id := range ids {
		ev.Records = append(ev.Records, events.DynamoDBEventRecord{
			EventName: "MODIFY",
			Change: events.DynamoDBStreamRecord{
				SequenceNumber: string(rune('1'+i)) + "00",
				Keys: map[string]events.DynamoDBAttributeValue{
					"PK": events.NewStringAttribute("SUBJ#" + string(id)),
					"SK": events.NewStringAttribute("GRADE"),
				},
			},
		})
	}
	return ev
}

// failingStore fails GetGrade for one subject.
type failingStore struct {
	Store
	bad domain.SubjectID
}

func (f failingStore) GetGrade(ctx context.Context, id domain.SubjectID) (domain.Grade, error) {
	if id == f.bad {
		return domain.Grade{}, storage.ErrUnavailable
	}
	return f.Store.GetGrade(ctx, id)
}

// failingIndex refuses to write index.html.
type failingIndex struct{ Objects }

func (f failingIndex) PutObject(ctx context.Context, in *s3.PutObjectInput, o ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	if aws.ToString(in.Key) == KeyIndex {
		return nil, errors.New("injected S3 failure")
	}
	return f.Objects.PutObject(ctx, in, o...)
}

func TestHandleStream(t *testing.T) {
	ctx := context.Background()
	p := policy.MustDefault()
	setup := func(t *testing.T) (*storage.Memory, bucket) {
		st := storage.NewMemory()
		put(t, st, listEntry(hotel, "黑名单〔2026〕3号", domain.ListBlack, "2026-11-01", ""),
			listEntry(karaok, "黑名单〔2026〕4号", domain.ListBlack, "2026-11-01", ""))
		regrade(t, st, p, hotel, "2026-12-04")
		regrade(t, st, p, karaok, "2026-12-04")
		return st, newBucket(t)
	}
	cases := []struct {
		name       string
		wrap       func(Store, Objects) (Store, Objects)
		wantResume string
		wantPages  []domain.SubjectID
	}{
		{"all succeed", func(s Store, o Objects) (Store, Objects) { return s, o }, "", []domain.SubjectID{hotel, karaok}},
		{"one subject fails: resume from its first record", func(s Store, o Objects) (Store, Objects) {
			return failingStore{Store: s, bad: karaok}, o
		}, "200", []domain.SubjectID{hotel}},
		{"rebuild fails: resume from the batch's first record", func(s Store, o Objects) (Store, Objects) {
			return s, failingIndex{o}
		}, "100", []domain.SubjectID{hotel, karaok}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, b := setup(t)
			s, o := c.wrap(st, b.client)
			svc := newService(s, o, b.name, p, clockOn("2026-12-04"))
			resp, err := svc.HandleStream(ctx, gradeEvent(hotel, karaok, hotel))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if len(resp.BatchItemFailures) > 0 {
				got = resp.BatchItemFailures[0].ItemIdentifier
			}
			if got != c.wantResume || len(resp.BatchItemFailures) > 1 {
				t.Errorf("resume from %q (%d failures), want %q", got, len(resp.BatchItemFailures), c.wantResume)
			}
			for _, id := range c.wantPages {
				b.must(render.PagePath(string(id)))
			}
		})
	}
}

func TestHandleOperatorEvents(t *testing.T) {
	ctx := context.Background()
	p := policy.MustDefault()
	st := storage.NewMemory()
	put(t, st, listEntry(hotel, "黑名单〔2026〕5号", domain.ListBlack, "2026-11-01", ""))
	regrade(t, st, p, hotel, "2026-12-04")
	b := newBucket(t)
	svc := newService(st, b.client, b.name, p, clockOn("2026-12-04"))

	cases := []struct {
		name    string
		event   string
		wantErr bool
	}{
		{"sync all", `{"sync_all": true}`, false},
		{"stream batch", mustJSON(t, gradeEvent(hotel)), false},
		{"unknown field", `{"sync_all": true, "through": "2027-01-01"}`, true},
		{"empty event", `{}`, true},
		{"not json", `nope`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := svc.Handle(ctx, json.RawMessage(c.event))
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v, want error %v", err, c.wantErr)
			}
			if !c.wantErr && !strings.Contains(b.must(KeyIndex), string(hotel)) {
				t.Error("index lacks the C subject")
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
