package localstack

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"
)

var testKey = func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}()

var otherKey = func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}()

var frontNow = time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)

func testAuthorizer() Authorizer {
	return Authorizer{Key: &testKey.PublicKey, Issuer: LocalIssuer, Audience: LocalAudience, Now: func() time.Time { return frontNow }}
}

func signed(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAuthorizer(t *testing.T) {
	good, err := MintToken(testKey, Identity{Unit: "411422-PCS-01", Role: "clerk", User: "zhang"}, frontNow, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	base := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": LocalIssuer, "aud": LocalAudience, "exp": frontNow.Add(time.Hour).Unix(), ClaimUnit: "u", ClaimRole: "office"}
	}
	with := func(k string, v any) jwt.MapClaims {
		c := base()
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	cases := []struct {
		name   string
		header string
		ok     bool
	}{
		{"minted token", "Bearer " + good, true},
		{"lower-case scheme", "bearer " + good, true},
		{"missing header", "", false},
		{"no scheme", good, false},
		{"garbage", "Bearer abc.def.ghi", false},
		{"expired", "Bearer " + signed(t, jwt.SigningMethodRS256, testKey, with("exp", frontNow.Add(-time.Second).Unix())), false},
		{"no expiry", "Bearer " + signed(t, jwt.SigningMethodRS256, testKey, with("exp", nil)), false},
		{"not yet valid", "Bearer " + signed(t, jwt.SigningMethodRS256, testKey, with("nbf", frontNow.Add(time.Hour).Unix())), false},
		{"wrong issuer", "Bearer " + signed(t, jwt.SigningMethodRS256, testKey, with("iss", "https://evil")), false},
		{"wrong audience", "Bearer " + signed(t, jwt.SigningMethodRS256, testKey, with("aud", "other")), false},
		{"audience list containing ours", "Bearer " + signed(t, jwt.SigningMethodRS256, testKey, with("aud", []string{"x", LocalAudience})), true},
		{"other key", "Bearer " + signed(t, jwt.SigningMethodRS256, otherKey, base()), false},
		{"HS256 with public key bytes", "Bearer " + signed(t, jwt.SigningMethodHS256, []byte("secret"), base()), false},
		{"alg none", "Bearer " + signed(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, base()), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := testAuthorizer().Check(c.header)
			if (err == nil) != c.ok {
				t.Fatalf("ok=%v, err=%v", err == nil, err)
			}
			if c.name == "minted token" {
				if v.Claims[ClaimUnit] != "411422-PCS-01" || v.Claims[ClaimRole] != "clerk" || v.Claims[ClaimUsername] != "zhang" || v.Claims["sub"] == "" {
					t.Fatalf("claims: %v", v.Claims)
				}
				if v.Claims["exp"] != strconv.FormatInt(frontNow.Add(time.Hour).Unix(), 10) {
					t.Fatalf("exp claim %q, want plain decimal", v.Claims["exp"])
				}
			}
		})
	}
}

func testFront(t *testing.T, fn func(string, []byte) ([]byte, error)) (*Front, *fakeInvoker) {
	t.Helper()
	router, err := NewRouter([]Route{
		{Method: "POST", Path: "/v1/decisions", Function: "IntakeFunction", Auth: true},
		{Method: "GET", Path: "/v1/records/{id}", Function: "IntakeFunction", Auth: true},
		{Method: "GET", Path: "/public/reports", Function: "ReportFunction"},
	})
	if err != nil {
		t.Fatal(err)
	}
	inv := &fakeInvoker{fn: fn}
	return &Front{
		Router: router, Auth: testAuthorizer(), Invoker: inv,
		OnDemand: func(f string) bool { return f == "ExpireFunction" },
		Now:      func() time.Time { return frontNow },
		Log:      slog.New(slog.DiscardHandler),
	}, inv
}

func errorCode(t *testing.T, body []byte) apiError {
	t.Helper()
	var e struct{ Error apiError }
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	return e.Error
}

func do(h http.Handler, req *http.Request) (*http.Response, []byte) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	resp := rec.Result()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestFrontBuildsPayload20Event(t *testing.T) {
	f, inv := testFront(t, func(string, []byte) ([]byte, error) {
		return []byte(`{"statusCode":201,"headers":{"Content-Type":"application/json","X-Id":"r1"},"body":"{\"id\":\"r1\"}"}`), nil
	})
	tok, _ := MintToken(testKey, Identity{Unit: "411422-PCS-01", Role: "office"}, frontNow, time.Hour)
	req := httptest.NewRequest("GET", "/v1/records/R%2F1?a=1&a=2&b=x", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("X-Custom", "v")
	req.Header.Set("Cookie", "c1=a; c2=b")
	resp, body := do(f, req)
	if resp.StatusCode != 201 || string(body) != `{"id":"r1"}` || resp.Header.Get("X-Id") != "r1" {
		t.Fatalf("response %d %s %v", resp.StatusCode, body, resp.Header)
	}
	calls := inv.Calls()
	if len(calls) != 1 || calls[0].Function != "IntakeFunction" {
		t.Fatalf("calls %v", calls)
	}
	var ev events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(calls[0].Payload, &ev); err != nil {
		t.Fatal(err)
	}
	checks := map[string][2]string{
		"version":      {ev.Version, "2.0"},
		"routeKey":     {ev.RouteKey, "GET /v1/records/{id}"},
		"ctx routeKey": {ev.RequestContext.RouteKey, "GET /v1/records/{id}"},
		"rawPath":      {ev.RawPath, "/v1/records/R%2F1"},
		"rawQuery":     {ev.RawQueryString, "a=1&a=2&b=x"},
		"query a":      {ev.QueryStringParameters["a"], "1,2"},
		"path id":      {ev.PathParameters["id"], "R/1"},
		"header":       {ev.Headers["x-custom"], "v"},
		"method":       {ev.RequestContext.HTTP.Method, "GET"},
		"sourceIp":     {ev.RequestContext.HTTP.SourceIP, "192.0.2.1"},
		"time":         {ev.RequestContext.Time, "01/Mar/2027:08:00:00 +0000"},
		"unit claim":   {ev.RequestContext.Authorizer.JWT.Claims[ClaimUnit], "411422-PCS-01"},
		"role claim":   {ev.RequestContext.Authorizer.JWT.Claims[ClaimRole], "office"},
		"cookies":      {strings.Join(ev.Cookies, "|"), "c1=a|c2=b"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if ev.RequestContext.RequestID == "" || ev.Headers["cookie"] != "" {
		t.Errorf("requestId %q, cookie header %q", ev.RequestContext.RequestID, ev.Headers["cookie"])
	}
}

func TestFrontBody(t *testing.T) {
	f, inv := testFront(t, func(string, []byte) ([]byte, error) { return []byte(`{"ok":true}`), nil })
	tok, _ := MintToken(testKey, Identity{Unit: "u", Role: "clerk"}, frontNow, time.Hour)
	cases := []struct {
		name, contentType, body string
		wantB64                 bool
	}{
		{"json as text", "application/json", `{"a":"中文"}`, false},
		{"binary as base64", "application/octet-stream", "\x00\x01", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/v1/decisions", strings.NewReader(c.body))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", c.contentType)
			resp, out := do(f, req)
			if resp.StatusCode != 200 || string(out) != `{"ok":true}` {
				t.Fatalf("a result without statusCode is a 200 JSON body: %d %s", resp.StatusCode, out)
			}
			calls := inv.Calls()
			var ev events.APIGatewayV2HTTPRequest
			_ = json.Unmarshal(calls[len(calls)-1].Payload, &ev)
			if ev.IsBase64Encoded != c.wantB64 {
				t.Fatalf("isBase64Encoded = %v", ev.IsBase64Encoded)
			}
			if !c.wantB64 && ev.Body != c.body {
				t.Fatalf("body %q", ev.Body)
			}
		})
	}
}

func TestFrontRefusals(t *testing.T) {
	f, inv := testFront(t, func(fn string, _ []byte) ([]byte, error) {
		return nil, &FunctionError{Function: fn, Type: "Runtime.ExitError", Message: "exit status 2"}
	})
	tok, _ := MintToken(testKey, Identity{Unit: "u", Role: "clerk"}, frontNow, time.Hour)
	expired, _ := MintToken(testKey, Identity{Unit: "u", Role: "clerk"}, frontNow.Add(-2*time.Hour), time.Hour)
	cases := []struct {
		name    string
		method  string
		path    string
		token   string
		body    string
		status  int
		code    string
		invoked bool
	}{
		{"no token", "POST", "/v1/decisions", "", "{}", 401, "unauthorized", false},
		{"expired token", "POST", "/v1/decisions", expired, "{}", 401, "unauthorized", false},
		{"unknown route", "GET", "/v1/nothing", tok, "", 404, "not_found", false},
		{"wrong method", "DELETE", "/v1/decisions", tok, "", 404, "not_found", false},
		{"too large", "POST", "/v1/decisions", tok, strings.Repeat("x", MaxBodyBytes+1), 413, "payload_too_large", false},
		{"function crash", "POST", "/v1/decisions", tok, "{}", 502, "bad_gateway", true},
		{"public route needs no token, still crashes", "GET", "/public/reports", "", "", 502, "bad_gateway", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := len(inv.Calls())
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
			if c.token != "" {
				req.Header.Set("Authorization", "Bearer "+c.token)
			}
			resp, body := do(f, req)
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.status, body)
			}
			e := errorCode(t, body)
			if e.Code != c.code || e.MessageZh == "" || e.MessageEn == "" {
				t.Fatalf("error %+v", e)
			}
			if c.code == "unauthorized" && (e.Field != "Authorization" || e.MessageZh != "未提供有效的身份令牌" || e.MessageEn != "missing or invalid token") {
				t.Fatalf("unauthorized body %+v", e)
			}
			if got := len(inv.Calls()) > before; got != c.invoked {
				t.Fatalf("invoked = %v", got)
			}
		})
	}
}

func TestFrontLocalClock(t *testing.T) {
	f, _ := testFront(t, nil)
	shifted := time.Date(2027, 3, 1, 2, 0, 0, 0, time.UTC) // 10:00 in Beijing
	f.LocalClock = func() time.Time { return shifted }
	resp, body := do(f, httptest.NewRequest("GET", "/_local/clock", nil))
	var c struct {
		Today  string `json:"today"`
		Offset int64  `json:"offset_seconds"`
	}
	if err := json.Unmarshal(body, &c); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	want := int64(time.Until(shifted) / time.Second)
	if c.Today != "2027-03-01" || c.Offset < want-5 || c.Offset > want+5 {
		t.Fatalf("clock %+v", c)
	}
}

func TestFrontLocalInvoke(t *testing.T) {
	f, inv := testFront(t, func(fn string, p []byte) ([]byte, error) { return []byte(`{"expired":3}`), nil })
	resp, body := do(f, httptest.NewRequest("POST", "/_local/invoke/ExpireFunction", nil))
	if resp.StatusCode != 200 || string(body) != `{"expired":3}` {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if c := inv.Calls(); string(c[0].Payload) != "{}" || c[0].Function != "ExpireFunction" {
		t.Fatalf("calls %v", c)
	}
	resp, _ = do(f, httptest.NewRequest("POST", "/_local/invoke/Nope", nil))
	if resp.StatusCode != 404 {
		t.Fatalf("unknown function: %d", resp.StatusCode)
	}
	resp, _ = do(f, httptest.NewRequest("POST", "/_local/invoke/ExpireFunction", strings.NewReader("{")))
	if resp.StatusCode != 400 {
		t.Fatalf("bad JSON: %d", resp.StatusCode)
	}
}

func TestRouterSpecificity(t *testing.T) {
	r, err := NewRouter([]Route{
		{Method: "ANY", Path: "/v1/{proxy+}", Function: "Greedy"},
		{Method: "GET", Path: "/v1/subjects/{id}", Function: "Param"},
		{Method: "GET", Path: "/v1/subjects/export", Function: "Literal"},
		{Method: "GET", Path: "/v1/subjects/{id}/records", Function: "Records"},
	})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ method, path, want, param string }{
		{"GET", "/v1/subjects/export", "Literal", ""},
		{"GET", "/v1/subjects/S1", "Param", "S1"},
		{"GET", "/v1/subjects/S1/records", "Records", "S1"},
		{"POST", "/v1/subjects/S1", "Greedy", ""},
		{"GET", "/v1/a/b/c", "Greedy", ""},
	}
	for _, c := range cases {
		t.Run(c.method+c.path, func(t *testing.T) {
			rt, params, ok := r.Match(c.method, c.path)
			if !ok || rt.Function != c.want {
				t.Fatalf("matched %v %v", rt.Function, ok)
			}
			if c.param != "" && params["id"] != c.param {
				t.Fatalf("params %v", params)
			}
		})
	}
	if _, _, ok := r.Match("GET", "/v2/x"); ok {
		t.Fatal("matched outside the routes")
	}
	if _, err := NewRouter([]Route{{Method: "GET", Path: "/a"}, {Method: "get", Path: "/a"}}); err == nil {
		t.Fatal("duplicate route accepted")
	}
}
