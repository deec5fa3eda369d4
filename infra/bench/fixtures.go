package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
	"github.com/suixian-psb/credit/shared/policy"
)

// Unit is the police station the synthetic documents belong to.
const Unit = "411422-PCS-01"

// Fixed keys of the in-process handlers (never used outside tests and
// measurements).
const (
	HashKeyHex = "8f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
	SealKeyHex = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
)

// CreditCode is the i-th synthetic unified social credit code (valid check
// character); salt tells runs or scenarios apart.
func CreditCode(salt, i int) string {
	return identity.MakeCreditCode(fmt.Sprintf("91411422%02d%06d", salt%100, i%1_000_000))
}

// Sanction kinds used by the fixtures.
var (
	Warning = map[string]any{"kind": "warning"}
)

// Fine is a fine of fen.
func Fine(fen int64) map[string]any { return map[string]any{"kind": "fine", "amount_fen": fen} }

// DecisionBody is a handling decision on a legal person with one act
// carrying the sanctions.
func DecisionBody(code, docNo, date string, sanctions ...map[string]any) []byte {
	s := make([]any, len(sanctions))
	for i := range sanctions {
		s[i] = sanctions[i]
	}
	b, err := json.Marshal(map[string]any{
		"document_no":   docNo,
		"decision_date": date,
		"subject":       map[string]any{"type": "legal_person", "name": "睢县测试宾馆有限公司", "credit_code": code},
		"acts": []any{map[string]any{
			"facts":       "未按规定登记住宿旅客身份信息。",
			"legal_basis": "《旅馆业治安管理办法》第六条、第十五条",
			"sanctions":   s,
		}},
	})
	if err != nil {
		panic(err) // a map of strings and numbers always marshals
	}
	return b
}

// DocNo is the n-th synthetic document number of a series.
func DocNo(series string, n int) string {
	return fmt.Sprintf("睢公（%s）行罚决字〔2027〕%05d号", series, n)
}

// NewHandler builds the intake API on store, as functions/intake does,
// with fixed keys and clock.
func NewHandler(store api.Store, clock domain.Clock, log *slog.Logger) (*api.Handler, error) {
	ids, err := identity.NewHasherHex(HashKeyHex)
	if err != nil {
		return nil, err
	}
	sealer, err := identity.NewLocalSealerHex(SealKeyHex)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return api.New(api.Config{
		Store: store, Clock: clock, Policy: policy.MustDefault(), CreditCodes: api.CreditCodes(),
		SubjectIDs: ids, Sealer: sealer, Logger: log,
	})
}

// Claims are a verified token's claims as the authorizer passes them.
func Claims(role, unit, user string) map[string]string {
	return map[string]string{api.ClaimRole: role, api.ClaimUnit: unit, api.ClaimSub: "sub-" + user, api.ClaimUsername: user}
}

// Request builds a payload 2.0 event for routeKey.
func Request(routeKey string, claims map[string]string, body []byte, params map[string]string, requestID string) events.APIGatewayV2HTTPRequest {
	req := events.APIGatewayV2HTTPRequest{
		RouteKey:       routeKey,
		PathParameters: params,
		Headers:        map[string]string{"content-type": "application/json"},
		Body:           string(body),
	}
	req.RequestContext.RequestID = requestID
	if claims != nil {
		req.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims},
		}
	}
	return req
}

// Posted is the part of a POST answer the measurements read.
type Posted struct {
	SubjectID string `json:"subject_id"`
	Record    struct {
		ID string `json:"id"`
	} `json:"record"`
}
