package localstack

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Route is one HttpApi route of the template.
type Route struct {
	Method   string // GET, POST, ... or ANY
	Path     string // /v1/records/{id}, /files/{proxy+}
	Function string // logical id
	Auth     bool   // the JWT authorizer guards it
}

// Key is the API Gateway route key, e.g. "POST /v1/decisions".
func (r Route) Key() string { return r.Method + " " + r.Path }

// Router matches requests to routes the way API Gateway HTTP APIs do: the
// most specific route wins (literal segments over {param} over {greedy+}),
// and a method-specific route over ANY.
type Router struct {
	routes []compiledRoute
}

type compiledRoute struct {
	Route
	segs []string
}

// NewRouter compiles routes; a duplicate route key is an error.
func NewRouter(routes []Route) (*Router, error) {
	seen := map[string]bool{}
	r := &Router{}
	for _, rt := range routes {
		rt.Method = strings.ToUpper(rt.Method)
		if !strings.HasPrefix(rt.Path, "/") {
			return nil, fmt.Errorf("route %q: path must start with /", rt.Key())
		}
		if seen[rt.Key()] {
			return nil, fmt.Errorf("route %q defined twice", rt.Key())
		}
		seen[rt.Key()] = true
		segs := splitPath(rt.Path)
		for i, s := range segs {
			if strings.HasSuffix(s, "+}") && i != len(segs)-1 {
				return nil, fmt.Errorf("route %q: a greedy parameter must be last", rt.Key())
			}
		}
		r.routes = append(r.routes, compiledRoute{Route: rt, segs: segs})
	}
	// Most specific first, so the first match is the best one.
	sort.SliceStable(r.routes, func(i, j int) bool { return moreSpecific(r.routes[i], r.routes[j]) })
	return r, nil
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

func segRank(s string) int {
	switch {
	case strings.HasSuffix(s, "+}"):
		return 2
	case strings.HasPrefix(s, "{"):
		return 1
	default:
		return 0
	}
}

func moreSpecific(a, b compiledRoute) bool {
	for i := 0; i < len(a.segs) && i < len(b.segs); i++ {
		if ra, rb := segRank(a.segs[i]), segRank(b.segs[i]); ra != rb {
			return ra < rb
		}
	}
	if len(a.segs) != len(b.segs) {
		return len(a.segs) > len(b.segs)
	}
	return a.Method != "ANY" && b.Method == "ANY"
}

// Match finds the route for a method and (decoded) path and its path
// parameters.
func (r *Router) Match(method, path string) (Route, map[string]string, bool) {
	segs := splitPath(path)
	for _, rt := range r.routes {
		if rt.Method != "ANY" && rt.Method != strings.ToUpper(method) {
			continue
		}
		if params, ok := matchSegs(rt.segs, segs); ok {
			return rt.Route, params, true
		}
	}
	return Route{}, nil, false
}

func matchSegs(pattern, segs []string) (map[string]string, bool) {
	var params map[string]string
	set := func(k, v string) {
		if params == nil {
			params = map[string]string{}
		}
		params[k] = v
	}
	for i, p := range pattern {
		if segRank(p) == 2 {
			if i >= len(segs) {
				return nil, false
			}
			set(strings.TrimSuffix(strings.TrimPrefix(p, "{"), "+}"), strings.Join(segs[i:], "/"))
			return params, true
		}
		if i >= len(segs) {
			return nil, false
		}
		if segRank(p) == 1 {
			if segs[i] == "" {
				return nil, false
			}
			v, err := url.PathUnescape(segs[i])
			if err != nil {
				v = segs[i]
			}
			set(strings.TrimSuffix(strings.TrimPrefix(p, "{"), "}"), v)
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, len(pattern) == len(segs)
}
