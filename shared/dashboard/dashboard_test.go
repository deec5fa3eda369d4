package dashboard

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
)

var today = domain.MustDate("2027-03-15")

func TestTrendDays(t *testing.T) {
	tests := []struct {
		name  string
		today string
		first string
		sixth string
	}{
		{"mid March", "2027-03-15", "2026-04-30", "2026-09-30"},
		{"leap February end", "2028-02-10", "2027-03-31", "2027-08-31"},
		{"31st of a month", "2027-01-31", "2026-02-28", "2026-07-31"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			days := TrendDays(domain.MustDate(tc.today))
			if len(days) != 12 || days[0].String() != tc.first || days[5].String() != tc.sixth || days[11].String() != tc.today {
				t.Fatalf("days = %v", days)
			}
		})
	}
}

func hist(level domain.Level, asOf string, version int64) domain.Grade {
	return domain.Grade{Level: level, AsOf: domain.MustDate(asOf), Version: version}
}

func TestTrendFromHistory(t *testing.T) {
	histories := [][]domain.Grade{
		// B from May 2026, C from 2026-10-31 (counted at October's end), unrated from 2027-03-16 (after today).
		{hist(domain.LevelC, "2026-10-31", 2), hist(domain.LevelB, "2026-05-02", 1), hist(domain.LevelUnrated, "2027-03-16", 3)},
		// A throughout, from before the window.
		{hist(domain.LevelA, "2025-01-01", 1)},
		// Two changes on the same day: the higher version wins.
		{hist(domain.LevelB, "2026-12-05", 1), hist(domain.LevelC, "2026-12-05", 2)},
		// AsOf missing: ComputedAt's Shanghai date (16:30 UTC on 31 Jan is 1 Feb in Shanghai).
		{{Level: domain.LevelB, ComputedAt: time.Date(2027, 1, 31, 16, 30, 0, 0, time.UTC), Version: 1}},
	}
	got := TrendFromHistory(histories, today)
	want := map[string]LevelCounts{
		"2026-04-30": {A: 1},
		"2026-05-31": {A: 1, B: 1},
		"2026-10-31": {A: 1, C: 1},
		"2026-12-31": {A: 1, C: 2},
		"2027-01-31": {A: 1, C: 2},
		"2027-02-28": {A: 1, B: 1, C: 2},
		"2027-03-15": {A: 1, B: 1, C: 2},
	}
	if len(got) != 12 {
		t.Fatalf("%d months", len(got))
	}
	for _, mc := range got {
		if w, ok := want[mc.Day.String()]; ok && mc.Counts != w {
			t.Errorf("%s: %+v, want %+v", mc.Day, mc.Counts, w)
		}
	}
	if e := TrendFromHistory(nil, today); len(e) != 12 || e[11].Counts.Total() != 0 {
		t.Errorf("empty history: %+v", e)
	}
}

func TestAxisMax(t *testing.T) {
	tests := []struct{ largest, top, step int }{
		{0, 5, 1}, {1, 1, 1}, {5, 5, 1}, {6, 6, 2}, {9, 10, 2}, {10, 10, 2}, {11, 15, 5},
		{40, 40, 10}, {41, 50, 10}, {99, 100, 20}, {240, 250, 50}, {1234, 1500, 500},
	}
	for _, tc := range tests {
		t.Run(strconv.Itoa(tc.largest), func(t *testing.T) {
			top, step := AxisMax(tc.largest)
			if top != tc.top || step != tc.step {
				t.Errorf("AxisMax(%d) = %d, %d; want %d, %d", tc.largest, top, step, tc.top, tc.step)
			}
			if top < tc.largest || top/step > maxTickRows {
				t.Errorf("axis does not hold the value in at most %d rows", maxTickRows)
			}
		})
	}
}

// svgDoc is the part of the chart the tests read back.
type svgDoc struct {
	XMLName xml.Name `xml:"svg"`
	Title   string   `xml:"title"`
	Desc    string   `xml:"desc"`
	Texts   []struct {
		Class string `xml:"class,attr"`
		Value string `xml:",chardata"`
	} `xml:"g>text"`
	Lines []struct {
		Points  string `xml:"points,attr"`
		Circles []struct {
			CY    string `xml:"cy,attr"`
			Title string `xml:"title"`
		} `xml:"circle"`
	} `xml:"g>g>polyline"`
	Dots []struct {
		CY    float64 `xml:"cy,attr"`
		Title string  `xml:"title"`
	} `xml:"g>g>circle"`
}

func parseSVG(t *testing.T, b []byte) svgDoc {
	t.Helper()
	var d svgDoc
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("SVG does not parse as XML: %v\n%s", err, b)
	}
	return d
}

func sampleTrend() []MonthCounts {
	var out []MonthCounts
	for i, day := range TrendDays(today) {
		out = append(out, MonthCounts{Day: day, Counts: LevelCounts{A: 10 + i, B: 20 - i, C: 3 + i%3, Unrated: 30 + i/2}})
	}
	out[7].Counts.Unrated = 40 // the largest value, a multiple of its step
	return out
}

func TestChartSVG(t *testing.T) {
	b, err := ChartSVG(sampleTrend())
	if err != nil {
		t.Fatal(err)
	}
	d := parseSVG(t, b)
	if d.Title != "近12个月各信用等级主体数量趋势" || !strings.Contains(d.Desc, "2026年4月") || !strings.Contains(d.Desc, "C级（严重失信） 3") {
		t.Errorf("title/desc = %q / %q", d.Title, d.Desc)
	}
	var months, years []string
	for _, tx := range d.Texts {
		switch tx.Class {
		case "month":
			months = append(months, tx.Value)
		case "year":
			years = append(years, tx.Value)
		}
	}
	if len(months) != 12 || months[0] != "4月" || months[11] != "3月" {
		t.Errorf("month labels = %v", months)
	}
	if strings.Join(years, ",") != "2026年,2027年" {
		t.Errorf("year labels = %v", years)
	}
	for _, want := range []string{"A级（信用优良）", "B级（一般失信）", "C级（严重失信）", "未定级", "主体数（户/人）"} {
		if !bytes.Contains(b, []byte(">"+want+"<")) {
			t.Errorf("chart lacks label %q", want)
		}
	}
	// Scale: the largest value (40, unrated in month 8) is at the top of the
	// plot, zero at the bottom, and a value halfway between sits halfway.
	ys := map[string]float64{}
	for _, dot := range d.Dots {
		ys[dot.Title] = dot.CY
	}
	if len(ys) != 48 {
		t.Fatalf("%d dots, want 48", len(ys))
	}
	top := ys["2026年11月 未定级：40"]
	if top != plotTop {
		t.Errorf("largest value at y=%v, want plot top %d", top, plotTop)
	}
	// A in month 1 is 10: a quarter of the axis (0..40).
	if y := ys["2026年4月 A级（信用优良）：10"]; y != plotTop+0.75*plotHeight {
		t.Errorf("value 10 at y=%v, want %v", y, plotTop+0.75*plotHeight)
	}
	for title, y := range ys {
		if y < plotTop || y > plotTop+plotHeight {
			t.Errorf("%s outside the plot: %v", title, y)
		}
	}
}

func TestChartSVGEmpty(t *testing.T) {
	b, err := ChartSVG(nil)
	if err != nil {
		t.Fatal(err)
	}
	d := parseSVG(t, b)
	if !bytes.Contains(b, []byte("暂无数据")) || len(d.Dots) != 0 {
		t.Errorf("empty chart: %s", b)
	}
}

func sampleData() Data {
	return Data{
		Office:    "睢县公安局办公室",
		Today:     today,
		Current:   LevelCounts{A: 21, B: 9, C: 5, Unrated: 35},
		Trend:     sampleTrend(),
		OpenTasks: 7, OverdueTasks: 2,
		Tasks: []TaskRow{
			{TaskID: "T1", SubjectID: "91411422MA44TEST0X", SubjectName: "睢县某某宾馆有限公司", Level: domain.LevelC, Kind: domain.TaskInterview, OpenedOn: domain.MustDate("2027-02-10"), DueOn: domain.MustDate("2027-02-25")},
			{TaskID: "T2", SubjectID: "NPab12", SubjectName: "张*", Level: domain.LevelB, Kind: domain.TaskReminder, OpenedOn: domain.MustDate("2027-03-10"), DueOn: domain.MustDate("2027-03-25")},
		},
		OpenObjections: 3, OverdueObjections: 1,
		Objections: []ObjectionRow{
			{ObjectionID: "O1", SubjectID: "91411422MA44TEST0X", SubjectName: "睢县某某宾馆有限公司", DocumentNo: "睢公（治）行罚决字〔2027〕15号", FiledOn: domain.MustDate("2027-02-01"), DueOn: domain.MustDate("2027-02-21")},
		},
		Changes: []ChangeRow{
			{SubjectID: "91411422MA44TEST0X", SubjectName: "睢县某某宾馆有限公司", From: domain.LevelB, To: domain.LevelC, On: domain.MustDate("2027-03-14")},
			{SubjectID: "91411422MA55TEST1Y", SubjectName: "睢县某某娱乐有限公司", To: domain.LevelA, On: domain.MustDate("2027-03-12"), Link: "/office/subjects/91411422MA55TEST1Y"},
		},
	}
}

func TestRender(t *testing.T) {
	page, err := Render(sampleData())
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, want := range []string{
		"信用分级分类监管工作台", "数据日期：2027年3月15日",
		`<div class="count">21</div>`, `<div class="count">5</div>`,
		"待办 <b>7</b>", `逾期 <b class="bad">2</b>`, "待核查 <b>3</b>",
		`<a href="/v1/subjects/91411422MA44TEST0X">睢县某某宾馆有限公司</a>`,
		`href="/office/subjects/91411422MA55TEST1Y"`,
		"2027-02-25 逾期", `<td class="num">33</td>`, // task opened 2027-02-10: 33 days
		`<td class="num">42</td>`, // objection filed 2027-02-01
		"首次评定", `<svg xmlns="http://www.w3.org/2000/svg" class="trend"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	assertSelfContained(t, s)
	writeArtifact("dashboard.html", page)
}

func TestRenderEmpty(t *testing.T) {
	for name, d := range map[string]Data{"zero value": {}, "only today": {Today: today}} {
		t.Run(name, func(t *testing.T) {
			page, err := Render(d)
			if err != nil {
				t.Fatal(err)
			}
			s := string(page)
			for _, want := range []string{"暂无待办任务", "暂无待核查异议", "暂无等级变更"} {
				if !strings.Contains(s, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if d.Today.IsZero() != strings.Contains(s, "暂无数据") {
				t.Errorf("empty-chart message wrong for %s", name)
			}
			if !d.Today.IsZero() && strings.Count(s, `class="month"`) != 12 {
				t.Errorf("want 12 month labels on a zero trend")
			}
		})
	}
}

func TestRenderEscapesHostileText(t *testing.T) {
	d := sampleData()
	evil := `<script>alert("x")</script>`
	d.Office = evil
	d.Tasks[0].SubjectName = evil + "宾馆"
	d.Tasks[0].Link = `javascript:alert(1)`
	d.Objections[0].DocumentNo = `<img src=x onerror=alert(2)>`
	d.Changes[0].SubjectName = `"><svg onload=alert(3)>`
	d.Changes[0].SubjectID = `../../admin?x=<y>`
	page, err := Render(d)
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, bad := range []string{"<script>", "<img", "<svg onload", "javascript:alert", `href="../../admin`} {
		if strings.Contains(s, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	if !strings.Contains(s, "&lt;script&gt;") {
		t.Errorf("hostile name not shown escaped")
	}
	if !strings.Contains(s, `/v1/subjects/..%2F..%2Fadmin%3Fx=%3Cy%3E`) {
		t.Errorf("subject id not path-escaped in the link")
	}
	writeArtifact("dashboard-hostile.html", page)
}

func assertSelfContained(t *testing.T, s string) {
	t.Helper()
	for _, bad := range []string{"<link", "<script", "src=", "@import", "url(", `href="http`} {
		if strings.Contains(s, bad) {
			t.Errorf("page refers to external assets: %q", bad)
		}
	}
}

func writeArtifact(name string, b []byte) {
	dir := filepath.Join("..", "..", "test-output")
	if os.MkdirAll(dir, 0o755) == nil {
		_ = os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
}
