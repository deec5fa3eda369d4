package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

func TestServe(t *testing.T) {
	const secret = "411422199001011234" // an ID number a panic value might carry
	var nilMap map[string]int
	tests := []struct {
		name       string
		serve      func() (int, any, error)
		wantStatus int
		wantCode   string // error code; "" for a success
		wantLog    string // in the log output
	}{
		{"success as JSON", func() (int, any, error) { return http.StatusCreated, map[string]int{"n": 1}, nil }, 201, "", `"status":201`},
		{"raw body", func() (int, any, error) {
			return http.StatusOK, rawBody{contentType: "text/plain; charset=utf-8", body: []byte("ok")}, nil
		}, 200, "", `"status":200`},
		{"refusal through toError", func() (int, any, error) { return 0, nil, Refuse(http.StatusForbidden, ProbForbiddenRole) }, 403, "forbidden_role", `"status":403`},
		{"other error through toError", func() (int, any, error) { return 0, nil, errors.New("boom " + secret) }, 500, "internal_error", `"status":500`},
		{"panic with a value: only its type is logged", func() (int, any, error) { panic("bad input " + secret) }, 500, "internal_error", "panic value of type string"},
		{"runtime panic: its message is logged", func() (int, any, error) { nilMap["x"] = 1; return 0, nil, nil }, 500, "internal_error", "assignment to entry in nil map"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := slog.New(slog.NewJSONHandler(&logs, nil))
			req := events.APIGatewayV2HTTPRequest{RouteKey: "GET /x", RequestContext: events.APIGatewayV2HTTPRequestContext{RequestID: "r1"}}
			resp := Serve(t.Context(), log, req, tc.serve, func(err error) *Error {
				var e *Error
				if errors.As(err, &e) {
					return e
				}
				return Refuse(http.StatusInternalServerError, ProbInternal)
			})
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.wantStatus, resp.Body)
			}
			if tc.wantCode != "" {
				var b ErrorBody
				if err := json.Unmarshal([]byte(resp.Body), &b); err != nil || b.Error.Code != tc.wantCode {
					t.Fatalf("body %s (%v), want code %s", resp.Body, err, tc.wantCode)
				}
			}
			if !strings.Contains(logs.String(), tc.wantLog) || !strings.Contains(logs.String(), `"request_id":"r1"`) {
				t.Errorf("log %s lacks %q", logs.String(), tc.wantLog)
			}
			if strings.Contains(logs.String()+resp.Body, secret) {
				t.Errorf("the ID number leaked: log %s body %s", logs.String(), resp.Body)
			}
		})
	}
}
