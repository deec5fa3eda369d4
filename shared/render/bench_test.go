package render

import (
	"fmt"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
)

func manyEntries(n int) []Entry {
	out := make([]Entry, n)
	for i := range out {
		code := fmt.Sprintf("914114%012d", i)
		out[i] = Entry{
			Key: code, CreditCode: code, Name: fmt.Sprintf("睢县第%d号商贸有限公司", i), Type: domain.LegalPerson, TypeZH: "法人",
			Level: domain.LevelC, Since: domain.MustDate("2026-01-01").AddDays(i % 300),
			Reasons: []Reason{{Rule: "c.penalty_acts", Text: "一年内行政处罚案件 3 次，达到严重失信标准（3 次），罚没款金额累计 1,500.00 元"}},
		}
	}
	return out
}

func BenchmarkIndex10k(b *testing.B) {
	entries := manyEntries(10000)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		page, err := Index(Site{}, domain.MustDate("2026-12-04"), entries)
		if err != nil {
			b.Fatal(err)
		}
		size = len(page)
	}
	b.ReportMetric(float64(size)/1e6, "MB/page")
}
