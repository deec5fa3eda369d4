package office

import (
	"sync"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
)

// Retries of one request that arrive together meet on the same
// deterministic id: one objection, one reminder, whoever wins.
func TestConcurrentRetriesDoNotDuplicate(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, e *env) {
		rec := e.decision(t, company, "D1", "2026-05-20", domain.SanctionFine)
		const n = 4
		var wg sync.WaitGroup
		objIDs := make([]string, n)
		remIDs := make([]string, n)
		errs := make([]error, 2*n)
		for i := range n {
			wg.Add(2)
			go func() {
				defer wg.Done()
				var o model.Objection
				o, _, errs[i] = e.svc.Object(ctx, office, objectTo(rec))
				objIDs[i] = o.ID
			}()
			go func() {
				defer wg.Done()
				var r model.Reminder
				r, _, errs[n+i] = e.svc.RegisterReminder(ctx, office, oral(company, "2026-06-01T09:00:00+08:00"))
				remIDs[i] = r.ID
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("call %d: %v", i, err)
			}
		}
		for i := 1; i < n; i++ {
			if objIDs[i] != objIDs[0] || remIDs[i] != remIDs[0] {
				t.Errorf("ids differ: objections %v, reminders %v", objIDs, remIDs)
			}
		}
		if os, _ := e.st.ListObjections(ctx, company); len(os) != 1 {
			t.Errorf("%d objections stored, want 1", len(os))
		}
		if rs, _ := e.st.ListReminders(ctx, company); len(rs) != 1 {
			t.Errorf("%d reminders stored, want 1", len(rs))
		}
		if r := e.record(t, company, rec.ID); len(r.History) != 1 {
			t.Errorf("record history %+v, want one objection entry", r.History)
		}
	})
}
