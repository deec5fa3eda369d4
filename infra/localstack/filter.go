package localstack

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// Filter is one Lambda event-filtering pattern (FilterCriteria.Filters[].
// Pattern). Lambda delivers a record when ANY filter of the list matches;
// a pattern matches when EVERY key in it matches the record's JSON form;
// a key's list of matchers matches when ANY matcher matches the field (or,
// for a field holding an array, any element of it).
type Filter struct {
	pattern map[string]any
}

// ParseFilter parses a pattern as written in the template.
func ParseFilter(pattern string) (Filter, error) {
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(pattern))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return Filter{}, fmt.Errorf("filter pattern %q: %w", pattern, err)
	}
	if err := validatePattern(m); err != nil {
		return Filter{}, fmt.Errorf("filter pattern %q: %w", pattern, err)
	}
	return Filter{pattern: m}, nil
}

// Filters is FilterCriteria: none means every record passes.
type Filters []Filter

// Match reports whether the event (any JSON-marshalable value, e.g. an
// events.DynamoDBEventRecord) passes the filters.
func (fs Filters) Match(event any) (bool, error) {
	if len(fs) == 0 {
		return true, nil
	}
	b, err := json.Marshal(event)
	if err != nil {
		return false, fmt.Errorf("filter: marshal event: %w", err)
	}
	var doc map[string]any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return false, fmt.Errorf("filter: decode event: %w", err)
	}
	for _, f := range fs {
		if matchObject(f.pattern, doc) {
			return true, nil
		}
	}
	return false, nil
}

func validatePattern(p map[string]any) error {
	for k, v := range p {
		switch x := v.(type) {
		case map[string]any:
			if err := validatePattern(x); err != nil {
				return fmt.Errorf("%s.%w", k, err)
			}
		case []any:
			for _, m := range x {
				if op, ok := m.(map[string]any); ok {
					if len(op) != 1 {
						return fmt.Errorf("%s: a matcher object has exactly one operator", k)
					}
					for name := range op {
						switch name {
						case "prefix", "suffix", "exists", "anything-but", "numeric", "equals-ignore-case":
						default:
							return fmt.Errorf("%s: unsupported operator %q", k, name)
						}
					}
				}
			}
		default:
			return fmt.Errorf("%s: a pattern value must be an object or an array of matchers", k)
		}
	}
	return nil
}

// matchObject: every key of the pattern must match the event's field.
func matchObject(p map[string]any, doc map[string]any) bool {
	for k, pv := range p {
		val, present := doc[k]
		switch x := pv.(type) {
		case map[string]any:
			sub, ok := val.(map[string]any)
			if !ok {
				// A nested pattern on a missing field can still match when
				// it only asks for absence.
				if !present && onlyAbsence(x) {
					continue
				}
				return false
			}
			if !matchObject(x, sub) {
				return false
			}
		case []any:
			if !matchList(x, val, present) {
				return false
			}
		}
	}
	return true
}

func onlyAbsence(p map[string]any) bool {
	for _, v := range p {
		switch x := v.(type) {
		case map[string]any:
			if !onlyAbsence(x) {
				return false
			}
		case []any:
			if !matchList(x, nil, false) {
				return false
			}
		}
	}
	return true
}

// matchList: any matcher matches the field (any element when it is an array).
func matchList(matchers []any, val any, present bool) bool {
	for _, m := range matchers {
		if op, ok := m.(map[string]any); ok {
			if e, ok := op["exists"]; ok {
				want, _ := e.(bool)
				if want == (present && !isEmptyArray(val)) {
					return true
				}
				continue
			}
		}
		if !present {
			continue
		}
		if arr, ok := val.([]any); ok {
			for _, el := range arr {
				if matchOne(m, el) {
					return true
				}
			}
			continue
		}
		if matchOne(m, val) {
			return true
		}
	}
	return false
}

func isEmptyArray(v any) bool {
	a, ok := v.([]any)
	return ok && len(a) == 0
}

// matchOne applies one matcher to one scalar value.
func matchOne(m any, v any) bool {
	switch x := m.(type) {
	case nil:
		return v == nil
	case string:
		s, ok := v.(string)
		return ok && s == x
	case bool:
		b, ok := v.(bool)
		return ok && b == x
	case json.Number:
		return numberEqual(x, v)
	case map[string]any:
		for name, arg := range x {
			switch name {
			case "prefix":
				p, _ := arg.(string)
				s, ok := v.(string)
				return ok && strings.HasPrefix(s, p)
			case "suffix":
				p, _ := arg.(string)
				s, ok := v.(string)
				return ok && strings.HasSuffix(s, p)
			case "equals-ignore-case":
				p, _ := arg.(string)
				s, ok := v.(string)
				return ok && strings.EqualFold(s, p)
			case "anything-but":
				return anythingBut(arg, v)
			case "numeric":
				return numeric(arg, v)
			}
		}
	}
	return false
}

// anythingBut matches any value other than the listed ones (or, for the
// {"prefix": p} form, any string not starting with p).
func anythingBut(arg any, v any) bool {
	switch a := arg.(type) {
	case []any:
		for _, e := range a {
			if matchOne(e, v) {
				return false
			}
		}
		return true
	case map[string]any:
		if p, ok := a["prefix"].(string); ok {
			s, isStr := v.(string)
			return isStr && !strings.HasPrefix(s, p)
		}
		if p, ok := a["suffix"].(string); ok {
			s, isStr := v.(string)
			return isStr && !strings.HasSuffix(s, p)
		}
		return false
	default:
		return !matchOne(a, v)
	}
}

func numberEqual(n json.Number, v any) bool {
	a, err := n.Float64()
	if err != nil {
		return false
	}
	b, ok := toFloat(v)
	return ok && a == b
}

// toFloat reads a JSON number. Strings are not numbers (Lambda does not
// coerce DynamoDB's {"N": "5"} strings either).
func toFloat(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil && !math.IsNaN(f)
}

// numeric evaluates [op, n] or [op1, n1, op2, n2] comparisons.
func numeric(arg any, v any) bool {
	ops, ok := arg.([]any)
	f, isNum := toFloat(v)
	if !ok || !isNum || len(ops)%2 != 0 || len(ops) == 0 {
		return false
	}
	for i := 0; i < len(ops); i += 2 {
		op, _ := ops[i].(string)
		bound, ok := toFloat(ops[i+1])
		if !ok {
			return false
		}
		var r bool
		switch op {
		case "=":
			r = f == bound
		case "<":
			r = f < bound
		case "<=":
			r = f <= bound
		case ">":
			r = f > bound
		case ">=":
			r = f >= bound
		default:
			return false
		}
		if !r {
			return false
		}
	}
	return true
}
