package expiry

import (
	"context"
	"encoding/json"
	"log/slog"
	"sort"
)

// Namespace is the CloudWatch namespace of the job's metrics.
const Namespace = "CreditPlatform"

// emit writes the run's report as one structured log line and as one
// CloudWatch embedded-metric-format line. Neither holds personal data: only
// counts and dates.
func (j *Job) emit(ctx context.Context, rep Report) {
	if j.Logger != nil {
		days := make([]string, 0, len(rep.ExpiredByDay))
		for d := range rep.ExpiredByDay {
			days = append(days, d)
		}
		sort.Strings(days)
		byDay := make([]any, 0, len(days))
		for _, d := range days {
			byDay = append(byDay, slog.Int(d, rep.ExpiredByDay[d]))
		}
		j.Logger.LogAttrs(ctx, slog.LevelInfo, "expiry run",
			slog.String("through", rep.Through.String()),
			slog.Int("records_expired", rep.RecordsExpired),
			slog.Group("expired_by_day", byDay...),
			slog.Int("records_skipped", rep.RecordsSkipped),
			slog.Int("subjects_regraded", rep.SubjectsRegraded),
			slog.Int("grades_changed", rep.GradesChanged),
			slog.Int("items_read", rep.ItemsRead),
			slog.Int("failures", rep.Failures),
			slog.Bool("finished", rep.Finished),
			slog.Int64("duration_ms", rep.DurationMS),
		)
	}
	if j.Metrics != nil {
		line, err := EMF(rep, j.FunctionName, j.Clock.Now().UnixMilli())
		if err == nil {
			line = append(line, '\n')
			_, _ = j.Metrics.Write(line)
		}
	}
}

// EMF renders the report in CloudWatch embedded metric format: the metric
// values at the top level, described by the "_aws" metadata, with the
// per-day counts kept as a plain property of the log event.
func EMF(rep Report, function string, timestampMS int64) ([]byte, error) {
	type metric struct {
		Name string `json:"Name"`
		Unit string `json:"Unit"`
	}
	metrics := []metric{
		{"RecordsExpired", "Count"},
		{"RecordsSkipped", "Count"},
		{"SubjectsRegraded", "Count"},
		{"GradesChanged", "Count"},
		{"ItemsRead", "Count"},
		{"Failures", "Count"},
		{"Unfinished", "Count"},
		{"DurationMs", "Milliseconds"},
	}
	unfinished := 0
	if !rep.Finished {
		unfinished = 1
	}
	doc := map[string]any{
		"_aws": map[string]any{
			"Timestamp": timestampMS,
			"CloudWatchMetrics": []any{map[string]any{
				"Namespace":  Namespace,
				"Dimensions": [][]string{{"Function"}},
				"Metrics":    metrics,
			}},
		},
		"Function":         function,
		"RecordsExpired":   rep.RecordsExpired,
		"RecordsSkipped":   rep.RecordsSkipped,
		"SubjectsRegraded": rep.SubjectsRegraded,
		"GradesChanged":    rep.GradesChanged,
		"ItemsRead":        rep.ItemsRead,
		"Failures":         rep.Failures,
		"Unfinished":       unfinished,
		"DurationMs":       rep.DurationMS,
		"Through":          rep.Through.String(),
		"ExpiredByDay":     rep.ExpiredByDay,
	}
	return json.Marshal(doc)
}
