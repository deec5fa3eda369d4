package office

import (
	"fmt"
	"net/http"

	"github.com/suixian-psb/credit/shared/problem"
)

// Problem is one thing wrong with a request, in the platform's error
// format (shared/problem; shared/api renders it as is).
type Problem = problem.Problem

// Error is a refusal: the HTTP status the API answers and every problem.
type Error = problem.Error

func refuse(status int, ps ...Problem) *Error { return problem.Refuse(status, ps...) }

// invalid is a 400 with every problem found, or nil when there is none.
func invalid(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	return refuse(http.StatusBadRequest, ps...)
}

// Problems of the office workflows. Messages are constants, or carry only
// values the platform computed (dates, method names), never input text.
var (
	probMissing     = Problem{Code: "missing_field", MessageZH: "缺少必填项", MessageEN: "this field is required"}
	probTooLong     = Problem{Code: "too_long", MessageZH: "内容超过长度上限", MessageEN: "the text is too long"}
	probBadText     = Problem{Code: "invalid_text", MessageZH: "内容含有不允许的控制字符", MessageEN: "the text contains control characters"}
	probBadEnum     = Problem{Code: "invalid_value", MessageZH: "取值不在允许范围内", MessageEN: "the value is not one of the allowed values"}
	probTooMany     = Problem{Code: "too_many_items", MessageZH: "项目数量超过上限", MessageEN: "too many items"}
	probBadTime     = Problem{Code: "invalid_time", MessageZH: "时间格式应为RFC 3339（如 2026-12-01T09:30:00+08:00）", MessageEN: "use an RFC 3339 time, e.g. 2026-12-01T09:30:00+08:00"}
	probFutureTime  = Problem{Code: "future_time", MessageZH: "时间不能晚于当前时间", MessageEN: "the time cannot be in the future"}
	probBadDate     = Problem{Code: "invalid_date", MessageZH: "日期无效：格式应为YYYY-MM-DD", MessageEN: "invalid date: use YYYY-MM-DD"}
	probFutureDate  = Problem{Code: "future_date", MessageZH: "日期不能晚于今天", MessageEN: "the date cannot be after today"}
	probBadRange    = Problem{Code: "invalid_range", MessageZH: "起始日期不能晚于截止日期，且跨度不超过5年", MessageEN: "from cannot be after to, and the range is at most 5 years"}
	probPersonRole  = Problem{Code: "invalid_person_role", MessageZH: "法人和组织的约谈对象须为主要负责人、分管负责人或直接责任人；自然人须为本人", MessageEN: "for a legal person or organisation meet its principal, responsible leader or directly responsible person; a natural person is met in person (self)"}
	probForbidden   = Problem{Code: "forbidden_role", MessageZH: "当前角色无权执行此操作", MessageEN: "your role may not do this"}
	probForeignUnit = Problem{Code: "forbidden_unit", MessageZH: "只能以本单位名义登记本单位办理过的主体的信用提醒", MessageEN: "a clerk may only register reminders in the clerk's own unit's name, for subjects the unit handled"}
	probNotFound    = Problem{Code: "not_found", MessageZH: "请求的对象不存在", MessageEN: "not found"}
	probNoOpenTask  = Problem{Code: "no_open_task", MessageZH: "该主体没有待办的信用提醒或约谈任务", MessageEN: "the subject has no open reminder or interview task"}
	probTaskClosed  = Problem{Code: "task_not_open", MessageZH: "该任务不存在或已办结", MessageEN: "the task does not exist or is already closed"}
	probReminderDup = Problem{Code: "reminder_conflict", MessageZH: "同一时间、同一对象、同一方式的登记已存在且内容不同", MessageEN: "an entry for the same time, person and method exists with different content"}
	probObjOpen     = Problem{Code: "objection_open", MessageZH: "该记录已有处理中的异议", MessageEN: "the record already has an open objection"}
	probDecided     = Problem{Code: "already_decided", MessageZH: "已作出不同的处理决定", MessageEN: "already decided differently"}
	probRepairOpen  = Problem{Code: "repair_pending", MessageZH: "该记录已有待审核的信用修复申请", MessageEN: "the record already has a pending repair application"}
	probNotRepair   = Problem{Code: "not_repairable", MessageZH: "该类记录不属于失信信息，无需信用修复", MessageEN: "this record is not dishonesty information and cannot be repaired"}
	probObjected    = Problem{Code: "objection_pending", MessageZH: "该记录有处理中的异议，请先办结异议", MessageEN: "the record has an open objection; decide it first"}
	probChanged     = Problem{Code: "concurrent_change", MessageZH: "记录已被他人修改，请刷新后重试", MessageEN: "the record changed meanwhile; reload and retry"}
)

var statusZH = map[string]string{
	"active": "有效", "objected": "异议处理中", "revoked": "已撤销", "repaired": "已信用修复", "expired": "已过期",
}

// probNotActive is the 409 for a record whose status does not allow the
// step (objecting to it, or repairing it); it names the status (a platform
// value, not input).
func probNotActive(status string, repair bool) Problem {
	zh, en := "提出异议", "objected to"
	if repair {
		zh, en = "申请信用修复", "repaired"
	}
	return Problem{
		Code:      "record_not_active",
		MessageZH: fmt.Sprintf("只能对有效记录%s；该记录当前状态为“%s”", zh, statusZH[status]),
		MessageEN: fmt.Sprintf("only an active record can be %s; this record is %s", en, status),
		Field:     "record_id",
	}
}

// probMethodNotAllowed is the 422 for a method the open tasks do not allow.
func probMethodNotAllowed(level string, allowed []string) Problem {
	return Problem{
		Code:      "method_not_allowed",
		MessageZH: fmt.Sprintf("%s级任务须采取以下方式之一：%v", level, allowed),
		MessageEN: fmt.Sprintf("a %s task is closed only by one of %v", level, allowed),
		Field:     "method",
	}
}

// probNotYetEligible is the 422 for a repair applied for too early.
func probNotYetEligible(from string, serious bool, months int) Problem {
	kindZH, kindEN := "一般失信", "general"
	if serious {
		kindZH, kindEN = "严重失信", "serious"
	}
	return Problem{
		Code:      "not_yet_eligible",
		MessageZH: fmt.Sprintf("%s信息最短公示期为%d个月，%s起方可申请信用修复", kindZH, months, from),
		MessageEN: fmt.Sprintf("the minimum disclosure period of %s dishonesty information is %d months; repair may be applied for from %s", kindEN, months, from),
		Field:     "record_id",
	}
}
