package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/grading"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

// Noon is 12:00 Asia/Shanghai on day, in UTC.
func Noon(day string) time.Time { return domain.MustDate(day).Time().Add(12 * time.Hour).UTC() }

// ClockOn is a clock fixed at noon of day.
func ClockOn(day string) domain.Clock { return domain.FixedClock{T: Noon(day)} }

// SubjectID is the i-th synthetic legal person's id (its credit code).
func SubjectID(salt, i int) domain.SubjectID { return domain.SubjectID(CreditCode(salt, i)) }

// DecisionRecord is a stored handling decision on id with one act and the
// given sanctions, dated day, as the API would build it.
func DecisionRecord(p *policy.Policy, id domain.SubjectID, doc, day string, sanctions ...domain.Sanction) domain.Record {
	r := domain.Record{
		Kind:          domain.KindDecision,
		SubjectID:     id,
		Unit:          Unit,
		DocumentNo:    doc,
		EffectiveDate: domain.MustDate(day),
		Status:        domain.StatusActive,
		Decision: &domain.Decision{Acts: []domain.Act{{Facts: "未按规定登记住宿旅客身份信息。", LegalBasis: "《旅馆业治安管理办法》第六条",
			Sanctions: sanctions}}},
		CreatedAt: Noon(day),
		CreatedBy: domain.Actor{Unit: Unit, User: "clerk", Role: "clerk"},
	}
	r.ID = storage.RecordID(r.Unit, r.Kind, r.DocumentNo)
	r.CountsUntil = grading.WindowEnd(p, r)
	return r
}

// SubjectOf is the profile stored with a synthetic record.
func SubjectOf(id domain.SubjectID) domain.Subject {
	return domain.Subject{ID: id, Type: domain.LegalPerson, Name: "睢县测试宾馆有限公司", CreditCode: string(id)}
}

// PutAll stores records through st (a storage.Dynamo on a Loader, usually).
func PutAll(ctx context.Context, st storage.Store, recs []domain.Record) error {
	for _, r := range recs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, _, err := st.PutRecord(ctx, SubjectOf(r.SubjectID), r); err != nil {
			return fmt.Errorf("put %s: %w", r.DocumentNo, err)
		}
	}
	return nil
}

// ChangedPolicy is the default policy under another version: what an
// operator's policy change looks like to the grades (every stored grade
// names the policy version it was computed with).
func ChangedPolicy(version string) (*policy.Policy, error) {
	var doc map[string]any
	if err := json.Unmarshal(policy.DefaultDocument(), &doc); err != nil {
		return nil, err
	}
	doc["version"] = version
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return policy.Parse(b)
}
