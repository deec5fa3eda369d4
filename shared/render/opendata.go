package render

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/money"
)

// Open data files, relative to the site root.
const (
	OpenJSONPath   = "data/c-list.json"
	OpenCSVPath    = "data/c-list.csv"
	OpenSchemaPath = "data/schema.json"
)

// Field documents one open-data field. Name is its JSON path inside
// c-list.json; HeaderZH its column in c-list.csv ("" when JSON only).
type Field struct {
	Name     string `json:"name"`
	HeaderZH string `json:"csv_header,omitempty"`
	Type     string `json:"type"`
	DescZH   string `json:"description_zh"`
	DescEN   string `json:"description_en"`
}

// schema is the one definition of the open data; the JSON and CSV writers
// and the tests follow it, and the index page and schema.json show it.
var schema = []Field{
	{"as_of", "", "date", "数据截至日期（YYYY-MM-DD，北京时间）", "Date the data is current as of (YYYY-MM-DD, Asia/Shanghai)"},
	{"count", "", "integer", "公示主体数量", "Number of disclosed subjects"},
	{"subjects[].key", "主体标识", "string", "主体标识：法人和非法人组织为统一社会信用代码；自然人为不可逆的匿名编号", "Subject key: the unified social credit code, or an opaque id for a natural person"},
	{"subjects[].name", "名称", "string", "主体名称；自然人仅公开姓氏（如“张*”）", "Subject name; a natural person only as a masked name (e.g. 张*)"},
	{"subjects[].credit_code", "统一社会信用代码", "string", "统一社会信用代码（18位，自然人为空）", "Unified social credit code (18 characters; empty for natural persons)"},
	{"subjects[].subject_type", "主体类型", "string", "主体类型：legal_person 法人、organization 非法人组织、natural_person 自然人（CSV 为中文）", "Subject type: legal_person, organization, natural_person (Chinese in the CSV)"},
	{"subjects[].level", "信用等级", "string", "信用等级，本名单均为 C（严重失信）", "Credit level; always C (serious dishonesty) in this list"},
	{"subjects[].since", "列入日期", "date", "连续处于该等级的起始日期", "First day the subject has continuously held this level"},
	{"subjects[].disclosed_until", "公示截止日期", "date|null", "如无新的失信信息，公示的最后一日；名单未设截止日期时为空", "Last day of disclosure unless renewed by new facts; null when a list entry has no end date"},
	{"subjects[].page", "公示页面", "string", "主体公示页面的相对路径", "Relative path of the subject's page"},
	{"subjects[].reasons[].rule", "", "string", "评定规则标识（英文，稳定不变）", "Stable key of the rule that held"},
	{"subjects[].reasons[].text", "评定原因", "string", "评定原因说明（CSV 中多项以“；”分隔）", "The reason in Chinese (joined with “；” in the CSV)"},
	{"subjects[].records[].document_no", "文书号", "string", "文书号", "Document number"},
	{"subjects[].records[].date", "记录日期", "date", "决定日期、违法行为日期或名单生效日期", "Decision date, violation date or list start date"},
	{"subjects[].records[].unit", "执法单位代码", "string", "作出决定或报送信息的单位的代码（如 411422-PCS-01），供机器处理", "Code of the unit that made the decision or posted the fact (e.g. 411422-PCS-01), for machines"},
	{"subjects[].records[].unit_name", "执法单位", "string", "作出决定或报送信息的单位名称（如“睢县公安局城关派出所”）；单位未登记时为其代码", "Name of that unit (e.g. 睢县公安局城关派出所); its code when the unit is not registered"},
	{"subjects[].records[].kind", "记录类别", "string", "记录类别：decision 处理决定、commitment_violation 违反许可承诺书、list_entry 名单、evaluation 国家公共信用综合评价（CSV 为中文）", "Record kind (Chinese in the CSV)"},
	{"subjects[].records[].status", "", "string", "记录状态：active 有效、objected 异议处理中", "Record status: active, or objected (under objection)"},
	{"subjects[].records[].under_objection", "异议处理中", "boolean", "是否异议处理中（CSV 为“是/否”）", "Whether an objection is being handled (是/否 in the CSV)"},
	{"subjects[].records[].sanctions[].kind", "", "string", "处罚种类标识", "Sanction kind key"},
	{"subjects[].records[].sanctions[].text", "处罚种类和幅度", "string", "处罚种类和幅度（CSV 中多项以“；”分隔）", "Sanction and its extent (joined with “；” in the CSV)"},
	{"subjects[].records[].sanctions[].amount_fen", "", "integer", "该项处罚金额，单位：分", "Amount of this sanction in fen (1/100 yuan)"},
	{"subjects[].records[].amount_fen", "罚没款金额（分）", "integer", "该记录罚款、没收金额合计，单位：分（整数，无舍入）", "Total fines and confiscations of the record in fen (exact integer)"},
	{"subjects[].records[].amount_yuan", "罚没款金额（元）", "string", "同上，单位：元，保留两位小数（如 \"123.45\"）", "The same in yuan with two decimals, as a string (e.g. \"123.45\")"},
	{"subjects[].records[].details", "内容", "string[]", "违法事实、承诺事项或名单信息（已隐去身份证号码和电话号码）", "Facts, commitment or list details (ID and telephone numbers removed)"},
}

// Schema returns the open-data field reference.
func Schema() []Field { return append([]Field(nil), schema...) }

// SchemaJSON is data/schema.json.
func SchemaJSON() ([]byte, error) {
	doc := struct {
		Title    string            `json:"title"`
		TitleEN  string            `json:"title_en"`
		Files    map[string]string `json:"files"`
		Encoding string            `json:"encoding"`
		Fields   []Field           `json:"fields"`
	}{
		Title:   "严重失信主体名单（C级）开放数据字段说明",
		TitleEN: "Serious dishonesty (level C) list: open data field reference",
		Files: map[string]string{
			"c-list.json": "一个主体一个对象，记录嵌套 / one object per subject, records nested",
			"c-list.csv":  "一条记录一行，主体信息重复 / one row per record, subject columns repeated",
		},
		Encoding: "UTF-8; the CSV starts with a byte order mark for Excel",
		Fields:   schema,
	}
	return marshal(doc)
}

type openDoc struct {
	Title   string        `json:"title"`
	AsOf    domain.Date   `json:"as_of"`
	Schema  string        `json:"schema"`
	Count   int           `json:"count"`
	Subject []openSubject `json:"subjects"`
}

type openSubject struct {
	Key         string       `json:"key"`
	Name        string       `json:"name"`
	CreditCode  string       `json:"credit_code"`
	SubjectType string       `json:"subject_type"`
	Level       domain.Level `json:"level"`
	Since       domain.Date  `json:"since"`
	Until       *string      `json:"disclosed_until"`
	Page        string       `json:"page"`
	Reasons     []openReason `json:"reasons"`
	Records     []openRecord `json:"records"`
}

type openReason struct {
	Rule string `json:"rule"`
	Text string `json:"text"`
}

type openRecord struct {
	DocumentNo     string         `json:"document_no"`
	Date           domain.Date    `json:"date"`
	Unit           string         `json:"unit"`
	UnitName       string         `json:"unit_name"`
	Kind           string         `json:"kind"`
	Status         string         `json:"status"`
	UnderObjection bool           `json:"under_objection"`
	Sanctions      []openSanction `json:"sanctions"`
	AmountFen      int64          `json:"amount_fen"`
	AmountYuan     string         `json:"amount_yuan"`
	Details        []string       `json:"details"`
}

type openSanction struct {
	Kind      string `json:"kind"`
	Text      string `json:"text"`
	AmountFen int64  `json:"amount_fen"`
}

// OpenJSON is data/c-list.json.
func OpenJSON(asOf domain.Date, entries []Entry) ([]byte, error) {
	doc := openDoc{Title: "严重失信主体名单（C级）", AsOf: asOf, Schema: "schema.json", Count: len(entries), Subject: make([]openSubject, 0, len(entries))}
	for _, e := range entries {
		s := openSubject{
			Key: e.Key, Name: e.Name, CreditCode: e.CreditCode, SubjectType: string(e.Type),
			Level: e.Level, Since: e.Since, Page: e.Page(),
			Reasons: make([]openReason, 0, len(e.Reasons)), Records: make([]openRecord, 0, len(e.Records)),
		}
		if !e.Until.IsZero() {
			u := e.Until.String()
			s.Until = &u
		}
		for _, r := range e.Reasons {
			s.Reasons = append(s.Reasons, openReason(r))
		}
		for _, r := range e.Records {
			or := openRecord{
				DocumentNo: r.DocumentNo, Date: r.Date, Unit: r.Unit, UnitName: r.UnitText(), Kind: string(r.Kind), Status: string(r.Status),
				UnderObjection: r.Objected, AmountFen: r.AmountFen, AmountYuan: money.PlainYuan(r.AmountFen),
				Sanctions: make([]openSanction, 0, len(r.Sanctions)), Details: append([]string{}, r.Details...),
			}
			for _, sn := range r.Sanctions {
				or.Sanctions = append(or.Sanctions, openSanction{Kind: string(sn.Kind), Text: sn.Text, AmountFen: sn.AmountFen})
			}
			s.Records = append(s.Records, or)
		}
		doc.Subject = append(doc.Subject, s)
	}
	return marshal(doc)
}

// csvHeader is the CSV's columns, in order, from the schema.
func csvHeader() []string {
	var h []string
	for _, f := range schema {
		if f.HeaderZH != "" {
			h = append(h, f.HeaderZH)
		}
	}
	return h
}

// OpenCSV is data/c-list.csv: UTF-8 with a byte order mark (so Excel reads
// it as UTF-8), one row per record with the subject's columns repeated; a
// subject without a public record has one row with empty record columns.
func OpenCSV(entries []Entry) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("\uFEFF")
	w := csv.NewWriter(&b)
	w.UseCRLF = true // what Excel writes and expects
	header := csvHeader()
	if err := w.Write(header); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	for _, e := range entries {
		reasons := make([]string, len(e.Reasons))
		for i, r := range e.Reasons {
			reasons[i] = r.Text
		}
		subj := []string{e.Key, e.Name, e.CreditCode, e.TypeZH, string(e.Level), e.Since.String(), e.Until.String(), e.Page(), strings.Join(reasons, "；")}
		recs := e.Records
		if len(recs) == 0 {
			recs = []Record{{}}
		}
		for _, r := range recs {
			var sanctions []string
			for _, s := range r.Sanctions {
				sanctions = append(sanctions, s.Text)
			}
			objected, amountFen, amountYuan := "", "", ""
			if r.ID != "" {
				objected = "否"
				if r.Objected {
					objected = "是"
				}
				amountFen = strconv.FormatInt(r.AmountFen, 10)
				amountYuan = money.PlainYuan(r.AmountFen)
			}
			row := append(append([]string{}, subj...),
				r.DocumentNo, r.Date.String(), r.Unit, r.UnitText(), r.KindZH, objected,
				strings.Join(sanctions, "；"), amountFen, amountYuan, strings.Join(r.Details, "\n"))
			for i := range row {
				row[i] = csvSafe(row[i])
			}
			if len(row) != len(header) {
				return nil, fmt.Errorf("write csv: row has %d columns, header %d", len(row), len(header))
			}
			if err := w.Write(row); err != nil {
				return nil, fmt.Errorf("write csv: %w", err)
			}
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("write csv: %w", err)
	}
	return b.Bytes(), nil
}

// csvSafe stops a cell from being read as a spreadsheet formula: a name or
// fact starting with = + - @ (or a tab / carriage return) gets a leading
// apostrophe, the usual defence against CSV injection.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // readable Chinese and symbols; served as JSON, not HTML
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode json: %w", err)
	}
	return b.Bytes(), nil
}
