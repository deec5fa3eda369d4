package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

var (
	bg       = context.Background()
	company  = identity.MakeCreditCode("91411422MA4000AB")
	personID = domain.SubjectID("NPABCDEFGHIJKLMNOPQRSTUVWX")
	posted   = time.Date(2026, 12, 3, 17, 30, 0, 0, time.UTC) // 2026-12-04 01:30 in Shanghai
)

type subjectsMap map[domain.SubjectID]domain.Subject

func (m subjectsMap) GetSubject(_ context.Context, id domain.SubjectID) (domain.Subject, error) {
	s, ok := m[id]
	if !ok {
		return domain.Subject{}, fmt.Errorf("subject %s: %w", id, storage.ErrNotFound)
	}
	return s, nil
}

func subjects() subjectsMap {
	return subjectsMap{
		domain.SubjectID(company): {ID: domain.SubjectID(company), Type: domain.LegalPerson, Name: "睢县某某娱乐有限公司", CreditCode: company},
		personID:                  {ID: personID, Type: domain.NaturalPerson, Name: "张三丰", SealedIdentity: []byte("sealed")},
	}
}

func decisionRecord(subject domain.SubjectID, acts ...domain.Act) domain.Record {
	return domain.Record{
		ID: "R" + strings.Repeat("7", 20), Kind: domain.KindDecision, SubjectID: subject, Unit: "411422-PCS-01",
		DocumentNo: "睢公（治）行罚决字〔2026〕101号", EffectiveDate: domain.MustDate("2026-12-02"),
		Status: domain.StatusActive, CountsUntil: domain.MustDate("2027-12-02"),
		Decision: &domain.Decision{Acts: acts}, CreatedAt: posted,
	}
}

// streamRecord is a record's stream record, with the attributes the table
// copies out of the document (shared/storage layout).
func streamRecord(seq, name string, attrs map[string]string, nums map[string]string, doc any, at time.Time) events.DynamoDBEventRecord {
	b, _ := json.Marshal(doc)
	img := map[string]events.DynamoDBAttributeValue{"doc": events.NewStringAttribute(string(b))}
	for k, v := range attrs {
		img[k] = events.NewStringAttribute(v)
	}
	for k, v := range nums {
		img[k] = events.NewNumberAttribute(v)
	}
	return events.DynamoDBEventRecord{
		EventID: "ev-" + seq, EventName: name, EventSource: "aws:dynamodb",
		Change: events.DynamoDBStreamRecord{
			SequenceNumber: seq, NewImage: img, StreamViewType: "NEW_AND_OLD_IMAGES",
			ApproximateCreationDateTime: events.SecondsEpochTime{Time: at},
		},
	}
}

func decisionStream(seq string, rec domain.Record, rev string) events.DynamoDBEventRecord {
	return streamRecord(seq, "INSERT", map[string]string{
		"PK": "SUBJ#" + string(rec.SubjectID), "SK": "REC#" + rec.ID, "entity": "record", "kind": "decision",
		"status": string(rec.Status), "subject_id": string(rec.SubjectID),
	}, map[string]string{"rev": rev}, rec, posted.Add(time.Minute))
}

func TestDecisionRowLayout(t *testing.T) {
	rec := decisionRecord(domain.SubjectID(company),
		domain.Act{Facts: "超时营业，联系电话13800138000。", LegalBasis: "《娱乐场所管理条例》第四十八条", Sanctions: []domain.Sanction{
			{Kind: domain.SanctionWarning},
			{Kind: domain.SanctionFine, AmountFen: 12345678},
		}},
		domain.Act{Facts: "未按规定登记。", LegalBasis: "《治安管理处罚法》第五十六条", Sanctions: []domain.Sanction{
			{Kind: domain.SanctionFine, AmountFen: 1},
			{Kind: domain.SanctionConfiscation, AmountFen: 2000000},
			{Kind: domain.SanctionLicenceSuspension, LicenceName: "娱乐经营许可证", LicenceNumber: "豫商41142200001"},
		}},
	)
	e, err := EventOf(bg, subjects(), DefaultLabels, decisionStream("100", rec, "1"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Kind != KindDecision || e.Date != "2026-12-04" || e.Key() != "feed/2026-12-04/decision-"+rec.ID+"-r1.json" {
		t.Errorf("event %s %s %s", e.Kind, e.Date, e.Key())
	}
	b, err := Encode(e)
	if err != nil {
		t.Fatal(err)
	}
	// The penalty object has exactly the layout's fields, in its order.
	var raw struct {
		Penalty json.RawMessage `json:"penalty"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	want := []string{"行政相对人名称", "行政相对人类别", "统一社会信用代码", "行政处罚决定书文号", "违法行为类型", "违法事实",
		"处罚依据", "处罚类别", "处罚内容", "罚款金额（万元）", "没收违法所得、没收非法财物的金额（万元）", "暂扣或吊销证照名称及编号",
		"处罚决定日期", "处罚机关", "处罚机关统一社会信用代码", "数据来源单位", "公示截止期", "备注"}
	if got := keysInOrder(t, raw.Penalty); !reflect.DeepEqual(got, want) {
		t.Errorf("fields\n got %v\nwant %v", got, want)
	}
	var p Penalty
	if err := json.Unmarshal(raw.Penalty, &p); err != nil {
		t.Fatal(err)
	}
	wantP := Penalty{
		Name: "睢县某某娱乐有限公司", Category: "法人及非法人组织", CreditCode: company, DocumentNo: rec.DocumentNo,
		Facts:           "（1）超时营业，联系电话" + identity.MaskPhone + "。；（2）未按规定登记。",
		Basis:           "（1）《娱乐场所管理条例》第四十八条；（2）《治安管理处罚法》第五十六条",
		Kinds:           "警告；罚款；没收违法所得、没收非法财物；暂扣许可证件",
		Content:         "（1）警告，罚款人民币123456.78元；（2）罚款人民币0.01元，没收违法所得、非法财物计人民币20000.00元，暂扣许可证件（娱乐经营许可证 豫商41142200001）",
		FineWan:         "12.345679", // 12345678 + 1 fen
		ConfiscationWan: "2",
		Licences:        "娱乐经营许可证 豫商41142200001",
		DecisionDate:    "2026-12-02", Authority: "睢县公安局", Source: "睢县公安局",
		DisclosureUntil: "2027-12-01", Note: "承办单位：411422-PCS-01",
	}
	if p != wantP {
		t.Errorf("penalty\n got %+v\nwant %+v", p, wantP)
	}
}

func TestFineAmountExactInWan(t *testing.T) {
	rec := decisionRecord(domain.SubjectID(company), domain.Act{Facts: "f", LegalBasis: "b", Sanctions: []domain.Sanction{
		{Kind: domain.SanctionFine, AmountFen: 12345678},
	}})
	p, err := PenaltyOf(subjects()[domain.SubjectID(company)], rec, "a", "s")
	if err != nil {
		t.Fatal(err)
	}
	if p.FineWan != "12.345678" || p.ConfiscationWan != "" || p.Kinds != "罚款" {
		t.Errorf("fine %q confiscation %q kinds %q", p.FineWan, p.ConfiscationWan, p.Kinds)
	}
}

func keysInOrder(t *testing.T, obj []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(obj))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", obj)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestNaturalPersonIsMasked(t *testing.T) {
	const idNumber = "110101199003074578"
	rec := decisionRecord(personID, domain.Act{
		Facts: "张三丰（身份证号" + idNumber + "）殴打他人。", LegalBasis: "《治安管理处罚法》第四十三条",
		Sanctions: []domain.Sanction{{Kind: domain.SanctionDetention, DetentionDays: 5}, {Kind: domain.SanctionFine, AmountFen: 50000}},
	})
	rec.Status = domain.StatusObjected
	e, err := EventOf(bg, subjects(), DefaultLabels, decisionStream("200", rec, "2"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Encode(e)
	text := string(b)
	for _, bad := range []string{idNumber, "张三丰", string(personID), "sealed"} {
		if strings.Contains(text, bad) {
			t.Errorf("the feed carries %q: %s", bad, text)
		}
	}
	if e.Penalty.Name != "张*" || e.Penalty.Category != "自然人" || e.Penalty.CreditCode != "" ||
		e.Subject.Name != "张*" || e.Subject.ID != "" || !strings.HasPrefix(e.Penalty.Note, "异议处理中") ||
		e.Penalty.Content != "行政拘留5日，罚款人民币500.00元" || e.Penalty.FineWan != "0.05" {
		t.Errorf("event %+v penalty %+v", e, e.Penalty)
	}
}

func gradeStream(seq string, g domain.Grade, oldLevel domain.Level) events.DynamoDBEventRecord {
	r := streamRecord(seq, "MODIFY", map[string]string{
		"PK": "SUBJ#" + string(g.SubjectID), "SK": "GRADE", "entity": "grade", "level": string(g.Level), "subject_id": string(g.SubjectID),
	}, map[string]string{"version": fmt.Sprint(g.Version)}, g, posted)
	if oldLevel != "" {
		r.Change.OldImage = map[string]events.DynamoDBAttributeValue{"level": events.NewStringAttribute(string(oldLevel))}
	}
	return r
}

func TestGradeChangeRow(t *testing.T) {
	g := domain.Grade{
		SubjectID: domain.SubjectID(company), Level: domain.LevelC, PolicyVersion: "2026.1", AsOf: domain.MustDate("2026-12-04"),
		Reasons:    []domain.Reason{{Rule: "c.penalty_acts", Level: domain.LevelC, MessageZH: "一年内行政处罚3次"}},
		ComputedAt: posted.Add(2 * time.Minute), Since: domain.MustDate("2026-12-04"), Version: 4,
	}
	e, err := EventOf(bg, subjects(), DefaultLabels, gradeStream("300", g, domain.LevelB))
	if err != nil {
		t.Fatal(err)
	}
	want := GradeChange{Level: domain.LevelC, LevelZH: "C级（严重失信）", PreviousLevel: domain.LevelB, Reasons: []string{"一年内行政处罚3次"},
		PolicyVersion: "2026.1", AsOf: "2026-12-04", Since: "2026-12-04", Version: 4}
	if e.Kind != KindGradeChange || e.Grade == nil || !reflect.DeepEqual(*e.Grade, want) || e.Subject.CreditCode != company ||
		e.Key() != "feed/2026-12-04/grade-"+company+"-v4.json" || !e.At.Equal(g.ComputedAt) {
		t.Errorf("event %+v grade %+v", e, e.Grade)
	}
}

func TestNotFeedEventsAreSkipped(t *testing.T) {
	openTask := domain.Task{ID: "remind-B-2026-12-04", SubjectID: domain.SubjectID(company), Status: "open"}
	tests := []struct {
		name string
		rec  events.DynamoDBEventRecord
	}{
		{"open task", streamRecord("1", "MODIFY", map[string]string{"entity": "task", "status": "open"}, nil, openTask, posted)},
		{"other record kind", streamRecord("2", "INSERT", map[string]string{"entity": "record", "kind": "inspection"}, nil, domain.Record{}, posted)},
		{"removed grade", func() events.DynamoDBEventRecord {
			r := gradeStream("3", domain.Grade{SubjectID: domain.SubjectID(company), Level: domain.LevelC}, "")
			r.EventName = "REMOVE"
			return r
		}()},
		{"a report", streamRecord("4", "INSERT", map[string]string{"entity": "report"}, nil, map[string]string{}, posted)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := EventOf(bg, subjects(), DefaultLabels, tc.rec); err != errSkip {
				t.Errorf("err %v, want skip", err)
			}
		})
	}
}

func TestTaskClosedAndReminderRows(t *testing.T) {
	task := domain.Task{ID: "remind-C-2026-11-30", SubjectID: personID, Level: domain.LevelC, Allowed: []string{"written_reminder", "interview"},
		OpenedOn: domain.MustDate("2026-11-30"), DueOn: domain.MustDate("2026-12-30"), Status: "closed", ClosedBy: "RM-1"}
	e, err := EventOf(bg, subjects(), DefaultLabels, streamRecord("400", "MODIFY", map[string]string{"entity": "task", "status": "closed"}, nil, task, posted))
	if err != nil {
		t.Fatal(err)
	}
	if e.Kind != KindTaskClosed || e.Task.TaskID != task.ID || e.Date != "2026-12-04" || e.Subject.Name != "张*" ||
		!regexp.MustCompile(`^feed/2026-12-04/task-np[0-9a-f]{20}\.json$`).MatchString(e.Key()) {
		t.Errorf("task event %+v", e)
	}
	reminder := model.Reminder{
		ID: "RM-1", SubjectID: personID, SubjectType: domain.NaturalPerson, SubjectName: "张三丰",
		TaskID: task.ID, Level: domain.LevelC, Method: "interview",
		Person: model.Person{Role: model.PersonSelf, Name: "张三丰"},
		At:     time.Date(2026, 12, 5, 2, 0, 0, 0, time.UTC), Content: "告知失信行为，其电话13800138000，身份证110101199003074578",
		Officer: "李警官", Unit: "411422-PCS-01", CreatedAt: posted, RequestID: "req-1", ContentHash: "h",
	}
	e, err = EventOf(bg, subjects(), DefaultLabels, streamRecord("401", "INSERT", map[string]string{
		"PK": "SUBJ#" + string(personID), "SK": "REMIND#2026-12-05T02:00:00Z#RM-1", "entity": EntityReminder, "subject_id": string(personID),
	}, nil, reminder, posted))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Encode(e)
	for _, bad := range []string{"张三丰", "13800138000", "110101199003074578", string(personID), "req-1"} {
		if strings.Contains(string(b), bad) {
			t.Errorf("reminder row carries %q: %s", bad, b)
		}
	}
	r := e.Reminder
	if e.Kind != KindReminder || e.Date != "2026-12-05" || r == nil || r.PersonMet != "张*" || r.Method != "interview" ||
		r.Officer != "李警官" || r.PersonRole != model.PersonSelf || r.TaskID != task.ID || !strings.Contains(r.Content, "告知失信行为") {
		t.Errorf("reminder event %+v", e)
	}
}

// Integration with the S3-protocol server: the same stream record twice
// gives one object with the same bytes, the daily file lists each event
// once, and a record whose subject is missing fails alone.
func TestStreamWritesIdempotentlyToS3(t *testing.T) {
	client, bucket := testenv.S3(t)
	svc := &Service{Subjects: subjects(), Objects: client, Bucket: bucket, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	rec := decisionRecord(domain.SubjectID(company), domain.Act{Facts: "f", LegalBasis: "b", Sanctions: []domain.Sanction{
		{Kind: domain.SanctionFine, AmountFen: 12345678}}})
	dec := decisionStream("500", rec, "1")
	g := domain.Grade{SubjectID: domain.SubjectID(company), Level: domain.LevelB, ComputedAt: posted.Add(time.Minute), Version: 1, AsOf: domain.MustDate("2026-12-04")}
	grade := gradeStream("501", g, "")
	missing := decisionStream("502", decisionRecord("91411422MA4000XXXX"), "1")

	resp, err := svc.HandleStream(bg, events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{dec, grade}})
	if err != nil || len(resp.BatchItemFailures) != 0 {
		t.Fatalf("first batch: %v %v", resp, err)
	}
	first := getObject(t, client, bucket, "feed/2026-12-04/decision-"+rec.ID+"-r1.json")
	// Redelivery: the same records again, with one that fails.
	resp, err = svc.HandleStream(bg, events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{dec, missing, grade}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "502" {
		t.Errorf("failures %+v", resp.BatchItemFailures)
	}
	keys := listKeys(t, client, bucket)
	wantKeys := []string{"feed/2026-12-04.jsonl", "feed/2026-12-04/decision-" + rec.ID + "-r1.json", "feed/2026-12-04/grade-" + company + "-v1.json"}
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Errorf("keys\n got %v\nwant %v", keys, wantKeys)
	}
	if again := getObject(t, client, bucket, wantKeys[1]); !bytes.Equal(first, again) {
		t.Errorf("bytes changed:\n%s\n%s", first, again)
	}
	if !strings.Contains(string(first), `"罚款金额（万元）":"12.345678"`) {
		t.Errorf("object %s", first)
	}
	daily := getObject(t, client, bucket, "feed/2026-12-04.jsonl")
	lines := strings.Split(strings.TrimRight(string(daily), "\n"), "\n")
	if len(lines) != 2 || lines[0] != string(first) || !strings.Contains(lines[1], `"kind":"grade_change"`) {
		t.Errorf("daily file:\n%s", daily)
	}
	// Writing the same event directly reports no write (no new version).
	e, _ := EventOf(bg, subjects(), DefaultLabels, dec)
	if wrote, err := Write(bg, client, bucket, e); err != nil || wrote {
		t.Errorf("rewrite: wrote %v err %v", wrote, err)
	}
}

func getObject(t *testing.T, c *s3.Client, bucket, key string) []byte {
	t.Helper()
	out, err := c.GetObject(bg, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func listKeys(t *testing.T, c *s3.Client, bucket string) []string {
	t.Helper()
	out, err := c.ListObjectsV2(bg, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	return keys
}
