package dashboard

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"strings"

	"github.com/suixian-psb/credit/shared/domain"
)

// Chart geometry (SVG user units). The plot area is inside the margins;
// the legend sits above it and the month labels below.
const (
	chartW      = 760
	chartH      = 340
	plotLeft    = 56
	plotRight   = 20
	plotTop     = 48
	plotBottom  = 56
	plotWidth   = chartW - plotLeft - plotRight
	plotHeight  = chartH - plotTop - plotBottom
	maxTickRows = 5
)

//go:embed chart.tmpl
var chartTmpl string

var chartPage = template.Must(template.New("chart").Parse(chartTmpl))

// series style per level: the dash pattern tells lines apart without colour.
var seriesStyle = []struct {
	Level domain.Level
	Label string
	Color string
	Dash  string
}{
	{domain.LevelA, "A级（信用优良）", "#2e7d32", ""},
	{domain.LevelB, "B级（一般失信）", "#d98e04", "8 4"},
	{domain.LevelC, "C级（严重失信）", "#c62828", ""},
	{domain.LevelUnrated, "未定级", "#78909c", "3 3"},
}

type tick struct {
	Y     string
	Label int
}

type monthLabel struct {
	X     string
	Label string
	Year  string // set on the first month and on January
}

type dot struct {
	X, Y  string
	Title string
}

type series struct {
	Label, Color, Dash string
	Points             string
	Dots               []dot
	LegendX            int
}

type chartModel struct {
	W, H                     int
	Left, Top, Right, Bottom int
	Title, Desc              string
	Ticks                    []tick
	Months                   []monthLabel
	Series                   []series
	Empty                    bool
	EmptyX, EmptyY           int
	AxisLabelX, AxisLabelY   int
}

// AxisMax returns the top of the y axis for a largest value and the step
// between gridlines: the step is 1, 2 or 5 × 10^k, the smallest giving at
// most five rows, and the top is the first multiple of the step at or above
// the value. So a largest value that is a multiple of the step (40 with
// step 10) sits exactly at the top of the plot.
func AxisMax(largest int) (top, step int) {
	if largest <= 0 {
		return maxTickRows, 1
	}
	for mag := 1; ; mag *= 10 {
		for _, m := range []int{1, 2, 5} {
			step = m * mag
			rows := (largest + step - 1) / step
			if rows <= maxTickRows {
				return rows * step, step
			}
		}
	}
}

// yOf is the y coordinate of a value on an axis topped at top.
func yOf(v, top int) float64 {
	return float64(plotTop) + float64(plotHeight)*(1-float64(v)/float64(top))
}

func xOf(i, n int) float64 {
	return float64(plotLeft) + (float64(i)+0.5)*float64(plotWidth)/float64(n)
}

func f1(v float64) string { return fmt.Sprintf("%.1f", v) }

// ChartSVG draws the trend as a line chart, one line per level, with
// Chinese axis labels, month labels, a legend and an accessible title and
// description (which also lists every figure for screen readers). It is a
// standalone SVG document that parses as XML; the dashboard inlines it.
func ChartSVG(trend []MonthCounts) ([]byte, error) {
	m := chartModel{
		W: chartW, H: chartH, Left: plotLeft, Top: plotTop, Right: chartW - plotRight, Bottom: chartH - plotBottom,
		Title:      "近12个月各信用等级主体数量趋势",
		AxisLabelX: 14, AxisLabelY: plotTop + plotHeight/2,
	}
	largest := 0
	for _, mc := range trend {
		for _, s := range seriesStyle {
			largest = max(largest, mc.Counts.Get(s.Level))
		}
	}
	top, step := AxisMax(largest)
	for v := 0; v <= top; v += step {
		m.Ticks = append(m.Ticks, tick{Y: f1(yOf(v, top)), Label: v})
	}
	n := len(trend)
	var desc []string
	for i, mc := range trend {
		ml := monthLabel{X: f1(xOf(i, n)), Label: fmt.Sprintf("%d月", int(mc.Day.Month))}
		if i == 0 || mc.Day.Month == 1 {
			ml.Year = fmt.Sprintf("%d年", mc.Day.Year)
		}
		m.Months = append(m.Months, ml)
		parts := []string{fmt.Sprintf("%d年%d月", mc.Day.Year, int(mc.Day.Month))}
		for _, s := range seriesStyle {
			parts = append(parts, fmt.Sprintf("%s %d", s.Label, mc.Counts.Get(s.Level)))
		}
		desc = append(desc, strings.Join(parts, "，"))
	}
	for k, s := range seriesStyle {
		se := series{Label: s.Label, Color: s.Color, Dash: s.Dash, LegendX: plotLeft + k*170}
		var pts []string
		for i, mc := range trend {
			v := mc.Counts.Get(s.Level)
			x, y := f1(xOf(i, n)), f1(yOf(v, top))
			pts = append(pts, x+","+y)
			se.Dots = append(se.Dots, dot{X: x, Y: y, Title: fmt.Sprintf("%d年%d月 %s：%d", mc.Day.Year, int(mc.Day.Month), s.Label, v)})
		}
		se.Points = strings.Join(pts, " ")
		m.Series = append(m.Series, se)
	}
	if n == 0 {
		m.Empty, m.EmptyX, m.EmptyY = true, plotLeft+plotWidth/2, plotTop+plotHeight/2
		m.Desc = "暂无数据。"
	} else {
		m.Desc = "各月末（本月为今日）主体数量：" + strings.Join(desc, "；") + "。"
	}
	var buf bytes.Buffer
	if err := chartPage.Execute(&buf, m); err != nil {
		return nil, fmt.Errorf("render trend chart: %w", err)
	}
	return buf.Bytes(), nil
}
