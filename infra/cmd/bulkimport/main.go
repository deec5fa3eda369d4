// Command bulkimport loads a unit's historical handling decisions from a
// CSV or XLSX file into the platform through the intake API:
//
//	go run ./infra/cmd/bulkimport -api http://127.0.0.1:3000 -token $TOKEN -file decisions.xlsx
//
// One row per sanction; rows with the same 文书号 are one decision and rows
// with the same 行为序号 within it are one act (columns: -help). Every row
// is checked with the API's own rules (shared/api.Validator) before
// anything is sent; problems are written, with their row numbers, to
// <file>.errors.csv next to the input. Valid decisions are posted one by
// one; the API is idempotent by document number, so running the import
// again imports nothing twice. A progress bar runs on stderr and a summary
// ends the run. The exit status is 0 when every document was imported or
// already there, 1 otherwise.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/domain"
)

func main() {
	var o options
	fs := flag.NewFlagSet("bulkimport", flag.ExitOnError)
	fs.StringVar(&o.api, "api", "http://127.0.0.1:3000", "base URL of the HTTP API")
	fs.StringVar(&o.token, "token", os.Getenv("TOKEN"), "bearer token (ID token); default $TOKEN")
	fs.StringVar(&o.file, "file", "", "input file, .csv (UTF-8) or .xlsx (first sheet)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "only check the file and write the errors file; send nothing")
	today := fs.String("today", "", "check dates against this day (YYYY-MM-DD) instead of today in Asia/Shanghai; for replaying on the local stack")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: bulkimport -api URL -token TOKEN -file decisions.xlsx\n\nflags:\n")
		fs.PrintDefaults()
		fmt.Fprintf(fs.Output(), "\ncolumns (header row; one row per sanction):\n%s", columnHelp())
	}
	_ = fs.Parse(os.Args[1:])
	if o.file == "" || (o.token == "" && !o.dryRun) {
		fs.Usage()
		os.Exit(2)
	}
	o.today = domain.Today(domain.SystemClock{})
	if *today != "" {
		d, err := domain.ParseDate(*today)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bulkimport: -today:", err)
			os.Exit(2)
		}
		o.today = d
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	s, err := run(ctx, o, os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bulkimport:", err)
		os.Exit(1)
	}
	if s.Invalid+s.Refused+s.Failed > 0 {
		os.Exit(1)
	}
}

type options struct {
	api, token, file string
	dryRun           bool
	today            domain.Date
	http             *http.Client  // nil: a client with a 30 s timeout
	backoff          time.Duration // first retry delay; 0: 1 s
}

// Summary is what a run did, counted in documents (and rows read).
type Summary struct {
	Rows, Documents          int
	Imported, Existing       int
	Invalid, Refused, Failed int
	ErrorsFile               string
	InvalidRows              int
}

// run imports o.file; progress goes to progress (a terminal), the summary
// to out.
func run(ctx context.Context, o options, out, progress io.Writer) (Summary, error) {
	var s Summary
	rows, err := readRows(o.file)
	if err != nil {
		return s, err
	}
	s.Rows = len(rows)
	docs := group(rows)
	s.Documents = len(docs)
	v := api.Validator{Today: o.today, CreditCodes: api.CreditCodes()}
	for _, d := range docs {
		d.validate(v)
	}
	hc := o.http
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	backoff := o.backoff
	if backoff == 0 {
		backoff = time.Second
	}
	c := &client{base: o.api, token: o.token, http: hc, retries: 3, backoff: backoff}
	bar := newProgress(progress, len(docs))
	var problems []rowProblem
	for i, d := range docs {
		switch {
		case len(d.problems) > 0:
			s.Invalid++
			problems = append(problems, d.problems...)
		case o.dryRun:
		default:
			res, ps, err := c.post(ctx, d.req)
			switch {
			case errors.Is(err, context.Canceled):
				bar.done()
				return s, err
			case err != nil:
				s.Failed++
				problems = append(problems, rowProblem{line: d.lines[0], docNo: d.docNo, Problem: api.Problem{
					Code: "not_sent", MessageZH: "接口暂时无法访问，未导入，请稍后重新运行", MessageEN: "the API could not be reached; not imported, run again later",
				}})
			case res == outcomeCreated:
				s.Imported++
			case res == outcomeExisting:
				s.Existing++
			default:
				s.Refused++
				for _, p := range ps {
					line, col := d.locate(p.Field)
					problems = append(problems, rowProblem{line: line, docNo: d.docNo, column: col, Problem: p})
				}
			}
		}
		bar.set(i + 1)
	}
	bar.done()
	s.ErrorsFile = o.file + ".errors.csv"
	if err := writeErrors(s.ErrorsFile, problems); err != nil {
		return s, err
	}
	lines := map[int]bool{}
	for _, p := range problems {
		lines[p.line] = true
	}
	s.InvalidRows = len(lines)
	printSummary(out, s, o.dryRun)
	return s, nil
}
