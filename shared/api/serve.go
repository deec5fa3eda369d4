package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Serve answers one API Gateway (payload 2.0) request the way every HTTP
// function of the platform does (intake, shared/reports): serve's success
// rendered as JSON (or as its raw body), its error through toError as the
// platform's error body, a panic as a generic 500; and one log line naming
// the route, status and duration, never the body, the caller's address or
// anyone's identity. It never fails: every outcome is an HTTP response.
func Serve(ctx context.Context, log *slog.Logger, req events.APIGatewayV2HTTPRequest,
	serve func() (int, any, error), toError func(error) *Error) (resp events.APIGatewayV2HTTPResponse) {
	requestID := req.RequestContext.RequestID
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			log.ErrorContext(ctx, "panic", "request_id", requestID, "route", req.RouteKey, "panic", panicText(p))
			resp = ErrorResponse(Refuse(http.StatusInternalServerError, ProbInternal))
		}
		log.InfoContext(ctx, "request", "request_id", requestID, "route", req.RouteKey,
			"status", resp.StatusCode, "ms", time.Since(start).Milliseconds())
	}()
	status, body, err := serve()
	if err != nil {
		return ErrorResponse(toError(err))
	}
	if raw, ok := body.(rawBody); ok { // HTML, text, workbooks (supervision_deps.go)
		return raw.response(status)
	}
	return JSONResponse(status, body)
}

// panicText is what a log line may say of a panic: the runtime's own
// message (index out of range, nil map …), which holds no request data;
// of any other value only its type, as it could hold request data.
func panicText(p any) string {
	if re, ok := p.(runtime.Error); ok {
		return re.Error()
	}
	return fmt.Sprintf("panic value of type %T", p)
}
