package render

import "github.com/suixian-psb/credit/shared/domain"

// Chinese labels of the closed sets shown on pages and in open data.

var sanctionZH = map[domain.SanctionKind]string{
	domain.SanctionCorrectionOrder:     "责令（限期）改正",
	domain.SanctionWarning:             "警告",
	domain.SanctionCirculatedCriticism: "通报批评",
	domain.SanctionFine:                "罚款",
	domain.SanctionConfiscation:        "没收违法所得/非法财物",
	domain.SanctionLicenceSuspension:   "暂扣许可证件",
	domain.SanctionBusinessRestriction: "限制开展生产经营活动/责令停产停业/责令关闭",
	domain.SanctionLicenceRevocation:   "吊销许可证件",
	domain.SanctionDetention:           "行政拘留",
}

var recordKindZH = map[domain.RecordKind]string{
	domain.KindDecision:            "处理决定",
	domain.KindCommitmentViolation: "违反许可承诺书",
	domain.KindListEntry:           "名单",
	domain.KindEvaluation:          "国家公共信用综合评价",
	domain.KindInspection:          "日常监督检查",
	domain.KindComplaint:           "投诉举报",
	domain.KindPublicEvaluation:    "公众评价",
	domain.KindQuantifiedGrading:   "量化分级",
	domain.KindLicensingEvent:      "许可管理",
}

var listZH = map[domain.ListKind]string{
	domain.ListRed:         "红名单",
	domain.ListBlack:       "黑名单",
	domain.ListDishonesty:  "失信惩戒名单",
	domain.ListJointReward: "联合激励名单",
}

var evaluationZH = map[domain.EvaluationLevel]string{
	domain.EvalExcellent: "优", domain.EvalGood: "良", domain.EvalFair: "中", domain.EvalPoor: "差",
}

var subjectTypeZH = map[domain.SubjectType]string{
	domain.LegalPerson:   "法人",
	domain.Organization:  "非法人组织",
	domain.NaturalPerson: "自然人",
}

// label returns the Chinese label of a closed-set value, or the raw value
// when a newer kind is not yet labelled (better shown than dropped).
func label[K ~string](m map[K]string, k K) string {
	if s, ok := m[k]; ok {
		return s
	}
	return string(k)
}
