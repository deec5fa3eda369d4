package cfn

import (
	"fmt"
	"sort"
	"strings"
)

// Resolver gives intrinsic functions the values they take in one
// deployment — the local stack fills it with local names ("credit-local",
// a local URL), so a function gets the environment the template gives it
// with the local stack's values.
type Resolver struct {
	// Refs answers Ref X and ${X}: logical ids, parameters and pseudo
	// parameters (AWS::Region, AWS::AccountId, AWS::Partition, ...).
	Refs map[string]string
	// Attrs answers Fn::GetAtt [X, A] and ${X.A}, keyed "X.A".
	Attrs map[string]string
}

// Resolve turns a template value (scalar or intrinsic) into a string. An
// unknown name or an unsupported intrinsic is an error, so a function is
// never started with a half-resolved environment.
func (r Resolver) Resolve(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int, int64, float64, bool:
		return fmt.Sprint(x), nil
	case map[string]any:
		if len(x) != 1 {
			return "", fmt.Errorf("not an intrinsic function: %v", x)
		}
		for fn, arg := range x {
			return r.intrinsic(fn, arg)
		}
	}
	return "", fmt.Errorf("cannot resolve %T %v", v, v)
}

func (r Resolver) intrinsic(fn string, arg any) (string, error) {
	switch fn {
	case "Ref":
		return r.ref(fnString(arg))
	case "Fn::GetAtt":
		parts := fnStrings(arg)
		if len(parts) != 2 {
			return "", fmt.Errorf("Fn::GetAtt %v: want [LogicalId, Attribute]", arg)
		}
		return r.attr(parts[0] + "." + parts[1])
	case "Fn::Sub":
		switch a := arg.(type) {
		case string:
			return r.sub(a, nil)
		case []any:
			if len(a) != 2 {
				return "", fmt.Errorf("Fn::Sub: want [string, {variables}]")
			}
			vars := map[string]string{}
			for k, v := range fnMap(a[1]) {
				s, err := r.Resolve(v)
				if err != nil {
					return "", fmt.Errorf("Fn::Sub variable %s: %w", k, err)
				}
				vars[k] = s
			}
			return r.sub(fnString(a[0]), vars)
		}
	case "Fn::Join":
		a := fnSlice(arg)
		if len(a) != 2 {
			return "", fmt.Errorf("Fn::Join: want [delimiter, [values]]")
		}
		var parts []string
		for _, v := range fnSlice(a[1]) {
			s, err := r.Resolve(v)
			if err != nil {
				return "", fmt.Errorf("Fn::Join: %w", err)
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, fnString(a[0])), nil
	}
	return "", fmt.Errorf("unsupported intrinsic %s", fn)
}

func (r Resolver) ref(name string) (string, error) {
	if v, ok := r.Refs[name]; ok {
		return v, nil
	}
	return "", fmt.Errorf("no local value for Ref %s", name)
}

func (r Resolver) attr(name string) (string, error) {
	if v, ok := r.Attrs[name]; ok {
		return v, nil
	}
	return "", fmt.Errorf("no local value for Fn::GetAtt %s", name)
}

// sub expands ${Name} and ${Name.Attr}; ${!Literal} stays as ${Literal}.
func (r Resolver) sub(s string, vars map[string]string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		j := strings.Index(s[i:], "}")
		if j < 0 {
			return "", fmt.Errorf("Fn::Sub %q: unclosed ${", s)
		}
		b.WriteString(s[:i])
		name := s[i+2 : i+j]
		s = s[i+j+1:]
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		var v string
		var err error
		switch val, ok := vars[name]; {
		case ok:
			v = val
		case strings.Contains(name, ".") && !strings.HasPrefix(name, "AWS::"):
			v, err = r.attr(name)
		default:
			v, err = r.ref(name)
		}
		if err != nil {
			return "", fmt.Errorf("Fn::Sub: %w", err)
		}
		b.WriteString(v)
	}
}

// ResolveEnvironment resolves every environment variable of f.
func (f Function) ResolveEnvironment(r Resolver) (map[string]string, error) {
	keys := make([]string, 0, len(f.Environment))
	for k := range f.Environment {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		v, err := r.Resolve(f.Environment[k])
		if err != nil {
			return nil, fmt.Errorf("%s environment %s: %w", f.LogicalID, k, err)
		}
		out[k] = v
	}
	return out, nil
}
