package localstack

import (
	"encoding/json"
	"net/http"
)

// apiError is the platform's error body, the same shape the functions
// return, so a client cannot tell whether the front or a function refused.
type apiError struct {
	Code      string `json:"code"`
	MessageZh string `json:"message_zh"`
	MessageEn string `json:"message_en"`
	Field     string `json:"field,omitempty"`
}

var (
	errUnauthorized = apiError{Code: "unauthorized", MessageZh: "未提供有效的身份令牌", MessageEn: "missing or invalid token", Field: "Authorization"}
	errNotFound     = apiError{Code: "not_found", MessageZh: "请求的地址不存在", MessageEn: "no such route"}
	errTooLarge     = apiError{Code: "payload_too_large", MessageZh: "请求内容超过 10 MB 上限", MessageEn: "request body exceeds the 10 MB limit"}
	errBadGateway   = apiError{Code: "bad_gateway", MessageZh: "后端函数执行失败", MessageEn: "the function failed"}
	errBadRequest   = apiError{Code: "bad_request", MessageZh: "请求无效", MessageEn: "bad request"}
)

// writeError writes {"error": e, "errors": [e]} with the status. detail, when set,
// replaces the English message with something more specific (the local
// stack is a developer tool, so function failures are shown in full).
func writeError(w http.ResponseWriter, status int, e apiError, detail string) {
	if detail != "" {
		e.MessageEn = e.MessageEn + ": " + detail
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(struct {
		Error  apiError   `json:"error"`
		Errors []apiError `json:"errors"`
	}{e, []apiError{e}})
}
