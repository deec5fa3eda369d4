package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/infra/localstack"
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/render"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

// countingStore counts the publisher's calls to the table, by method.
type countingStore struct {
	Store
	grades, subjects, records, levels, disclosed, honoured atomic.Int64
}

func (c *countingStore) GetGrade(ctx context.Context, id domain.SubjectID) (domain.Grade, error) {
	c.grades.Add(1)
	return c.Store.GetGrade(ctx, id)
}

func (c *countingStore) GetSubject(ctx context.Context, id domain.SubjectID) (domain.Subject, error) {
	c.subjects.Add(1)
	return c.Store.GetSubject(ctx, id)
}

func (c *countingStore) ListRecords(ctx context.Context, id domain.SubjectID) ([]domain.Record, error) {
	c.records.Add(1)
	return c.Store.ListRecords(ctx, id)
}

func (c *countingStore) ListByLevel(ctx context.Context, l domain.Level, p storage.Page) ([]domain.Grade, string, error) {
	c.levels.Add(1)
	return c.Store.ListByLevel(ctx, l, p)
}

func (c *countingStore) ListDisclosed(ctx context.Context, p storage.Page) ([]storage.Disclosure, string, error) {
	c.disclosed.Add(1)
	return c.Store.ListDisclosed(ctx, p)
}

func (c *countingStore) ListHonoured(ctx context.Context, p storage.Page) ([]storage.Disclosure, string, error) {
	c.honoured.Add(1)
	return c.Store.ListHonoured(ctx, p)
}

func (c *countingStore) reset() {
	for _, n := range []*atomic.Int64{&c.grades, &c.subjects, &c.records, &c.levels, &c.disclosed, &c.honoured} {
		n.Store(0)
	}
}

// cSubjects puts n subjects on a black list (C) and an A subject on the
// red list; it returns their ids, the A subject last.
func cSubjects(t *testing.T, st tableStore, p *policy.Policy, n int) []domain.SubjectID {
	t.Helper()
	var ids []domain.SubjectID
	for i := range n {
		id := domain.SubjectID(fmt.Sprintf("9141142200000%05d", i))
		put(t, st, listEntry(id, fmt.Sprintf("商公黑字〔2026〕%d号", i), domain.ListBlack, "2026-11-01", "2027-06-30"))
		if g := regrade(t, st, p, id, "2026-12-04"); g.Level != domain.LevelC {
			t.Fatalf("setup: %s at %s", id, g.Level)
		}
		ids = append(ids, id)
	}
	put(t, st, listEntry(karaok, "红名单〔2026〕9号", domain.ListRed, "2026-01-01", "2027-12-31"))
	if g := regrade(t, st, p, karaok, "2026-12-04"); g.Level != domain.LevelA {
		t.Fatalf("setup: A subject at %s", g.Level)
	}
	return append(ids, karaok)
}

// TestRebuildReadsNoSubject: the rebuild reads the stored entries, a query
// per page, whatever the number of C subjects: no grade, profile or record
// of any subject, and as many calls for 50 subjects as for 5.
func TestRebuildReadsNoSubject(t *testing.T) {
	ctx := context.Background()
	calls := map[int][2]int64{}
	for _, n := range []int{5, 50} {
		t.Run(fmt.Sprintf("%d C subjects", n), func(t *testing.T) {
			p := policy.MustDefault()
			p.Disclosure.HonourRoll = true
			mem := storage.NewMemory()
			ids := cSubjects(t, mem, p, n)
			st := &countingStore{Store: mem}
			b := newBucket(t)
			svc := newService(st, b.client, b.name, p, clockOn("2026-12-04"))
			if err := svc.Sync(ctx, ids); err != nil {
				t.Fatal(err)
			}
			st.reset()
			if err := svc.Rebuild(ctx); err != nil {
				t.Fatal(err)
			}
			perSubject := st.grades.Load() + st.subjects.Load() + st.records.Load() + st.levels.Load()
			if perSubject != 0 {
				t.Errorf("rebuild read subjects: GetGrade %d, GetSubject %d, ListRecords %d, ListByLevel %d",
					st.grades.Load(), st.subjects.Load(), st.records.Load(), st.levels.Load())
			}
			// One listing to build, one to check nothing changed meanwhile;
			// one for the honour roll.
			if d, h := st.disclosed.Load(), st.honoured.Load(); d != 2 || h != 1 {
				t.Errorf("ListDisclosed %d, ListHonoured %d calls; want 2 and 1", d, h)
			}
			calls[n] = [2]int64{st.disclosed.Load(), st.honoured.Load()}
			idx := b.must(KeyIndex)
			for _, id := range ids[:n] {
				if !strings.Contains(idx, render.PagePath(string(id))) {
					t.Fatalf("index lacks %s", id)
				}
			}
			if h := b.must(KeyHonour); !strings.Contains(h, string(karaok)) {
				t.Error("honour roll lacks the A subject")
			}
		})
	}
	if calls[5] != calls[50] {
		t.Errorf("calls grow with the subjects: %v for 5, %v for 50", calls[5], calls[50])
	}
}

// staleGrade answers GetGrade with a grade read before a newer one was
// written: a slow run.
type staleGrade struct {
	Store
	g domain.Grade
}

func (s staleGrade) GetGrade(context.Context, domain.SubjectID) (domain.Grade, error) {
	return s.g, nil
}

// TestOlderRunNeverRepublishes: a run holding the C grade that finishes
// after the subject left C writes neither the entry nor the page, and the
// index stays without the subject.
func TestOlderRunNeverRepublishes(t *testing.T) {
	for name, newStore := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			p := policy.MustDefault()
			st := newStore(t)
			b := newBucket(t)
			clock := clockOn("2026-12-04")
			black := listEntry(hotel, "黑名单〔2026〕7号", domain.ListBlack, "2026-11-01", "2027-10-31")
			put(t, st, black)
			cGrade := regrade(t, st, p, hotel, "2026-12-04")
			svc := newService(st, b.client, b.name, p, clock)
			if err := svc.Sync(ctx, []domain.SubjectID{hotel}); err != nil {
				t.Fatal(err)
			}
			b.must(render.PagePath(string(hotel)))

			// Removed from the list → not C; the current run withdraws it.
			if _, err := st.UpdateRecord(ctx, hotel, black.ID, domain.StatusActive, func(r *domain.Record) error {
				r.Status = domain.StatusRevoked
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if g := regrade(t, st, p, hotel, "2026-12-05"); g.Level == domain.LevelC || g.Version <= cGrade.Version {
				t.Fatalf("setup: grade %s v%d", g.Level, g.Version)
			}
			clock.set("2026-12-05")
			if err := svc.Sync(ctx, []domain.SubjectID{hotel}); err != nil {
				t.Fatal(err)
			}

			// The slow run, holding the C grade, finishes last.
			slow := newService(staleGrade{Store: st, g: cGrade}, b.client, b.name, p, clock)
			if err := slow.Sync(ctx, []domain.SubjectID{hotel}); err != nil {
				t.Fatal(err)
			}
			if _, ok := b.get(render.PagePath(string(hotel))); ok {
				t.Error("the slow run wrote the page back")
			}
			if idx := b.must(KeyIndex); strings.Contains(idx, string(hotel)) {
				t.Error("the slow run put the subject back in the index")
			}
			if d, _, err := st.ListDisclosed(ctx, storage.Page{}); err != nil || len(d) != 0 {
				t.Errorf("stored entries %+v (%v), want none", d, err)
			}
		})
	}
}

// TestSwitchOffNaturalPersonsLeavesIndexAtOnce: entries stored while
// natural persons were published leave the index on the next rebuild, and
// SyncAll withdraws them and their pages.
func TestSwitchOffNaturalPersonsLeavesIndexAtOnce(t *testing.T) {
	ctx := context.Background()
	p := policy.MustDefault()
	p.Disclosure.NaturalPersons = true
	st := storage.NewMemory()
	put(t, st, listEntry(person, "黑名单〔2026〕8号", domain.ListBlack, "2026-11-01", ""))
	regrade(t, st, p, person, "2026-12-04")
	b := newBucket(t)
	svc := newService(st, b.client, b.name, p, clockOn("2026-12-04"))
	if err := svc.Sync(ctx, []domain.SubjectID{person}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.must(KeyIndex), string(person)) {
		t.Fatal("setup: natural person not in the index")
	}
	off := policy.MustDefault()
	svc.Policy = off
	if err := svc.Sync(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.must(KeyIndex), string(person)) || strings.Contains(b.must(render.OpenJSONPath), string(person)) {
		t.Error("natural person still in the index or open data after the switch went off")
	}
	if err := svc.SyncAll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := b.get(render.PagePath(string(person))); ok {
		t.Error("SyncAll left the natural person's page")
	}
	if d, _, err := st.ListDisclosed(ctx, storage.Page{}); err != nil || len(d) != 0 {
		t.Errorf("stored entries %+v (%v), want none", d, err)
	}
}

// TestDisclosureItemsTriggerNoFunction writes entries (and a withdrawal)
// to DynamoDB Local, reads the items back as the stream would carry them,
// and holds them to every stream FilterCriteria in template.yaml: the
// publisher's own writes must not start any function, itself included.
func TestDisclosureItemsTriggerNoFunction(t *testing.T) {
	ctx := context.Background()
	client, table := testenv.NewTable(t)
	st := storage.NewDynamo(client, table)
	p := policy.MustDefault()
	p.Disclosure.HonourRoll = true
	ids := cSubjects(t, st, p, 1)
	b := newBucket(t)
	svc := newService(st, b.client, b.name, p, clockOn("2026-12-04"))
	if err := svc.Sync(ctx, ids); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteDisclosure(ctx, person, 1); err != nil {
		t.Fatal(err)
	}
	var images []map[string]events.DynamoDBAttributeValue
	for _, id := range append(ids, person) {
		out, err := client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: map[string]types.AttributeValue{
			"PK": &types.AttributeValueMemberS{Value: "SUBJ#" + string(id)}, "SK": &types.AttributeValueMemberS{Value: "DISCLOSURE"},
		}})
		if err != nil || len(out.Item) == 0 {
			t.Fatalf("disclosure item of %s: %v", id, err)
		}
		images = append(images, streamImage(t, out.Item))
	}
	if images[0]["GSI2PK"].String() != "DISCLOSED" || images[1]["GSI2PK"].String() != "HONOURED" {
		t.Fatalf("items not indexed as expected: %v / %v", images[0]["GSI2PK"], images[1]["GSI2PK"])
	}

	tpl, err := cfn.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, fn := range tpl.Functions() {
		for _, s := range fn.Streams {
			n++
			var filters localstack.Filters
			for _, pat := range s.FilterPatterns {
				f, err := localstack.ParseFilter(pat)
				if err != nil {
					t.Fatal(err)
				}
				filters = append(filters, f)
			}
			if len(filters) == 0 {
				t.Errorf("%s: a stream without FilterCriteria sees the disclosure items", fn.LogicalID)
			}
			for _, img := range images {
				for _, ev := range []string{"INSERT", "MODIFY", "REMOVE"} {
					r := events.DynamoDBEventRecord{EventName: ev, EventSource: "aws:dynamodb", Change: events.DynamoDBStreamRecord{
						Keys: map[string]events.DynamoDBAttributeValue{"PK": img["PK"], "SK": img["SK"]}, StreamViewType: "NEW_AND_OLD_IMAGES",
					}}
					if ev != "INSERT" {
						r.Change.OldImage = img
					}
					if ev != "REMOVE" {
						r.Change.NewImage = img
					}
					if ok, err := filters.Match(r); err != nil || ok {
						t.Errorf("%s would be started by a %s of %s (err %v)", fn.LogicalID, ev, img["PK"].String(), err)
					}
				}
			}
		}
	}
	if n < 3 {
		t.Errorf("found %d stream functions, want at least regrade, publish and feed", n)
	}
}

// streamImage turns an item (string and number attributes only, as the
// disclosure items have) into the stream's image form.
func streamImage(t *testing.T, it map[string]types.AttributeValue) map[string]events.DynamoDBAttributeValue {
	t.Helper()
	out := map[string]events.DynamoDBAttributeValue{}
	for k, v := range it {
		switch v := v.(type) {
		case *types.AttributeValueMemberS:
			out[k] = events.NewStringAttribute(v.Value)
		case *types.AttributeValueMemberN:
			out[k] = events.NewNumberAttribute(v.Value)
		default:
			b, _ := json.Marshal(v)
			t.Fatalf("attribute %s of unexpected type: %s", k, b)
		}
	}
	if out["entity"].String() != storage.EntityDisclosure {
		t.Fatalf("entity %q, want %q", out["entity"].String(), storage.EntityDisclosure)
	}
	return out
}
