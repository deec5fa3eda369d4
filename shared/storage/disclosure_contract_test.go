package storage

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/render"
	"github.com/suixian-psb/credit/shared/testenv"
)

func TestMemoryDisclosureContract(t *testing.T) {
	t.Parallel()
	runDisclosureContract(t, func(*testing.T) DisclosureStore { return NewMemory() })
}

func TestDynamoDisclosureContract(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("DynamoDB Local: skipped with -short")
	}
	runDisclosureContract(t, func(t *testing.T) DisclosureStore {
		client, table := testenv.NewTable(t)
		return NewDynamo(client, table)
	})
}

func runDisclosureContract(t *testing.T, newStore func(t *testing.T) DisclosureStore) {
	cases := []struct {
		name string
		run  func(t *testing.T, s DisclosureStore)
	}{
		{"an entry reads back as stored, under its level", disclosurePutList},
		{"an older version never overwrites a newer one", disclosureVersions},
		{"a withdrawn entry leaves the listing and stays withdrawn against older runs", disclosureWithdraw},
		{"listings page by subject id", disclosurePages},
		{"invalid entries are refused", disclosureInvalid},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, newStore(t))
		})
	}
}

// cEntry is a C entry with one record, as the publisher builds them.
func cEntry(key, name string) render.Entry {
	return render.Entry{
		Key: key, Name: name, CreditCode: key, Type: domain.LegalPerson, TypeZH: "法人",
		Level: domain.LevelC, LevelZH: "C级（严重失信）",
		Since: domain.MustDate("2026-11-01"), Until: domain.MustDate("2027-10-31"),
		Reasons: []render.Reason{{Rule: "c.black_list", Text: "列入黑名单"}},
		Records: []render.Record{{ID: "R1", Kind: domain.KindDecision, KindZH: "行政处罚", DocumentNo: "睢公罚〔2026〕1号",
			Date: domain.MustDate("2026-10-01"), Unit: "411422-PCS-01", Status: domain.StatusActive,
			Details: []string{"违法事实：未登记"}, AmountFen: 50000,
			Sanctions: []render.Sanction{{Kind: domain.SanctionFine, KindZH: "罚款", AmountFen: 50000, Text: "罚款 500.00 元"}}}},
	}
}

func aEntry(key, name string) render.Entry {
	e := cEntry(key, name)
	e.Level, e.LevelZH, e.Until, e.Records = domain.LevelA, "A级（守信）", domain.Date{}, nil
	return e
}

func listAll(t *testing.T, list func(context.Context, Page) ([]Disclosure, string, error)) []Disclosure {
	t.Helper()
	var all []Disclosure
	cursor := ""
	for {
		page, next, err := list(context.Background(), Page{Cursor: cursor, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if next == "" {
			return all
		}
		cursor = next
	}
}

func disclosurePutList(t *testing.T, s DisclosureStore) {
	ctx := context.Background()
	c, a := cEntry("91411422MA44ABCD1X", "甲旅馆"), aEntry("91411422MA44WXYZ2Y", "乙公司")
	if err := s.PutDisclosure(ctx, c, 3); err != nil {
		t.Fatal(err)
	}
	if err := s.PutDisclosure(ctx, a, 1); err != nil {
		t.Fatal(err)
	}
	if got := listAll(t, s.ListDisclosed); !reflect.DeepEqual(got, []Disclosure{{Entry: c, Version: 3}}) {
		t.Errorf("disclosed = %+v", got)
	}
	if got := listAll(t, s.ListHonoured); !reflect.DeepEqual(got, []Disclosure{{Entry: a, Version: 1}}) {
		t.Errorf("honoured = %+v", got)
	}
	// The subject moves from A to C: it leaves the honour roll.
	a.Level = domain.LevelC
	if err := s.PutDisclosure(ctx, a, 2); err != nil {
		t.Fatal(err)
	}
	if got := listAll(t, s.ListHonoured); len(got) != 0 {
		t.Errorf("honoured after the move = %+v", got)
	}
	if got := listAll(t, s.ListDisclosed); len(got) != 2 {
		t.Errorf("disclosed after the move = %d entries, want 2", len(got))
	}
}

func disclosureVersions(t *testing.T, s DisclosureStore) {
	ctx := context.Background()
	e := cEntry("91411422MA44ABCD1X", "甲旅馆")
	if err := s.PutDisclosure(ctx, e, 5); err != nil {
		t.Fatal(err)
	}
	old := e
	old.Name = "旧名称"
	if err := s.PutDisclosure(ctx, old, 4); !errors.Is(err, ErrStale) {
		t.Errorf("older put: %v, want ErrStale", err)
	}
	if err := s.DeleteDisclosure(ctx, domain.SubjectID(e.Key), 4); !errors.Is(err, ErrStale) {
		t.Errorf("older withdrawal: %v, want ErrStale", err)
	}
	// Same version: the page's facts changed without a new grade.
	same := e
	same.Records[0].Objected = true
	if err := s.PutDisclosure(ctx, same, 5); err != nil {
		t.Fatal(err)
	}
	if got := listAll(t, s.ListDisclosed); len(got) != 1 || got[0].Version != 5 || !got[0].Entry.Records[0].Objected || got[0].Entry.Name != "甲旅馆" {
		t.Errorf("after the same-version rewrite: %+v", got)
	}
}

func disclosureWithdraw(t *testing.T, s DisclosureStore) {
	ctx := context.Background()
	e := cEntry("91411422MA44ABCD1X", "甲旅馆")
	id := domain.SubjectID(e.Key)
	if err := s.PutDisclosure(ctx, e, 2); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDisclosure(ctx, id, 3); err != nil {
		t.Fatal(err)
	}
	if got := listAll(t, s.ListDisclosed); len(got) != 0 {
		t.Errorf("withdrawn entry still listed: %+v", got)
	}
	if err := s.PutDisclosure(ctx, e, 2); !errors.Is(err, ErrStale) {
		t.Errorf("older run re-disclosed a withdrawn entry: %v, want ErrStale", err)
	}
	// Withdrawing what was never stored, or again, is fine.
	if err := s.DeleteDisclosure(ctx, id, 3); err != nil {
		t.Error(err)
	}
	if err := s.DeleteDisclosure(ctx, "91411422MA44NONE0Z", 0); err != nil {
		t.Error(err)
	}
	if err := s.PutDisclosure(ctx, e, 4); err != nil {
		t.Fatal(err)
	}
	if got := listAll(t, s.ListDisclosed); len(got) != 1 || got[0].Version != 4 {
		t.Errorf("re-disclosed at a newer version: %+v", got)
	}
}

func disclosurePages(t *testing.T, s DisclosureStore) {
	ctx := context.Background()
	var want []string
	for i := range 5 {
		key := fmt.Sprintf("91411422MA44K%05d", 4-i) // stored out of order
		if err := s.PutDisclosure(ctx, cEntry(key, "主体"), 1); err != nil {
			t.Fatal(err)
		}
		want = append([]string{key}, want...)
	}
	var got []string
	for _, d := range listAll(t, s.ListDisclosed) {
		got = append(got, d.Entry.Key)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}
}

func disclosureInvalid(t *testing.T, s DisclosureStore) {
	ctx := context.Background()
	b := cEntry("91411422MA44ABCD1X", "甲")
	b.Level = domain.LevelB
	bad := cEntry("SUBJ#x/../", "甲")
	cases := []struct {
		name string
		err  error
	}{
		{"a B entry", s.PutDisclosure(ctx, b, 1)},
		{"a key no page can have", s.PutDisclosure(ctx, bad, 1)},
		{"a negative version", s.PutDisclosure(ctx, cEntry("91411422MA44ABCD1X", "甲"), -1)},
		{"withdrawing a bad key", s.DeleteDisclosure(ctx, "a#b", 1)},
	}
	for _, c := range cases {
		if !errors.Is(c.err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", c.name, c.err)
		}
	}
}
