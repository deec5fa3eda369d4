package notice

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"strings"
)

//go:embed notice.tmpl
var noticeTmpl string

var page = template.Must(template.New("notice").Funcs(template.FuncMap{"cn": chineseNumeral, "inc": func(i int) int { return i + 1 }}).Parse(noticeTmpl))

// Section is one numbered part of the notice.
type Section struct {
	Heading string
	Intro   string
	Items   []string // a numbered list, when the section has one
	Body    string
}

// Sections lists the notice's parts in order; Text and HTML both print it,
// so the two forms always say the same thing.
func (n Notice) Sections() []Section {
	s := []Section{
		{Heading: "评定理由", Items: n.Reasons},
		{Heading: n.MeasuresHeading, Intro: n.MeasuresIntro, Items: n.Measures},
		{Heading: "等级自动变更日期", Body: n.NextChangeZH},
	}
	if n.Reminder != "" {
		s = append(s, Section{Heading: "信用提醒", Body: n.Reminder})
	}
	s = append(s, Section{Heading: "异议", Body: n.Objection})
	if n.Repair != "" {
		s = append(s, Section{Heading: "信用修复", Body: n.Repair})
	}
	return s
}

// Text is the notice as plain text.
func (n Notice) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", n.Title)
	fmt.Fprintf(&b, "%s：\n", n.Addressee)
	if n.CreditCode != "" {
		fmt.Fprintf(&b, "（统一社会信用代码：%s）\n", n.CreditCode)
	}
	fmt.Fprintf(&b, "\n    %s\n", n.Opening)
	for i, s := range n.Sections() {
		fmt.Fprintf(&b, "\n%s、%s\n", chineseNumeral(i+1), s.Heading)
		if s.Intro != "" {
			fmt.Fprintf(&b, "    %s\n", s.Intro)
		}
		for j, it := range s.Items {
			fmt.Fprintf(&b, "    %d. %s\n", j+1, it)
		}
		if s.Body != "" {
			fmt.Fprintf(&b, "    %s\n", s.Body)
		}
	}
	fmt.Fprintf(&b, "\n（评定依据政策版本：%s）\n\n", n.PolicyVersion)
	fmt.Fprintf(&b, "%s\n%s\n", n.Issuer, n.IssuedOnZH)
	return b.String()
}

// HTML is the notice as a printable A4 page (html/template, inline CSS, no
// external assets).
func (n Notice) HTML() ([]byte, error) {
	var buf bytes.Buffer
	if err := page.Execute(&buf, n); err != nil {
		return nil, fmt.Errorf("render notice: %w", err)
	}
	return buf.Bytes(), nil
}

var numerals = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// chineseNumeral writes 1–10 as 一…十 (a notice has fewer sections).
func chineseNumeral(i int) string {
	if i >= 0 && i < len(numerals) {
		return numerals[i]
	}
	return fmt.Sprint(i)
}
