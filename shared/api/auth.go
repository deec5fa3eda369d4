package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/domain"
)

// Token claims (Cognito ID token, verified by the API Gateway JWT authorizer
// or the local front before the function runs).
const (
	ClaimUnit     = "custom:unit"
	ClaimRole     = "custom:role"
	ClaimSub      = "sub"
	ClaimUsername = "cognito:username"
)

// Roles.
const (
	RoleClerk   = "clerk"   // a unit's clerk: posts the unit's own documents
	RoleOffice  = "office"  // 局办公室: lists, removals, evaluations; may post any kind for any unit
	RoleAuditor = "auditor" // reads only
)

// AllRoles are the roles that may read.
var AllRoles = []string{RoleClerk, RoleOffice, RoleAuditor}

// ActorFrom reads who is calling from the verified claims. No claims, or no
// user in them, is 401; an unknown role or a missing unit is 403. Every
// function behind the authorizer reads the caller this way (shared/reports
// too); Allowed then checks the route's roles.
func ActorFrom(req events.APIGatewayV2HTTPRequest) (domain.Actor, *Error) {
	var claims map[string]string
	if a := req.RequestContext.Authorizer; a != nil && a.JWT != nil {
		claims = a.JWT.Claims
	}
	user := strings.TrimSpace(claims[ClaimUsername])
	if user == "" {
		user = strings.TrimSpace(claims[ClaimSub])
	}
	if len(claims) == 0 || user == "" {
		return domain.Actor{}, Refuse(http.StatusUnauthorized, ProbUnauthorized)
	}
	role := strings.TrimSpace(claims[ClaimRole])
	if !slices.Contains(AllRoles, role) {
		return domain.Actor{}, Refuse(http.StatusForbidden, ProbForbiddenRole)
	}
	unit := strings.TrimSpace(claims[ClaimUnit])
	if unit == "" {
		return domain.Actor{}, Refuse(http.StatusForbidden, ProbNoUnitClaim)
	}
	return domain.Actor{Unit: unit, User: user, Role: role}, nil
}

// Allowed checks the route's roles.
func Allowed(a domain.Actor, roles []string) *Error {
	if !slices.Contains(roles, a.Role) {
		return Refuse(http.StatusForbidden, ProbForbiddenRole)
	}
	return nil
}

// postingUnit is the unit a posted document belongs to: the body's unit when
// given, else the caller's. A clerk may only post for the clerk's own unit;
// the office may post on behalf of any unit. The actor (who posted) is kept
// separately and always comes from the token.
func postingUnit(a domain.Actor, bodyUnit string) (string, *Error) {
	bodyUnit = strings.TrimSpace(bodyUnit)
	if bodyUnit == "" || bodyUnit == a.Unit {
		return a.Unit, nil
	}
	if a.Role != RoleOffice {
		return "", Refuse(http.StatusForbidden, probForbiddenUnit.At("unit"))
	}
	return bodyUnit, nil
}
