package expiry

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

func status(t *testing.T, st storage.Store, r domain.Record) domain.Record {
	t.Helper()
	got, err := st.GetRecord(context.Background(), r.SubjectID, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func run(t *testing.T, st storage.Store, p *policy.Policy, day string) Report {
	t.Helper()
	rep, err := job(st, p, day).Run(context.Background())
	if err != nil {
		t.Fatalf("run on %s: %v", day, err)
	}
	return rep
}

func TestThirdWarningAgesOut(t *testing.T) {
	p := policy.MustDefault()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.new(t)
			id := sid(1)
			w1, w2, w3 := warning(p, id, "W1", "2024-03-01"), warning(p, id, "W2", "2024-06-01"), warning(p, id, "W3", "2024-09-01")
			put(t, st, w1, w2, w3)
			if g := regradeOn(t, st, p, "2024-09-01", id); g.Level != domain.LevelC || g.NextChange != domain.MustDate("2025-03-01") {
				t.Fatalf("setup: %s next change %s", g.Level, g.NextChange)
			}

			rep := run(t, st, p, "2025-02-28")
			if rep.RecordsExpired != 0 || rep.SubjectsRegraded != 0 || status(t, st, w1).Status != domain.StatusActive {
				t.Fatalf("the day before: %+v", rep)
			}
			rep = run(t, st, p, "2025-03-01")
			if rep.RecordsExpired != 1 || rep.SubjectsRegraded != 1 || rep.GradesChanged != 1 || !rep.Finished ||
				!maps.Equal(rep.ExpiredByDay, map[string]int{"2025-03-01": 1}) {
				t.Fatalf("report %+v", rep)
			}
			g, err := st.GetGrade(ctx, id)
			if err != nil || g.Level != domain.LevelB || g.Since != domain.MustDate("2025-03-01") {
				t.Fatalf("grade %s since %s (%v), want B since 2025-03-01", g.Level, g.Since, err)
			}
			r := status(t, st, w1)
			if r.Status != domain.StatusExpired || len(r.History) != 1 {
				t.Fatalf("record %s history %+v", r.Status, r.History)
			}
			h := r.History[0]
			if h.From != domain.StatusActive || h.To != domain.StatusExpired || h.By != Actor || !h.At.Equal(noon("2025-03-01")) ||
				h.Reason != "一年有效期届满 / one-year window ended on 2025-03-01" {
				t.Fatalf("status change %+v", h)
			}
			if status(t, st, w2).Status != domain.StatusActive {
				t.Fatal("a record still in its window was expired")
			}
		})
	}
}

func TestLeapDay(t *testing.T) {
	p := policy.MustDefault()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			st := b.new(t)
			r := warning(p, sid(2), "LEAP", "2024-02-29")
			put(t, st, r)
			regradeOn(t, st, p, "2024-02-29", r.SubjectID)
			if rep := run(t, st, p, "2025-02-28"); rep.RecordsExpired != 0 || status(t, st, r).Status != domain.StatusActive {
				t.Fatalf("expired on 28 February: %+v", rep)
			}
			rep := run(t, st, p, "2025-03-01")
			if rep.RecordsExpired != 1 || rep.ExpiredByDay["2025-03-01"] != 1 || status(t, st, r).Status != domain.StatusExpired {
				t.Fatalf("1 March: %+v", rep)
			}
			g, _ := st.GetGrade(context.Background(), r.SubjectID)
			if g.Level != domain.LevelUnrated {
				t.Fatalf("grade %s, want unrated", g.Level)
			}
		})
	}
}

func TestMissedDaysAndIdempotence(t *testing.T) {
	p := policy.MustDefault()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.new(t)
			// One record a day leaving the window on 1..10 March 2025, one
			// of them under objection; one more still counting.
			var recs []domain.Record
			for d := 0; d < 10; d++ {
				day := domain.MustDate("2024-03-01").AddDays(d).String()
				recs = append(recs, warning(p, sid(100+d%4), "M"+day, day))
			}
			keep := warning(p, sid(100), "KEEP", "2024-03-20")
			put(t, st, append(recs, keep)...)
			for i := 0; i < 4; i++ {
				regradeOn(t, st, p, "2024-03-20", sid(100+i))
			}
			if _, err := st.UpdateRecord(ctx, recs[3].SubjectID, recs[3].ID, domain.StatusActive, func(r *domain.Record) error {
				r.Status = domain.StatusObjected
				return nil
			}); err != nil {
				t.Fatal(err)
			}

			// The job did not run from 1 to 10 March.
			rep := run(t, st, p, "2025-03-11")
			want := map[string]int{}
			for d := 0; d < 10; d++ {
				want[domain.MustDate("2025-03-01").AddDays(d).String()] = 1
			}
			if rep.RecordsExpired != 10 || !maps.Equal(rep.ExpiredByDay, want) || rep.SubjectsRegraded != 4 || rep.Failures != 0 {
				t.Fatalf("catch-up report %+v", rep)
			}
			for _, r := range recs {
				if got := status(t, st, r); got.Status != domain.StatusExpired || len(got.History) != 1 {
					t.Fatalf("%s: %s with %d changes", r.DocumentNo, got.Status, len(got.History))
				}
			}
			if got := status(t, st, recs[3]).History[0].From; got != domain.StatusObjected {
				t.Fatalf("objected record's change from %s", got)
			}
			if status(t, st, keep).Status != domain.StatusActive {
				t.Fatal("a counting record was expired")
			}
			g, _ := st.GetGrade(ctx, sid(100))
			if g.Level != domain.LevelB || !g.NextChange.After(domain.MustDate("2025-03-11")) {
				t.Fatalf("subject with a record left: %s next %s", g.Level, g.NextChange)
			}

			// A second run the same day changes nothing.
			again := run(t, st, p, "2025-03-11")
			if again.RecordsExpired != 0 || again.SubjectsRegraded != 0 || again.ItemsRead != 0 {
				t.Fatalf("second run %+v", again)
			}
		})
	}
}

func TestConcurrentRuns(t *testing.T) {
	p := policy.MustDefault()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			st := b.new(t)
			var recs []domain.Record
			for i := 0; i < 30; i++ {
				recs = append(recs, warning(p, sid(200+i%10), "C"+string(rune('A'+i)), "2024-04-01"))
			}
			put(t, st, recs...)
			for i := 0; i < 10; i++ {
				regradeOn(t, st, p, "2024-04-01", sid(200+i))
			}
			var wg sync.WaitGroup
			reps := make([]Report, 2)
			errs := make([]error, 2)
			for i := range reps {
				wg.Add(1)
				go func() {
					defer wg.Done()
					j := job(st, p, "2025-04-01")
					j.PageSize = 7
					reps[i], errs[i] = j.Run(ctx)
				}()
			}
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				t.Fatal(err)
			}
			if n := reps[0].RecordsExpired + reps[1].RecordsExpired; n != len(recs) {
				t.Fatalf("expired %d + %d, want %d in all", reps[0].RecordsExpired, reps[1].RecordsExpired, len(recs))
			}
			for _, r := range recs {
				if got := status(t, st, r); got.Status != domain.StatusExpired || len(got.History) != 1 {
					t.Fatalf("%s: %s with %d changes", r.DocumentNo, got.Status, len(got.History))
				}
			}
			for i := 0; i < 10; i++ {
				g, _ := st.GetGrade(ctx, sid(200+i))
				hist, _ := st.GradeHistory(ctx, sid(200+i))
				if g.Level != domain.LevelUnrated || g.Version != 2 || len(hist) != 2 {
					t.Fatalf("%s: %s v%d, %d history items", sid(200+i), g.Level, g.Version, len(hist))
				}
			}
		})
	}
}

func TestBudgetStopsAndResumes(t *testing.T) {
	p := policy.MustDefault()
	st := storage.NewMemory()
	var recs []domain.Record
	for i := 0; i < 25; i++ {
		recs = append(recs, warning(p, sid(300+i), "B"+string(rune('A'+i)), "2024-05-01"))
	}
	put(t, st, recs...)
	expired, runs := 0, 0
	for {
		j := job(st, p, "2025-05-02")
		j.MaxItems, j.PageSize = 10, 4
		rep, err := j.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		runs++
		expired += rep.RecordsExpired
		if rep.RecordsExpired > 10 {
			t.Fatalf("run exceeded its budget: %+v", rep)
		}
		if rep.Finished {
			break
		}
		if runs > 5 {
			t.Fatal("runs do not converge")
		}
	}
	if expired != 25 || runs != 3 {
		t.Fatalf("expired %d in %d runs, want 25 in 3", expired, runs)
	}
}

func TestDeadlineMargin(t *testing.T) {
	p := policy.MustDefault()
	st := storage.NewMemory()
	put(t, st, warning(p, sid(400), "D1", "2024-05-01"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	j := job(st, p, "2025-05-02")
	j.Margin = time.Minute // already inside the margin: nothing is started
	rep, err := j.Run(ctx)
	if err != nil || rep.Finished || rep.RecordsExpired != 0 || rep.ItemsRead != 0 {
		t.Fatalf("report %+v err %v", rep, err)
	}
}

func TestReportLines(t *testing.T) {
	p := policy.MustDefault()
	st := storage.NewMemory()
	r := warning(p, sid(500), "E1", "2024-05-01")
	put(t, st, r)
	var logs, metrics bytes.Buffer
	j := job(st, p, "2025-05-02")
	j.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
	j.Metrics = &metrics
	j.FunctionName = "ExpireFunction"
	if _, err := j.Run(context.Background()); err != nil {
		t.Fatal(err)
	}

	var emf struct {
		AWS struct {
			Timestamp         int64
			CloudWatchMetrics []struct {
				Namespace  string
				Dimensions [][]string
				Metrics    []struct{ Name, Unit string }
			}
		} `json:"_aws"`
		Function     string
		ExpiredByDay map[string]int
	}
	line := metrics.Bytes()
	if bytes.Count(line, []byte("\n")) != 1 {
		t.Fatalf("want one EMF line, got %q", line)
	}
	if err := json.Unmarshal(line, &emf); err != nil {
		t.Fatal(err)
	}
	var flat map[string]any
	_ = json.Unmarshal(line, &flat)
	if emf.AWS.Timestamp != noon("2025-05-02").UnixMilli() || len(emf.AWS.CloudWatchMetrics) != 1 || emf.Function != "ExpireFunction" {
		t.Fatalf("emf %s", line)
	}
	cw := emf.AWS.CloudWatchMetrics[0]
	if cw.Namespace != "CreditPlatform" || len(cw.Dimensions) != 1 || len(cw.Dimensions[0]) != 1 || cw.Dimensions[0][0] != "Function" {
		t.Fatalf("emf metadata %+v", cw)
	}
	for _, m := range cw.Metrics {
		if _, ok := flat[m.Name].(float64); !ok {
			t.Fatalf("metric %s has no numeric value in %s", m.Name, line)
		}
	}
	if flat["RecordsExpired"] != 1.0 || emf.ExpiredByDay["2025-05-01"] != 1 {
		t.Fatalf("emf values %s", line)
	}

	var logLine map[string]any
	if err := json.Unmarshal(logs.Bytes(), &logLine); err != nil {
		t.Fatalf("log %q: %v", logs.String(), err)
	}
	if logLine["msg"] != "expiry run" || logLine["records_expired"] != 1.0 || logLine["expired_by_day"].(map[string]any)["2025-05-01"] != 1.0 {
		t.Fatalf("log line %s", logs.String())
	}
	if strings.Contains(logs.String()+metrics.String(), "某某") {
		t.Fatal("a name reached the logs")
	}
}
