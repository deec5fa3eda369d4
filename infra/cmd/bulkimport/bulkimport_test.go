package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/xuri/excelize/v2"

	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

var (
	testNow   = time.Date(2026, 6, 15, 2, 0, 0, 0, time.UTC)
	testToday = domain.MustDate("2026-06-15")
	codeA     = identity.MakeCreditCode("91411422MA3X4Y5P")
	codeBad   = codeA[:17] + map[bool]string{true: "1", false: "0"}[codeA[17] == '0']
	idNo      = identity.MakeResidentID("41142219900101123")
)

const unit = "411422-PCS-01"

// apiServer runs the real handler on a memory store behind an HTTP front
// that maps the bearer token to claims, as API Gateway's authorizer does.
func apiServer(t *testing.T) (*httptest.Server, *storage.Memory) {
	t.Helper()
	mem := storage.NewMemory()
	ids, _ := identity.NewHasherHex(strings.Repeat("ab", 32))
	sealer, _ := identity.NewLocalSealerHex(strings.Repeat("cd", 32))
	h, err := api.New(api.Config{
		Store: mem, Clock: domain.FixedClock{T: testNow}, Policy: policy.MustDefault(),
		CreditCodes: api.CreditCodes(), SubjectIDs: ids, Sealer: sealer,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	var seq atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		req := events.APIGatewayV2HTTPRequest{
			RouteKey: r.Method + " " + r.URL.Path,
			Headers:  map[string]string{"content-type": r.Header.Get("Content-Type")},
			Body:     string(body),
		}
		req.RequestContext.RequestID = "bulk-" + time.Duration(seq.Add(1)).String()
		if r.Header.Get("Authorization") == "Bearer clerk-token" {
			req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
				JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{
					api.ClaimUnit: unit, api.ClaimRole: api.RoleClerk, api.ClaimSub: "s1", api.ClaimUsername: "clerk1",
				}},
			}
		}
		resp, _ := h.Handle(r.Context(), req)
		for k, v := range resp.Headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(resp.StatusCode)
		_, _ = io.WriteString(w, resp.Body)
	}))
	t.Cleanup(srv.Close)
	return srv, mem
}

var header = []string{colDocNo, colDate, colSubjectType, colName, colCreditCode, colIDNumber, colActNo, colFacts, colLegalBasis, colSanction, colAmountYuan, colLicenceName, colLicenceNo, colDetention}

// sheet is the test input: two valid documents (rows 2-4 and 5) and four
// invalid ones, each with one problem on a known row.
var sheet = [][]string{
	{"遂公决字〔2025〕1号", "2025-09-01", "法人", "宏达旅馆", codeA, "", "1", "未登记旅客", "旅馆业治安管理办法第六条", "警告", "", "", "", ""},
	{"遂公决字〔2025〕1号", "2025-09-01", "法人", "宏达旅馆", codeA, "", "1", "未登记旅客", "旅馆业治安管理办法第六条", "罚款", "2,000.50", "", "", ""},
	{"遂公决字〔2025〕1号", "2025-09-01", "法人", "宏达旅馆", codeA, "", "2", "超范围经营", "特种行业管理规定", "暂扣许可证件", "", "特种行业许可证", "豫特字001", ""},
	{"遂公决字〔2025〕2号", "2025/10/3", "自然人", "张三", "", idNo, "", "扰乱秩序", "治安管理处罚法第二十三条", "行政拘留", "", "", "", "5"},
	{"遂公决字〔2025〕3号", "2025-10-05", "法人", "坏代码公司", codeBad, "", "", "事实", "依据", "警告", "", "", "", ""},
	{"遂公决字〔2025〕4号", "2025-10-06", "法人", "宏达旅馆", codeA, "", "", "事实", "依据", "罚款", "12.345", "", "", ""},
	{"遂公决字〔2025〕5号", "2026-07-01", "法人", "宏达旅馆", codeA, "", "", "事实", "依据", "警告", "", "", "", ""},
	{"遂公决字〔2025〕6号", "2025-10-07", "法人", "宏达旅馆", codeA, "", "", "事实", "依据", "警告", "100", "", "", ""},
}

// wantErrors are (row, code) of the errors file.
var wantErrors = map[string]bool{
	"6|invalid_credit_code_check": true,
	"7|invalid_amount":            true,
	"8|future_date":               true,
	"9|amount_not_applicable":     true,
}

func writeCSV(t *testing.T, path string) {
	var b bytes.Buffer
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	_ = w.Write(header)
	_ = w.WriteAll(sheet)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeXLSX writes the same rows; the first document's dates are real
// Excel date cells, as a spreadsheet program would store them.
func writeXLSX(t *testing.T, path string) {
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	for j, h := range header {
		cell, _ := excelize.CoordinatesToCellName(j+1, 1)
		_ = f.SetCellStr(sh, cell, h)
	}
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	for i, r := range sheet {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+2)
			if header[j] == colDate && i < 3 {
				d, _ := time.Parse("2006-01-02", v)
				_ = f.SetCellValue(sh, cell, d)
				_ = f.SetCellStyle(sh, cell, cell, dateStyle)
				continue
			}
			_ = f.SetCellStr(sh, cell, v)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func TestImport(t *testing.T) {
	for _, format := range []struct {
		ext   string
		write func(*testing.T, string)
	}{{".csv", writeCSV}, {".xlsx", writeXLSX}} {
		t.Run(format.ext, func(t *testing.T) {
			srv, mem := apiServer(t)
			path := filepath.Join(t.TempDir(), "decisions"+format.ext)
			format.write(t, path)
			o := options{api: srv.URL, token: "clerk-token", file: path, today: testToday}
			var out, bar bytes.Buffer
			s, err := run(context.Background(), o, &out, &bar)
			if err != nil {
				t.Fatal(err)
			}
			if s.Rows != 8 || s.Documents != 6 || s.Imported != 2 || s.Existing != 0 || s.Invalid != 4 || s.Refused != 0 || s.Failed != 0 {
				t.Fatalf("summary %+v", s)
			}
			if !strings.Contains(bar.String(), "6/6") || !strings.Contains(out.String(), "新导入 2 份") {
				t.Fatalf("progress %q, summary %q", bar.String(), out.String())
			}
			checkErrorsFile(t, path+".errors.csv")

			rec, err := mem.FindByDocument(context.Background(), unit, domain.KindDecision, "遂公决字〔2025〕1号")
			if err != nil {
				t.Fatal(err)
			}
			acts := rec.Decision.Acts
			if len(acts) != 2 || len(acts[0].Sanctions) != 2 || acts[0].Sanctions[1].AmountFen != 200050 ||
				acts[1].Sanctions[0].LicenceNumber != "豫特字001" || rec.EffectiveDate != domain.MustDate("2025-09-01") {
				t.Fatalf("document 1 stored as %+v", rec.Decision)
			}
			np, err := mem.FindByDocument(context.Background(), unit, domain.KindDecision, "遂公决字〔2025〕2号")
			if err != nil || np.EffectiveDate != domain.MustDate("2025-10-03") || np.Decision.Acts[0].Sanctions[0].DetentionDays != 5 {
				t.Fatalf("document 2: %+v %v", np, err)
			}

			// Running again imports nothing twice.
			s2, err := run(context.Background(), o, io.Discard, nil)
			if err != nil {
				t.Fatal(err)
			}
			if s2.Imported != 0 || s2.Existing != 2 || s2.Invalid != 4 {
				t.Fatalf("second run %+v", s2)
			}
			recs, _ := mem.ListRecords(context.Background(), domain.SubjectID(codeA))
			if len(recs) != 1 {
				t.Fatalf("%d records for the legal person after two runs", len(recs))
			}
		})
	}
}

func checkErrorsFile(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), idNo) {
		t.Fatal("the errors file repeats an ID number")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range recs[1:] {
		got[r[0]+"|"+r[4]] = true
		if r[5] == "" || r[6] == "" {
			t.Errorf("row without messages: %v", r)
		}
	}
	for k := range wantErrors {
		if !got[k] {
			t.Errorf("errors file lacks %s; has %v", k, got)
		}
	}
	if len(got) != len(wantErrors) {
		t.Errorf("errors file has %v, want %v", got, wantErrors)
	}
}

func TestImportRejectsBadFiles(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, file, content, want string
	}{
		{"missing column", "a.csv", "文书号,决定日期\nX,2025-01-01\n", "missing columns"},
		{"unknown column", "b.csv", strings.Join(header, ",") + ",备注\n", "unknown column"},
		{"unsupported format", "c.txt", "x", "only .csv and .xlsx"},
		{"empty file", "d.csv", "", "empty file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.file)
			if err := os.WriteFile(p, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := run(context.Background(), options{file: p, dryRun: true, today: testToday}, io.Discard, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func TestImportRetriesThenReportsUnavailableAPI(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "d.csv")
	writeCSV(t, path)
	s, err := run(context.Background(), options{api: srv.URL, token: "x", file: path, today: testToday, backoff: time.Millisecond}, io.Discard, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Failed != 2 || s.Imported != 0 || calls.Load() != 8 { // 2 valid documents × 4 attempts
		t.Fatalf("summary %+v after %d calls", s, calls.Load())
	}
}

func TestParseYuan(t *testing.T) {
	cases := []struct {
		in  string
		fen int64
		ok  bool
	}{
		{"2000", 200000, true}, {"2,000.5", 200050, true}, {"0.01", 1, true}, {"500000.01", 50000001, true},
		{"12.345", 0, false}, {"-1", 0, false}, {"1e3", 0, false}, {"", 0, false}, {"abc", 0, false},
	}
	for _, tc := range cases {
		fen, ok := parseYuan(tc.in)
		if fen != tc.fen || ok != tc.ok {
			t.Errorf("parseYuan(%q) = %d, %v; want %d, %v", tc.in, fen, ok, tc.fen, tc.ok)
		}
	}
}
