package api

import (
	"reflect"
	"testing"

	"github.com/suixian-psb/credit/shared/identity"
)

func TestParseExceptions(t *testing.T) {
	got := ParseExceptions("# pilot codes\n\n 91350100M000100Y43 # confirmed by 福州市市场监管局\nabc\n")
	if want := []string{"91350100M000100Y43", "abc"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if _, err := LoadOpenAPI(); err != nil {
		t.Fatal(err)
	}
	_ = CreditCodes() // the embedded list parses
}

// TestExceptionListAdmitsPilotCodes: a listed code that fails its check
// character is accepted by the API; the same code unlisted is refused.
func TestExceptionListAdmitsPilotCodes(t *testing.T) {
	pilot := testCode[:17] + string(otherChar(testCode[17]))
	body := set(decisionBody(), "subject.credit_code", pilot)

	f := newFixture(t)
	if r := f.do(t, request(RoutePostDecision, clerk, body, nil, "")); r.StatusCode != 400 {
		t.Fatalf("unlisted: %d %s", r.StatusCode, r.Body)
	}
	f.h.cfg.CreditCodes = identity.NewCreditCodeValidator(ParseExceptions(pilot + "\n")...)
	if r := f.do(t, request(RoutePostDecision, clerk, body, nil, "")); r.StatusCode != 201 {
		t.Fatalf("listed: %d %s", r.StatusCode, r.Body)
	}
}
