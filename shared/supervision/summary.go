package supervision

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"

	"github.com/suixian-psb/credit/shared/domain"
)

//go:embed summary.tmpl
var summaryTmpl string

var summaryPage = template.Must(template.New("summary").Parse(summaryTmpl))

// VerifyCommand is the documented command that checks a stored plan.
const VerifyCommand = "go run ./infra/cmd/verifyplan plan.json"

type summaryRow struct {
	Level  string
	InPool int
	Method string
	Drawn  int
}

type summaryView struct {
	Title        string
	Trade        string
	Jurisdiction string
	From, To     string
	Rows         []summaryRow
	TotalPool    int
	TotalDrawn   int
	Inspectors   int
	PerSubject   int
	Conflicts    int
	Policy       string
	Seed         string
	Algorithm    string
	Digest       string
	CreatedOn    string
	Command      string
}

// RenderSummaryHTML renders the public summary of a plan: the period, the
// pool, counts per level in the pool and drawn, the seed and how to check
// the plan. By construction it never shows a subject's name or id, nor an
// inspector's: the view model below holds none, so the template cannot
// leak them.
func RenderSummaryHTML(p Plan) ([]byte, error) {
	v := summaryView{
		Title:        fmt.Sprintf("%s%s“双随机、一公开”抽查计划", p.Pool.Jurisdiction, p.Pool.Trade),
		Trade:        p.Pool.Trade,
		Jurisdiction: p.Pool.Jurisdiction,
		From:         dateZH(p.Period.From),
		To:           dateZH(p.Period.To),
		Inspectors:   len(p.Roster),
		PerSubject:   p.InspectorsPerSubject,
		Policy:       p.Policy.Version,
		Seed:         p.Seed,
		Algorithm:    p.Algorithm,
		Digest:       p.Digest,
		CreatedOn:    dateZH(domain.DateIn(p.CreatedAt)),
		Command:      VerifyCommand,
	}
	for _, c := range p.Counts {
		v.Rows = append(v.Rows, summaryRow{Level: c.Level.NameZH(), InPool: c.InPool, Method: methodZH(c), Drawn: c.Drawn})
		v.TotalPool += c.InPool
		v.TotalDrawn += c.Drawn
	}
	for _, a := range p.Result {
		v.Conflicts += len(a.Conflicts)
	}
	var buf bytes.Buffer
	if err := summaryPage.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("render plan summary: %w", err)
	}
	return buf.Bytes(), nil
}

func methodZH(c LevelCount) string {
	switch c.Level {
	case domain.LevelA:
		return "免予日常巡查检查，不列入"
	case domain.LevelC:
		return "全部列入（最高检查频次）"
	}
	return fmt.Sprintf("按 %s 比例随机抽取（向上取整）", formatRate(c.Rate))
}

func dateZH(d domain.Date) string {
	if d.IsZero() {
		return "—"
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}
