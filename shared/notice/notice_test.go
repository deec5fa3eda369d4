package notice

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

var (
	company = domain.Subject{ID: "91411422MA44TEST0X", Type: domain.LegalPerson, Name: "睢县某某宾馆有限公司", CreditCode: "91411422MA44TEST0X"}
	issued  = domain.MustDate("2027-03-02")
	issuer  = "睢县公安局办公室"
)

func grade(level domain.Level, next string, reasons ...string) domain.Grade {
	g := domain.Grade{SubjectID: company.ID, Level: level, PolicyVersion: "2026.1", AsOf: domain.MustDate("2027-03-01"),
		ComputedAt: time.Date(2027, 2, 28, 16, 10, 0, 0, time.UTC)}
	if next != "" {
		g.NextChange = domain.MustDate(next)
	}
	for _, r := range reasons {
		g.Reasons = append(g.Reasons, domain.Reason{Rule: "x", Level: level, MessageZH: r})
	}
	return g
}

func TestNoticePerLevel(t *testing.T) {
	p := policy.MustDefault()
	b := grade(domain.LevelB, "")
	tests := []struct {
		name     string
		g        domain.Grade
		previous *domain.Grade
		want     []string
		absent   []string
	}{
		{"B to C", grade(domain.LevelC, "2027-09-15", "一年内行政处罚案件 3 次，达到严重失信标准（3 次）"), &b, []string{
			"经评定，自2027年3月1日起，你单位在公安行政执法和管理领域的信用等级由B级（一般失信）调整为C级（严重失信）。",
			"1. 一年内行政处罚案件 3 次，达到严重失信标准（3 次）",
			"二、惩戒措施", "第四条第三款", "严格限制申请特种行业经营", "以统一社会信用代码为索引，及时公开披露相关信息",
			"将于2027年9月15日", "约谈你单位主要负责人、分管负责人或者直接责任人",
			"20日内完成核查", "自处理决定作出之日起满3个月", "自处理决定作出之日起满1年",
			"（统一社会信用代码：91411422MA44TEST0X）", "睢县公安局办公室\n2027年3月2日",
		}, nil},
		{"first grade B", grade(domain.LevelB, "2028-01-10", "一年内警告 1 次"), nil, []string{
			"经评定，自2027年3月1日起，你单位在公安行政执法和管理领域的信用等级评定为B级（一般失信）。",
			"二、管理措施", "在随机抽查中列为检查对象", "书面信用提醒", "四、信用提醒", "五、异议", "六、信用修复",
		}, []string{"惩戒措施", "约谈"}},
		{"A honour", grade(domain.LevelA, "2027-12-31", "列入红名单"), &b, []string{
			"由B级（一般失信）调整为A级（信用优良）", "二、激励措施", "免予日常巡查检查", "四、异议",
		}, []string{"信用修复", "信用提醒"}},
		{"C to unrated, nothing pending", grade(domain.LevelUnrated, ""), ptr(grade(domain.LevelC, "")), []string{
			"由C级（严重失信）调整为未定级", "未发现评定为A级、B级或C级的情形", "未定级主体不适用奖惩措施。",
			"三、等级自动变更日期\n    无\n",
		}, []string{"信用修复", "惩戒措施"}},
		{"same level again", grade(domain.LevelC, ""), ptr(grade(domain.LevelC, "")), []string{"仍为C级（严重失信）"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := For(company, tc.g, tc.previous, p, issued, issuer)
			text := n.Text()
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("text lacks %q\n%s", w, text)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(text, a) {
					t.Errorf("text has %q", a)
				}
			}
			page, err := n.HTML()
			if err != nil {
				t.Fatal(err)
			}
			// The page says what the text says, sentence by sentence.
			for _, s := range n.Sections() {
				for _, it := range append(s.Items, s.Heading, s.Body) {
					if !strings.Contains(string(page), it) {
						t.Errorf("page lacks %q", it)
					}
				}
			}
			if err := wellFormed(page); err != nil {
				t.Errorf("page not well-formed: %v", err)
			}
		})
	}
}

func TestNoticeFollowsPolicyNumbers(t *testing.T) {
	p := policy.MustDefault()
	p.Objection.VerificationDays = 15
	p.Repair.GeneralMonths, p.Repair.SeriousMonths = 6, 18
	text := For(company, grade(domain.LevelC, ""), nil, p, issued, issuer).Text()
	for _, w := range []string{"15日内完成核查", "满6个月", "满18个月"} {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q", w)
		}
	}
}

func TestNoticeNaturalPersonNeverShowsIDNumber(t *testing.T) {
	const id = "11010519491231002X"
	person := domain.Subject{ID: "NPa1b2c3", Type: domain.NaturalPerson, Name: "张三" + id, CreditCode: id, SealedIdentity: []byte(id)}
	g := grade(domain.LevelC, "2027-09-01", "当事人（身份证号 "+id+"）一年内行政处罚案件 3 次", "旧号码 110105491231002 也不应出现")
	n := For(person, g, nil, policy.MustDefault(), issued, "睢县公安局"+id)
	page, err := n.HTML()
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(n)
	for name, out := range map[string]string{"text": n.Text(), "html": string(page), "json": string(js)} {
		for _, bad := range []string{id, "110105491231002", "1101051949"} {
			if strings.Contains(out, bad) {
				t.Errorf("%s shows %q", name, bad)
			}
		}
		if !strings.Contains(out, "张三") {
			t.Errorf("%s does not address the person by name", name)
		}
	}
	text := n.Text()
	if !strings.Contains(text, "约谈你本人") || strings.Contains(text, "（统一社会信用代码：") {
		t.Errorf("natural person wording wrong:\n%s", text)
	}
}

func TestNoticeEscapesHostileText(t *testing.T) {
	hostile := domain.Subject{ID: "91411422MA44TEST0X", Type: domain.LegalPerson, Name: `<script>alert(1)</script>"公司'&`, CreditCode: "91411422MA44TEST0X"}
	g := grade(domain.LevelB, "", `<img src=x onerror=alert(2)>警告 1 次`)
	page, err := For(hostile, g, nil, policy.MustDefault(), issued, `<b>办公室</b>`).HTML()
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, bad := range []string{"<script>", "<img", "<b>"} {
		if strings.Contains(s, bad) {
			t.Errorf("page contains raw %q", bad)
		}
	}
	if !strings.Contains(s, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("name not escaped as text")
	}
	if strings.Contains(s, "http://") || strings.Contains(s, "https://") || strings.Contains(s, "<link") {
		t.Errorf("page refers to external assets")
	}
	if !strings.Contains(s, "@page { size: A4") {
		t.Errorf("page lacks A4 print CSS")
	}
	if err := wellFormed(page); err != nil {
		t.Errorf("page not well-formed: %v", err)
	}
	writeArtifact("notice-hostile.html", page)
	good, _ := For(company, grade(domain.LevelC, "2027-09-15", "一年内行政处罚案件 3 次，达到严重失信标准（3 次），罚没款金额累计 12000.00 元"), ptr(grade(domain.LevelB, "")), policy.MustDefault(), issued, issuer).HTML()
	writeArtifact("notice.html", good)
}

func ptr(g domain.Grade) *domain.Grade { return &g }

func wellFormed(page []byte) error {
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(page, []byte("<!DOCTYPE html>\n"))))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func writeArtifact(name string, b []byte) {
	dir := filepath.Join("..", "..", "test-output")
	if os.MkdirAll(dir, 0o755) == nil {
		_ = os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
}
