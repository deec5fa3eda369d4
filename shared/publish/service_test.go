package publish

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/render"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

// stores are the Store implementations the walk runs against.
func stores(t *testing.T) map[string]func(t *testing.T) tableStore {
	return map[string]func(t *testing.T) tableStore{
		"memory": func(t *testing.T) tableStore { return storage.NewMemory() },
		"dynamodb-local": func(t *testing.T) tableStore {
			client, table := testenv.NewTable(t)
			return storage.NewDynamo(client, table)
		},
	}
}

// TestWalkIntoCAndOut follows one subject into C and out again and checks
// the bucket after each step: the page with its facts, the index, the open
// data; no rewrite of unchanged content; the page gone when it leaves C.
func TestWalkIntoCAndOut(t *testing.T) {
	for name, newStore := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			p := policy.MustDefault()
			st := newStore(t)
			b := newBucket(t)
			objects := &countingObjects{Objects: b.client}
			clock := clockOn("2026-12-04")
			svc := newService(st, objects, b.name, p, clock)
			page := render.PagePath(string(hotel))

			// Step 1: two fines → B: nothing published for it, but the
			// (empty) index and open data exist.
			r1 := fine(p, hotel, "睢公(治)罚决字〔2026〕101号", "2026-03-01", 12345, "未如实登记旅客身份信息，旅客身份证号110101199003074578，电话13800138000")
			r2 := fine(p, hotel, "睢公(治)罚决字〔2026〕102号", "2026-06-01", 200000, "未按规定登记住宿旅客")
			put(t, st, r1, r2)
			if g := regrade(t, st, p, hotel, "2026-12-04"); g.Level != domain.LevelB {
				t.Fatalf("setup: level %s, want B", g.Level)
			}
			if err := svc.Sync(ctx, []domain.SubjectID{hotel}); err != nil {
				t.Fatal(err)
			}
			if _, ok := b.get(page); ok {
				t.Fatal("B subject has a page")
			}
			if idx := b.must(KeyIndex); strings.Contains(idx, string(hotel)) || !strings.Contains(idx, "目前没有公示中的主体") {
				t.Error("index lists a B subject or lacks the empty notice")
			}

			// Step 2: a third fine → C: page with the facts, index, data.
			r3 := fine(p, hotel, "睢公(治)罚决字〔2026〕103号", "2026-09-01", 50000, "容留卖淫嫖娼")
			put(t, st, r3)
			if g := regrade(t, st, p, hotel, "2026-12-04"); g.Level != domain.LevelC {
				t.Fatalf("setup: level %s, want C", g.Level)
			}
			if err := svc.Sync(ctx, []domain.SubjectID{hotel}); err != nil {
				t.Fatal(err)
			}
			body := b.must(page)
			for _, want := range []string{"睢县某某旅馆有限公司", string(hotel), "C级（严重失信）", "行政处罚案件 3 次",
				"睢公(治)罚决字〔2026〕101号", "2026-03-01", unitName, "罚款 123.45 元", "罚款 2,000.00 元", "罚款 500.00 元",
				"2027-02-28", "[身份证号已隐去]", "[电话已隐去]"} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			for _, never := range []string{"110101199003074578", "13800138000", "异议处理中</span>"} {
				if strings.Contains(body, never) {
					t.Errorf("page contains %q", never)
				}
			}
			if idx := b.must(KeyIndex); !strings.Contains(idx, `href="`+page+`"`) || !strings.Contains(idx, "睢县某某旅馆有限公司") {
				t.Error("index does not list the C subject")
			}
			var data struct {
				Count    int `json:"count"`
				Subjects []struct {
					Key   string  `json:"key"`
					Until *string `json:"disclosed_until"`
				} `json:"subjects"`
			}
			if err := json.Unmarshal([]byte(b.must("data/c-list.json")), &data); err != nil {
				t.Fatal(err)
			}
			if data.Count != 1 || data.Subjects[0].Key != string(hotel) || data.Subjects[0].Until == nil || *data.Subjects[0].Until != "2027-02-28" {
				t.Errorf("open data = %+v", data)
			}
			if csv := b.must("data/c-list.csv"); !strings.HasPrefix(csv, "\uFEFF") || !strings.Contains(csv, "睢公(治)罚决字〔2026〕103号") {
				t.Error("CSV lacks the BOM or the record")
			}
			b.must("data/schema.json")

			// Step 3: the same again writes nothing.
			before := objects.puts.Load()
			if err := svc.Sync(ctx, []domain.SubjectID{hotel}); err != nil {
				t.Fatal(err)
			}
			if n := objects.puts.Load() - before; n != 0 {
				t.Errorf("unchanged content rewritten: %d PutObject calls", n)
			}

			// Step 4: an objection marks the record; only what changed is
			// rewritten (page, JSON, CSV; not the index, not the schema).
			if _, err := st.UpdateRecord(ctx, hotel, r3.ID, domain.StatusActive, func(r *domain.Record) error {
				r.Status = domain.StatusObjected
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			before = objects.puts.Load()
			if err := svc.Sync(ctx, []domain.SubjectID{hotel}); err != nil {
				t.Fatal(err)
			}
			if n := objects.puts.Load() - before; n != 3 {
				t.Errorf("objection: %d PutObject calls, want 3 (page, JSON, CSV)", n)
			}
			if body := b.must(page); !strings.Contains(body, "异议处理中") {
				t.Error("record under objection not marked 异议处理中")
			}

			// Step 5: the objection is upheld, the record revoked → B: the
			// page is deleted and the subject leaves the index in the same run.
			if _, err := st.UpdateRecord(ctx, hotel, r3.ID, domain.StatusObjected, func(r *domain.Record) error {
				r.Status = domain.StatusRevoked
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if g := regrade(t, st, p, hotel, "2026-12-05"); g.Level != domain.LevelB {
				t.Fatalf("setup: level %s, want B", g.Level)
			}
			clock.set("2026-12-05")
			if err := svc.Sync(ctx, []domain.SubjectID{hotel}); err != nil {
				t.Fatal(err)
			}
			if _, ok := b.get(page); ok {
				t.Error("page still present after leaving C")
			}
			if idx := b.must(KeyIndex); strings.Contains(idx, string(hotel)) || !strings.Contains(idx, "信息截至 2026-12-05") {
				t.Error("index still lists the subject, or is not rebuilt")
			}
			if js := b.must("data/c-list.json"); strings.Contains(js, string(hotel)) {
				t.Error("open data still lists the subject")
			}

			// Step 6: a second run deletes nothing more.
			deletes := objects.deletes.Load()
			if err := svc.Sync(ctx, []domain.SubjectID{hotel}); err != nil {
				t.Fatal(err)
			}
			if n := objects.deletes.Load() - deletes; n != 0 {
				t.Errorf("second run issued %d deletes", n)
			}
		})
	}
}

func TestNaturalPersons(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name    string
		publish bool
	}{
		{"excluded by default", false},
		{"included masked when the policy says so", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := policy.MustDefault()
			p.Disclosure.NaturalPersons = c.publish
			st := storage.NewMemory()
			put(t, st, listEntry(person, "黑名单〔2026〕1号", domain.ListBlack, "2026-11-01", ""))
			if g := regrade(t, st, p, person, "2026-12-04"); g.Level != domain.LevelC {
				t.Fatalf("setup: level %s", g.Level)
			}
			b := newBucket(t)
			svc := newService(st, b.client, b.name, p, clockOn("2026-12-04"))
			if err := svc.Sync(ctx, []domain.SubjectID{person}); err != nil {
				t.Fatal(err)
			}
			page, ok := b.get(render.PagePath(string(person)))
			idx := b.must(KeyIndex)
			js := b.must("data/c-list.json")
			if ok != c.publish || strings.Contains(idx, string(person)) != c.publish {
				t.Fatalf("page present %v, in index %v; want %v", ok, strings.Contains(idx, string(person)), c.publish)
			}
			for where, body := range map[string]string{"page": page, "index": idx, "json": js} {
				if strings.Contains(body, "张三丰") || strings.Contains(body, "三丰") {
					t.Errorf("%s shows the full name", where)
				}
			}
			if c.publish && (!strings.Contains(page, "张*") || !strings.Contains(idx, "张*") || !strings.Contains(js, `"name": "张*"`)) {
				t.Error("masked name missing")
			}
			if c.publish && !strings.Contains(page, "名单有效期内持续公示") {
				t.Error("open-ended list: page should say the disclosure has no end date")
			}
		})
	}
}

func TestHonourRollSwitch(t *testing.T) {
	ctx := context.Background()
	p := policy.MustDefault()
	st := storage.NewMemory()
	put(t, st, listEntry(karaok, "红名单〔2026〕1号", domain.ListRed, "2026-01-01", "2027-12-31"))
	if g := regrade(t, st, p, karaok, "2026-12-04"); g.Level != domain.LevelA {
		t.Fatalf("setup: level %s", g.Level)
	}
	b := newBucket(t)

	p.Disclosure.HonourRoll = true
	svc := newService(st, b.client, b.name, p, clockOn("2026-12-04"))
	if err := svc.Sync(ctx, []domain.SubjectID{karaok}); err != nil {
		t.Fatal(err)
	}
	honour := b.must(KeyHonour)
	if !strings.Contains(honour, "睢县星光娱乐有限公司") || !strings.Contains(honour, string(karaok)) {
		t.Error("honour roll lacks the A subject")
	}
	if _, ok := b.get(render.PagePath(string(karaok))); ok {
		t.Error("an A subject got a disclosure page")
	}
	if !strings.Contains(b.must(KeyIndex), `href="honour.html"`) {
		t.Error("index does not link the honour roll")
	}

	off := policy.MustDefault()
	svc.Policy = off
	if err := svc.Sync(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := b.get(KeyHonour); ok {
		t.Error("honour roll still published after the switch went off")
	}
}

func TestSyncAllRemovesStrayPagesAndRestoresMissing(t *testing.T) {
	ctx := context.Background()
	p := policy.MustDefault()
	st := storage.NewMemory()
	put(t, st, listEntry(hotel, "黑名单〔2026〕2号", domain.ListBlack, "2026-11-01", "2027-10-31"))
	regrade(t, st, p, hotel, "2026-12-04")
	b := newBucket(t)
	objects := &countingObjects{Objects: b.client}
	svc := newService(st, objects, b.name, p, clockOn("2026-12-04"))

	// A page left behind by a lost run, for a subject not C any more.
	stray := render.PagePath(string(karaok))
	if _, err := svc.put(ctx, stray, []byte("old"), typeHTML); err != nil {
		t.Fatal(err)
	}
	if err := svc.SyncAll(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := b.get(stray); ok {
		t.Error("stray page not removed")
	}
	if body := b.must(render.PagePath(string(hotel))); !strings.Contains(body, "列入黑名单") || !strings.Contains(body, "2027-10-31") {
		t.Error("C subject's page missing or without its list entry")
	}
	puts := objects.puts.Load()
	if err := svc.SyncAll(ctx); err != nil {
		t.Fatal(err)
	}
	if n := objects.puts.Load() - puts; n != 0 {
		t.Errorf("second SyncAll wrote %d objects", n)
	}
}
