package storage

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
)

// runStoreContract is the one behaviour every Store must have; it runs
// against Memory and against Dynamo on DynamoDB Local. newStore returns an
// empty store of its own for each subtest.
func runStoreContract(t *testing.T, newStore func(t *testing.T) Store) {
	cases := []struct {
		name string
		run  func(t *testing.T, s Store)
	}{
		{"put record is idempotent and keeps the first profile", contractIdempotent},
		{"same document with other content conflicts", contractConflict},
		{"get, list, find and not found", contractReads},
		{"update record is conditional on status and revision", contractUpdate},
		{"grade versions, stale writes and history", contractGrades},
		{"list by level pages in subject order and follows level changes", contractListByLevel},
		{"due records up to an inclusive day, leaving when not counted", contractDueRecords},
		{"due grades up to an inclusive day", contractDueGrades},
		{"tasks open, close and list", contractTasks},
		{"concurrent posts of one document create it once", contractConcurrentPosts},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, newStore(t))
		})
	}
}

var (
	ctx     = context.Background()
	created = time.Date(2026, 3, 1, 2, 3, 4, 0, time.UTC)
)

func subject(id string) domain.Subject {
	return domain.Subject{ID: domain.SubjectID(id), Type: domain.LegalPerson, Name: "公司" + id, CreditCode: id}
}

// decision builds a counted handling decision of subject subj, posted by
// unit under docNo, counting until countsUntil.
func decision(subj, unit, docNo string, countsUntil domain.Date) domain.Record {
	rec := domain.Record{
		ID:            RecordID(unit, domain.KindDecision, docNo),
		Kind:          domain.KindDecision,
		SubjectID:     domain.SubjectID(subj),
		Unit:          unit,
		DocumentNo:    docNo,
		EffectiveDate: countsUntil.AddYears(-1),
		CountsUntil:   countsUntil,
		Status:        domain.StatusActive,
		Decision: &domain.Decision{Acts: []domain.Act{{
			Facts:     "未按规定登记",
			Sanctions: []domain.Sanction{{Kind: domain.SanctionFine, AmountFen: 500000}},
		}}},
		CreatedAt: created,
		CreatedBy: domain.Actor{Unit: unit, User: "officer1", Role: "unit"},
	}
	rec.ContentHash = RecordContentHash(rec)
	return rec
}

func mustPut(t *testing.T, s Store, rec domain.Record) domain.Record {
	t.Helper()
	stored, ok, err := s.PutRecord(ctx, subject(string(rec.SubjectID)), rec)
	if err != nil || !ok {
		t.Fatalf("put %s: created=%v err=%v", rec.DocumentNo, ok, err)
	}
	return stored
}

func wantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: error %v, want %v", what, err, want)
	}
}

func contractIdempotent(t *testing.T, s Store) {
	rec := decision("S1", "U1", "D-1", domain.MustDate("2027-05-01"))
	first, ok, err := s.PutRecord(ctx, subject("S1"), rec)
	if err != nil || !ok {
		t.Fatalf("first put: created=%v err=%v", ok, err)
	}
	if !reflect.DeepEqual(first, clone(rec)) {
		t.Errorf("put returned %+v, want %+v", first, rec)
	}
	// A retry: same content, another request and time, another spelling of
	// the subject's name.
	retry := rec
	retry.CreatedAt = created.Add(time.Hour)
	retry.RequestID = "req-2"
	renamed := subject("S1")
	renamed.Name = "另一个名称"
	again, ok, err := s.PutRecord(ctx, renamed, retry)
	if err != nil || ok {
		t.Fatalf("retry: created=%v err=%v, want created=false", ok, err)
	}
	if !reflect.DeepEqual(again, first) {
		t.Errorf("retry returned %+v, want the stored %+v", again, first)
	}
	prof, err := s.GetSubject(ctx, "S1")
	if err != nil {
		t.Fatal(err)
	}
	if prof.Name != subject("S1").Name {
		t.Errorf("profile name %q, want the first one %q", prof.Name, subject("S1").Name)
	}
	// A second record of the subject does not clobber the profile either.
	mustPut(t, s, decision("S1", "U1", "D-2", domain.MustDate("2027-05-02")))
	if prof, _ := s.GetSubject(ctx, "S1"); prof.Name != subject("S1").Name {
		t.Errorf("profile name after second record %q", prof.Name)
	}
}

func contractConflict(t *testing.T, s Store) {
	rec := mustPut(t, s, decision("S1", "U1", "D-1", domain.MustDate("2027-05-01")))
	tests := []struct {
		name   string
		change func(*domain.Record)
	}{
		{"other amount", func(r *domain.Record) { r.Decision.Acts[0].Sanctions[0].AmountFen++ }},
		{"other subject", func(r *domain.Record) { r.SubjectID = "S2" }},
		{"other date", func(r *domain.Record) { r.EffectiveDate = r.EffectiveDate.AddDays(1) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			other := decision("S1", "U1", "D-1", domain.MustDate("2027-05-01"))
			tc.change(&other)
			other.ContentHash = RecordContentHash(other)
			_, _, err := s.PutRecord(ctx, subject(string(other.SubjectID)), other)
			wantErr(t, "put other content", err, ErrConflict)
		})
	}
	got, err := s.FindByDocument(ctx, "U1", domain.KindDecision, "D-1")
	if err != nil || !reflect.DeepEqual(got, rec) {
		t.Errorf("after conflicts: %+v %v, want the first record", got, err)
	}
	if _, err := s.GetSubject(ctx, "S2"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a conflicting post created subject S2: %v", err)
	}
}

func contractReads(t *testing.T, s Store) {
	a := mustPut(t, s, decision("S1", "U1", "D-1", domain.MustDate("2027-05-01")))
	b := mustPut(t, s, decision("S1", "U2", "D-1", domain.MustDate("2027-06-01")))
	c := mustPut(t, s, decision("S2", "U1", "D-2", domain.MustDate("2027-07-01")))

	got, err := s.GetRecord(ctx, "S1", b.ID)
	if err != nil || !reflect.DeepEqual(got, b) {
		t.Errorf("get: %+v %v", got, err)
	}
	found, err := s.FindByDocument(ctx, "U1", domain.KindDecision, "D-2")
	if err != nil || !reflect.DeepEqual(found, c) {
		t.Errorf("find: %+v %v", found, err)
	}
	list, err := s.ListRecords(ctx, "S1")
	if err != nil {
		t.Fatal(err)
	}
	want := []domain.Record{a, b}
	if a.ID > b.ID {
		want = []domain.Record{b, a}
	}
	if !reflect.DeepEqual(list, want) {
		t.Errorf("list S1: got %d records %v, want %v in id order", len(list), ids(list), ids(want))
	}
	empty, err := s.ListRecords(ctx, "S9")
	if err != nil || len(empty) != 0 {
		t.Errorf("list unknown subject: %v %v", empty, err)
	}

	notFound := []struct {
		name string
		call func() error
	}{
		{"record of another subject", func() error { _, err := s.GetRecord(ctx, "S2", a.ID); return err }},
		{"unknown record", func() error { _, err := s.GetRecord(ctx, "S1", "RNONE"); return err }},
		{"unknown document", func() error { _, err := s.FindByDocument(ctx, "U1", domain.KindDecision, "D-9"); return err }},
		{"document of another kind", func() error {
			_, err := s.FindByDocument(ctx, "U1", domain.KindCommitmentViolation, "D-1")
			return err
		}},
		{"unknown subject", func() error { _, err := s.GetSubject(ctx, "S9"); return err }},
		{"no grade", func() error { _, err := s.GetGrade(ctx, "S1"); return err }},
		{"update unknown record", func() error {
			_, err := s.UpdateRecord(ctx, "S1", "RNONE", domain.StatusActive, func(*domain.Record) error { return nil })
			return err
		}},
		{"close unknown task", func() error { return s.CloseTask(ctx, "S1", "T9", "u") }},
	}
	for _, tc := range notFound {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.name, tc.call(), ErrNotFound) })
	}
}

func ids(recs []domain.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.ID
	}
	return out
}

func objection(at time.Time) func(*domain.Record) error {
	return func(r *domain.Record) error {
		r.History = append(r.History, domain.StatusChange{From: r.Status, To: domain.StatusObjected, At: at, Reason: "异议"})
		r.Status = domain.StatusObjected
		return nil
	}
}

func contractUpdate(t *testing.T, s Store) {
	rec := mustPut(t, s, decision("S1", "U1", "D-1", domain.MustDate("2027-05-01")))

	updated, err := s.UpdateRecord(ctx, "S1", rec.ID, domain.StatusActive, objection(created))
	if err != nil {
		t.Fatal(err)
	}
	if updated.Status != domain.StatusObjected || len(updated.History) != 1 {
		t.Fatalf("updated %+v", updated)
	}
	if got, _ := s.GetRecord(ctx, "S1", rec.ID); !reflect.DeepEqual(got, updated) {
		t.Errorf("stored %+v, want %+v", got, updated)
	}

	called := false
	_, err = s.UpdateRecord(ctx, "S1", rec.ID, domain.StatusActive, func(*domain.Record) error { called = true; return nil })
	wantErr(t, "update with an old status", err, ErrStale)
	if called {
		t.Error("mutate ran although the status did not match")
	}

	boom := errors.New("boom")
	_, err = s.UpdateRecord(ctx, "S1", rec.ID, domain.StatusObjected, func(r *domain.Record) error {
		r.Status = domain.StatusRevoked
		return boom
	})
	wantErr(t, "mutate error", err, boom)
	_, err = s.UpdateRecord(ctx, "S1", rec.ID, domain.StatusObjected, func(r *domain.Record) error { r.ID = "RX"; return nil })
	wantErr(t, "mutate changing the id", err, ErrInvalid)
	if got, _ := s.GetRecord(ctx, "S1", rec.ID); !reflect.DeepEqual(got, updated) {
		t.Errorf("failed updates changed the record: %+v", got)
	}

	// Optimistic lock: a write that lands between the read and the write of
	// another update makes the latter stale, whether it changed the status
	// or only added history.
	inner := []struct {
		name   string
		mutate func(*domain.Record) error
	}{
		{"status changed meanwhile", func(r *domain.Record) error { r.Status = domain.StatusRevoked; return nil }},
		{"history added meanwhile", func(r *domain.Record) error {
			r.History = append(r.History, domain.StatusChange{From: r.Status, To: r.Status, At: created, Reason: "备注"})
			return nil
		}},
	}
	for i, tc := range inner {
		t.Run(tc.name, func(t *testing.T) {
			r := mustPut(t, s, decision("S1", "U1", fmt.Sprintf("D-lock-%d", i), domain.MustDate("2027-05-01")))
			_, err := s.UpdateRecord(ctx, "S1", r.ID, domain.StatusActive, func(outer *domain.Record) error {
				if _, err := s.UpdateRecord(ctx, "S1", r.ID, domain.StatusActive, tc.mutate); err != nil {
					t.Errorf("inner update: %v", err)
				}
				return objection(created)(outer)
			})
			wantErr(t, "outer update", err, ErrStale)
		})
	}
}

func grade(subj string, level domain.Level, version int64, next string) domain.Grade {
	g := domain.Grade{
		SubjectID: domain.SubjectID(subj), Level: level, PolicyVersion: "2026-1",
		AsOf: domain.MustDate("2026-12-01"), ComputedAt: created, Version: version,
		Reasons: []domain.Reason{{Rule: "test", Level: level, RecordIDs: []string{"R1"}}},
	}
	if next != "" {
		g.NextChange = domain.MustDate(next)
	}
	return g
}

func contractGrades(t *testing.T, s Store) {
	steps := []struct {
		name    string
		g       domain.Grade
		history bool
		want    error
	}{
		{"version 0 is invalid", grade("S1", domain.LevelB, 0, ""), false, ErrInvalid},
		{"version 2 before any", grade("S1", domain.LevelB, 2, ""), true, ErrStale},
		{"first version", grade("S1", domain.LevelB, 1, "2027-01-01"), true, nil},
		{"first version again", grade("S1", domain.LevelC, 1, ""), true, ErrStale},
		{"skipping a version", grade("S1", domain.LevelC, 3, ""), false, ErrStale},
		{"second version without history", grade("S1", domain.LevelB, 2, "2027-02-01"), false, nil},
		{"second version again", grade("S1", domain.LevelC, 2, ""), true, ErrStale},
		{"third version with history", grade("S1", domain.LevelC, 3, ""), true, nil},
		{"invalid level", grade("S1", "D", 4, ""), false, ErrInvalid},
	}
	for _, st := range steps {
		err := s.PutGrade(ctx, st.g, st.history)
		if st.want == nil && err != nil || st.want != nil && !errors.Is(err, st.want) {
			t.Fatalf("%s: error %v, want %v", st.name, err, st.want)
		}
	}
	got, err := s.GetGrade(ctx, "S1")
	if err != nil || !reflect.DeepEqual(got, clone(grade("S1", domain.LevelC, 3, ""))) {
		t.Errorf("current grade %+v %v", got, err)
	}
	hist, err := s.GradeHistory(ctx, "S1")
	if err != nil {
		t.Fatal(err)
	}
	want := []domain.Grade{clone(grade("S1", domain.LevelB, 1, "2027-01-01")), clone(grade("S1", domain.LevelC, 3, ""))}
	if !reflect.DeepEqual(hist, want) {
		t.Errorf("history %+v, want versions 1 and 3", hist)
	}
	if h, err := s.GradeHistory(ctx, "S9"); err != nil || len(h) != 0 {
		t.Errorf("history of unknown subject: %v %v", h, err)
	}
}

// pages reads a listing to the end with the given page size, checking every
// page's size.
func pages[T any](t *testing.T, limit int, list func(Page) ([]T, string, error)) []T {
	t.Helper()
	all := []T{}
	cursor := ""
	for i := 0; ; i++ {
		page, next, err := list(Page{Cursor: cursor, Limit: limit})
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		if len(page) > limit || next != "" && len(page) != limit {
			t.Fatalf("page %d has %d items (limit %d, more=%v)", i, len(page), limit, next != "")
		}
		all = append(all, page...)
		if next == "" {
			return all
		}
		if i > 100 {
			t.Fatal("listing does not end")
		}
		cursor = next
	}
}

func subjectsOf(gs []domain.Grade) []domain.SubjectID {
	out := []domain.SubjectID{}
	for _, g := range gs {
		out = append(out, g.SubjectID)
	}
	return out
}

func contractListByLevel(t *testing.T, s Store) {
	for _, id := range []string{"S5", "S3", "S1", "S4", "S2"} {
		if err := s.PutGrade(ctx, grade(id, domain.LevelC, 1, ""), false); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"S7", "S6"} {
		if err := s.PutGrade(ctx, grade(id, domain.LevelB, 1, ""), false); err != nil {
			t.Fatal(err)
		}
	}
	byLevel := func(l domain.Level) func(Page) ([]domain.Grade, string, error) {
		return func(p Page) ([]domain.Grade, string, error) { return s.ListByLevel(ctx, l, p) }
	}
	tests := []struct {
		level domain.Level
		limit int
		want  []domain.SubjectID
	}{
		{domain.LevelC, 2, []domain.SubjectID{"S1", "S2", "S3", "S4", "S5"}},
		{domain.LevelC, 5, []domain.SubjectID{"S1", "S2", "S3", "S4", "S5"}},
		{domain.LevelC, 100, []domain.SubjectID{"S1", "S2", "S3", "S4", "S5"}},
		{domain.LevelB, 1, []domain.SubjectID{"S6", "S7"}},
		{domain.LevelA, 3, []domain.SubjectID{}},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s by %d", tc.level, tc.limit), func(t *testing.T) {
			if got := subjectsOf(pages(t, tc.limit, byLevel(tc.level))); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
	if err := s.PutGrade(ctx, grade("S3", domain.LevelB, 2, ""), false); err != nil {
		t.Fatal(err)
	}
	if got := subjectsOf(pages(t, 2, byLevel(domain.LevelC))); !reflect.DeepEqual(got, []domain.SubjectID{"S1", "S2", "S4", "S5"}) {
		t.Errorf("C after S3 moved: %v", got)
	}
	if got := subjectsOf(pages(t, 2, byLevel(domain.LevelB))); !reflect.DeepEqual(got, []domain.SubjectID{"S3", "S6", "S7"}) {
		t.Errorf("B after S3 moved: %v", got)
	}
	_, _, err := s.ListByLevel(ctx, domain.LevelC, Page{Cursor: "not a cursor", Limit: 2})
	wantErr(t, "bad cursor", err, ErrBadCursor)
}

func contractDueRecords(t *testing.T, s Store) {
	d1, d2, d3 := domain.MustDate("2027-01-31"), domain.MustDate("2027-02-01"), domain.MustDate("2027-02-02")
	early := mustPut(t, s, decision("S2", "U1", "D-early", d1))
	onDay := mustPut(t, s, decision("S1", "U1", "D-on", d2))
	onDay2 := mustPut(t, s, decision("S3", "U1", "D-on2", d2))
	mustPut(t, s, decision("S1", "U1", "D-late", d3))
	never := decision("S1", "U1", "D-never", d1)
	never.CountsUntil = domain.Date{}
	never.ContentHash = RecordContentHash(never)
	mustPut(t, s, never)
	expired := decision("S1", "U1", "D-expired", d1)
	expired.Status = domain.StatusExpired
	expired.ContentHash = RecordContentHash(expired)
	mustPut(t, s, expired)

	due := func(through domain.Date) func(Page) ([]RecordRef, string, error) {
		return func(p Page) ([]RecordRef, string, error) { return s.DueRecords(ctx, through, p) }
	}
	ref := func(r domain.Record) RecordRef {
		return RecordRef{SubjectID: r.SubjectID, RecordID: r.ID, Due: r.CountsUntil}
	}
	tests := []struct {
		name    string
		through domain.Date
		limit   int
		want    []RecordRef
	}{
		{"before any", d1.AddDays(-1), 10, []RecordRef{}},
		{"first day inclusive", d1, 10, []RecordRef{ref(early)}},
		{"second day, by date then subject", d2, 1, []RecordRef{ref(early), ref(onDay), ref(onDay2)}},
		{"second day, one page", d2, 3, []RecordRef{ref(early), ref(onDay), ref(onDay2)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := pages(t, tc.limit, due(tc.through)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	// Objected records still count; revoked ones leave the index.
	if _, err := s.UpdateRecord(ctx, "S1", onDay.ID, domain.StatusActive, objection(created)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateRecord(ctx, "S2", early.ID, domain.StatusActive, func(r *domain.Record) error {
		r.Status = domain.StatusRevoked
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := pages(t, 10, due(d2)); !reflect.DeepEqual(got, []RecordRef{ref(onDay), ref(onDay2)}) {
		t.Errorf("after revocation: %+v", got)
	}
}

func contractDueGrades(t *testing.T, s Store) {
	puts := []domain.Grade{
		grade("S1", domain.LevelB, 1, "2027-03-02"),
		grade("S2", domain.LevelC, 1, "2027-03-01"),
		grade("S3", domain.LevelB, 1, "2027-03-03"),
		grade("S4", domain.LevelA, 1, ""),
	}
	for _, g := range puts {
		if err := s.PutGrade(ctx, g, true); err != nil {
			t.Fatal(err)
		}
	}
	due := func(through string) []RecordRef {
		return pages(t, 1, func(p Page) ([]RecordRef, string, error) {
			return s.DueGrades(ctx, domain.MustDate(through), p)
		})
	}
	ref := func(id, day string) RecordRef {
		return RecordRef{SubjectID: domain.SubjectID(id), Due: domain.MustDate(day)}
	}
	if got, want := due("2027-03-02"), []RecordRef{ref("S2", "2027-03-01"), ref("S1", "2027-03-02")}; !reflect.DeepEqual(got, want) {
		t.Errorf("through 03-02: %+v, want %+v", got, want)
	}
	// A regrade that has nothing pending leaves the index; one that moves
	// the date moves it.
	if err := s.PutGrade(ctx, grade("S2", domain.LevelC, 2, ""), true); err != nil {
		t.Fatal(err)
	}
	if err := s.PutGrade(ctx, grade("S3", domain.LevelB, 2, "2027-02-01"), false); err != nil {
		t.Fatal(err)
	}
	if got, want := due("2027-03-02"), []RecordRef{ref("S3", "2027-02-01"), ref("S1", "2027-03-02")}; !reflect.DeepEqual(got, want) {
		t.Errorf("after regrades: %+v, want %+v", got, want)
	}
}

func task(id, subj, due string) domain.Task {
	return domain.Task{
		ID: id, SubjectID: domain.SubjectID(subj), Level: domain.LevelB, Allowed: []string{"oral_reminder", "written_reminder"},
		OpenedOn: domain.MustDate("2026-12-01"), DueOn: domain.MustDate(due), Status: TaskOpen, CreatedAt: created,
	}
}

func taskIDs(ts []domain.Task) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func contractTasks(t *testing.T, s Store) {
	for _, tk := range []domain.Task{task("T1", "S1", "2027-01-10"), task("T2", "S1", "2027-01-05"), task("T3", "S2", "2027-01-07")} {
		if err := s.PutTask(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	dup := task("T1", "S1", "2027-01-01")
	dup.Level = domain.LevelC
	if err := s.PutTask(ctx, dup); err != nil {
		t.Fatalf("duplicate put: %v", err)
	}
	open := func() []string {
		return taskIDs(pages(t, 2, func(p Page) ([]domain.Task, string, error) { return s.ListOpenTasks(ctx, p) }))
	}
	if got, want := open(), []string{"T2", "T3", "T1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("open tasks by due day %v, want %v", got, want)
	}
	mine, err := s.ListTasks(ctx, "S1")
	if err != nil {
		t.Fatal(err)
	}
	if want := []domain.Task{clone(task("T1", "S1", "2027-01-10")), clone(task("T2", "S1", "2027-01-05"))}; !reflect.DeepEqual(mine, want) {
		t.Errorf("tasks of S1 %+v, want the first T1 unchanged and T2", mine)
	}

	if err := s.CloseTask(ctx, "S1", "T2", "officer7"); err != nil {
		t.Fatal(err)
	}
	wantErr(t, "close twice", s.CloseTask(ctx, "S1", "T2", "officer8"), ErrStale)
	wantErr(t, "close of another subject's task", s.CloseTask(ctx, "S2", "T1", "x"), ErrNotFound)
	if err := s.PutTask(ctx, task("T2", "S1", "2027-01-05")); err != nil {
		t.Fatal(err)
	}
	if got, want := open(), []string{"T3", "T1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("open tasks after closing T2 %v, want %v", got, want)
	}
	mine, _ = s.ListTasks(ctx, "S1")
	if len(mine) != 2 || mine[1].Status != TaskClosed || mine[1].ClosedBy != "officer7" {
		t.Errorf("closed task %+v, want closed by officer7 and not reopened", mine)
	}
}

func contractConcurrentPosts(t *testing.T, s Store) {
	const n = 20
	type result struct {
		rec     domain.Record
		created bool
		err     error
	}
	results := make([]result, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := decision("S1", "U1", "D-race", domain.MustDate("2027-05-01"))
			rec.CreatedAt = created.Add(time.Duration(i) * time.Second) // each retry has its own time
			rec.RequestID = fmt.Sprintf("req-%d", i)
			<-start
			r, ok, err := s.PutRecord(ctx, subject("S1"), rec)
			results[i] = result{r, ok, err}
		}()
	}
	close(start)
	wg.Wait()
	createdCount := 0
	var winner domain.Record
	for i, r := range results {
		if r.err != nil {
			t.Fatalf("post %d: %v", i, r.err)
		}
		if r.created {
			createdCount++
			winner = r.rec
		}
	}
	if createdCount != 1 {
		t.Fatalf("%d posts created the record, want exactly 1", createdCount)
	}
	for i, r := range results {
		if !reflect.DeepEqual(r.rec, winner) {
			t.Errorf("post %d returned %s/%s, want the stored %s/%s", i, r.rec.ID, r.rec.RequestID, winner.ID, winner.RequestID)
		}
	}
	if list, _ := s.ListRecords(ctx, "S1"); len(list) != 1 {
		t.Errorf("%d records stored", len(list))
	}
	other := decision("S1", "U1", "D-race", domain.MustDate("2027-05-02"))
	_, _, err := s.PutRecord(ctx, subject("S1"), other)
	wantErr(t, "different content", err, ErrConflict)
}
