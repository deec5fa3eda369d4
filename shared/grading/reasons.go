package grading

import (
	"fmt"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/money"
	"github.com/suixian-psb/credit/shared/policy"
)

var listNameZH = map[domain.ListKind]string{
	domain.ListRed:         "红名单",
	domain.ListBlack:       "黑名单",
	domain.ListDishonesty:  "失信惩戒名单",
	domain.ListJointReward: "联合激励名单",
}

var listNameEN = map[domain.ListKind]string{
	domain.ListRed:         "red list",
	domain.ListBlack:       "black list",
	domain.ListDishonesty:  "dishonesty punishment list",
	domain.ListJointReward: "joint reward list",
}

var evalNameZH = map[domain.EvaluationLevel]string{
	domain.EvalExcellent: "优", domain.EvalGood: "良", domain.EvalFair: "中", domain.EvalPoor: "差",
}

// describe writes a finding's sentences. Amounts in the text are yuan with
// two decimals; the SumFen field stays in fen.
func describe(p *policy.Policy, f finding, today domain.Date) domain.Reason {
	r := f.Reason
	winZH, winEN := "一年内", "within 1 year"
	if p.WindowYears != 1 {
		winZH, winEN = fmt.Sprintf("%d年内", p.WindowYears), fmt.Sprintf("within %d years", p.WindowYears)
	}
	boundZH := func() string {
		if r.Level == domain.LevelC {
			return fmt.Sprintf("，达到严重失信标准（%d 次）", r.Threshold)
		}
		if r.Threshold > 0 {
			return fmt.Sprintf("（%d 次以内）", r.Threshold)
		}
		return ""
	}
	boundEN := func() string {
		if r.Level == domain.LevelC {
			return fmt.Sprintf(", reaching the serious bound of %d", r.Threshold)
		}
		if r.Threshold > 0 {
			return fmt.Sprintf(", below the serious bound of %d", r.Threshold)
		}
		return ""
	}
	switch r.Rule {
	case RuleCWarningActs, RuleBWarningActs:
		r.MessageZH = fmt.Sprintf("%s责令（限期）改正、警告、通报批评类失信行为 %d 次%s", winZH, r.Count, boundZH())
		r.MessageEN = fmt.Sprintf("%d warning-tier acts (correction order, warning, circulated criticism) %s%s", r.Count, winEN, boundEN())
	case RuleCPenaltyActs, RuleBPenaltyActs:
		r.MessageZH = fmt.Sprintf("%s行政处罚案件 %d 次%s，罚没款金额累计 %s 元", winZH, r.Count, boundZH(), money.Yuan(r.SumFen))
		r.MessageEN = fmt.Sprintf("%d administrative penalty acts %s%s; fines and confiscations total %s yuan", r.Count, winEN, boundEN(), money.Yuan(r.SumFen))
	case RuleCFineSum:
		r.MessageZH = fmt.Sprintf("%s罚没款金额累计 %s 元，超过 %s 元", winZH, money.Yuan(r.SumFen), money.Yuan(r.Threshold))
		r.MessageEN = fmt.Sprintf("Fines and confiscations %s total %s yuan, over %s yuan", winEN, money.Yuan(r.SumFen), money.Yuan(r.Threshold))
	case RuleCCommitmentViolations, RuleBCommitmentViolations:
		r.MessageZH = fmt.Sprintf("%s违反许可承诺书 %d 次%s", winZH, r.Count, boundZH())
		r.MessageEN = fmt.Sprintf("%d licensing-commitment violations %s%s", r.Count, winEN, boundEN())
	case RuleCNationalEvaluation, RuleBNationalEvaluation:
		r.MessageZH = fmt.Sprintf("国家公共信用综合评价结果为“%s”（%s）", evalNameZH[f.eval.eval], f.eval.date)
		r.MessageEN = fmt.Sprintf("National public credit evaluation of %s is %s", f.eval.date, f.eval.eval)
	default: // list rules
		// No date in the sentence: it is stored with the grade and shown on
		// public pages, where "as of <day>" would read stale the next day.
		r.MessageZH = fmt.Sprintf("列入%s，且在有效期内", listNameZH[f.list])
		r.MessageEN = fmt.Sprintf("On the %s, in effect", listNameEN[f.list])
	}
	return r
}
