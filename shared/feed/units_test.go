package feed

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/testenv"
)

// unitMap is a unit registry for the tests: like units.Registry, it returns
// the code for a unit it does not know.
type unitMap map[string]string

func (m unitMap) NameZH(code string) string {
	if n, ok := m[code]; ok {
		return n
	}
	return code
}

var testUnits = unitMap{"411422-PCS-01": "睢县公安局城关派出所"}

func TestDecisionNamesItsUnit(t *testing.T) {
	withUnits := DefaultLabels
	withUnits.Units = testUnits
	cases := []struct {
		name       string
		labels     Labels
		unit       string
		wantSource string
		wantNote   string
	}{
		{"registered unit by name", withUnits, "411422-PCS-01", "睢县公安局城关派出所", "承办单位：睢县公安局城关派出所"},
		{"unknown unit by code", withUnits, "411422-PCS-77", "411422-PCS-77", "承办单位：411422-PCS-77"},
		{"record without unit: the bureau", withUnits, "", "睢县公安局", "承办单位："},
		{"no registry: the bureau and the code", DefaultLabels, "411422-PCS-01", "睢县公安局", "承办单位：411422-PCS-01"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := decisionRecord(domain.SubjectID(company), domain.Act{Facts: "f", LegalBasis: "b", Sanctions: []domain.Sanction{{Kind: domain.SanctionWarning}}})
			rec.Unit = tc.unit
			e, err := EventOf(bg, subjects(), tc.labels, decisionStream("600", rec, "1"))
			if err != nil {
				t.Fatal(err)
			}
			p := e.Penalty
			if p == nil {
				t.Fatalf("no penalty in %+v", e)
			}
			if p.Authority != "睢县公安局" || p.Source != tc.wantSource || p.Note != tc.wantNote {
				t.Errorf("处罚机关 %q, 数据来源单位 %q, 备注 %q; want 睢县公安局, %q, %q", p.Authority, p.Source, p.Note, tc.wantSource, tc.wantNote)
			}
		})
	}
}

func TestReminderNamesItsUnit(t *testing.T) {
	reminder := model.Reminder{
		ID: "RM-2", SubjectID: personID, SubjectType: domain.NaturalPerson, SubjectName: "张三丰",
		Level: domain.LevelC, Method: "interview", Person: model.Person{Role: model.PersonSelf, Name: "张三丰"},
		At: time.Date(2026, 12, 5, 2, 0, 0, 0, time.UTC), Content: "告知", Officer: "李警官", Unit: "411422-PCS-01", CreatedAt: posted,
	}
	rec := streamRecord("700", "INSERT", map[string]string{
		"PK": "SUBJ#" + string(personID), "SK": "REMIND#2026-12-05T02:00:00Z#RM-2", "entity": EntityReminder, "subject_id": string(personID),
	}, nil, reminder, posted)
	withUnits := DefaultLabels
	withUnits.Units = testUnits
	for _, tc := range []struct {
		name   string
		labels Labels
		want   string
	}{
		{"with registry", withUnits, "睢县公安局城关派出所"},
		{"without registry", DefaultLabels, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := EventOf(bg, subjects(), tc.labels, rec)
			if err != nil {
				t.Fatal(err)
			}
			if e.Reminder == nil || e.Reminder.Unit != "411422-PCS-01" || e.Reminder.UnitName != tc.want {
				t.Errorf("reminder %+v, want unit_name %q", e.Reminder, tc.want)
			}
		})
	}
}

// Units set on the labels reach the written feed, with the default names
// filled in for the bureau.
func TestServiceUnitsReachTheFeed(t *testing.T) {
	client, bucket := testenv.S3(t)
	svc := &Service{Subjects: subjects(), Objects: client, Bucket: bucket, Labels: Labels{Units: testUnits}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	rec := decisionRecord(domain.SubjectID(company), domain.Act{Facts: "f", LegalBasis: "b", Sanctions: []domain.Sanction{{Kind: domain.SanctionWarning}}})
	resp, err := svc.HandleStream(bg, events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{decisionStream("800", rec, "1")}})
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("batch: %v %v", resp, err)
	}
	obj := string(getObject(t, client, bucket, "feed/2026-12-04/decision-"+rec.ID+"-r1.json"))
	for _, want := range []string{`"处罚机关":"睢县公安局"`, `"数据来源单位":"睢县公安局城关派出所"`, `"备注":"承办单位：睢县公安局城关派出所"`} {
		if !strings.Contains(obj, want) {
			t.Errorf("object lacks %s: %s", want, obj)
		}
	}
}
