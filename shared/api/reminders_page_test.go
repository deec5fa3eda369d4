package api

import (
	"context"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/units"
)

// seedRegister stores register entries straight into the store (no task to
// close): per listed Shanghai wall time, one entry per subject, so several
// entries share a second and only the subject and id order them. It
// returns the ids of the entries between from and to (inclusive days) in
// key order, computed here, not by the store.
func seedRegister(t *testing.T, mem *storage.Memory, from, to domain.Date) []string {
	t.Helper()
	times := []string{
		"2026-05-31T23:59:59+08:00", // before the range
		"2026-06-01T00:00:00+08:00", // its first second
		"2026-06-10T09:00:00+08:00",
		"2026-06-30T23:59:59+08:00", // June's last second in Shanghai, 15:59:59Z
		"2026-07-01T00:00:00+08:00", // July's first, 16:00Z on 30 June
		"2026-07-15T10:30:00+08:00",
		"2026-08-31T23:59:59+08:00", // the range's last second
		"2026-09-01T00:00:00+08:00", // after the range
	}
	subjects := []domain.SubjectID{"91411422MA00000003", "91411422MA00000001", "91411422MA00000002"}
	type entry struct{ key, id string }
	var in []entry
	for i, ts := range times {
		at, err := time.Parse(time.RFC3339, ts)
		if err != nil {
			t.Fatal(err)
		}
		for j, s := range subjects {
			r := model.Reminder{
				ID: fmt.Sprintf("RM-%02d-%d", i, j), SubjectID: s, SubjectType: domain.LegalPerson, SubjectName: "某酒店",
				Level: domain.LevelB, Method: "oral_reminder", Person: model.Person{Role: "principal", Name: "王经理"},
				At: at.UTC(), Content: "口头提醒", Officer: "李警官", Unit: testUnit,
				CreatedAt: at.UTC(), CreatedBy: domain.Actor{Unit: testUnit, User: "clerk1", Role: RoleClerk},
			}
			if _, _, err := mem.RegisterReminder(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			if d := domain.DateIn(at); !d.Before(from) && !d.After(to) {
				in = append(in, entry{storage.ReminderTime(at) + "#" + string(s) + "#" + r.ID, r.ID})
			}
		}
	}
	slices.SortFunc(in, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	ids := make([]string, len(in))
	for i, e := range in {
		ids[i] = e.id
	}
	return ids
}

func TestListRemindersPages(t *testing.T) {
	t.Parallel()
	f := newOfficeFixture(t, "2026-09-15")
	from, to := domain.MustDate("2026-06-01"), domain.MustDate("2026-08-31")
	want := seedRegister(t, f.mem, from, to)
	if len(want) != 18 {
		t.Fatalf("fixture: %d entries in range, want 18", len(want))
	}
	for _, limit := range []int{1, 2, 4, 5, 17, 18, 500} {
		t.Run(fmt.Sprintf("limit %d", limit), func(t *testing.T) {
			var got []string
			cursor, pages := "", 0
			for {
				q := url.Values{"from": {from.String()}, "to": {to.String()}, "limit": {fmt.Sprint(limit)}}
				if cursor != "" {
					q.Set("cursor", cursor)
				}
				resp := f.do(t, request(RouteListReminders, auditor, nil, nil, q.Encode()))
				if resp.StatusCode != 200 {
					t.Fatalf("page %d: %d %s", pages, resp.StatusCode, resp.Body)
				}
				page := decodeBody[ReminderRegister](t, resp)
				if len(page.Items) > limit || page.From != from || page.To != to {
					t.Fatalf("page %d: %d items, range %s..%s", pages, len(page.Items), page.From, page.To)
				}
				for _, r := range page.Items {
					got = append(got, r.ID)
				}
				pages++
				if page.NextCursor == "" {
					break
				}
				if len(page.Items) != limit {
					t.Fatalf("page %d: %d items before the last page, want %d", pages, len(page.Items), limit)
				}
				cursor = page.NextCursor
				if pages > len(want)+1 {
					t.Fatal("paging does not end")
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("entries\n got %v\nwant %v", got, want)
			}
			if wantPages := max(1, (len(want)+limit-1)/limit); pages != wantPages {
				t.Errorf("%d pages, want %d", pages, wantPages)
			}
		})
	}
	t.Run("default limit: one page", func(t *testing.T) {
		page := decodeBody[ReminderRegister](t, f.do(t, request(RouteListReminders, office, nil, nil, "from=2026-06-01&to=2026-08-31")))
		if len(page.Items) != len(want) || page.NextCursor != "" {
			t.Errorf("%d items, next %q", len(page.Items), page.NextCursor)
		}
	})
}

func TestListRemindersBadPaging(t *testing.T) {
	t.Parallel()
	f := newOfficeFixture(t, "2026-09-15")
	seedRegister(t, f.mem, domain.MustDate("2026-06-01"), domain.MustDate("2026-08-31"))
	// A real cursor of June's range, used on August's.
	first := decodeBody[ReminderRegister](t, f.do(t, request(RouteListReminders, office, nil, nil, "from=2026-06-01&to=2026-06-30&limit=1")))
	if first.NextCursor == "" {
		t.Fatal("no cursor after the first June entry")
	}
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name, query, code string
	}{
		{"not base64", "cursor=%21%21%21", "invalid_cursor"},
		{"not a register cursor", "cursor=" + enc(`{"after":5}`), "invalid_cursor"},
		{"no time in the key", "cursor=" + enc(`{"after":"RM-01"}`), "invalid_cursor"},
		{"another listing's shape", "cursor=" + storage.EncodeCursor(map[string]string{"after": "2026-08-01T00:00:00Z"}), "invalid_cursor"},
		{"cursor of another range", "from=2026-08-01&to=2026-08-31&cursor=" + first.NextCursor, "invalid_cursor"},
		{"limit above 500", "limit=501", ""},
		{"limit zero", "limit=0", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.do(t, request(RouteListReminders, office, nil, nil, tc.query))
			if resp.StatusCode != 400 || !strings.Contains(resp.Body, tc.code) {
				t.Errorf("status %d %s, want 400 %s", resp.StatusCode, resp.Body, tc.code)
			}
		})
	}
	// The exports ignore paging: the whole range.
	resp := f.do(t, request(RouteListReminders, office, nil, nil, "from=2026-06-01&to=2026-08-31&format=csv&limit=1"))
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(resp.Body, "\uFEFF"))).ReadAll()
	if resp.StatusCode != 200 || err != nil || len(rows) != 1+18 {
		t.Errorf("csv export: %d, %d rows, %v", resp.StatusCode, len(rows), err)
	}
}

// The register export names the unit when the handler has a registry, and
// keeps the code in its own column.
func TestReminderExportUnitNames(t *testing.T) {
	t.Parallel()
	reg, err := units.Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		units    UnitNames
		wantName string
	}{
		{"registry", reg, reg.NameZH(testUnit)},
		{"no registry: the code", nil, testUnit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newOfficeFixture(t, "2026-09-15")
			f.h.cfg.Units = tc.units
			seedRegister(t, f.mem, domain.MustDate("2026-06-01"), domain.MustDate("2026-06-30"))
			resp := f.do(t, request(RouteListReminders, office, nil, nil, "from=2026-06-01&to=2026-06-30&format=csv"))
			rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(resp.Body, "\uFEFF"))).ReadAll()
			if err != nil || len(rows) < 2 {
				t.Fatalf("csv: %d rows, %v", len(rows), err)
			}
			name, code := slices.Index(rows[0], "承办单位"), slices.Index(rows[0], "承办单位代码")
			if name < 0 || code < 0 {
				t.Fatalf("headers %v", rows[0])
			}
			for _, row := range rows[1:] {
				if row[name] != tc.wantName || row[code] != testUnit {
					t.Errorf("unit %q / code %q, want %q / %q", row[name], row[code], tc.wantName, testUnit)
				}
			}
		})
	}
	if reg.NameZH(testUnit) == testUnit {
		t.Fatalf("the default registry does not name %s", testUnit)
	}
}
