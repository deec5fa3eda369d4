package supervision

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/suixian-psb/credit/shared/domain"
)

func TestExportXLSX(t *testing.T) {
	p, err := Draw(input(pool(map[domain.Level]int{"A": 2, "B": 10, "C": 3, "unrated": 10}, 3), roster(5, 3), "xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ExportXLSX(p, &buf, unitNamesFixture); err != nil {
		t.Fatal(err)
	}
	workbook := bytes.Clone(buf.Bytes())
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("workbook does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetAssignments)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+len(p.Result) {
		t.Fatalf("%d rows, want header + %d", len(rows), len(p.Result))
	}
	if strings.Join(rows[0], "|") != strings.Join(AssignmentHeaders, "|") {
		t.Errorf("headers = %v", rows[0])
	}
	names := map[domain.SubjectID]string{}
	for _, s := range p.Subjects {
		names[s.ID] = s.Name
	}
	unitOf := map[string]string{}
	for _, ins := range p.Roster {
		unitOf[ins.ID] = ins.Unit
	}
	for i, a := range p.Result {
		row := rows[i+1]
		if row[0] != fmt.Sprint(i+1) || row[1] != string(a.SubjectID) || row[2] != names[a.SubjectID] || row[3] != levelShortZH(a.Level) {
			t.Errorf("row %d = %v, want %s %s", i+1, row, a.SubjectID, names[a.SubjectID])
		}
		var wantUnits, wantCodes []string
		for _, id := range a.Inspectors {
			if !strings.Contains(row[4], id) {
				t.Errorf("row %d inspectors %q lack %s", i+1, row[4], id)
			}
			wantUnits = append(wantUnits, unitNamesFixture.NameZH(unitOf[id]))
			wantCodes = append(wantCodes, unitOf[id])
		}
		if row[5] != strings.Join(wantUnits, "、") || row[6] != strings.Join(wantCodes, "、") {
			t.Errorf("row %d units %q / codes %q, want %q / %q", i+1, row[5], row[6], wantUnits, wantCodes)
		}
	}
	if !strings.Contains(strings.Join(columnOf(rows[1:], 5), "|"), "城关派出所") {
		t.Errorf("no unit shown by name: %v", columnOf(rows[1:], 5))
	}
	// Keep a clean plan, its summary and workbook for a person to look at
	// (and to try the verify command on).
	if summary, err := RenderSummaryHTML(p); err == nil {
		writeArtifact(t, "plan-summary.html", summary)
	}
	if js, err := json.MarshalIndent(p, "", "  "); err == nil {
		writeArtifact(t, "plan.json", js)
	}
	writeArtifact(t, "plan.xlsx", workbook)
	info, err := f.GetRows(SheetInfo)
	if err != nil {
		t.Fatal(err)
	}
	var flat []string
	for _, r := range info {
		flat = append(flat, strings.Join(r, "|"))
	}
	joined := strings.Join(flat, "\n")
	for _, want := range []string{p.Seed, p.Digest, p.Policy.Version, "旅馆业", "城关镇", "2027-03-01 至 2027-03-31"} {
		if !strings.Contains(joined, want) {
			t.Errorf("info sheet lacks %q", want)
		}
	}
}

// unitNamesFixture names two of roster's three units; the third shows its
// code, as units.Registry does for a code it does not list.
var unitNamesFixture = namesMap{"PCS-00": "城关派出所", "PCS-01": "西关派出所"}

type namesMap map[string]string

func (m namesMap) NameZH(code string) string {
	if n, ok := m[code]; ok {
		return n
	}
	return code
}

func columnOf(rows [][]string, i int) []string {
	var out []string
	for _, r := range rows {
		if i < len(r) {
			out = append(out, r[i])
		}
	}
	return out
}

// Without a resolver the unit column shows the codes, the code column too.
func TestExportXLSXWithoutUnitNames(t *testing.T) {
	p, err := Draw(input(pool(map[domain.Level]int{"A": 2, "B": 10, "C": 3, "unrated": 10}, 3), roster(5, 3), "xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ExportXLSX(p, &buf, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetAssignments)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 {
		t.Fatalf("%d rows", len(rows))
	}
	for i, row := range rows[1:] {
		if row[5] == "" || row[5] != row[6] || !strings.HasPrefix(row[5], "PCS-") {
			t.Errorf("row %d units %q / codes %q, want the codes twice", i+1, row[5], row[6])
		}
	}
}

func TestRenderSummaryHTML(t *testing.T) {
	subjects := pool(map[domain.Level]int{"A": 3, "B": 10, "C": 2, "unrated": 10}, 2)
	subjects = append(subjects, PoolSubject{ID: "91411422MA9XYZ0001", Name: `<script>alert("恶意")</script>某酒店`, Level: domain.LevelC})
	in := input(subjects, roster(4, 2), "public-seed-0427")
	in.Pool.Jurisdiction = `城关镇<img src=x onerror=alert(1)>`
	p, err := Draw(in)
	if err != nil {
		t.Fatal(err)
	}
	page, err := RenderSummaryHTML(p)
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	for _, s := range p.Subjects {
		if strings.Contains(html, string(s.ID)) || strings.Contains(html, s.Name) {
			t.Fatalf("summary shows subject %s / %s", s.ID, s.Name)
		}
	}
	for _, r := range p.Roster {
		if strings.Contains(html, r.Name) || strings.Contains(html, ">"+r.ID+"<") {
			t.Fatalf("summary shows inspector %s", r.ID)
		}
	}
	if strings.Contains(html, "恶意") || strings.Contains(html, "<img") {
		t.Fatalf("hostile text leaked or unescaped")
	}
	for _, want := range []string{p.Seed, p.Digest, VerifyCommand, "旅馆业", "2027年3月1日", "2027年3月31日", "C级（严重失信）", "全部列入", "免予日常巡查检查"} {
		if !strings.Contains(html, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	// Counts: C in pool 3, drawn 3; B 10 → 2.
	if !strings.Contains(html, `<td>C级（严重失信）</td><td class="num">3</td>`) || !strings.Contains(html, `<td class="num">2</td></tr>`) {
		t.Errorf("count rows missing")
	}
	if strings.Contains(html, "http://") || strings.Contains(html, "https://") || strings.Contains(html, "<link") || strings.Contains(html, "<img") || strings.Contains(html, "<script") {
		t.Errorf("summary refers to external assets")
	}
	if err := wellFormed(page); err != nil {
		t.Errorf("summary is not well-formed: %v", err)
	}
	writeArtifact(t, "plan-summary-hostile.html", page)
}

// wellFormed checks tags balance (the page is written as XHTML-compatible
// markup apart from the doctype).
func wellFormed(page []byte) error {
	body := bytes.TrimPrefix(page, []byte("<!DOCTYPE html>\n"))
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
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

// writeArtifact keeps a rendered page under test-output/ for a person to
// look at; best effort, never a failure.
func writeArtifact(t *testing.T, name string, b []byte) {
	dir := filepath.Join("..", "..", "test-output")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		_ = os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
}
