// Command bench runs the whole measurement (`make bench`) on a local stack
// it starts itself, prints a table and writes test-output/bench-<date>.json
// and .md. The sizes are flags; the defaults are the README's figures.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/suixian-psb/credit/infra/bench"
	"github.com/suixian-psb/credit/infra/cfn"
)

func main() {
	o := bench.Defaults()
	out := flag.String("out", "", "results folder (default <root>/test-output)")
	flag.IntVar(&o.Posts, "posts", o.Posts, "measured sequential posts through the HTTP front")
	flag.IntVar(&o.Warmup, "warmup", o.Warmup, "warm-up posts before them")
	flag.IntVar(&o.LagSubjects, "lag-subjects", o.LagSubjects, "subjects whose grade and page lag is measured")
	flag.IntVar(&o.RegradeSubjects, "regrade-subjects", o.RegradeSubjects, "subjects of the bulk regrade")
	flag.IntVar(&o.ExpiryRecords, "expiry-records", o.ExpiryRecords, "records in the expiry table")
	flag.IntVar(&o.ExpiryDue, "expiry-due", o.ExpiryDue, "of which leave the window")
	flag.IntVar(&o.ReplayRecords, "replay-records", o.ReplayRecords, "records of the cost replay")
	flag.StringVar(&o.GradingBenchtime, "benchtime", o.GradingBenchtime, "go test -benchtime of BenchmarkGrade")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := bench.Run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	fmt.Print("\n" + res.Text())
	if *out == "" {
		root, err := cfn.FindRoot()
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		*out = filepath.Join(root, "test-output")
	}
	if err := write(*out, res); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func write(dir string, res *bench.Results) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	js, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	base := filepath.Join(dir, "bench-"+res.Date)
	if err := os.WriteFile(base+".json", append(js, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(base+".md", []byte(res.Markdown()), 0o644); err != nil {
		return err
	}
	fmt.Printf("Results: %s.json and .md\n", base)
	return nil
}
