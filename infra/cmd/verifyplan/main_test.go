package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/supervision"
)

func samplePlan(t *testing.T) supervision.Plan {
	t.Helper()
	in := supervision.PlanInput{
		Period: supervision.Period{From: domain.MustDate("2027-03-01"), To: domain.MustDate("2027-03-31")},
		Pool:   supervision.Pool{Trade: "旅馆业", Jurisdiction: "城关镇"},
		Subjects: []supervision.PoolSubject{
			{ID: "S1", Name: "甲", Level: domain.LevelB, HandlingUnits: []string{"U1"}},
			{ID: "S2", Name: "乙", Level: domain.LevelC},
			{ID: "S3", Name: "丙", Level: domain.LevelB},
			{ID: "S4", Name: "丁", Level: domain.LevelA},
		},
		Roster:    []supervision.Inspector{{ID: "P1", Name: "赵", Unit: "U1"}, {ID: "P2", Name: "钱", Unit: "U2"}, {ID: "P3", Name: "孙", Unit: "U3"}},
		Policy:    supervision.SnapshotOf(policy.MustDefault()),
		Seed:      "cmd-test",
		CreatedAt: time.Date(2027, 2, 25, 2, 0, 0, 0, time.UTC),
	}
	p, err := supervision.Draw(in)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func writePlan(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRun(t *testing.T) {
	good := samplePlan(t)
	tampered := samplePlan(t)
	tampered.Result[0].Inspectors[0], tampered.Result[0].Inspectors[1] = tampered.Result[0].Inspectors[1], tampered.Result[0].Inspectors[0]

	tests := []struct {
		name     string
		args     func() []string
		code     int
		stdoutIs string
	}{
		{"valid plan", func() []string { return []string{writePlan(t, good)} }, 0, "OK " + good.Digest},
		{"tampered plan", func() []string { return []string{writePlan(t, tampered)} }, 1, "DIFFERENT at result[0].inspectors[0]"},
		{"not a plan", func() []string { return []string{writePlan(t, map[string]any{"hello": 1})} }, 2, ""},
		{"missing file", func() []string { return []string{filepath.Join(t.TempDir(), "none.json")} }, 2, ""},
		{"no argument", func() []string { return nil }, 2, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(tc.args(), strings.NewReader(""), &out, &errb)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, tc.code, out.String(), errb.String())
			}
			if tc.stdoutIs != "" && !strings.HasPrefix(out.String(), tc.stdoutIs) {
				t.Errorf("stdout = %q, want prefix %q", out.String(), tc.stdoutIs)
			}
		})
	}
	t.Run("stdin", func(t *testing.T) {
		b, _ := json.Marshal(good)
		var out, errb bytes.Buffer
		if code := run([]string{"-"}, bytes.NewReader(b), &out, &errb); code != 0 {
			t.Fatalf("exit %d: %s %s", code, out.String(), errb.String())
		}
	})
}
