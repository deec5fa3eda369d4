package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/suixian-psb/credit/shared/domain"
)

const hostile = `<script>alert("x")</script>' onmouseover="alert(1)" &amp; </td></tr><b>`

func hostileEntry(t *testing.T) Entry {
	t.Helper()
	subj := domain.Subject{ID: code1, Type: domain.LegalPerson, Name: hostile + strings.Repeat("很长的名称", 200), CreditCode: code1}
	r := decision("R1", code1, `<img src=x onerror=alert(2)>号`, "2026-03-01", domain.StatusObjected, `事实<script>bad()</script>`,
		domain.Sanction{Kind: domain.SanctionFine, AmountFen: 12345})
	g := cGrade(code1, "R1")
	g.Reasons[0].MessageZH = `原因</li><script>evil()</script>`
	e, err := NewEntry(subj, g, []domain.Record{r}, domain.MustDate("2027-02-28"), testUnits)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// parse checks the page is HTML whose only script elements are the page's
// own (at most one, with no src), and returns its text content.
func parse(t *testing.T, page []byte, wantScripts int) string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	scripts := 0
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script":
				scripts++
			case "img", "iframe", "object", "link":
				t.Errorf("unexpected <%s> element: injected markup or an external asset", n.Data)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("event handler attribute %s=%q on <%s>", a.Key, a.Val, n.Data)
				}
				if (a.Key == "src" || a.Key == "href") && strings.Contains(a.Val, "//") {
					t.Errorf("external reference %s=%q", a.Key, a.Val)
				}
			}
		}
		if n.Type == html.TextNode && (n.Parent == nil || n.Parent.Data != "script" && n.Parent.Data != "style") {
			text.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if scripts != wantScripts {
		t.Errorf("page has %d <script> elements, want %d", scripts, wantScripts)
	}
	return text.String()
}

func TestSubjectPageEscapesAndShowsFacts(t *testing.T) {
	e := hostileEntry(t)
	page, err := SubjectPage(Site{}, e)
	if err != nil {
		t.Fatal(err)
	}
	text := parse(t, page, 0)
	for _, want := range []string{
		hostile,                          // the name shown literally, as text
		code1,                            // the code
		`原因</li><script>evil()</script>`, // the reason, as text
		`<img src=x onerror=alert(2)>号`,  // the document number, as text
		"罚款 123.45 元",                    // sanction with amount
		"123.45 元",                       // amount total
		"异议处理中",                          // objection mark
		"2027-02-28",                     // end of disclosure
		"2026-11-20",                     // since
		"C级（严重失信）",
		"执法单位睢县公安局城关派出所", // the unit by its name, not its code
	} {
		if !strings.Contains(text, want) {
			t.Errorf("page text lacks %q", want)
		}
	}
}

func TestIndexPage(t *testing.T) {
	e := hostileEntry(t)
	np := Entry{Key: "NPABCDEFGHIJKLMNOPQRSTUVWX", Name: "李*", Type: domain.NaturalPerson, TypeZH: "自然人", Level: domain.LevelC, Since: domain.MustDate("2026-10-01"), Reasons: []Reason{{Text: "在黑名单有效期内"}}}
	page, err := Index(Site{}, domain.MustDate("2026-12-04"), []Entry{e, np})
	if err != nil {
		t.Fatal(err)
	}
	text := parse(t, page, 1)
	for _, want := range []string{hostile, code1, "李*", "—（自然人）", "2026-10-01", "在黑名单有效期内", "信息截至 2026-12-04", "共 2 条"} {
		if !strings.Contains(text, want) {
			t.Errorf("index text lacks %q", want)
		}
	}
	s := string(page)
	for _, want := range []string{`href="subjects/` + code1 + `.html"`, `href="subjects/NPABCDEFGHIJKLMNOPQRSTUVWX.html"`, `data-k="李* npabcdefghijklmnopqrstuvwx"`, `href="data/c-list.csv"`} {
		if !strings.Contains(s, want) {
			t.Errorf("index lacks %s", want)
		}
	}
	if strings.Contains(s, "honour.html") {
		t.Error("honour roll linked while disabled")
	}
	withHonour, err := Index(Site{Honour: true}, domain.MustDate("2026-12-04"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(withHonour), `href="honour.html"`) || !strings.Contains(string(withHonour), "目前没有公示中的主体") {
		t.Error("empty index with honour roll: missing link or empty notice")
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	e := hostileEntry(t)
	a, _ := SubjectPage(Site{}, e)
	b, _ := SubjectPage(Site{}, e)
	if !bytes.Equal(a, b) {
		t.Error("same facts rendered to different bytes: content hashes would always differ")
	}
}

func TestOpenData(t *testing.T) {
	e := hostileEntry(t)
	e.Name = "=HYPERLINK(\"http://x\")"
	np := Entry{Key: "NPABCDEFGHIJKLMNOPQRSTUVWX", Name: "李*", Type: domain.NaturalPerson, TypeZH: "自然人", Level: domain.LevelC, Reasons: []Reason{{Rule: "c.black_list", Text: "黑名单"}}}

	t.Run("json", func(t *testing.T) {
		b, err := OpenJSON(domain.MustDate("2026-12-04"), []Entry{e, np})
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			AsOf     string `json:"as_of"`
			Count    int    `json:"count"`
			Subjects []struct {
				Key, Name, CreditCode string
				Until                 *string `json:"disclosed_until"`
				Records               []struct {
					AmountFen      int64  `json:"amount_fen"`
					AmountYuan     string `json:"amount_yuan"`
					UnderObjection bool   `json:"under_objection"`
					Unit           string `json:"unit"`
					UnitName       string `json:"unit_name"`
				}
			}
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.AsOf != "2026-12-04" || doc.Count != 2 || len(doc.Subjects) != 2 {
			t.Fatalf("doc = %+v", doc)
		}
		s := doc.Subjects[0]
		if s.Until == nil || *s.Until != "2027-02-28" || len(s.Records) != 1 || s.Records[0].AmountFen != 12345 || s.Records[0].AmountYuan != "123.45" || !s.Records[0].UnderObjection {
			t.Errorf("subject 0 = %+v", s)
		}
		if r := s.Records[0]; r.Unit != "411422-PCS-01" || r.UnitName != "睢县公安局城关派出所" {
			t.Errorf("unit = %q, unit_name = %q", r.Unit, r.UnitName)
		}
		if doc.Subjects[1].Until != nil {
			t.Error("open-ended disclosure should have a null end")
		}
	})

	t.Run("csv", func(t *testing.T) {
		b, err := OpenCSV([]Entry{e, np})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
			t.Fatal("CSV lacks the UTF-8 byte order mark")
		}
		rows, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 {
			t.Fatalf("rows = %d, want header + 2", len(rows))
		}
		col := map[string]int{}
		for i, h := range rows[0] {
			col[h] = i
		}
		r := rows[1]
		checks := map[string]string{
			"主体标识": code1, "统一社会信用代码": code1, "名称": `'=HYPERLINK("http://x")`,
			"罚没款金额（分）": "12345", "罚没款金额（元）": "123.45", "异议处理中": "是", "公示截止日期": "2027-02-28",
			"处罚种类和幅度": "罚款 123.45 元", "信用等级": "C", "主体类型": "法人", "公示页面": "subjects/" + code1 + ".html",
			"执法单位": "睢县公安局城关派出所", "执法单位代码": "411422-PCS-01",
		}
		for h, want := range checks {
			i, ok := col[h]
			if !ok {
				t.Errorf("no column %q", h)
				continue
			}
			if r[i] != want {
				t.Errorf("column %q = %q, want %q", h, r[i], want)
			}
		}
		if rows[2][col["名称"]] != "李*" || rows[2][col["统一社会信用代码"]] != "" || rows[2][col["文书号"]] != "" {
			t.Errorf("natural person row = %q", rows[2])
		}
	})

	t.Run("schema documents every CSV column in both languages", func(t *testing.T) {
		b, err := SchemaJSON()
		if err != nil {
			t.Fatal(err)
		}
		var doc struct{ Fields []Field }
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Fields) != len(schema) {
			t.Errorf("fields = %d", len(doc.Fields))
		}
		for _, f := range doc.Fields {
			if f.DescZH == "" || f.DescEN == "" || f.Type == "" {
				t.Errorf("field %s lacks a description or type", f.Name)
			}
		}
	})
}
