package api

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

// fakePages records the pages put to the disclosure bucket.
type fakePages struct {
	mu    sync.Mutex
	pages map[string][]byte
	types map[string]string
	err   error
}

func (p *fakePages) PutPage(_ context.Context, key string, body []byte, contentType string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	if p.pages == nil {
		p.pages, p.types = map[string][]byte{}, map[string]string{}
	}
	p.pages[key] = bytes.Clone(body)
	p.types[key] = contentType
	return nil
}

// supFixture is a handler on a Memory store given directly (so the store's
// plan, task and objection methods are found), with a fake page bucket
// and a fixed seed source.
type supFixture struct {
	*fixture
	pages   *fakePages
	backing Store
}

// fixedSeedBytes is what the seed source yields: the generated seed is
// its hex form.
var fixedSeedBytes = bytes.Repeat([]byte{0xab}, 16)

func newSupFixture(t testing.TB) *supFixture {
	t.Helper()
	return newSupFixtureWith(t, storage.NewMemory(), &fakePages{})
}

func newSupFixtureWith(t testing.TB, mem Store, pages *fakePages) *supFixture {
	t.Helper()
	ids, err := identity.NewHasherHex(hashKey)
	if err != nil {
		t.Fatal(err)
	}
	sealer, err := identity.NewLocalSealerHex(sealKey)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{ids: ids, logs: &bytes.Buffer{}, store: &countingStore{Store: mem}}
	f.mem, _ = mem.(*storage.Memory)
	var pp PagePutter
	if pages != nil {
		pp = pages
	}
	f.h, err = New(Config{
		Store:       mem,
		Clock:       domain.FixedClock{T: testNow},
		Policy:      policy.MustDefault(),
		CreditCodes: identity.CreditCodeValidator{},
		SubjectIDs:  ids,
		Sealer:      sealer,
		Logger:      slog.New(slog.NewJSONHandler(&lockedWriter{w: f.logs}, nil)),
		Supervision: Supervision{
			Pages:         pp,
			Seeds:         bytes.NewReader(bytes.Repeat(fixedSeedBytes, 64)),
			PublicBaseURL: "https://credit.example.gov.cn/",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &supFixture{fixture: f, pages: pages, backing: mem}
}

// subjectAt posts a decision for a new legal person (credit code from
// first16) through the API as a clerk of unit, and returns its id.
func (f *supFixture) subjectAt(t testing.TB, first16, name, unit string) domain.SubjectID {
	t.Helper()
	body := decisionBody()
	set(body, "subject", map[string]any{"type": "legal_person", "name": name, "credit_code": makeCode(first16)})
	set(body, "document_no", "决-"+first16)
	env := postOK(t, f.fixture, RoutePostDecision, claims(RoleClerk, unit, "clerk-"+unit), body)
	return env.SubjectID
}

// grade stores grades for a subject as successive versions (with history),
// each {level, as_of}.
func (f *supFixture) grade(t testing.TB, id domain.SubjectID, steps ...gradeStep) {
	t.Helper()
	for i, s := range steps {
		g := domain.Grade{
			SubjectID: id, Level: s.level, PolicyVersion: "2026.1", AsOf: domain.MustDate(s.on),
			ComputedAt: domain.MustDate(s.on).Time().UTC(), Version: int64(i + 1),
			Reasons: []domain.Reason{{Rule: "test." + string(s.level), Level: s.level, MessageZH: fmt.Sprintf("测试理由%d", i+1), MessageEN: "test"}},
		}
		gs, ok := f.backing.(interface {
			PutGrade(context.Context, domain.Grade, bool) error
		})
		if !ok {
			t.Fatalf("%T cannot store grades", f.backing)
		}
		if err := gs.PutGrade(context.Background(), g, true); err != nil {
			t.Fatal(err)
		}
	}
}

type gradeStep struct {
	level domain.Level
	on    string
}
