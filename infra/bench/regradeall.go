package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/regrade"
	"github.com/suixian-psb/credit/shared/storage"
)

// RegradeResult compares regrading every subject after a policy change
// (regrade.Service.RegradeAll over the ScanLister, as RegradeAllFunction
// does) with a bare Scan of the same table.
type RegradeResult struct {
	Subjects        int     `json:"subjects"`
	Records         int     `json:"records"`
	TableItems      int64   `json:"table_items"`
	LoadSeconds     float64 `json:"load_seconds"`
	RegradeSeconds  float64 `json:"regrade_seconds"`
	SubjectsPerSec  float64 `json:"subjects_per_second"`
	ScanSeconds     float64 `json:"scan_seconds"`
	ScanItemsPerSec float64 `json:"scan_items_per_second"`
	// Ratio is the scan's items per second over the regrade's subjects per
	// second: how much slower a regrade is than reading.
	Ratio float64 `json:"ratio"`
}

// MeasureRegradeAll loads n subjects (1–3 records each) into a fresh table
// on endpoint, grades them under the default policy, then times a
// RegradeAll under a changed policy version and a bare Scan.
func MeasureRegradeAll(ctx context.Context, endpoint string, n int) (RegradeResult, error) {
	res := RegradeResult{Subjects: n}
	const table = "bench-regrade"
	client, err := NewTable(ctx, endpoint, table)
	if err != nil {
		return res, err
	}
	p := policy.MustDefault()
	var recs []domain.Record
	for i := range n {
		id := SubjectID(33, i)
		for k := range 1 + i%3 {
			s := domain.Sanction{Kind: domain.SanctionWarning}
			if k == 1 {
				s = domain.Sanction{Kind: domain.SanctionFine, AmountFen: int64(100_000 * (i%7 + 1))}
			}
			recs = append(recs, DecisionRecord(p, id, DocNo(fmt.Sprintf("R%d", k), i), fmt.Sprintf("2027-01-%02d", 1+i%28), s))
		}
	}
	res.Records = len(recs)
	start := time.Now()
	loader := &Loader{Client: client, Writers: 4}
	if err := PutAll(ctx, storage.NewDynamo(loader, table), recs); err != nil {
		return res, err
	}
	if _, err := loader.Close(); err != nil {
		return res, err
	}
	res.LoadSeconds = round(time.Since(start).Seconds(), 1)

	st := storage.NewDynamo(client, table)
	lister := regrade.ScanLister{Client: client, Table: table}
	clock := ClockOn("2027-03-01")
	first := &regrade.Service{Store: st, Policy: p, Clock: clock}
	if next, done, err := first.RegradeAll(ctx, lister, "", 0, nil); err != nil || next != "" || done != n {
		return res, fmt.Errorf("first grading: %d of %d, next %q: %v", done, n, next, err)
	}

	changed, err := ChangedPolicy(p.Version + "-bench")
	if err != nil {
		return res, err
	}
	svc := &regrade.Service{Store: st, Policy: changed, Clock: clock}
	start = time.Now()
	next, done, err := svc.RegradeAll(ctx, lister, "", 0, nil)
	el := time.Since(start)
	if err != nil || next != "" || done != n {
		return res, fmt.Errorf("regrade all: %d of %d, next %q: %v", done, n, next, err)
	}
	res.RegradeSeconds = round(el.Seconds(), 2)
	res.SubjectsPerSec = round(float64(done)/el.Seconds(), 0)

	// A check that the walk really rewrote the grades.
	g, err := st.GetGrade(ctx, SubjectID(33, n-1))
	if err != nil || g.PolicyVersion != changed.Version {
		return res, fmt.Errorf("grade after regrade all: version %q, want %q (%v)", g.PolicyVersion, changed.Version, err)
	}

	start = time.Now()
	items, err := scanAll(ctx, client, table)
	el = time.Since(start)
	if err != nil {
		return res, err
	}
	res.TableItems = items
	res.ScanSeconds = round(el.Seconds(), 2)
	res.ScanItemsPerSec = round(float64(items)/el.Seconds(), 0)
	if res.SubjectsPerSec > 0 {
		res.Ratio = round(res.ScanItemsPerSec/res.SubjectsPerSec, 1)
	}
	return res, nil
}

// scanAll reads the whole table, page by page, and counts the items.
func scanAll(ctx context.Context, client *dynamodb.Client, table string) (int64, error) {
	var n int64
	in := &dynamodb.ScanInput{TableName: aws.String(table)}
	for {
		out, err := client.Scan(ctx, in)
		if err != nil {
			return n, err
		}
		n += int64(out.Count)
		if len(out.LastEvaluatedKey) == 0 {
			return n, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
