package localstack

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/domain"
)

// MaxBodyBytes is API Gateway's payload limit.
const MaxBodyBytes = 10 << 20

// Front is the local HTTP API: API Gateway HTTP API with payload format
// 2.0 and the JWT authorizer, plus the local-only /_local endpoints.
type Front struct {
	Router  *Router
	Auth    Authorizer
	Invoker Invoker
	// Functions that may be invoked on demand via /_local/invoke/<id>.
	OnDemand func(function string) bool
	// Running lists the functions running, for /_local/functions.
	Running func() []string
	// LocalClock is the functions' clock (real time + the -now offset),
	// shown at /_local/clock so tools (the demo) date their data by it.
	LocalClock func() time.Time
	Log        *slog.Logger
	Ready      func() bool
	Now        func() time.Time
}

func (f *Front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/_local/"); ok {
		f.serveLocal(w, r, rest)
		return
	}
	rawPath := r.URL.EscapedPath()
	route, params, ok := f.Router.Match(r.Method, rawPath)
	if !ok {
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			preflight(w, r)
			return
		}
		writeError(w, http.StatusNotFound, errNotFound, r.Method+" "+r.URL.Path)
		return
	}
	var verified *Verified
	if route.Auth {
		v, err := f.Auth.Check(r.Header.Get("Authorization"))
		if err != nil {
			f.logger().Info("request refused by the authorizer", "route", route.Key(), "reason", err.Error())
			writeError(w, http.StatusUnauthorized, errUnauthorized, "")
			return
		}
		verified = &v
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, errBadRequest, err.Error())
		return
	}
	if len(body) > MaxBodyBytes {
		writeError(w, http.StatusRequestEntityTooLarge, errTooLarge, "")
		return
	}
	ev := f.buildEvent(r, route, params, verified, body)
	payload, err := json.Marshal(ev)
	if err != nil {
		writeError(w, http.StatusInternalServerError, errBadGateway, err.Error())
		return
	}
	start := time.Now()
	out, err := f.Invoker.Invoke(r.Context(), route.Function, payload)
	if err != nil {
		f.logger().Error("function failed", "route", route.Key(), "function", route.Function, "err", err.Error())
		writeError(w, http.StatusBadGateway, errBadGateway, err.Error())
		return
	}
	if err := writeFunctionResponse(w, out); err != nil {
		f.logger().Error("bad function response", "route", route.Key(), "function", route.Function, "err", err.Error())
		writeError(w, http.StatusBadGateway, errBadGateway, err.Error())
		return
	}
	f.logger().Debug("request", "route", route.Key(), "function", route.Function, "ms", time.Since(start).Milliseconds())
}

func (f *Front) logger() *slog.Logger {
	if f.Log != nil {
		return f.Log
	}
	return slog.Default()
}

// serveLocal answers the local-only endpoints: readiness and on-demand
// invocation (make expire).
func (f *Front) serveLocal(w http.ResponseWriter, r *http.Request, rest string) {
	switch {
	case rest == "health":
		if f.Ready != nil && !f.Ready() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"ready":true}`)
	case rest == "clock":
		now := time.Now()
		if f.LocalClock != nil {
			now = f.LocalClock()
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"now":            now.UTC().Format(time.RFC3339),
			"today":          domain.DateIn(now).String(),
			"offset_seconds": int64(now.Sub(time.Now()).Round(time.Second) / time.Second),
		})
	case rest == "functions":
		var names []string
		if f.Running != nil {
			names = f.Running()
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string][]string{"running": names})
	case strings.HasPrefix(rest, "invoke/"):
		fn := strings.TrimPrefix(rest, "invoke/")
		if r.Method != http.MethodPost {
			writeError(w, http.StatusMethodNotAllowed, errBadRequest, "use POST")
			return
		}
		if f.OnDemand == nil || !f.OnDemand(fn) {
			writeError(w, http.StatusNotFound, errNotFound, "no running function "+fn)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, MaxBodyBytes+1))
		if err != nil || len(body) > MaxBodyBytes {
			writeError(w, http.StatusRequestEntityTooLarge, errTooLarge, "")
			return
		}
		if len(strings.TrimSpace(string(body))) == 0 {
			body = []byte("{}")
		}
		if !json.Valid(body) {
			writeError(w, http.StatusBadRequest, errBadRequest, "the event must be JSON")
			return
		}
		out, err := f.Invoker.Invoke(r.Context(), fn, body)
		if err != nil {
			writeError(w, http.StatusBadGateway, errBadGateway, err.Error())
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(out)
	default:
		writeError(w, http.StatusNotFound, errNotFound, r.URL.Path)
	}
}

func preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", r.Header.Get("Access-Control-Request-Method"))
	if hs := r.Header.Get("Access-Control-Request-Headers"); hs != "" {
		h.Set("Access-Control-Allow-Headers", hs)
	}
	w.WriteHeader(http.StatusNoContent)
}

// buildEvent makes the payload format 2.0 event API Gateway would send.
func (f *Front) buildEvent(r *http.Request, route Route, params map[string]string, v *Verified, body []byte) events.APIGatewayV2HTTPRequest {
	now := time.Now()
	if f.Now != nil {
		now = f.Now()
	}
	headers := map[string]string{}
	var cookies []string
	for k, vals := range r.Header {
		lk := strings.ToLower(k)
		if lk == "cookie" {
			for _, c := range vals {
				for _, part := range strings.Split(c, ";") {
					if p := strings.TrimSpace(part); p != "" {
						cookies = append(cookies, p)
					}
				}
			}
			continue
		}
		headers[lk] = strings.Join(vals, ",")
	}
	if r.Host != "" {
		headers["host"] = r.Host
	}
	var query map[string]string
	if q := r.URL.Query(); len(q) > 0 {
		query = make(map[string]string, len(q))
		for k, vals := range q {
			query[k] = strings.Join(vals, ",")
		}
	}
	sourceIP, _, _ := net.SplitHostPort(r.RemoteAddr)
	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              route.Key(),
		RawPath:               r.URL.EscapedPath(),
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: query,
		PathParameters:        params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     route.Key(),
			AccountID:    "000000000000",
			Stage:        "$default",
			RequestID:    newRequestID(),
			APIID:        "local",
			DomainName:   r.Host,
			DomainPrefix: strings.Split(r.Host, ".")[0],
			Time:         now.Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      r.URL.Path,
				Protocol:  r.Proto,
				SourceIP:  sourceIP,
				UserAgent: r.UserAgent(),
			},
		},
	}
	if v != nil {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: v.Claims, Scopes: v.Scopes},
		}
	}
	if len(body) > 0 {
		if isTextual(r.Header.Get("Content-Type"), body) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}
	return ev
}

// isTextual decides whether the body travels as text or base64, as API
// Gateway does for HTTP APIs (text and JSON types as text).
func isTextual(contentType string, body []byte) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "", strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "json"), strings.HasSuffix(mt, "xml"),
		mt == "application/x-www-form-urlencoded", mt == "application/javascript":
		return utf8.Valid(body)
	}
	return false
}

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// writeFunctionResponse turns the function's result into the HTTP
// response. As in payload format 2.0, a result without statusCode is a 200
// JSON body.
func writeFunctionResponse(w http.ResponseWriter, out []byte) error {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(out, &probe); err != nil || probe["statusCode"] == nil {
		if !json.Valid(out) {
			return errors.New("function returned invalid JSON")
		}
		w.Header().Set("Content-Type", "application/json")
		_, err := w.Write(out)
		return err
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(out, &resp); err != nil {
		return fmt.Errorf("function response: %w", err)
	}
	if resp.StatusCode < 100 || resp.StatusCode > 599 {
		return fmt.Errorf("function returned status %d", resp.StatusCode)
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			return fmt.Errorf("function response body: %w", err)
		}
		body = b
	}
	h := w.Header()
	for k, v := range resp.Headers {
		h.Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	for _, c := range resp.Cookies {
		h.Add("Set-Cookie", c)
	}
	w.WriteHeader(resp.StatusCode)
	_, err := w.Write(body)
	return err
}
