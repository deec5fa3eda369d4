package api

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

//go:embed openapi.yaml
var openAPIDocument []byte

// OpenAPIDocument returns a copy of the embedded contract.
func OpenAPIDocument() []byte { return bytes.Clone(openAPIDocument) }

// LoadOpenAPI parses and validates the embedded contract.
func LoadOpenAPI() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openAPIDocument)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	return doc, nil
}

// OpenAPIRoutes lists the document's operations as "METHOD /path" route
// keys (the form API Gateway uses), sorted.
func OpenAPIRoutes(doc *openapi3.T) []string {
	var out []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			out = append(out, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(out)
	return out
}

// contract checks requests against the OpenAPI document.
type contract struct {
	doc    *openapi3.T
	routes map[string]*routers.Route // by route key
}

func newContract() (*contract, error) {
	doc, err := LoadOpenAPI()
	if err != nil {
		return nil, err
	}
	c := &contract{doc: doc, routes: map[string]*routers.Route{}}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			c.routes[strings.ToUpper(method)+" "+path] = &routers.Route{
				Spec: doc, Path: path, PathItem: item, Method: strings.ToUpper(method), Operation: op,
			}
		}
	}
	return c, nil
}

// check validates parameters and body of one request against the route's
// operation and returns every problem in the platform's form. The JWT has
// been verified before the function runs, so security is not re-checked.
func (c *contract) check(ctx context.Context, routeKey string, pathParams map[string]string, query url.Values, body []byte) []Problem {
	route, ok := c.routes[routeKey]
	if !ok {
		return nil
	}
	target := &url.URL{Path: route.Path, RawQuery: query.Encode()}
	r, err := http.NewRequestWithContext(ctx, route.Method, target.String(), bytes.NewReader(body))
	if err != nil {
		return []Problem{ProbBadJSON}
	}
	if len(body) > 0 {
		r.Header.Set("Content-Type", "application/json")
	}
	in := &openapi3filter.RequestValidationInput{
		Request:     r,
		PathParams:  pathParams,
		QueryParams: query,
		Route:       route,
		Options: &openapi3filter.Options{
			MultiError:         true,
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		},
	}
	err = openapi3filter.ValidateRequest(ctx, in)
	if err == nil {
		return nil
	}
	var ps []Problem
	collectOpenAPI(err, &ps)
	if len(ps) == 0 { // an error shape we do not know: still a refusal
		ps = append(ps, probBadEnum)
	}
	return ps
}

// collectOpenAPI flattens kin-openapi's nested errors into problems.
func collectOpenAPI(err error, out *[]Problem) {
	var me openapi3.MultiError
	if errors.As(err, &me) && !isSchemaError(err) {
		for _, e := range me {
			collectOpenAPI(e, out)
		}
		return
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) {
		prefix := ""
		if re.Parameter != nil {
			prefix = re.Parameter.Name
		}
		if re.Err == nil {
			if re.RequestBody != nil {
				*out = append(*out, ProbEmptyBody)
			} else {
				*out = append(*out, probMissing.At(prefix))
			}
			return
		}
		if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) || errors.Is(re.Err, openapi3filter.ErrInvalidEmptyValue) {
			if re.RequestBody != nil {
				*out = append(*out, ProbEmptyBody)
			} else {
				*out = append(*out, probMissing.At(prefix))
			}
			return
		}
		var pe *openapi3filter.ParseError
		if errors.As(re.Err, &pe) {
			if re.RequestBody != nil {
				*out = append(*out, ProbBadJSON)
			} else {
				*out = append(*out, probBadEnum.At(prefix))
			}
			return
		}
		var inner openapi3.MultiError
		if errors.As(re.Err, &inner) {
			for _, e := range inner {
				collectSchema(e, prefix, out)
			}
			return
		}
		if !collectSchema(re.Err, prefix, out) {
			if re.RequestBody != nil && re.Err != nil && strings.Contains(re.Err.Error(), "not found") {
				*out = append(*out, ProbEmptyBody)
				return
			}
			*out = append(*out, probBadEnum.At(prefix))
		}
		return
	}
	collectSchema(err, "", out)
}

func isSchemaError(err error) bool {
	var se *openapi3.SchemaError
	var re *openapi3filter.RequestError
	return errors.As(err, &se) && !errors.As(err, &re)
}

// Problems for schema keywords (and ProbUnknownField, ProbBadType of
// errors.go). Codes agree with the domain checks (missing_field, too_long,
// invalid_date …) so a client sees one vocabulary.
var (
	probBadFormat    = Problem{Code: "invalid_format", MessageZH: "格式错误", MessageEN: "invalid format"}
	probOutOfRange   = Problem{Code: "out_of_range", MessageZH: "数值超出允许范围", MessageEN: "the number is out of range"}
	probBadSubjectID = Problem{Code: "invalid_subject_id", MessageZH: "主体编号格式错误", MessageEN: "invalid subject id"}
	probBadRecordID  = Problem{Code: "invalid_record_id", MessageZH: "记录编号格式错误", MessageEN: "invalid record id"}
)

// collectSchema converts one schema error (or a multi-error of them);
// false when err is not one.
func collectSchema(err error, prefix string, out *[]Problem) bool {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		found := false
		for _, e := range me {
			found = collectSchema(e, prefix, out) || found
		}
		return found
	}
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		return false
	}
	if se.Origin != nil {
		var inner openapi3.MultiError
		if errors.As(se.Origin, &inner) && len(inner) > 0 {
			return collectSchema(inner, prefix, out)
		}
	}
	p, property := schemaProblem(se)
	field := joinField(joinField(prefix, pointerField(se.JSONPointer())), property)
	*out = append(*out, p.At(field))
	return true
}

// schemaProblem maps the failed keyword to a problem. For an unknown
// property it also returns the property's name, which kin-openapi gives only
// in its reason (the pointer names the object holding it).
func schemaProblem(se *openapi3.SchemaError) (Problem, string) {
	s := se.Schema
	switch se.SchemaField {
	case "required":
		return probMissing, ""
	case "properties", "additionalProperties":
		name, _ := unsupportedProperty(se.Reason)
		return ProbUnknownField, name
	case "type", "nullable":
		return ProbBadType, ""
	case "enum":
		return probBadEnum, ""
	case "minLength":
		return probMissing, ""
	case "maxLength":
		return probTooLong, ""
	case "minItems":
		return probNoItems, ""
	case "maxItems":
		return probTooMany, ""
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf":
		return probOutOfRange, ""
	case "pattern", "format":
		if s != nil {
			switch s.Pattern {
			case datePattern:
				return probBadDate, ""
			case unitPatternText:
				return probBadUnit, ""
			case subjectIDPattern:
				return probBadSubjectID, ""
			case recordIDPattern:
				return probBadRecordID, ""
			}
		}
		return probBadFormat, ""
	}
	return probBadEnum, ""
}

// Patterns as written in openapi.yaml, to name the problem precisely.
const (
	datePattern      = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
	unitPatternText  = `^[0-9A-Za-z][0-9A-Za-z-]{0,39}$`
	subjectIDPattern = `^([0-9A-Z]{18}|NP[A-Z2-7]{24})$`
	recordIDPattern  = `^R[A-Z2-7]{20}$`
)

// unsupportedProperty reads the property name out of kin-openapi's
// `property "x" is unsupported` reason.
func unsupportedProperty(reason string) (string, bool) {
	const pre, post = "property ", " is unsupported"
	if !strings.HasPrefix(reason, pre) || !strings.HasSuffix(reason, post) {
		return "", false
	}
	name, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(reason, pre), post))
	return name, err == nil
}

// pointerField turns a JSON pointer into the dotted field form used in
// problems: ["acts","0","sanctions","1","kind"] → "acts[0].sanctions[1].kind".
func pointerField(ptr []string) string {
	var b strings.Builder
	for _, seg := range ptr {
		if _, err := strconv.Atoi(seg); err == nil && b.Len() > 0 {
			b.WriteString("[" + seg + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	return b.String()
}
