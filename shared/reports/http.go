package reports

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/domain"
)

// This file is the smallest adapter to the platform's HTTP conventions
// (shared/api): the same error body ({"error": first problem, "errors": all})
// built from api.Problem and api.Error, and the same reading of the token's
// claims. shared/api keeps its renderer and claim reader unexported; they are
// not copied here, only the format is followed.

// MaxBodyBytes bounds a request body of these routes.
const MaxBodyBytes = 64 << 10

type errorBody struct {
	Error  api.Problem   `json:"error"`
	Errors []api.Problem `json:"errors"`
}

func refuse(status int, ps ...api.Problem) *api.Error {
	return &api.Error{Status: status, Problems: ps}
}

// respond renders v as JSON. Every answer is no-store: a status page or a
// revealed identity must not sit in a shared cache.
func respond(status int, v any) events.APIGatewayV2HTTPResponse {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(errorBody{Error: probInternal, Errors: []api.Problem{probInternal}})
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: status,
		Headers: map[string]string{
			"Content-Type":           "application/json; charset=utf-8",
			"Cache-Control":          "no-store",
			"X-Content-Type-Options": "nosniff",
		},
		Body: string(b),
	}
}

func respondError(e *api.Error) events.APIGatewayV2HTTPResponse {
	ps := e.Problems
	if len(ps) == 0 {
		ps = []api.Problem{probInternal}
	}
	resp := respond(e.Status, errorBody{Error: ps[0], Errors: ps})
	if e.RetryAfter != "" {
		resp.Headers["Retry-After"] = e.RetryAfter
	}
	return resp
}

// actorFrom reads the caller from the verified claims (401 without a user,
// 403 for an unknown role or no unit), then checks the route's roles.
func actorFrom(req events.APIGatewayV2HTTPRequest, roles []string) (domain.Actor, *api.Error) {
	var claims map[string]string
	if a := req.RequestContext.Authorizer; a != nil && a.JWT != nil {
		claims = a.JWT.Claims
	}
	user := strings.TrimSpace(claims[api.ClaimUsername])
	if user == "" {
		user = strings.TrimSpace(claims[api.ClaimSub])
	}
	if user == "" {
		return domain.Actor{}, refuse(http.StatusUnauthorized, probUnauthorized)
	}
	role := strings.TrimSpace(claims[api.ClaimRole])
	unit := strings.TrimSpace(claims[api.ClaimUnit])
	switch {
	case !slices.Contains(api.AllRoles, role):
		return domain.Actor{}, refuse(http.StatusForbidden, probForbiddenRole)
	case unit == "":
		return domain.Actor{}, refuse(http.StatusForbidden, probNoUnit)
	case !slices.Contains(roles, role):
		return domain.Actor{}, refuse(http.StatusForbidden, probForbiddenRole)
	}
	return domain.Actor{Unit: unit, User: user, Role: role}, nil
}

// decodeBody reads a JSON body strictly (size, media type, unknown fields)
// into v. Decoder messages are never passed on: they may quote the input.
func decodeBody(req events.APIGatewayV2HTTPRequest, v any) *api.Error {
	for k, ct := range req.Headers {
		if strings.EqualFold(k, "content-type") {
			if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
				return refuse(http.StatusUnsupportedMediaType, probMediaType)
			}
		}
	}
	raw := []byte(req.Body)
	if req.IsBase64Encoded {
		if len(raw) > base64.StdEncoding.EncodedLen(MaxBodyBytes) {
			return refuse(http.StatusRequestEntityTooLarge, probTooLarge)
		}
		b, err := base64.StdEncoding.DecodeString(req.Body)
		if err != nil {
			return refuse(http.StatusBadRequest, probBadJSON)
		}
		raw = b
	}
	if len(raw) > MaxBodyBytes {
		return refuse(http.StatusRequestEntityTooLarge, probTooLarge)
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return refuse(http.StatusBadRequest, probEmptyBody)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); !errors.Is(terr, io.EOF) {
			return refuse(http.StatusBadRequest, probBadJSON)
		}
		return nil
	}
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		return refuse(http.StatusBadRequest, probBadType.At(te.Field))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return refuse(http.StatusBadRequest, probUnknownField.At(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)))
	}
	return refuse(http.StatusBadRequest, probBadJSON)
}
