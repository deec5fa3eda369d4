package render

import (
	"errors"
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
)

func TestFormatYuan(t *testing.T) {
	cases := []struct {
		name string
		fen  int64
		want string
	}{
		{"zero", 0, "0.00 元"},
		{"one fen", 1, "0.01 元"},
		{"example", 12345, "123.45 元"},
		{"thousands", 50000001, "500,000.01 元"},
		{"round hundreds", 100000, "1,000.00 元"},
		{"large exact", 900719925474099199, "9,007,199,254,740,991.99 元"},
		{"negative", -5, "-0.05 元"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := FormatYuan(c.fen); got != c.want {
				t.Errorf("FormatYuan(%d) = %q, want %q", c.fen, got, c.want)
			}
		})
	}
}

func TestNewEntry(t *testing.T) {
	legal := domain.Subject{ID: code1, Type: domain.LegalPerson, Name: "睢县某某旅馆有限公司", CreditCode: code1}
	r1 := decision("R1", code1, "睢公(治)罚决字〔2026〕101号", "2026-03-01", domain.StatusActive, "未登记旅客身份，联系电话13800138000",
		domain.Sanction{Kind: domain.SanctionFine, AmountFen: 12345}, domain.Sanction{Kind: domain.SanctionWarning})
	r2 := decision("R2", code1, "睢公(治)罚决字〔2026〕102号", "2026-05-01", domain.StatusObjected, "旅客 110101199003074578 未登记",
		domain.Sanction{Kind: domain.SanctionConfiscation, AmountFen: 100})
	r3 := decision("R3", code1, "睢公(治)罚决字〔2026〕103号", "2026-06-01", domain.StatusActive, "x")
	other := decision("R9", code1, "unrelated", "2026-07-01", domain.StatusActive, "not behind any reason")

	cases := []struct {
		name  string
		subj  domain.Subject
		check func(t *testing.T, e Entry, err error)
	}{
		{"legal person with records", legal, func(t *testing.T, e Entry, err error) {
			if err != nil {
				t.Fatal(err)
			}
			if e.Name != legal.Name || e.CreditCode != code1 || e.Key != code1 {
				t.Errorf("identity = %q %q %q", e.Name, e.CreditCode, e.Key)
			}
			if len(e.Records) != 3 {
				t.Fatalf("records = %d, want 3 (only those behind reasons)", len(e.Records))
			}
			if e.Records[0].ID != "R3" || e.Records[2].ID != "R1" {
				t.Errorf("records not newest first: %s %s %s", e.Records[0].ID, e.Records[1].ID, e.Records[2].ID)
			}
			if !e.Records[1].Objected || e.Records[0].Objected {
				t.Error("objected flag wrong")
			}
			if e.Records[2].AmountFen != 12345 || e.Records[2].Sanctions[0].Text != "罚款 123.45 元" {
				t.Errorf("amount = %d %q", e.Records[2].AmountFen, e.Records[2].Sanctions[0].Text)
			}
			all := strings.Join(append(e.Records[1].Details, e.Records[2].Details...), "|")
			if strings.Contains(all, "13800138000") || strings.Contains(all, "110101199003074578") {
				t.Errorf("phone or ID number not scrubbed: %s", all)
			}
		}},
		{"natural person masked, never an id number", domain.Subject{ID: "NPABCDEFGHIJKLMNOPQRSTUVWX", Type: domain.NaturalPerson, Name: "张三丰"}, func(t *testing.T, e Entry, err error) {
			if err != nil {
				t.Fatal(err)
			}
			if e.Name != "张*" || e.CreditCode != "" || e.Key != "NPABCDEFGHIJKLMNOPQRSTUVWX" {
				t.Errorf("natural person = %q %q %q", e.Name, e.CreditCode, e.Key)
			}
			if e.CodeText() != "—（自然人）" {
				t.Errorf("code text = %q", e.CodeText())
			}
		}},
		{"unsafe key refused", domain.Subject{ID: "../../index", Type: domain.LegalPerson, Name: "x"}, func(t *testing.T, e Entry, err error) {
			if !errors.Is(err, ErrNotPublishable) {
				t.Errorf("err = %v, want ErrNotPublishable", err)
			}
		}},
		{"unknown type refused", domain.Subject{ID: code1, Type: "robot", Name: "x"}, func(t *testing.T, e Entry, err error) {
			if !errors.Is(err, ErrNotPublishable) {
				t.Errorf("err = %v, want ErrNotPublishable", err)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			subj := c.subj
			recs := []domain.Record{r1, r2, r3, other}
			for i := range recs {
				recs[i].SubjectID = subj.ID
			}
			e, err := NewEntry(subj, cGrade(subj.ID, "R1", "R2", "R3"), recs, domain.MustDate("2027-03-01"), testUnits)
			c.check(t, e, err)
		})
	}
}

func TestEntryUnitNames(t *testing.T) {
	subj := domain.Subject{ID: code1, Type: domain.LegalPerson, Name: "睢县某某旅馆有限公司", CreditCode: code1}
	known := decision("R1", code1, "睢公(治)罚决字〔2026〕101号", "2026-03-01", domain.StatusActive, "x")
	cases := []struct {
		name     string
		unit     string
		units    UnitNames
		wantName string
		wantText string
	}{
		{"registered unit shows its name", "411422-PCS-01", testUnits, "睢县公安局城关派出所", "睢县公安局城关派出所"},
		{"unknown unit shows its code", "411422-PCS-77", testUnits, "411422-PCS-77", "411422-PCS-77"},
		{"no registry shows the code", "411422-PCS-01", nil, "", "411422-PCS-01"},
		{"a name is scrubbed like any text", "U1", unitMap{"U1": "某所 13800138000"}, scrub("某所 13800138000"), scrub("某所 13800138000")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := known
			r.Unit = tc.unit
			e, err := NewEntry(subj, cGrade(subj.ID, "R1"), []domain.Record{r}, domain.Date{}, tc.units)
			if err != nil {
				t.Fatal(err)
			}
			got := e.Records[0]
			if strings.Contains(got.UnitText(), "13800138000") {
				t.Errorf("telephone number in the unit's name: %q", got.UnitText())
			}
			if got.Unit != tc.unit || got.UnitName != tc.wantName || got.UnitText() != tc.wantText {
				t.Errorf("unit = %q, name = %q, text = %q; want %q, %q, %q", got.Unit, got.UnitName, got.UnitText(), tc.unit, tc.wantName, tc.wantText)
			}
		})
	}
}

func TestReasonLine(t *testing.T) {
	e := Entry{Reasons: []Reason{{Text: "甲"}, {Text: "乙"}}}
	if got := e.ReasonLine(); got != "甲 等 2 项" {
		t.Errorf("ReasonLine = %q", got)
	}
	if got := (Entry{Reasons: []Reason{{Text: "甲"}}}).ReasonLine(); got != "甲" {
		t.Errorf("ReasonLine = %q", got)
	}
}
