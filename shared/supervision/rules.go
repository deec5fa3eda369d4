package supervision

import (
	"fmt"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
)

var actionZH = map[string]string{
	policy.ActionSpecialTradeLicence:        "特种行业经营许可",
	policy.ActionNewProjectApproval:         "新增项目审批、核准",
	policy.ActionProcurementEligibility:     "政府采购、项目招投标、资格审查",
	policy.ActionLicensingGreenChannel:      "行政许可“绿色通道”",
	policy.ActionRoutineInspectionExemption: "免予日常巡查检查",
}

var verdictZH = map[policy.Verdict]string{
	policy.VerdictAllowed:      "准予",
	policy.VerdictStrictReview: "从严审核",
	policy.VerdictRestricted:   "限制",
}

// phrase is what a verdict means for an action, in the notice's own words
// where the notice has them (§4).
var phrase = map[string]map[policy.Verdict][2]string{
	policy.ActionSpecialTradeLicence: {
		policy.VerdictAllowed:      {"可按一般程序申请特种行业经营许可", "may apply for a special-trade licence under the ordinary procedure"},
		policy.VerdictStrictReview: {"申请特种行业经营许可从严审核", "special-trade licence applications are strictly reviewed"},
		policy.VerdictRestricted:   {"严格限制申请特种行业经营", "special-trade licence applications are strictly limited"},
	},
	policy.ActionNewProjectApproval: {
		policy.VerdictAllowed:      {"新增项目审批、核准按一般程序办理", "new project approvals follow the ordinary procedure"},
		policy.VerdictStrictReview: {"新增项目审批、核准从严审核", "new project approvals are strictly reviewed"},
		policy.VerdictRestricted:   {"限制新增项目审批、核准", "new project approvals are restricted"},
	},
	policy.ActionProcurementEligibility: {
		policy.VerdictAllowed:      {"可参加政府采购、项目招投标、资格审查、资格认定", "eligible for procurement, tendering and qualification review"},
		policy.VerdictStrictReview: {"参加政府采购、项目招投标、资格审查、资格认定须从严审查", "procurement, tendering and qualification eligibility is strictly reviewed"},
		policy.VerdictRestricted:   {"限制参加政府采购、项目招投标、资格审查、资格认定", "procurement, tendering and qualification eligibility is restricted"},
	},
	policy.ActionLicensingGreenChannel: {
		policy.VerdictAllowed:      {"办理行政许可可实施“绿色通道”等便利服务措施", "the licensing green channel may be used"},
		policy.VerdictStrictReview: {"适用行政许可“绿色通道”须从严审核", "use of the licensing green channel is strictly reviewed"},
		policy.VerdictRestricted:   {"不适用行政许可“绿色通道”等便利服务措施", "the licensing green channel does not apply"},
	},
	policy.ActionRoutineInspectionExemption: {
		policy.VerdictAllowed:      {"除投诉举报和专项执法检查外，免予日常巡查检查", "exempt from routine patrol inspection (not from complaint-driven or special inspections)"},
		policy.VerdictStrictReview: {"免予日常巡查检查须从严审核", "exemption from routine inspection is strictly reviewed"},
		policy.VerdictRestricted:   {"不免予日常巡查检查", "not exempt from routine inspection"},
	},
}

// noticeClause names the clause of the notice that grounds a verdict, only
// where the notice itself says so: the A incentives (§4(一)) are grants,
// the B and C measures (§4(二), §4(三)) are constraints. A verdict the notice
// does not speak to (e.g. B allowed a special-trade licence) is the policy's
// own setting, and the sentence says that instead of citing a clause that
// does not cover it.
func noticeClause(action string, level domain.Level, v policy.Verdict) (zh, en string, ok bool) {
	switch {
	case level == domain.LevelA && v == policy.VerdictAllowed && action != policy.ActionSpecialTradeLicence && action != policy.ActionNewProjectApproval:
		return "通知第四条第一款", "notice §4(1)", true
	case level == domain.LevelB && v != policy.VerdictAllowed && action == policy.ActionRoutineInspectionExemption:
		return "通知第四条第二款", "notice §4(2)", true
	case level == domain.LevelC && v != policy.VerdictAllowed:
		return "通知第四条第三款", "notice §4(3)", true
	}
	return "", "", false
}

func ruleFor(version, action string, level domain.Level, v policy.Verdict) Rule {
	ph := phrase[action][v]
	key := fmt.Sprintf("supervision.actions.%s.%s", action, level)
	var refZH, refEN string
	if zh, en, ok := noticeClause(action, level, v); ok {
		refZH, refEN = zh, en
	} else if level == domain.LevelUnrated {
		refZH = fmt.Sprintf("未定级主体不适用奖惩措施，依政策第 %s 版设定", version)
		refEN = fmt.Sprintf("unrated subjects carry no measures; policy %s setting", version)
	} else {
		refZH = fmt.Sprintf("通知未设此项措施，依政策第 %s 版设定", version)
		refEN = fmt.Sprintf("not a measure of the notice; policy %s setting", version)
	}
	return Rule{
		Key:    key,
		TextZH: fmt.Sprintf("%s主体：%s（%s）", level.NameZH(), ph[0], refZH),
		TextEN: fmt.Sprintf("Level %s subject: %s (%s)", level, ph[1], refEN),
	}
}
