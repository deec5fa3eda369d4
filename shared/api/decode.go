package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// MaxBodyBytes bounds a request body. A decision with 50 acts of 4,000
// characters fits; anything larger is refused before it is parsed.
const MaxBodyBytes = 256 << 10

// ReadBody returns the raw JSON body of a request: decoded from base64
// when API Gateway sent it so, at most maxBytes long, and declared as JSON
// when a content type is given at all. The intake routes use MaxBodyBytes,
// the report routes (shared/reports) their own smaller bound.
func ReadBody(req events.APIGatewayV2HTTPRequest, maxBytes int) ([]byte, *Error) {
	if ct := header(req.Headers, "content-type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return nil, Refuse(http.StatusUnsupportedMediaType, ProbMediaType)
		}
	}
	raw := req.Body
	if req.IsBase64Encoded {
		// The encoded form is 4/3 of the body: check before decoding.
		if len(raw) > base64.StdEncoding.EncodedLen(maxBytes) {
			return nil, Refuse(http.StatusRequestEntityTooLarge, ProbTooLarge)
		}
		b, err := base64.StdEncoding.DecodeString(raw)
		if err != nil {
			return nil, Refuse(http.StatusBadRequest, ProbBadJSON)
		}
		raw = string(b)
	}
	if len(raw) > maxBytes {
		return nil, Refuse(http.StatusRequestEntityTooLarge, ProbTooLarge)
	}
	if strings.TrimSpace(raw) == "" {
		return nil, Refuse(http.StatusBadRequest, ProbEmptyBody)
	}
	if !json.Valid([]byte(raw)) {
		return nil, Refuse(http.StatusBadRequest, ProbBadJSON)
	}
	if nestingDepth(raw) > MaxNesting {
		return nil, Refuse(http.StatusBadRequest, ProbTooDeep)
	}
	return []byte(raw), nil
}

// MaxNesting bounds how deeply objects and arrays may nest in a body. No
// request of the contract goes deeper than 6; the schema check and the
// decoders cost the square of the depth, so a small hostile body nested
// thousands deep would otherwise burn seconds of CPU before being refused.
const MaxNesting = 32

// nestingDepth is the deepest nesting of objects and arrays in a valid JSON
// text, in one pass that skips brackets inside strings.
func nestingDepth(s string) int {
	depth, deepest, inString, escaped := 0, 0, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}

// DecodeRequest reads the body (ReadBody) and decodes it strictly
// (DecodeStrict) into v: the whole of a route without a contract check,
// which reports the decoder's first problem as a 400. Decoder messages are
// never passed on: they may quote the input.
func DecodeRequest(req events.APIGatewayV2HTTPRequest, maxBytes int, v any) *Error {
	body, err := ReadBody(req, maxBytes)
	if err != nil {
		return err
	}
	if ps := DecodeStrict(body, v); len(ps) > 0 {
		return Refuse(http.StatusBadRequest, ps...)
	}
	return nil
}

// header reads a header case-insensitively (API Gateway lower-cases them,
// other callers may not).
func header(h map[string]string, name string) string {
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// DecodeStrict decodes body into v, refusing unknown fields and anything
// after the value. encoding/json keeps going after a field of the wrong
// type or an unknown field and reports the first, so v is filled as far as
// possible and the domain checks can still run on the rest; the OpenAPI
// check reports all such problems. What the decoder alone notices (e.g. 1e2 for an integer) is
// returned as a problem.
func DecodeStrict(body []byte, v any) []Problem {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, terr := dec.Token(); !errors.Is(terr, io.EOF) {
			return []Problem{ProbBadJSON}
		}
		return nil
	}
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		return []Problem{ProbBadType.At(te.Field)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return []Problem{ProbUnknownField.At(strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`))}
	}
	// Errors of our own UnmarshalJSON methods (none on request types today)
	// or syntax errors (ruled out by json.Valid): refuse without detail.
	return []Problem{ProbBadJSON}
}

// merge keeps every contract problem and adds the domain problems about
// fields the contract did not already fault (a field, or a parent of it,
// that failed the schema would only repeat the same complaint).
func merge(contract, domain []Problem) []Problem {
	out := append([]Problem(nil), contract...)
	for _, d := range domain {
		covered := false
		for _, c := range contract {
			if c.Code == ProbUnknownField.Code {
				continue // an extra field says nothing about its siblings
			}
			if c.Field == "" || d.Field == c.Field || strings.HasPrefix(d.Field, c.Field+".") || strings.HasPrefix(d.Field, c.Field+"[") {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, d)
		}
	}
	return out
}

// nonIntegerNumbers finds number literals written with a fraction or an
// exponent (100.0, 1e2). Every number of every request body is an integer
// (fen, days), and such literals are not integers as written even when
// their value is whole: the schema check accepts them, encoding/json does
// not, so they are reported here, with their field.
func nonIntegerNumbers(body []byte) []Problem {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	var out []Problem
	var walk func(v any, path []string)
	walk = func(v any, path []string) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				walk(c, append(path[:len(path):len(path)], k))
			}
		case []any:
			for i, c := range x {
				walk(c, append(path[:len(path):len(path)], strconv.Itoa(i)))
			}
		case json.Number:
			if strings.ContainsAny(string(x), ".eE") {
				out = append(out, ProbBadType.At(pointerField(path)))
			}
		}
	}
	walk(v, nil)
	return out
}

// appendNew adds the problems whose field is not already faulted.
func appendNew(ps []Problem, more []Problem) []Problem {
	for _, m := range more {
		dup := false
		for _, p := range ps {
			dup = dup || p.Field == m.Field
		}
		if !dup {
			ps = append(ps, m)
		}
	}
	return ps
}
