package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/expiry"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/regrade"
	"github.com/suixian-psb/credit/shared/storage"
)

// ExpiryResult is one daily expiry run over a large table where few records
// leave the window: the items DynamoDB reads per expired record.
type ExpiryResult struct {
	Records         int     `json:"records"`
	Expired         int     `json:"expired"`
	LoadSeconds     float64 `json:"load_seconds"`
	RunSeconds      float64 `json:"run_seconds"`
	ItemsRead       int64   `json:"items_read"`
	ItemsPerExpired float64 `json:"items_read_per_expired_record"`
	Usage           Usage   `json:"capacity"`
}

// MeasureExpiry loads total records, due of them leaving the window on
// 2026-06-01, into a fresh table on endpoint and runs the job of that day
// through a metered client (the shape of shared/expiry's scale test, at
// full size).
func MeasureExpiry(ctx context.Context, endpoint string, total, due int) (ExpiryResult, error) {
	res := ExpiryResult{Records: total}
	const table = "bench-expiry"
	client, err := NewTable(ctx, endpoint, table)
	if err != nil {
		return res, err
	}
	p := policy.MustDefault()
	recs := make([]domain.Record, 0, total)
	warn := domain.Sanction{Kind: domain.SanctionWarning}
	for i := range due {
		recs = append(recs, DecisionRecord(p, SubjectID(44, 100_000+i), fmt.Sprintf("OLD%06d", i), "2025-06-01", warn))
	}
	for i := due; i < total; i++ {
		recs = append(recs, DecisionRecord(p, SubjectID(44, i%500), fmt.Sprintf("NEW%06d", i), "2026-05-01", warn))
	}
	start := time.Now()
	loader := &Loader{Client: client, Writers: 4}
	if err := PutAll(ctx, storage.NewDynamo(loader, table), recs); err != nil {
		return res, err
	}
	if _, err := loader.Close(); err != nil {
		return res, err
	}
	res.LoadSeconds = round(time.Since(start).Seconds(), 1)

	plain := storage.NewDynamo(client, table)
	for i := range due {
		svc := &regrade.Service{Store: plain, Policy: p, Clock: ClockOn("2025-06-01")}
		if _, err := svc.Regrade(ctx, SubjectID(44, 100_000+i)); err != nil {
			return res, err
		}
	}

	m := &Metered{DynamoClient: client}
	st := storage.NewDynamo(m, table)
	clock := ClockOn("2026-06-01")
	job := &expiry.Job{Store: st, Regrader: &regrade.Service{Store: st, Policy: p, Clock: clock}, Clock: clock}
	start = time.Now()
	rep, err := job.Run(ctx)
	res.RunSeconds = round(time.Since(start).Seconds(), 2)
	if err != nil {
		return res, err
	}
	if rep.RecordsExpired != due || !rep.Finished {
		return res, fmt.Errorf("expiry run: %+v, want %d expired", rep, due)
	}
	res.Expired = rep.RecordsExpired
	res.Usage = m.Snapshot()
	res.ItemsRead = res.Usage.ItemsRead
	res.ItemsPerExpired = round(float64(res.ItemsRead)/float64(due), 1)
	return res, nil
}
