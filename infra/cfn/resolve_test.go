package cfn

import (
	"reflect"
	"testing"
)

func TestResolver(t *testing.T) {
	r := Resolver{
		Refs: map[string]string{
			"Table":       "credit-local",
			"AWS::Region": "cn-north-1",
			"Stage":       "prod",
		},
		Attrs: map[string]string{
			"Dist.DomainName": "127.0.0.1:3001",
			"Key.Arn":         "arn:local:key",
		},
	}
	tests := []struct {
		name    string
		in      any
		want    string
		wantErr bool
	}{
		{"literal", "x", "x", false},
		{"number", 42, "42", false},
		{"ref", map[string]any{"Ref": "Table"}, "credit-local", false},
		{"getatt", map[string]any{"Fn::GetAtt": []any{"Key", "Arn"}}, "arn:local:key", false},
		{"sub attr", map[string]any{"Fn::Sub": "http://${Dist.DomainName}/p"}, "http://127.0.0.1:3001/p", false},
		{"sub pseudo", map[string]any{"Fn::Sub": "credit-${Stage}-${AWS::Region}"}, "credit-prod-cn-north-1", false},
		{"sub escaped", map[string]any{"Fn::Sub": "${!Literal}-${Stage}"}, "${Literal}-prod", false},
		{"sub vars", map[string]any{"Fn::Sub": []any{"${A}/${Table}", map[string]any{"A": map[string]any{"Ref": "Stage"}}}}, "prod/credit-local", false},
		{"join", map[string]any{"Fn::Join": []any{":", []any{"a", map[string]any{"Ref": "Stage"}}}}, "a:prod", false},
		{"unknown ref", map[string]any{"Ref": "Nope"}, "", true},
		{"unknown attr", map[string]any{"Fn::GetAtt": []any{"Nope", "Arn"}}, "", true},
		{"unknown in sub", map[string]any{"Fn::Sub": "${Nope.Arn}"}, "", true},
		{"unclosed sub", map[string]any{"Fn::Sub": "${Stage"}, "", true},
		{"unsupported", map[string]any{"Fn::If": []any{"C", "a", "b"}}, "", true},
		{"list", []any{"a"}, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := r.Resolve(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestResolveEnvironmentOfTemplateFunctions(t *testing.T) {
	tpl := mustDefault(t)
	r := Resolver{
		Refs: map[string]string{
			"CreditTable": "credit-local", "DisclosureBucket": "credit-disclosure-local",
			"ExchangeBucket": "credit-exchange-local", "SubjectHashKey": "local-hash-key",
		},
		Attrs: map[string]string{"IdentityKey.Arn": "arn:local", "PublicDistribution.DomainName": "127.0.0.1:3001"},
	}
	f, err := tpl.Function("PublishFunction")
	if err != nil {
		t.Fatal(err)
	}
	env, err := f.ResolveEnvironment(r)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"TABLE_NAME":        "credit-local",
		"DISCLOSURE_BUCKET": "credit-disclosure-local",
		"EXCHANGE_BUCKET":   "credit-exchange-local",
		"PUBLIC_BASE_URL":   "https://127.0.0.1:3001",
	}
	if !reflect.DeepEqual(env, want) {
		t.Errorf("env %v, want %v", env, want)
	}
	delete(r.Refs, "CreditTable")
	if _, err := f.ResolveEnvironment(r); err == nil {
		t.Error("want an error when a variable cannot be resolved")
	}
}
