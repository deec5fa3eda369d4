package regrade

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

func TestAllHandler(t *testing.T) {
	p := policy.MustDefault()
	tests := []struct {
		name      string
		ev        AllEvent
		timeout   time.Duration // 0: no deadline
		wantDone  int
		wantFinal bool
		wantErr   bool
	}{
		{name: "whole walk", ev: AllEvent{}, wantDone: 12, wantFinal: true},
		{name: "bounded", ev: AllEvent{MaxSubjects: 5}, wantDone: 5},
		{name: "deadline already within the margin", timeout: time.Second, wantDone: 0},
		{name: "bad cursor", ev: AllEvent{Cursor: "%%%"}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			if tc.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tc.timeout)
				defer cancel()
			}
			h := AllHandler{Service: service(storage.NewMemory(), p, "2025-05-01"), Lister: &fakeLister{ids: subjects(12)}, Margin: 10 * time.Second}
			resp, err := h.Handle(ctx, tc.ev)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Done != tc.wantDone || resp.Finished != tc.wantFinal || (resp.Error != "") != tc.wantErr || resp.PolicyVersion != p.Version {
				t.Fatalf("response %+v", resp)
			}
			if !tc.wantFinal && !tc.wantErr && resp.NextCursor == "" {
				t.Fatal("unfinished walk without a cursor")
			}
		})
	}
}

func TestDynamoScanListerWalk(t *testing.T) {
	ctx := context.Background()
	p := policy.MustDefault()
	client, table := testenv.NewTable(t)
	st := storage.NewDynamo(client, table)
	var want []domain.SubjectID
	for i := 0; i < 40; i++ {
		id := domain.SubjectID(fmt.Sprintf("91411422MA%08d", i))
		want = append(want, id)
		put(t, st, warning(p, id, fmt.Sprintf("W%d", i), "2025-04-01"))
		if i%2 == 0 { // half already graded under the old policy
			if _, err := service(st, p, "2025-04-01").Regrade(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
	}
	newer := policy.MustDefault()
	newer.Version = "2026.7"
	svc := service(st, newer, "2025-04-02")
	lister := ListerFor(st, client, table)
	cursor, total := "", 0
	for calls := 0; ; calls++ {
		next, done, err := svc.RegradeAll(ctx, lister, cursor, 9, nil)
		if err != nil {
			t.Fatal(err)
		}
		total += done
		if next == "" {
			break
		}
		if calls > 20 {
			t.Fatal("walk does not end")
		}
		cursor = next
	}
	if total != len(want) {
		t.Fatalf("regraded %d subjects, want %d", total, len(want))
	}
	var got []domain.SubjectID
	for _, id := range want {
		g, err := st.GetGrade(ctx, id)
		if err != nil || g.PolicyVersion != "2026.7" {
			t.Fatalf("%s: %+v %v", id, g, err)
		}
		got = append(got, id)
	}
	if !slices.Equal(got, want) {
		t.Fatal("subjects missing")
	}
}
