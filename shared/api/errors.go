package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sort"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/identity"
	"github.com/suixian-psb/credit/shared/problem"
	"github.com/suixian-psb/credit/shared/storage"
)

// Problem is one thing wrong with a request (shared/problem: the workflows
// of shared/office answer the same type).
type Problem = problem.Problem

// fromIdentity converts an identity validation error (its messages are
// constants that never contain the number).
func fromIdentity(e *identity.Error, prefix string) Problem {
	return Problem{Code: e.Code, MessageZH: e.MessageZH, MessageEN: e.MessageEN, Field: joinField(prefix, e.Field)}
}

// joinField prefixes a field path: ("items[2]", "subject.name") →
// "items[2].subject.name".
func joinField(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	}
	return prefix + "." + field
}

// Error is a refusal with its HTTP status and every problem found
// (shared/problem). It is the only error type handlers return to the
// client as such.
type Error = problem.Error

// Refuse is a refusal with status and the problems found.
func Refuse(status int, ps ...Problem) *Error { return problem.Refuse(status, ps...) }

// ValidationError is a 400 with every problem of the request, in a stable
// order (by field, then code) so the first one is deterministic.
func ValidationError(ps []Problem) *Error {
	ps = append([]Problem(nil), ps...)
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Field != ps[j].Field {
			return ps[i].Field < ps[j].Field
		}
		return ps[i].Code < ps[j].Code
	})
	return Refuse(http.StatusBadRequest, ps...)
}

// Problems any route of the platform may answer: shared/reports uses them
// too, so a client sees one vocabulary across functions.
var (
	ProbUnauthorized  = Problem{Code: "unauthorized", MessageZH: "未提供有效的身份令牌", MessageEN: "missing or invalid token"}
	ProbForbiddenRole = Problem{Code: "forbidden_role", MessageZH: "当前角色无权执行此操作", MessageEN: "your role may not do this"}
	ProbNoUnitClaim   = Problem{Code: "missing_unit_claim", MessageZH: "身份令牌缺少单位信息", MessageEN: "the token carries no unit"}
	ProbNoRoute       = Problem{Code: "no_route", MessageZH: "请求的地址不存在", MessageEN: "no such route"}
	ProbUnavailable   = Problem{Code: "service_unavailable", MessageZH: "数据库暂时无法访问，请稍后重试", MessageEN: "the database is temporarily unavailable; retry later"}
	ProbInternal      = Problem{Code: "internal_error", MessageZH: "服务器内部错误，请联系管理员并提供请求编号", MessageEN: "internal error; contact the administrator with the request id"}
	ProbTooLarge      = Problem{Code: "payload_too_large", MessageZH: "请求内容过大", MessageEN: "the request body is too large"}
	ProbBadJSON       = Problem{Code: "invalid_json", MessageZH: "请求内容不是有效的JSON", MessageEN: "the request body is not valid JSON"}
	ProbTooDeep       = Problem{Code: "too_deeply_nested", MessageZH: "请求内容嵌套层级过深", MessageEN: "the request body is nested too deeply"}
	ProbEmptyBody     = Problem{Code: "missing_body", MessageZH: "缺少请求内容", MessageEN: "the request body is required"}
	ProbMediaType     = Problem{Code: "unsupported_media_type", MessageZH: "请求内容须为JSON（application/json）", MessageEN: "the request body must be application/json"}
	ProbUnknownField  = Problem{Code: "unknown_field", MessageZH: "不允许的字段", MessageEN: "this field is not allowed here"}
	ProbBadType       = Problem{Code: "invalid_type", MessageZH: "字段类型错误（数值须为整数，金额单位：分）", MessageEN: "wrong type (numbers are integers; amounts in fen)"}
	ProbBadCursor     = Problem{Code: "invalid_cursor", MessageZH: "分页游标无效", MessageEN: "invalid page cursor", Field: "cursor"}
)

// Problems of the intake routes not tied to one field.
var (
	probForbiddenUnit  = Problem{Code: "forbidden_unit", MessageZH: "只能录入本单位的文书", MessageEN: "a clerk may only post documents of the clerk's own unit"}
	probNotFound       = Problem{Code: "not_found", MessageZH: "请求的对象不存在", MessageEN: "not found"}
	probConflict       = Problem{Code: "document_conflict", MessageZH: "该文书号已被本单位用于内容不同的记录", MessageEN: "the unit already used this document number for different content"}
	probRemovalDiffers = Problem{Code: "already_removed", MessageZH: "该名单记录已按另一份文书移出", MessageEN: "the list entry was already removed by another document"}
	probStale          = Problem{Code: "concurrent_change", MessageZH: "记录已被他人修改，请刷新后重试", MessageEN: "the record changed meanwhile; reload and retry"}
)

// ErrorBody is the platform's error body: the first problem in "error"
// (what the issue asks for), all of them in "errors".
type ErrorBody struct {
	Error  Problem   `json:"error"`
	Errors []Problem `json:"errors"`
}

// ToError maps any error of a handler to the client's view, in one place:
// our own refusals as they are, storage sentinels to 404/409/400/503,
// anything else to a generic 500 that is logged with the request id and
// never shown. shared/reports maps its own 404/409 wording first and leaves
// the rest to this.
func ToError(ctx context.Context, log *slog.Logger, requestID string, err error) *Error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, storage.ErrNotFound):
		return Refuse(http.StatusNotFound, probNotFound)
	case errors.Is(err, storage.ErrConflict):
		return Refuse(http.StatusConflict, probConflict)
	case errors.Is(err, storage.ErrStale):
		return Refuse(http.StatusConflict, probStale)
	case errors.Is(err, storage.ErrBadCursor):
		return Refuse(http.StatusBadRequest, ProbBadCursor)
	case errors.Is(err, storage.ErrUnavailable):
		log.WarnContext(ctx, "storage unavailable", "request_id", requestID, "err", err)
		return &Error{Status: http.StatusServiceUnavailable, Problems: []Problem{ProbUnavailable}, RetryAfter: "5"}
	}
	log.ErrorContext(ctx, "internal error", "request_id", requestID, "err", err)
	return Refuse(http.StatusInternalServerError, ProbInternal)
}

// ErrorResponse renders e.
func ErrorResponse(e *Error) events.APIGatewayV2HTTPResponse {
	ps := e.Problems
	if len(ps) == 0 {
		ps = []Problem{ProbInternal}
	}
	resp := JSONResponse(e.Status, ErrorBody{Error: ps[0], Errors: ps})
	if e.RetryAfter != "" {
		resp.Headers["Retry-After"] = e.RetryAfter
	}
	return resp
}

// JSONResponse renders v as UTF-8 JSON. Every answer is no-store: a record,
// a status page or a revealed identity must not sit in a shared cache.
// Marshalling our own response types cannot fail; if it ever did, the
// client gets a 500 body, not a panic.
func JSONResponse(status int, v any) events.APIGatewayV2HTTPResponse {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(ErrorBody{Error: ProbInternal, Errors: []Problem{ProbInternal}})
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers: map[string]string{
			"Content-Type":           "application/json; charset=utf-8",
			"Cache-Control":          "no-store",
			"X-Content-Type-Options": "nosniff",
		},
		Body: string(b),
	}
}
