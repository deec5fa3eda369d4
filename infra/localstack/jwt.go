package localstack

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The local identity provider's issuer and audience. The cloud checks the
// Cognito pool's issuer and the app client id the same way.
const (
	LocalIssuer   = "http://127.0.0.1/local-idp"
	LocalAudience = "credit-local-client"
)

// Claim names the functions read (contract: Cognito ID token).
const (
	ClaimUnit     = "custom:unit"
	ClaimRole     = "custom:role"
	ClaimUsername = "cognito:username"
)

// Identity is who a locally minted token speaks for.
type Identity struct {
	Unit string
	Role string
	User string
}

// MintToken signs an ID-token-like JWT for id, valid for ttl from now.
func MintToken(key *rsa.PrivateKey, id Identity, now time.Time, ttl time.Duration) (string, error) {
	if id.Unit == "" || id.Role == "" {
		return "", errors.New("unit and role are required")
	}
	user := id.User
	if user == "" {
		user = strings.ToLower(id.Role) + "@" + id.Unit
	}
	claims := jwt.MapClaims{
		"iss":         LocalIssuer,
		"aud":         LocalAudience,
		"sub":         "local-" + user,
		"token_use":   "id",
		"iat":         now.Unix(),
		"exp":         now.Add(ttl).Unix(),
		ClaimUnit:     id.Unit,
		ClaimRole:     id.Role,
		ClaimUsername: user,
	}
	t := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	s, err := t.SignedString(key)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return s, nil
}

// Authorizer checks bearer tokens the way the HttpApi JWT authorizer does:
// signature (RS256 only), issuer, audience, expiry and not-before.
type Authorizer struct {
	Key      *rsa.PublicKey
	Issuer   string
	Audience string
	Now      func() time.Time // real time: token expiry is not shifted by -now
}

// Verified is what the authorizer hands to the function.
type Verified struct {
	Claims map[string]string
	Scopes []string
}

// Check validates the Authorization header value.
func (a Authorizer) Check(header string) (Verified, error) {
	raw, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		raw, ok = strings.CutPrefix(header, "bearer ")
	}
	raw = strings.TrimSpace(raw)
	if !ok || raw == "" {
		return Verified{}, errors.New("no bearer token")
	}
	now := a.Now
	if now == nil {
		now = time.Now
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithIssuer(a.Issuer),
		jwt.WithAudience(a.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(now),
	)
	claims := jwt.MapClaims{}
	if _, err := parser.ParseWithClaims(raw, claims, func(*jwt.Token) (any, error) { return a.Key, nil }); err != nil {
		return Verified{}, fmt.Errorf("token rejected: %w", err)
	}
	v := Verified{Claims: make(map[string]string, len(claims))}
	for k, val := range claims {
		v.Claims[k] = claimString(val)
	}
	if sc, ok := claims["scope"].(string); ok {
		v.Scopes = strings.Fields(sc)
	}
	return v, nil
}

// claimString flattens a claim the way API Gateway does: strings as they
// are, numbers in plain decimal, lists as "[a b]".
func claimString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, claimString(e))
		}
		return "[" + strings.Join(parts, " ") + "]"
	default:
		return fmt.Sprint(x)
	}
}
