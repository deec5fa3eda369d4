package office

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
)

// registerFixture registers three reminders on three subjects and days and
// returns the environment at 2026-07-15.
func registerFixture(t *testing.T, e *env) {
	t.Helper()
	days := []struct {
		subj domain.SubjectID
		day  string
		at   string
	}{
		{company, "2026-05-31", "2026-05-31T23:30:00+08:00"}, // 15:30Z on the 31st: May in Shanghai
		{"91411422MA00000002", "2026-06-10", "2026-06-10T09:00:00+08:00"},
		{"91411422MA00000003", "2026-07-01", "2026-07-01T00:00:00+08:00"}, // 16:00Z on 30 June: July in Shanghai
	}
	for i, d := range days {
		e.clock.setDay(d.day)
		e.decision(t, d.subj, "D"+d.day, d.day, domain.SanctionWarning)
		e.clock.setDay("2026-07-15")
		in := oral(d.subj, d.at)
		if i == 1 {
			in.Content = "=HYPERLINK(\"http://x\")" // must stay text
		}
		if _, _, err := e.svc.RegisterReminder(ctx, office, in); err != nil {
			t.Fatalf("register %s: %v", d.subj, err)
		}
	}
}

func TestRegisterExport(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, e *env) {
		registerFixture(t, e)
		tests := []struct {
			name, from, to string
			want           []domain.SubjectID
		}{
			{"June only", "2026-06-01", "2026-06-30", []domain.SubjectID{"91411422MA00000002"}},
			{"last day of May to first of July", "2026-05-31", "2026-07-01", []domain.SubjectID{company, "91411422MA00000002", "91411422MA00000003"}},
			{"default: this month", "", "", []domain.SubjectID{"91411422MA00000003"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				from, to, err := ParseRange(tc.from, tc.to, domain.MustDate("2026-07-15"))
				if err != nil {
					t.Fatal(err)
				}
				rs, err := e.svc.Reminders(ctx, from, to)
				if err != nil {
					t.Fatal(err)
				}
				var got []domain.SubjectID
				for _, r := range rs {
					got = append(got, r.SubjectID)
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("entries of %v, want %v", got, tc.want)
				}
			})
		}
		from, to, _ := ParseRange("2026-05-01", "2026-07-31", domain.MustDate("2026-07-15"))
		rs, err := e.svc.Reminders(ctx, from, to)
		if err != nil || len(rs) != 3 {
			t.Fatalf("register %d entries, %v", len(rs), err)
		}

		var csvBuf bytes.Buffer
		if err := WriteCSV(&csvBuf, rs, registryNames); err != nil {
			t.Fatal(err)
		}
		raw := csvBuf.Bytes()
		if !bytes.HasPrefix(raw, []byte("\xEF\xBB\xBF")) {
			t.Fatal("CSV lacks the UTF-8 byte order mark")
		}
		rows, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
		if err != nil {
			t.Fatalf("CSV does not parse: %v", err)
		}
		checkRows(t, "csv", rows, rs, registryNames)
		if rows[2][10] != "'=HYPERLINK(\"http://x\")" {
			t.Errorf("formula-like cell %q not defused", rows[2][10])
		}

		var xBuf bytes.Buffer
		if err := WriteXLSX(&xBuf, rs, nil); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&xBuf)
		if err != nil {
			t.Fatalf("XLSX does not open: %v", err)
		}
		defer f.Close()
		xrows, err := f.GetRows(RegisterSheet)
		if err != nil {
			t.Fatal(err)
		}
		checkRows(t, "xlsx", xrows, rs, nil)
		if formula, _ := f.GetCellFormula(RegisterSheet, "K3"); formula != "" || xrows[2][10] != "=HYPERLINK(\"http://x\")" {
			t.Errorf("XLSX cell K3 is a formula %q / %q", formula, xrows[2][10])
		}
	})
}

// namesMap is a unit names resolver for the tests: a known code's name,
// else the code (as units.Registry).
type namesMap map[string]string

func (m namesMap) NameZH(code string) string {
	if n, ok := m[code]; ok {
		return n
	}
	return code
}

var registryNames = namesMap{"411422-OFFICE": "睢县公安局办公室"}

// checkRows checks the rows against the entries; names is what the export
// was given (nil: the unit column shows the code).
func checkRows(t *testing.T, format string, rows [][]string, rs []model.Reminder, names namesMap) {
	t.Helper()
	if len(rows) != len(rs)+1 || !slices.Equal(rows[0], RegisterHeaders) {
		t.Fatalf("%s: %d rows, header %v", format, len(rows), rows[0])
	}
	if rows[0][12] != "承办单位" || rows[0][13] != "承办单位代码" {
		t.Fatalf("%s: unit headers %q %q", format, rows[0][12], rows[0][13])
	}
	for i, r := range rs {
		row := rows[i+1]
		if row[0] != r.ID || row[2] != string(r.SubjectID) || row[6] != "口头信用提醒" || row[7] != "主要负责人" || row[4] != "B级（一般失信）" {
			t.Errorf("%s row %d: %v", format, i+1, row)
		}
		wantName := r.Unit
		if names != nil {
			wantName = names[r.Unit]
		}
		if r.Unit == "" || row[12] != wantName || row[13] != r.Unit {
			t.Errorf("%s row %d: unit %q / code %q, want %q / %q", format, i+1, row[12], row[13], wantName, r.Unit)
		}
	}
	if rows[1][9] != "2026-05-31 23:30:00" {
		t.Errorf("%s: time %q, want Shanghai wall time", format, rows[1][9])
	}
}

func TestParseRange(t *testing.T) {
	t.Parallel()
	today := domain.MustDate("2026-07-15")
	tests := []struct {
		name, from, to string
		ok             bool
	}{
		{"defaults", "", "", true},
		{"one day", "2026-07-01", "2026-07-01", true},
		{"reversed", "2026-07-02", "2026-07-01", false},
		{"too long", "2020-01-01", "2026-01-02", false},
		{"bad date", "2026-02-30", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseRange(tc.from, tc.to, today)
			if (err == nil) != tc.ok {
				t.Errorf("err %v, want ok=%v", err, tc.ok)
			}
		})
	}
}
