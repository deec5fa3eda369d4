package dashboard

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"net/url"

	"github.com/suixian-psb/credit/shared/domain"
)

//go:embed page.tmpl
var pageTmpl string

var page = template.Must(template.New("page").Parse(pageTmpl))

type card struct {
	Label, Class string
	Count        int
	Delta        string
}

type levelTag struct{ Label, Class string }

type taskView struct {
	Name, Link, Kind, Opened, Due string
	Level                         levelTag
	Age                           int
	Overdue                       bool
}

type objectionView struct {
	Name, Link, DocumentNo, Filed, Due string
	Age                                int
	Overdue                            bool
}

type changeView struct {
	On, Name, Link string
	From, To       levelTag
	First          bool
}

type trendRow struct {
	Month      string
	A, B, C, U int
}

type pageView struct {
	Title, Office, Today string
	Cards                []card
	Total                int
	Chart                template.HTML
	Trend                []trendRow
	OpenTasks            int
	OverdueTasks         int
	Tasks                []taskView
	OpenObjections       int
	OverdueObjections    int
	Objections           []objectionView
	Changes              []changeView
}

// Render renders the office dashboard page: subjects per level today, the
// 12-month trend chart (inline SVG), open and overdue tasks and objections
// with their age in days, and the latest grade changes with links. When
// Trend is empty and Today is set, a flat zero trend over the last 12
// months is drawn so the axes still read correctly.
func Render(d Data) ([]byte, error) {
	v := pageView{
		Title:             d.Title,
		Office:            d.Office,
		Today:             dateZH(d.Today),
		Total:             d.Current.Total(),
		OpenTasks:         d.OpenTasks,
		OverdueTasks:      d.OverdueTasks,
		OpenObjections:    d.OpenObjections,
		OverdueObjections: d.OverdueObjections,
	}
	if v.Title == "" {
		v.Title = "信用分级分类监管工作台"
	}
	trend := d.Trend
	if len(trend) == 0 && !d.Today.IsZero() {
		for _, day := range TrendDays(d.Today) {
			trend = append(trend, MonthCounts{Day: day})
		}
	}
	for _, s := range seriesStyle {
		c := card{Label: s.Label, Class: levelClass(s.Level), Count: d.Current.Get(s.Level)}
		if len(trend) >= 2 {
			c.Delta = delta(c.Count - trend[len(trend)-2].Counts.Get(s.Level))
		}
		v.Cards = append(v.Cards, c)
	}
	svg, err := ChartSVG(trend)
	if err != nil {
		return nil, err
	}
	// The SVG comes from our own html/template, which escaped every value.
	v.Chart = template.HTML(svg)
	for _, mc := range trend {
		c := mc.Counts
		v.Trend = append(v.Trend, trendRow{Month: fmt.Sprintf("%d年%d月", mc.Day.Year, int(mc.Day.Month)), A: c.A, B: c.B, C: c.C, U: c.Unrated})
	}
	for _, t := range d.Tasks {
		v.Tasks = append(v.Tasks, taskView{
			Name: nameOr(t.SubjectName, t.SubjectID), Link: linkOr(t.Link, t.SubjectID),
			Kind: taskKindZH(t.Kind), Level: tag(t.Level),
			Opened: t.OpenedOn.String(), Due: t.DueOn.String(),
			Age: age(t.OpenedOn, d.Today), Overdue: overdue(t.DueOn, d.Today),
		})
	}
	for _, o := range d.Objections {
		v.Objections = append(v.Objections, objectionView{
			Name: nameOr(o.SubjectName, o.SubjectID), Link: linkOr(o.Link, o.SubjectID), DocumentNo: o.DocumentNo,
			Filed: o.FiledOn.String(), Due: o.DueOn.String(),
			Age: age(o.FiledOn, d.Today), Overdue: overdue(o.DueOn, d.Today),
		})
	}
	for _, c := range d.Changes {
		v.Changes = append(v.Changes, changeView{
			On: c.On.String(), Name: nameOr(c.SubjectName, c.SubjectID), Link: linkOr(c.Link, c.SubjectID),
			From: tag(c.From), To: tag(c.To), First: c.From == "",
		})
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, v); err != nil {
		return nil, fmt.Errorf("render dashboard: %w", err)
	}
	return buf.Bytes(), nil
}

func levelClass(l domain.Level) string {
	switch l {
	case domain.LevelA, domain.LevelB, domain.LevelC:
		return "lv-" + string(l)
	}
	return "lv-U"
}

func tag(l domain.Level) levelTag {
	label := "未定级"
	if l == domain.LevelA || l == domain.LevelB || l == domain.LevelC {
		label = string(l) + "级"
	}
	return levelTag{Label: label, Class: levelClass(l)}
}

func taskKindZH(k domain.TaskKind) string {
	switch k {
	case domain.TaskReminder:
		return "信用提醒"
	case domain.TaskInterview:
		return "书面提醒/诚信约谈"
	}
	return string(k)
}

func delta(n int) string {
	switch {
	case n > 0:
		return fmt.Sprintf("较上月末 +%d", n)
	case n < 0:
		return fmt.Sprintf("较上月末 −%d", -n)
	}
	return "较上月末持平"
}

// age is whole days from a start date to today (0 when either is missing
// or the start is in the future).
func age(from, today domain.Date) int {
	if from.IsZero() || today.IsZero() {
		return 0
	}
	return max(0, from.DaysUntil(today))
}

func overdue(due, today domain.Date) bool {
	return !due.IsZero() && !today.IsZero() && due.Before(today)
}

func nameOr(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

// linkOr is the given link, or the subject's API resource. html/template
// still checks the URL, so a hostile javascript: link renders inert.
func linkOr(link, subjectID string) string {
	if link != "" {
		return link
	}
	return "/v1/subjects/" + url.PathEscape(subjectID)
}

func dateZH(d domain.Date) string {
	if d.IsZero() {
		return "—"
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}
