package bench

import (
	"fmt"
	"strings"
)

// Rows are the figures as (measure, value, compared with) lines, shared by
// the terminal table and the Markdown file.
func (r *Results) Rows() [][3]string {
	f := func(format string, a ...any) string { return fmt.Sprintf(format, a...) }
	in, lag, rg, ex := r.Intake, r.Lag, r.Regrade, r.Expiry
	rows := [][3]string{
		{"Intake: POST /v1/decisions through the HTTP front",
			f("p50 %.1f ms, p99 %.1f ms (%d sequential posts after %d warm-up)", in.PostP50MS, in.PostP99MS, in.Posts, in.Warmup),
			f("bare PutItem of %d B: p50 %.2f ms, p99 %.2f ms → ×%.1f (p50), ×%.1f (p99)", in.ItemBytes, in.PutP50MS, in.PutP99MS, in.RatioP50, in.RatioP99)},
		{"Lag: POST → grade readable (GET /v1/subjects/{id})",
			f("p50 %.0f ms, p99 %.0f ms (%d subjects)", lag.GradeP50MS, lag.GradeP99MS, lag.Subjects),
			f("stream poll every %d ms, probe every %d ms", lag.PollMS, lag.ProbeMS)},
		{"Lag: 3rd warning POST → C disclosure page on the site",
			f("p50 %.0f ms, p99 %.0f ms (%d subjects)", lag.DisclosedP50MS, lag.DisclosedP99MS, lag.Subjects),
			"regrade, then publish (two stream hops)"},
	}
	for _, g := range r.Grading {
		rows = append(rows, [3]string{f("Grading engine, %d record(s) per subject", g.Records),
			f("%.0f subjects/s", g.SubjectsPerSec), f("%.0f ns and %.0f allocations per subject", g.NsPerOp, g.AllocsPerOp)})
	}
	rows = append(rows,
		[3]string{"Bulk regrade after a policy change (RegradeAll)",
			f("%.0f subjects/s (%d subjects, %d records, %.1f s)", rg.SubjectsPerSec, rg.Subjects, rg.Records, rg.RegradeSeconds),
			f("bare Scan: %.0f items/s (%d items, %.2f s) → scan/regrade ×%.1f", rg.ScanItemsPerSec, rg.TableItems, rg.ScanSeconds, rg.Ratio)},
		[3]string{"Expiry: items read per expired record",
			f("%.1f (%d items read for %d expired of %d records, run %.2f s)", ex.ItemsPerExpired, ex.ItemsRead, ex.Expired, ex.Records, ex.RunSeconds),
			f("a Scan would read %d items; loading took %.0f s", ex.Records, ex.LoadSeconds)},
	)
	for _, c := range r.ColdStarts {
		init := f("cold %.0f ms to the first answer (handler %.1f ms), warm %.1f ms", c.ColdMS, c.FirstMS, c.WarmMS)
		if c.Invocations > 0 {
			init += f("; on the stack p50 %.1f ms over %d invocations", c.StackP50MS, c.Invocations)
		}
		rows = append(rows, [3]string{f("Cold start: %s (%d MB)", c.Function, c.MemoryMB),
			f("arm64 bootstrap %.1f MB (native %.1f MB)", mb(c.ArmBytes), mb(c.NativeBytes)), init})
	}
	rp := r.Replay
	rows = append(rows, [3]string{"Cost: per 1,000 records posted",
		f("%.0f WRU, %.0f RRU, %.0f S3 PUT-class + %.0f GET-class, %.0f API requests", rp.WRUPer1000, rp.RRUPer1000, rp.S3PutPer1000, rp.S3GetPer1000, rp.APIReqPer1000),
		f("table %.0f B per record; replay of %d records over %d subjects, %d of them C", rp.BytesPerRec, rp.Records, rp.Subjects, rp.CSubjects)})
	for _, u := range r.Lambda {
		rows = append(rows, [3]string{f("Cost: Lambda %s", u.Function),
			f("%.3f GB-s per 1,000 records", u.GBSecondsPer1k),
			f("%.2f invocations per record × %.1f ms billed × %d MB", u.PerRecord, u.MeanBilledMS, u.MemoryMB)})
	}
	for _, c := range r.Costs {
		rows = append(rows, [3]string{f("Cost per month: %s (%d subjects, %d records/year)", c.Scale.Name, c.Scale.Subjects, c.Scale.RecordsPerYear),
			f("$%.2f", c.Total),
			f("DynamoDB $%.2f writes + $%.2f reads + $%.2f storage (%.2f GB), Lambda $%.2f, S3 $%.2f, HTTP API $%.2f",
				c.DynamoWrite, c.DynamoRead, c.DynamoStore, c.DynamoGB, c.Lambda, c.S3, c.API)})
	}
	return rows
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// Header says when and where.
func (r *Results) Header() string {
	return fmt.Sprintf("Measured %s on %d × %s (%s, %s), whole run %.0f s, local stack started in %.0f s",
		r.Date, r.Machine.CPUs, r.Machine.CPUModel, r.Machine.OS, r.Machine.Go, r.Seconds, r.StackStart)
}

// Text is the terminal table.
func (r *Results) Text() string {
	rows := r.Rows()
	w := [3]int{}
	for _, row := range rows {
		for i := range 2 {
			w[i] = max(w[i], len([]rune(row[i])))
		}
	}
	var b strings.Builder
	b.WriteString(r.Header() + "\n\n")
	for _, row := range rows {
		fmt.Fprintf(&b, "%s  %s  %s\n", pad(row[0], w[0]), pad(row[1], w[1]), row[2])
	}
	fmt.Fprintf(&b, "\nPrices: %s, %s (see infra/bench/cost.go).\n", Prices.Region, Prices.AsOf)
	return b.String()
}

func pad(s string, n int) string { return s + strings.Repeat(" ", max(0, n-len([]rune(s)))) }

// Markdown is the results file's table.
func (r *Results) Markdown() string {
	var b strings.Builder
	b.WriteString(r.Header() + ".\n\n| What | Measured | Compared with / details |\n|---|---|---|\n")
	for _, row := range r.Rows() {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", row[0], row[1], row[2])
	}
	fmt.Fprintf(&b, "\nPrices: %s, %s: DynamoDB on-demand $%.3f per million WRU, $%.3f per million RRU, $%.2f per GB-month; "+
		"Lambda arm64 $%.10f per GB-s and $%.2f per million requests; S3 $%.3f per 1,000 PUT-class and $%.4f per 1,000 GET-class requests; "+
		"HTTP API $%.2f per million requests. Free tiers not deducted.\n",
		Prices.Region, Prices.AsOf, Prices.DynamoWRUPerMillion, Prices.DynamoRRUPerMillion, Prices.DynamoGBMonth,
		Prices.LambdaArmGBSecond, Prices.LambdaPerMillion, Prices.S3PutPerThousand, Prices.S3GetPerThousand, Prices.HTTPAPIPerMillion)
	return b.String()
}
