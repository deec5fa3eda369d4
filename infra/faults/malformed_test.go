package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/suixian-psb/credit/infra/bench"
	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/storage"
)

// badCase is one generated request that must be refused.
type badCase struct {
	kind   string // what is wrong, for failure messages
	route  string // route key
	params map[string]string
	body   []byte
	// auth: "clerk" (a valid clerk), "none", "forged", "expired",
	// "auditor", "badrole" (claims only; in process) or "nounit".
	auth string
}

// Injection strings: SQL, NoSQL, expression, script, path, template,
// control and odd Unicode.
var injections = []string{
	`' OR '1'='1`, `"; DROP TABLE credit; --`, `{"$ne": null}`, `attribute_exists(PK)`, `#pk = :v OR 1=1`,
	`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `../../etc/passwd`, `..%2f..%2fetc%2fpasswd`,
	`{{7*7}}`, `${jndi:ldap://x/a}`, "\x00\x01\x02", "\u202e\u200b", `SUBJ#91411422MA000000X1`, `REC#R000`,
	strings.Repeat("A", 5000), `%00`, `\u0000`, `1e309`, `-0`,
}

// validDecision is a body the API accepts (the generator breaks it).
func validDecision(r *rand.Rand, i int) map[string]any {
	var m map[string]any
	b := bench.DecisionBody(bench.CreditCode(65, r.IntN(1000)), bench.DocNo("畸形", i), "2027-02-10", bench.Warning, bench.Fine(200_000))
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	return m
}

// set puts v at a dotted path ("acts.0.sanctions.0.kind").
func set(m map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	var cur any = m
	for i, p := range parts {
		last := i == len(parts)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[p] = v
				return
			}
			cur = c[p]
		case []any:
			var k int
			fmt.Sscan(p, &k)
			if last {
				c[k] = v
				return
			}
			cur = c[k]
		}
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// Required fields and values of the wrong type for them.
var (
	requiredPaths = []string{"document_no", "decision_date", "subject", "subject.type", "subject.name", "subject.credit_code",
		"acts", "acts.0", "acts.0.facts", "acts.0.legal_basis", "acts.0.sanctions", "acts.0.sanctions.0", "acts.0.sanctions.0.kind",
		"acts.0.sanctions.1.amount_fen"}
	wrongValues = map[string][]any{
		"string": {123, 1.5, true, []any{"a"}, map[string]any{"a": 1}},
		"object": {"x", 1, true, []any{}},
		"array":  {"x", 1, map[string]any{}, true},
		"number": {"200000", true, []any{1}, 1.5, -100, 1e20},
	}
	pathType = map[string]string{"subject": "object", "acts": "array", "acts.0": "object", "acts.0.sanctions": "array",
		"acts.0.sanctions.0": "object", "acts.0.sanctions.1.amount_fen": "number"}
	badCodes = []string{"91411422MA3X4Y5P0", "91411422MA3X4Y5P0XX", "", "9141142", "91411422IOSVZ00000", "914114221234567890",
		"ＡＢＣ", "91411422MA3X4Y5P0-"}
	badDates = []string{"2027-02-30", "2027-13-01", "27-02-10", "2027/02/10", "", "2027-2-1", "yesterday", "2027-02-10T00:00:00Z"}
)

// generate makes the i-th malformed request; the mix is deterministic.
func generate(r *rand.Rand, i int) badCase {
	c := badCase{route: api.RoutePostDecision, auth: "clerk"}
	m := validDecision(r, i)
	switch k := r.IntN(100); {
	case k < 22:
		p := requiredPaths[r.IntN(len(requiredPaths))]
		typ := pathType[p]
		if typ == "" {
			typ = "string"
		}
		vs := wrongValues[typ]
		set(m, p, vs[r.IntN(len(vs))])
		c.kind, c.body = "wrong type at "+p, mustJSON(m)
	case k < 30:
		p := requiredPaths[r.IntN(len(requiredPaths))]
		set(m, p, nil)
		c.kind, c.body = "null at "+p, mustJSON(m)
	case k < 42:
		code := badCodes[r.IntN(len(badCodes))]
		if code == "91411422MA3X4Y5P0" {
			// A wrong check character of a real code.
			good := bench.CreditCode(65, r.IntN(1000))
			last := "0123456789ABCDEFGHJKLMNPQRTUWXY"
			repl := string(last[r.IntN(len(last))])
			if repl == good[17:] {
				repl = "Y"
				if good[17:] == "Y" {
					repl = "0"
				}
			}
			code = good[:17] + repl
		}
		set(m, "subject.credit_code", code)
		c.kind, c.body = "bad credit code", mustJSON(m)
	case k < 48:
		set(m, "subject", map[string]any{"type": "natural_person", "name": "张三", "id_number": []string{"41142219900101123X", "411422199001011234", "41142219901301123", "00000000000000000X"}[r.IntN(4)]})
		c.kind, c.body = "bad resident id", mustJSON(m)
	case k < 62:
		inj := injections[r.IntN(len(injections))]
		p := []string{"subject.credit_code", "decision_date", "acts.0.sanctions.0.kind", "subject.type", "unit_missing_role"}[r.IntN(5)]
		if p == "unit_missing_role" {
			p = "acts.0.sanctions.1.kind"
		}
		set(m, p, inj)
		c.kind, c.body = "injection at "+p, mustJSON(m)
	case k < 68:
		set(m, "decision_date", badDates[r.IntN(len(badDates))])
		c.kind, c.body = "bad date", mustJSON(m)
	case k < 72:
		set(m, "acts.0.sanctions.1.amount_fen", []any{-1, 0, -200000}[r.IntN(3)])
		set(m, "acts.0.sanctions.1.kind", "fine")
		c.kind, c.body = "bad amount", mustJSON(m)
	case k < 76:
		m["extra_"+fmt.Sprint(r.IntN(9))] = injections[r.IntN(len(injections))]
		c.kind, c.body = "unknown field", mustJSON(m)
	case k < 78:
		if r.IntN(2) == 0 {
			set(m, "acts.0.facts", strings.Repeat("超", api.MaxBodyBytes/3+r.IntN(1000)))
			c.kind, c.body = "huge body", mustJSON(m)
		} else {
			// Kept shallow here: a deep nest costs the API time quadratic
			// in its depth (TestSoakDeepNestingIsCheap).
			depth := 200 + r.IntN(1800)
			c.kind, c.body = "deep nesting", []byte(strings.Repeat("[", depth)+strings.Repeat("]", depth))
		}
	case k < 86:
		good := mustJSON(m)
		switch r.IntN(6) {
		case 0:
			c.body = good[:r.IntN(len(good)-1)]
		case 1:
			c.body = append(good, []byte(`{"x":1}`)...)
		case 2:
			c.body = []byte{}
		case 3:
			c.body = []byte([]string{"null", "[]", `"x"`, "42", "true", "{}"}[r.IntN(6)])
		case 4:
			c.body = append([]byte{0xff, 0xfe}, good...)
		default:
			c.body = []byte(strings.Replace(string(good), `"document_no"`, `"document_no" "`, 1))
		}
		c.kind = "not JSON / not an object"
	case k < 96:
		c.body = mustJSON(m)
		switch r.IntN(6) {
		case 0:
			c.auth, c.kind = "none", "no token"
		case 1:
			c.auth, c.kind = "forged", "forged token"
		case 2:
			c.auth, c.kind = "expired", "expired token"
		case 3:
			c.auth, c.kind = "auditor", "auditor may not post"
		case 4:
			m["unit"] = "411422-PCS-09"
			c.body, c.kind = mustJSON(m), "clerk posting for another unit"
		default:
			c.auth, c.kind = "nounit", "token without unit or with an unknown role"
		}
	default:
		inj := injections[r.IntN(len(injections))]
		switch r.IntN(3) {
		case 0:
			c.route, c.params, c.kind = api.RouteGetSubject, map[string]string{"id": inj}, "injection in a subject id"
		case 1:
			c.route, c.params, c.kind = api.RoutePostRemoval, map[string]string{"id": inj}, "removal of an unknown entry"
			c.body = mustJSON(map[string]any{"subject_id": inj, "document_no": "撤1", "removed_on": "2027-02-01", "reason": "x"})
			c.auth = "office"
		default:
			c.route, c.kind = []string{api.RoutePostViolation, api.RoutePostObservation, api.RoutePostListEntry, api.RoutePostEvaluations}[r.IntN(4)], "another route, foreign body"
			c.body = mustJSON(map[string]any{"subject": inj, "document_no": 7})
			c.auth = "office"
		}
	}
	return c
}

// claimsFor is what the authorizer would pass for auth (in process: the
// token kinds the front refuses come down to no claims).
func claimsFor(auth string) map[string]string {
	switch auth {
	case "clerk":
		return clerk
	case "office":
		return bench.Claims(api.RoleOffice, "411422-OFFICE", "office1")
	case "auditor":
		return bench.Claims(api.RoleAuditor, "411422-AUDIT", "auditor1")
	case "nounit":
		return map[string]string{api.ClaimRole: "admin", api.ClaimUsername: "x"}
	}
	return nil
}

// checkRefusal: a 4xx with the platform's error body. The local front's
// own refusals (401 before the function runs) carry "error" only, so the
// "errors" list is required from the API handler alone (inAPI).
func checkRefusal(c badCase, status int, body []byte, inAPI bool) error {
	if status < 400 || status >= 500 {
		return fmt.Errorf("%s: status %d, want a 4xx refusal: %.300s", c.kind, status, body)
	}
	var e struct {
		Error  api.Problem   `json:"error"`
		Errors []api.Problem `json:"errors"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" || (inAPI && len(e.Errors) == 0) || e.Error.MessageZH == "" || e.Error.MessageEN == "" {
		return fmt.Errorf("%s: status %d without the error body: %.300s", c.kind, status, body)
	}
	return nil
}

// TestMalformedRequests sends 10,000 generated malformed requests to the
// API handler: every one is refused with a 4xx and the platform's error
// body, none is a 5xx, and nothing is written.
func TestMalformedRequests(t *testing.T) {
	st := &countingStore{Store: storage.NewMemory()}
	h, err := bench.NewHandler(st, clock, quiet)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(9, 2027))
	kinds := map[string]int{}
	start := time.Now()
	for i := range 10_000 {
		c := generate(r, i)
		kinds[strings.SplitN(c.kind, " at ", 2)[0]]++
		resp, err := h.Handle(context.Background(), bench.Request(c.route, claimsFor(c.auth), c.body, c.params, fmt.Sprintf("bad-%d", i)))
		if err != nil {
			t.Fatalf("case %d (%s): handler error %v", i, c.kind, err)
		}
		if err := checkRefusal(c, resp.StatusCode, []byte(resp.Body), true); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
	}
	if w := st.Writes(); w != 0 {
		t.Fatalf("%d writes attempted for malformed requests, want 0", w)
	}
	t.Logf("10,000 malformed requests refused in %s, none written; mix: %v", time.Since(start).Round(time.Millisecond), kinds)
}

// pathFor is the HTTP path of a route key with its parameters.
func pathFor(route string, params map[string]string) (method, path string) {
	method, path, _ = strings.Cut(route, " ")
	for k, v := range params {
		path = strings.ReplaceAll(path, "{"+k+"}", url.PathEscape(v))
	}
	return method, path
}
