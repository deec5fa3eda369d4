package localstack

import (
	"testing"

	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/shared/platform"
)

func TestFunctionEnvFromTheTemplate(t *testing.T) {
	tpl, err := cfn.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	dep := Deployment{
		Region: "us-east-1", DynamoEndpoint: "http://127.0.0.1:8000", S3Endpoint: "http://127.0.0.1:4569",
		PublicBaseURL: "http://127.0.0.1:3001", Keys: &Keys{IdentityKey: "aa", HashKey: "bb"}, ClockOffset: 86400,
	}
	r, err := dep.Resolver(tpl)
	if err != nil {
		t.Fatal(err)
	}
	envs := map[string]map[string]string{}
	for _, f := range tpl.Functions() {
		env, warns := dep.FunctionEnv(f, r)
		if len(warns) > 0 {
			t.Errorf("%s: unresolved variables: %v", f.LogicalID, warns)
		}
		envs[f.LogicalID] = env
	}
	cases := []struct {
		function, key, want string
	}{
		{"IntakeFunction", platform.EnvTableName, LocalTableName},
		{"IntakeFunction", platform.EnvIdentityKeyID, ""}, // no KMS locally: the local sealer is used
		{"IntakeFunction", platform.EnvLocalIdentityKey, "aa"},
		{"IntakeFunction", platform.EnvHashKey, "bb"},
		{"IntakeFunction", platform.EnvPublicBaseURL, "http://127.0.0.1:3001"},
		{"IntakeFunction", platform.EnvClockOffset, "86400"},
		{"IntakeFunction", "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000"},
		{"IntakeFunction", "AWS_LAMBDA_FUNCTION_NAME", "IntakeFunction"},
		{"PublishFunction", platform.EnvDisclosureBucket, "credit-disclosure-local"},
		{"PublishFunction", platform.EnvExchangeBucket, "credit-exchange-local"},
		{"PublishFunction", "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:4569"},
		{"PublishFunction", platform.EnvS3PathStyle, "true"},
		{"RegradeFunction", platform.EnvTableName, LocalTableName},
		{"RegradeFunction", "AWS_LAMBDA_FUNCTION_TIMEOUT", "60"},
	}
	for _, c := range cases {
		t.Run(c.function+"/"+c.key, func(t *testing.T) {
			env, ok := envs[c.function]
			if !ok {
				t.Skipf("%s is not in template.yaml yet", c.function)
			}
			got, set := env[c.key]
			if c.want == "" && set {
				t.Fatalf("%s should not be set locally, got %q", c.key, got)
			}
			if got != c.want {
				t.Fatalf("%s = %q, want %q", c.key, got, c.want)
			}
		})
	}
}
