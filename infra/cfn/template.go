// Package cfn reads template.yaml, the single source of the deployment, so
// the local stack and the tests build the same table, routes and function
// environments the cloud gets — no second copy of the schema.
package cfn

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Template is a parsed CloudFormation/SAM template. Intrinsic short forms
// (!Ref X, !GetAtt A.B, !Sub s, ...) are expanded to their long JSON forms
// ({"Ref": "X"}, {"Fn::GetAtt": ["A","B"]}, ...), so values are plain
// maps, slices and scalars.
type Template struct {
	Path      string
	Globals   map[string]any
	Resources map[string]Resource
}

// Resource is one entry of Resources.
type Resource struct {
	Type       string
	Properties map[string]any
	Metadata   map[string]any
}

// Load parses the template at path.
func Load(path string) (*Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read template: %w", err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	doc, ok := expand(&root).(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: top level is not a mapping", path)
	}
	t := &Template{Path: path, Resources: map[string]Resource{}}
	t.Globals, _ = doc["Globals"].(map[string]any)
	res, _ := doc["Resources"].(map[string]any)
	for name, v := range res {
		m, _ := v.(map[string]any)
		r := Resource{}
		r.Type, _ = m["Type"].(string)
		r.Properties, _ = m["Properties"].(map[string]any)
		r.Metadata, _ = m["Metadata"].(map[string]any)
		t.Resources[name] = r
	}
	return t, nil
}

// FindRoot walks up from the working directory to the module root (the
// folder holding go.mod), where template.yaml lives. Tests use it.
func FindRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// LoadDefault loads template.yaml from the module root.
func LoadDefault() (*Template, error) {
	root, err := FindRoot()
	if err != nil {
		return nil, err
	}
	return Load(filepath.Join(root, "template.yaml"))
}

// ResourcesOfType lists the logical ids of resources of one type, sorted.
func (t *Template) ResourcesOfType(typ string) []string {
	var out []string
	for name, r := range t.Resources {
		if r.Type == typ {
			out = append(out, name)
		}
	}
	sortStrings(out)
	return out
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// expand turns a YAML node into plain Go values, expanding intrinsic tags.
func expand(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return expand(n.Content[0])
	case yaml.AliasNode:
		return expand(n.Alias)
	}
	var v any
	switch n.Kind {
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = expand(n.Content[i+1])
		}
		v = m
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			s = append(s, expand(c))
		}
		v = s
	default:
		var x any
		if err := n.Decode(&x); err != nil || strings.HasPrefix(n.Tag, "!") {
			x = n.Value
		}
		v = x
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		name := strings.TrimPrefix(n.Tag, "!")
		switch name {
		case "Ref", "Condition":
			return map[string]any{name: v}
		case "GetAtt":
			if s, ok := v.(string); ok {
				parts := strings.SplitN(s, ".", 2)
				return map[string]any{"Fn::GetAtt": []any{parts[0], parts[len(parts)-1]}}
			}
			return map[string]any{"Fn::GetAtt": v}
		default:
			return map[string]any{"Fn::" + name: v}
		}
	}
	return v
}
