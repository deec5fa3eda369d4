package publish

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/grading"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
	"github.com/suixian-psb/credit/shared/units"
)

const (
	hotel  domain.SubjectID = "91411422MA44ABCD1X"
	karaok domain.SubjectID = "91411422MA44WXYZ2Y"
	person domain.SubjectID = "NPABCDEFGHIJKLMNOPQRSTUVWX"
	unit                    = "411422-PCS-01"
)

// unitName is unit's name in the embedded registry: what the pages show.
const unitName = "睢县公安局城关派出所"

// unitRegistry is the embedded unit registry the services publish with.
var unitRegistry = func() *units.Registry {
	r, err := units.Default()
	if err != nil {
		panic(err)
	}
	return r
}()

// noon is 12:00 Asia/Shanghai on day, as a UTC instant.
func noon(day string) time.Time { return domain.MustDate(day).Time().Add(12 * time.Hour).UTC() }

// movableClock is a clock a test moves between steps.
type movableClock struct{ t atomic.Pointer[time.Time] }

func clockOn(day string) *movableClock {
	c := &movableClock{}
	c.set(day)
	return c
}
func (c *movableClock) set(day string) { t := noon(day); c.t.Store(&t) }
func (c *movableClock) Now() time.Time { return *c.t.Load() }

func profile(id domain.SubjectID) domain.Subject {
	switch id {
	case person:
		return domain.Subject{ID: id, Type: domain.NaturalPerson, Name: "张三丰"}
	case karaok:
		return domain.Subject{ID: id, Type: domain.LegalPerson, Name: "睢县星光娱乐有限公司", CreditCode: string(id)}
	}
	return domain.Subject{ID: id, Type: domain.LegalPerson, Name: "睢县某某旅馆有限公司", CreditCode: string(id)}
}

// fine is a handling decision with one act fined amountFen, dated day.
func fine(p *policy.Policy, id domain.SubjectID, doc, day string, amountFen int64, facts string) domain.Record {
	r := domain.Record{
		Kind: domain.KindDecision, SubjectID: id, Unit: unit, DocumentNo: doc,
		EffectiveDate: domain.MustDate(day), Status: domain.StatusActive,
		Decision: &domain.Decision{Acts: []domain.Act{{Facts: facts, LegalBasis: "《旅馆业治安管理办法》",
			Sanctions: []domain.Sanction{{Kind: domain.SanctionFine, AmountFen: amountFen}}}}},
		CreatedAt: noon(day), CreatedBy: domain.Actor{Unit: unit, User: "clerk", Role: "clerk"},
	}
	r.ID = storage.RecordID(r.Unit, r.Kind, r.DocumentNo)
	r.CountsUntil = grading.WindowEnd(p, r)
	return r
}

func listEntry(id domain.SubjectID, doc string, kind domain.ListKind, from, until string) domain.Record {
	le := &domain.ListEntry{List: kind, ValidFrom: domain.MustDate(from), Authority: "商丘市公安局"}
	if until != "" {
		le.ValidUntil = domain.MustDate(until)
	}
	r := domain.Record{
		Kind: domain.KindListEntry, SubjectID: id, Unit: "411422-OFFICE", DocumentNo: doc,
		EffectiveDate: domain.MustDate(from), Status: domain.StatusActive, ListEntry: le,
		CreatedAt: noon(from), CreatedBy: domain.Actor{Unit: "411422-OFFICE", User: "office", Role: "office"},
	}
	r.ID = storage.RecordID(r.Unit, r.Kind, r.DocumentNo)
	return r
}

// tableStore is what a test table offers: the Store port and the
// publisher's disclosure entries.
type tableStore interface {
	storage.Store
	storage.DisclosureStore
}

func put(t testing.TB, st storage.Store, recs ...domain.Record) {
	t.Helper()
	for _, r := range recs {
		if _, _, err := st.PutRecord(context.Background(), profile(r.SubjectID), r); err != nil {
			t.Fatalf("PutRecord %s: %v", r.DocumentNo, err)
		}
	}
}

// regrade stands in for the regrade service: grade the subject's records
// on day and store the grade when its outcome changed.
func regrade(t testing.TB, st storage.Store, p *policy.Policy, id domain.SubjectID, day string) domain.Grade {
	t.Helper()
	ctx := context.Background()
	recs, err := st.ListRecords(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	g := grading.Grade(id, recs, p, domain.MustDate(day))
	g.ComputedAt = noon(day)
	g.Since = domain.MustDate(day)
	g.Version = 1
	cur, err := st.GetGrade(ctx, id)
	switch {
	case errors.Is(err, storage.ErrNotFound):
	case err != nil:
		t.Fatal(err)
	default:
		if cur.SameOutcome(g) {
			return cur
		}
		if cur.Level == g.Level {
			g.Since = cur.Since
		}
		g.Version = cur.Version + 1
	}
	if err := st.PutGrade(ctx, g, true); err != nil {
		t.Fatal(err)
	}
	return g
}

// countingObjects counts writes and deletes going to the bucket.
type countingObjects struct {
	Objects
	puts, deletes atomic.Int64
}

func (c *countingObjects) PutObject(ctx context.Context, in *s3.PutObjectInput, o ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	c.puts.Add(1)
	return c.Objects.PutObject(ctx, in, o...)
}

func (c *countingObjects) DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, o ...func(*s3.Options)) (*s3.DeleteObjectOutput, error) {
	c.deletes.Add(1)
	return c.Objects.DeleteObject(ctx, in, o...)
}

// bucket is a test's view of the disclosure bucket.
type bucket struct {
	t      testing.TB
	client *s3.Client
	name   string
}

func newBucket(t testing.TB) bucket {
	client, name := testenv.S3(t)
	return bucket{t: t, client: client, name: name}
}

// get returns the object's body, or ok=false when it does not exist.
func (b bucket) get(key string) (string, bool) {
	b.t.Helper()
	out, err := b.client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)})
	if isNotFound(err) {
		return "", false
	}
	if err != nil {
		b.t.Fatalf("get %s: %v", key, err)
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return string(body), true
}

func (b bucket) must(key string) string {
	b.t.Helper()
	body, ok := b.get(key)
	if !ok {
		b.t.Fatalf("%s is missing from the bucket", key)
	}
	return body
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newService(st Store, objects Objects, bucketName string, p *policy.Policy, clock domain.Clock) *Service {
	return &Service{Store: st, Objects: objects, Bucket: bucketName, Policy: p, Clock: clock, Logger: quietLogger(), Units: unitRegistry}
}
