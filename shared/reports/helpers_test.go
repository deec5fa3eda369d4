package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/identity"
)

// stepClock is a test clock that moves only when told.
type stepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *stepClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *stepClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// logBuffer collects every log line of a test.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.buf.String() }

const testSealKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

type fixture struct {
	h     *Handler
	clock *stepClock
	logs  *logBuffer
	store fullStore
}

func newFixture(t *testing.T, store fullStore, limit int) *fixture {
	t.Helper()
	sealer, err := identity.NewLocalSealerHex(testSealKey)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{clock: &stepClock{t: time.Date(2026, 12, 4, 2, 0, 10, 0, time.UTC)}, logs: &logBuffer{}, store: store}
	f.h, err = New(Config{
		Store: store, Rate: store, Sealer: sealer, Clock: f.clock,
		CreditCodes: identity.NewCreditCodeValidator(),
		SourceKey:   []byte(strings.Repeat("k", 32)),
		RateLimit:   limit,
		Logger:      slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

var reqSeq int

// request builds a payload 2.0 event for a route; role "" means no token.
func request(route string, params map[string]string, query map[string]string, body any, role, ip string) events.APIGatewayV2HTTPRequest {
	reqSeq++
	method, path, _ := strings.Cut(route, " ")
	for k, v := range params {
		path = strings.Replace(path, "{"+k+"}", v, 1)
	}
	req := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: route, RawPath: path, PathParameters: params, QueryStringParameters: query,
		Headers: map[string]string{"content-type": "application/json"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:  route,
			RequestID: "req-" + strings.Repeat("0", 3) + string(rune('a'+reqSeq%26)) + "-" + itoa(reqSeq),
			HTTP:      events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: method, Path: path, SourceIP: ip},
		},
	}
	switch b := body.(type) {
	case nil:
	case string:
		req.Body = b
	default:
		raw, _ := json.Marshal(b)
		req.Body = string(raw)
	}
	if role != "" {
		req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{
				"sub": "u-" + role, "cognito:username": role + "-user", "custom:role": role, "custom:unit": "411422-OFFICE",
			}},
		}
	}
	return req
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func (f *fixture) do(t *testing.T, req events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := f.h.Handle(context.Background(), req)
	if err != nil {
		t.Fatalf("handle returned an error: %v", err)
	}
	return resp
}

func decodeResp[T any](t *testing.T, resp events.APIGatewayV2HTTPResponse) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
		t.Fatalf("body %q: %v", resp.Body, err)
	}
	return v
}

// errorCode is the first problem's code of an error body.
func errorCode(t *testing.T, resp events.APIGatewayV2HTTPResponse) string {
	t.Helper()
	b := decodeResp[api.ErrorBody](t, resp)
	if len(b.Errors) == 0 || b.Errors[0] != b.Error {
		t.Errorf("error body does not follow the platform's format: %s", resp.Body)
	}
	return b.Error.Code
}
