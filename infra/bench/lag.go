package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// LagResult is how long after a POST its effect can be read: the subject's
// grade through the API, and (for a subject that becomes C) its public
// disclosure page on the site.
type LagResult struct {
	Subjects       int     `json:"subjects"`
	PollMS         int64   `json:"stream_poll_ms"`
	ProbeMS        int64   `json:"probe_interval_ms"`
	GradeP50MS     float64 `json:"grade_p50_ms"`
	GradeP99MS     float64 `json:"grade_p99_ms"`
	DisclosedP50MS float64 `json:"disclosure_p50_ms"`
	DisclosedP99MS float64 `json:"disclosure_p99_ms"`
}

// MeasureLag posts, for each of n fresh subjects, one decision and waits for
// its grade, then two more warning decisions and waits, from the third
// POST, for the C grade's disclosure page. Subjects go one after another so
// no queueing adds to the figures.
func MeasureLag(ctx context.Context, s *Stack, n int, probe time.Duration) (LagResult, error) {
	res := LagResult{Subjects: n, PollMS: s.Poll.Milliseconds(), ProbeMS: probe.Milliseconds()}
	tok, err := s.Token(Unit, "clerk")
	if err != nil {
		return res, err
	}
	var grade, page []time.Duration
	for i := range n {
		code := CreditCode(22, i)
		var id string
		for k := range 3 {
			start := time.Now()
			st, b, err := s.Do(ctx, "POST", "/v1/decisions", tok, DecisionBody(code, DocNo("lag", i*3+k), "2027-02-1"+fmt.Sprint(k), Warning))
			if err != nil || st != 201 {
				return res, fmt.Errorf("POST: %d %s %v", st, b, err)
			}
			var p Posted
			if err := json.Unmarshal(b, &p); err != nil {
				return res, err
			}
			id = p.SubjectID
			switch k {
			case 0:
				d, err := waitFor(ctx, start, probe, func() (bool, error) { return hasGrade(ctx, s, tok, id, "B") })
				if err != nil {
					return res, fmt.Errorf("grade of subject %d: %w", i, err)
				}
				grade = append(grade, d)
			case 2:
				d, err := waitFor(ctx, start, probe, func() (bool, error) {
					st, err := s.Get(ctx, "/subjects/"+code+".html")
					return st == 200, err
				})
				if err != nil {
					return res, fmt.Errorf("disclosure page of subject %d: %w", i, err)
				}
				page = append(page, d)
			}
		}
	}
	res.GradeP50MS, res.GradeP99MS = Percentile(grade, 50), Percentile(grade, 99)
	res.DisclosedP50MS, res.DisclosedP99MS = Percentile(page, 50), Percentile(page, 99)
	return res, nil
}

// waitFor probes until ok, at most 60 s, and returns the time since start.
func waitFor(ctx context.Context, start time.Time, probe time.Duration, ok func() (bool, error)) (time.Duration, error) {
	deadline := start.Add(60 * time.Second)
	for {
		done, err := ok()
		if err != nil {
			return 0, err
		}
		if done {
			return time.Since(start), nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("not there 60 s after the POST")
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(probe):
		}
	}
}

// hasGrade tells whether the subject's grade is level.
func hasGrade(ctx context.Context, s *Stack, tok, id, level string) (bool, error) {
	st, b, err := s.Do(ctx, "GET", subjectPath(id), tok, nil)
	if err != nil {
		return false, err
	}
	if st != 200 {
		return false, nil
	}
	var v struct {
		Grade *struct {
			Level string `json:"level"`
		} `json:"grade"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return false, fmt.Errorf("GET subject: %w", err)
	}
	return v.Grade != nil && v.Grade.Level == level, nil
}
