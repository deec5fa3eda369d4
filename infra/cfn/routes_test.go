package cfn

import (
	"reflect"
	"strings"
	"testing"
)

func TestHttpRoutesAuth(t *testing.T) {
	tpl := loadYAML(t, `
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers:
          Jwt: {}
  OpenApi:
    Type: AWS::Serverless::HttpApi
  OneFunction:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        Guarded:
          Type: HttpApi
          Properties: {ApiId: !Ref Api, Method: post, Path: /v1/things}
        Public:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Method: GET
            Path: /public/things
            Auth:
              Authorizer: NONE
        Named:
          Type: HttpApi
          Properties:
            ApiId: !Ref OpenApi
            Method: GET
            Path: /named
            Auth:
              Authorizer: Other
        Open:
          Type: HttpApi
          Properties: {ApiId: !Ref OpenApi, Method: GET, Path: /open}
        NotAnApiEvent:
          Type: SQS
          Properties: {Queue: x}
`)
	want := []Route{
		{Method: "GET", Path: "/named", Function: "OneFunction", Event: "Named", API: "OpenApi", Auth: true, Authorizer: "Other"},
		{Method: "GET", Path: "/open", Function: "OneFunction", Event: "Open", API: "OpenApi"},
		{Method: "GET", Path: "/public/things", Function: "OneFunction", Event: "Public", API: "Api"},
		{Method: "POST", Path: "/v1/things", Function: "OneFunction", Event: "Guarded", API: "Api", Auth: true, Authorizer: "Jwt"},
	}
	if got := tpl.HttpRoutes(); !reflect.DeepEqual(got, want) {
		t.Errorf("routes:\n got %+v\nwant %+v", got, want)
	}
}

func TestRouteKey(t *testing.T) {
	r := Route{Method: "POST", Path: "/v1/list-entries/{id}/removal"}
	if r.Key() != "POST /v1/list-entries/{id}/removal" {
		t.Errorf("key %q", r.Key())
	}
}

// contractRoutes are the issue 2-4 routes of the cross-team contract; later
// issues may add routes, never drop these.
var contractRoutes = []string{
	"POST /v1/decisions",
	"POST /v1/commitment-violations",
	"POST /v1/list-entries",
	"POST /v1/list-entries/{id}/removal",
	"POST /v1/evaluations",
	"POST /v1/observations",
	"GET /v1/records/{id}",
	"GET /v1/subjects",
	"GET /v1/subjects/{id}",
	"GET /v1/subjects/{id}/records",
}

func TestTemplateRoutesFollowContract(t *testing.T) {
	tpl := mustDefault(t)
	routes := tpl.HttpRoutes()
	byKey := map[string]Route{}
	for _, r := range routes {
		if _, dup := byKey[r.Key()]; dup {
			t.Errorf("route %s defined twice", r.Key())
		}
		byKey[r.Key()] = r
	}
	for _, key := range contractRoutes {
		r, ok := byKey[key]
		if !ok {
			t.Errorf("route %s missing", key)
			continue
		}
		if r.Function != "IntakeFunction" {
			t.Errorf("%s served by %s, want IntakeFunction", key, r.Function)
		}
	}
	for _, r := range routes {
		switch {
		case strings.HasPrefix(r.Path, "/v1/"), r.Path == "/v1":
			if !r.Auth || r.Authorizer != "CognitoJwt" {
				t.Errorf("%s: every /v1 route needs the Cognito JWT authorizer (auth %v, %q)", r.Key(), r.Auth, r.Authorizer)
			}
		case strings.HasPrefix(r.Path, "/public/"):
			if r.Auth {
				t.Errorf("%s: public routes are unauthenticated", r.Key())
			}
		default:
			t.Errorf("%s: routes live under /v1 or /public", r.Key())
		}
		if r.API != "CreditApi" {
			t.Errorf("%s on API %q, want CreditApi", r.Key(), r.API)
		}
	}
}

// The JWT authorizer trusts exactly the template's user pool and app client.
func TestAuthorizerTrustsTheUserPool(t *testing.T) {
	tpl := mustDefault(t)
	api := tpl.Resources["CreditApi"]
	jwt := fnMap(fnMap(fnMap(fnMap(api.Properties["Auth"])["Authorizers"])["CognitoJwt"])["JwtConfiguration"])
	issuer := fnString(fnMap(jwt["issuer"])["Fn::Sub"])
	if issuer != "https://cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${UserPool}" {
		t.Errorf("issuer %v", jwt["issuer"])
	}
	aud := fnSlice(jwt["audience"])
	if len(aud) != 1 || refTarget(aud[0]) != "UserPoolClient" {
		t.Errorf("audience %v, want [!Ref UserPoolClient]", jwt["audience"])
	}
	if tpl.Resources["UserPool"].Type != "AWS::Cognito::UserPool" || tpl.Resources["UserPoolClient"].Type != "AWS::Cognito::UserPoolClient" {
		t.Fatal("user pool or client missing")
	}
	// Users must not be able to change their own unit or role.
	for _, a := range fnStrings(tpl.Resources["UserPoolClient"].Properties["WriteAttributes"]) {
		if a == "custom:unit" || a == "custom:role" {
			t.Errorf("the app client may write %s", a)
		}
	}
	var attrs []string
	for _, s := range fnSlice(tpl.Resources["UserPool"].Properties["Schema"]) {
		attrs = append(attrs, fnString(fnMap(s)["Name"]))
	}
	if !sameSet(attrs, []string{"unit", "role"}) {
		t.Errorf("custom attributes %v, want unit and role", attrs)
	}
}
