package expiry

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

// EnvScale sets the number of records of TestReadsProportionalToDue
// (default 2,000, of which 20 expire; at N, N/1000 expire, at least 20).
// EXPIRY_SCALE=100000 is the figure quoted in the README.
const EnvScale = "EXPIRY_SCALE"

// TestReadsProportionalToDue checks that a run reads in proportion to what
// is due, not to the table: many records, few of them leaving the window.
// It counts the items DynamoDB itself reads (query ScannedCount, GetItem
// hits) on DynamoDB Local.
func TestReadsProportionalToDue(t *testing.T) {
	total := 2000
	if v := os.Getenv(EnvScale); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 100 {
			t.Fatalf("%s=%q: want a number of records ≥ 100", EnvScale, v)
		}
		total = n
	}
	due := max(20, total/1000)
	p := policy.MustDefault()
	client, table := testenv.NewTable(t)
	db := &countingDB{DynamoAPI: client}
	st := storage.NewDynamo(db, table)

	// due subjects with one record each leaving the window on 2025-06-01,
	// and the rest spread over 500 subjects, counting until 2026.
	recs := make([]domain.Record, 0, total)
	for i := 0; i < due; i++ {
		recs = append(recs, warning(p, sid(10_000+i), fmt.Sprintf("OLD%06d", i), "2024-06-01"))
	}
	for i := due; i < total; i++ {
		recs = append(recs, warning(p, sid(i%500), fmt.Sprintf("NEW%06d", i), "2025-05-01"))
	}
	loadStart := time.Now()
	putMany(t, st, recs)
	t.Logf("loaded %d records in %s", total, time.Since(loadStart).Round(time.Millisecond))
	for i := 0; i < due; i++ {
		regradeOn(t, st, p, "2024-06-01", sid(10_000+i))
	}

	db.read.Store(0)
	db.queries.Store(0)
	start := time.Now()
	rep, err := job(st, p, "2025-06-01").Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	read := db.read.Load()
	t.Logf("EXPIRY_SCALE=%d: %d expired, %d subjects regraded, %d index entries, %d items read by DynamoDB in %d queries, %s",
		total, rep.RecordsExpired, rep.SubjectsRegraded, rep.ItemsRead, read, db.queries.Load(), elapsed.Round(time.Millisecond))
	if rep.RecordsExpired != due || rep.SubjectsRegraded != due || !rep.Finished {
		t.Fatalf("report %+v, want %d expired and regraded", rep, due)
	}
	// Per due record: its index entry, the record (twice at most: one
	// UpdateRecord read), its grade's index entry, the grade and the
	// subject's records in the regrade. A Scan would read every record.
	if limit := int64(8*due + 10); read > limit {
		t.Fatalf("%d items read for %d due records (limit %d): reads follow the table, not the due items", read, due, limit)
	}
}
