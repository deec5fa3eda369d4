package render

import (
	"time"

	"github.com/suixian-psb/credit/shared/domain"
)

const code1 = "91411422MA44ABCD1X"

// unitMap is a unit registry for the tests: like units.Registry, it returns
// the code for a unit it does not know.
type unitMap map[string]string

func (m unitMap) NameZH(code string) string {
	if n, ok := m[code]; ok {
		return n
	}
	return code
}

var testUnits = unitMap{"411422-PCS-01": "睢县公安局城关派出所"}

func decision(id string, subject domain.SubjectID, doc string, date string, status domain.Status, facts string, sanctions ...domain.Sanction) domain.Record {
	return domain.Record{
		ID: id, Kind: domain.KindDecision, SubjectID: subject, Unit: "411422-PCS-01", DocumentNo: doc,
		EffectiveDate: domain.MustDate(date), Status: status,
		Decision: &domain.Decision{Acts: []domain.Act{{Facts: facts, Sanctions: sanctions}}},
	}
}

func cGrade(subject domain.SubjectID, ids ...string) domain.Grade {
	return domain.Grade{
		SubjectID: subject, Level: domain.LevelC, Version: 1, PolicyVersion: "2026.1",
		AsOf: domain.MustDate("2026-12-04"), Since: domain.MustDate("2026-11-20"),
		ComputedAt: time.Date(2026, 12, 4, 1, 0, 0, 0, time.UTC),
		Reasons: []domain.Reason{{
			Rule: "c.penalty_acts", Level: domain.LevelC, RecordIDs: ids, Count: len(ids), Threshold: 3,
			MessageZH: "一年内行政处罚案件 3 次，达到严重失信标准（3 次）",
		}},
	}
}
