package reports

import "github.com/suixian-psb/credit/shared/api"

// Problems of the report routes. The platform's common ones (token, body,
// 404 route, 503, 500, cursor) are shared/api's; these are the reports' own,
// with report wording where a code is shared (not_found, concurrent_change).
// Messages are constants and never repeat input.
var (
	probNotFound    = api.Problem{Code: "not_found", MessageZH: "未找到该举报受理编号", MessageEN: "no report with this receipt"}
	probRateLimited = api.Problem{Code: "rate_limited", MessageZH: "请求过于频繁，请稍后再试", MessageEN: "too many requests; retry later"}
	probStale       = api.Problem{Code: "concurrent_change", MessageZH: "举报状态已被他人修改，请刷新后重试", MessageEN: "the report changed meanwhile; reload and retry"}
	probBadLimit    = api.Problem{Code: "invalid_limit", MessageZH: "每页条数应为1至100的整数", MessageEN: "limit must be an integer from 1 to 100", Field: "limit"}

	probTargetName    = api.Problem{Code: "missing_target_name", MessageZH: "请填写被举报对象名称", MessageEN: "the name of the reported party is required", Field: "target.name"}
	probTextTooLong   = api.Problem{Code: "too_long", MessageZH: "内容超过允许的长度", MessageEN: "the text is longer than allowed"}
	probTextControl   = api.Problem{Code: "invalid_characters", MessageZH: "内容含有不允许的控制字符", MessageEN: "the text contains control characters"}
	probDescription   = api.Problem{Code: "missing_description", MessageZH: "请填写举报内容", MessageEN: "the description is required", Field: "description"}
	probReason        = api.Problem{Code: "missing_reason", MessageZH: "查看举报人信息须填写理由", MessageEN: "a reason is required to reveal the reporter", Field: "reason"}
	probNoIdentity    = api.Problem{Code: "no_reporter_identity", MessageZH: "该举报为匿名举报，没有举报人信息", MessageEN: "the report is anonymous: there is no reporter identity"}
	probStatus        = api.Problem{Code: "invalid_status", MessageZH: "状态应为 received、under_review 或 closed", MessageEN: "status must be received, under_review or closed", Field: "status"}
	probOutcome       = api.Problem{Code: "invalid_outcome", MessageZH: "办理结果应为 substantiated、not_substantiated 或 referred", MessageEN: "outcome must be substantiated, not_substantiated or referred", Field: "outcome"}
	probOutcomeNeeded = api.Problem{Code: "missing_outcome", MessageZH: "办结须填写办理结果", MessageEN: "closing a report needs an outcome", Field: "outcome"}
	probOutcomeEarly  = api.Problem{Code: "unexpected_outcome", MessageZH: "仅办结时填写办理结果", MessageEN: "an outcome is given only when closing", Field: "outcome"}
	probTransition    = api.Problem{Code: "invalid_transition", MessageZH: "举报状态只能依次向前变更", MessageEN: "a report's status only moves forward", Field: "status"}
)
