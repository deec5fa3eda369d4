package cfn

import "sort"

const httpAPIType = "AWS::Serverless::HttpApi"

// Route is one HttpApi route of the template: what the local HTTP front
// serves and what the OpenAPI document must list.
type Route struct {
	Method   string // upper case, or ANY
	Path     string // as API Gateway writes it: /v1/records/{id}
	Function string // logical id of the function behind it
	Event    string // the event's key under the function's Events
	API      string // logical id of the HttpApi ("" = the implicit API)
	// Auth tells whether a JWT authorizer guards the route: the route names
	// one, or the API has a DefaultAuthorizer and the route does not opt out
	// with Auth: {Authorizer: NONE}.
	Auth bool
	// Authorizer is the name of the authorizer that applies when Auth.
	Authorizer string
}

// Key is the API Gateway route key ("POST /v1/decisions"), the routeKey of a
// payload 2.0 event.
func (r Route) Key() string { return r.Method + " " + r.Path }

// HttpRoutes lists every HttpApi route of every function, sorted by path
// then method.
func (t *Template) HttpRoutes() []Route {
	var out []Route
	for _, f := range t.Functions() {
		for _, e := range f.HTTPAPI {
			rt := Route{
				Method:   e.Method,
				Path:     e.Path,
				Function: f.LogicalID,
				Event:    e.Name,
				API:      e.API,
			}
			switch {
			case e.AuthNone:
			case e.Authorizer != "":
				rt.Auth, rt.Authorizer = true, e.Authorizer
			default:
				if def := t.defaultAuthorizer(e.API); def != "" && def != "NONE" {
					rt.Auth, rt.Authorizer = true, def
				}
			}
			out = append(out, rt)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// defaultAuthorizer is Auth.DefaultAuthorizer of the HttpApi api (or of the
// Globals' HttpApi section for the implicit API, which also applies to
// explicit APIs that do not set their own).
func (t *Template) defaultAuthorizer(api string) string {
	if r, ok := t.Resources[api]; ok && r.Type == httpAPIType {
		if d := fnString(fnMap(r.Properties["Auth"])["DefaultAuthorizer"]); d != "" {
			return d
		}
	}
	return fnString(fnMap(fnMap(t.Globals["HttpApi"])["Auth"])["DefaultAuthorizer"])
}
