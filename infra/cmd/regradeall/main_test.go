package main

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/grading"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

var resumeRE = regexp.MustCompile(`resume with: -cursor (\S+)`)

func TestWalkResumesFromPrintedCursor(t *testing.T) {
	ctx := context.Background()
	client, table := testenv.NewTable(t)
	st := storage.NewDynamo(client, table)
	p := policy.MustDefault()
	const n = 15
	for i := 0; i < n; i++ {
		id := domain.SubjectID(fmt.Sprintf("91411422MA%08d", i))
		r := domain.Record{
			Kind: domain.KindDecision, SubjectID: id, Unit: "411422-PCS-01", DocumentNo: fmt.Sprintf("D%d", i),
			EffectiveDate: domain.MustDate("2025-04-01"), Status: domain.StatusActive,
			Decision:  &domain.Decision{Acts: []domain.Act{{Facts: "f", LegalBasis: "b", Sanctions: []domain.Sanction{{Kind: domain.SanctionWarning}}}}},
			CreatedAt: time.Date(2025, 4, 1, 4, 0, 0, 0, time.UTC),
		}
		r.ID = storage.RecordID(r.Unit, r.Kind, r.DocumentNo)
		r.CountsUntil = grading.WindowEnd(p, r)
		if _, _, err := st.PutRecord(ctx, domain.Subject{ID: id, Type: domain.LegalPerson, Name: "某某公司", CreditCode: string(id)}, r); err != nil {
			t.Fatal(err)
		}
	}
	ep := testenv.Endpoint(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "local")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "local")
	t.Setenv("AWS_REGION", testenv.Region)
	// The command reads the real clock, shifted as the local stack does:
	// pretend it is noon on 2 April 2025 in Shanghai.
	pretend := time.Date(2025, 4, 2, 12, 0, 0, 0, domain.Shanghai)
	t.Setenv("LOCAL_CLOCK_OFFSET_SECONDS", fmt.Sprint(int64(time.Until(pretend).Seconds())))

	var out bytes.Buffer
	if err := run([]string{"-endpoint", ep, "-table", table, "-max", "6"}, &out, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	m := resumeRE.FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "6 subjects regraded") {
		t.Fatalf("first run printed:\n%s", out.String())
	}
	out.Reset()
	if err := run([]string{"-endpoint", ep, "-table", table, "-cursor", m[1]}, &out, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "9 subjects regraded") || !strings.Contains(out.String(), "finished") {
		t.Fatalf("second run printed:\n%s", out.String())
	}
	for i := 0; i < n; i++ {
		id := domain.SubjectID(fmt.Sprintf("91411422MA%08d", i))
		if g, err := st.GetGrade(ctx, id); err != nil || g.Level != domain.LevelB || g.Version != 1 {
			t.Fatalf("%s: %+v %v", id, g, err)
		}
	}
}

func TestRequiresTable(t *testing.T) {
	t.Setenv("TABLE_NAME", "")
	var out bytes.Buffer
	if err := run(nil, &out, &out); err == nil || !strings.Contains(err.Error(), "-table") {
		t.Fatalf("err = %v", err)
	}
}
