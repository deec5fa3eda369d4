package localstack

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/shared/platform"
)

// Local names of the deployment (contract).
const (
	LocalTableName = "credit-local"
	LocalAccountID = "000000000000"
	LocalStage     = "local"
	localAccessKey = "local"
	localSecretKey = "local"
)

// LocalBucketName is the local name of a bucket resource:
// DisclosureBucket → credit-disclosure-local.
func LocalBucketName(logicalID string) string {
	return "credit-" + strings.ToLower(strings.TrimSuffix(logicalID, "Bucket")) + "-local"
}

// Deployment holds what the local stack substitutes for the cloud's
// resources: names, endpoints, secrets and the clock.
type Deployment struct {
	Region         string
	DynamoEndpoint string // http://127.0.0.1:8000
	S3Endpoint     string // http://127.0.0.1:4569
	PublicBaseURL  string // http://127.0.0.1:3001
	Keys           *Keys
	ClockOffset    int64 // seconds
}

// Resolver gives every Ref and Fn::GetAtt of the template a local value.
// KMS keys resolve to "" on purpose: there is no KMS locally, and a
// function without IDENTITY_KMS_KEY uses the local sealer (contract).
func (d Deployment) Resolver(t *cfn.Template) (cfn.Resolver, error) {
	r := cfn.Resolver{Refs: map[string]string{}, Attrs: map[string]string{}}
	params, err := parameterDefaults(t.Path)
	if err != nil {
		return r, err
	}
	for k, v := range params {
		r.Refs[k] = v
	}
	r.Refs["Stage"] = LocalStage
	r.Refs["SubjectHashKey"] = d.Keys.HashKey
	for k, v := range map[string]string{
		"AWS::Region": d.Region, "AWS::AccountId": LocalAccountID, "AWS::Partition": "aws",
		"AWS::StackName": "credit-local", "AWS::StackId": "local", "AWS::URLSuffix": "amazonaws.com", "AWS::NoValue": "",
	} {
		r.Refs[k] = v
	}
	arnPrefix := func(svc string) string { return "arn:aws:" + svc + ":" + d.Region + ":" + LocalAccountID + ":" }
	for id, res := range t.Resources {
		name := "local-" + id
		arn := arnPrefix("local") + id
		switch res.Type {
		case "AWS::DynamoDB::Table":
			name = LocalTableName
			arn = arnPrefix("dynamodb") + "table/" + name
			r.Attrs[id+".StreamArn"] = arn + "/stream/local"
		case "AWS::S3::Bucket":
			name = LocalBucketName(id)
			arn = "arn:aws:s3:::" + name
			r.Attrs[id+".DomainName"] = strings.TrimPrefix(d.S3Endpoint, "http://") + "/" + name
			r.Attrs[id+".RegionalDomainName"] = r.Attrs[id+".DomainName"]
		case "AWS::KMS::Key", "AWS::KMS::Alias":
			name, arn = "", ""
			r.Attrs[id+".KeyId"] = ""
		case "AWS::SQS::Queue":
			arn = arnPrefix("sqs") + name
			r.Attrs[id+".QueueName"] = name
			r.Attrs[id+".QueueUrl"] = "http://127.0.0.1/" + LocalAccountID + "/" + name
		case "AWS::CloudFront::Distribution":
			r.Attrs[id+".DomainName"] = strings.TrimPrefix(strings.TrimPrefix(d.PublicBaseURL, "http://"), "https://")
		case "AWS::Cognito::UserPool":
			r.Attrs[id+".ProviderURL"] = LocalIssuer
		case "AWS::Cognito::UserPoolClient":
			name = LocalAudience
		}
		r.Refs[id] = name
		r.Attrs[id+".Arn"] = arn
	}
	return r, nil
}

// parameterDefaults reads Parameters.*.Default from the template file.
func parameterDefaults(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read template: %w", err)
	}
	var doc struct {
		Parameters map[string]struct {
			Default any `yaml:"Default"`
		} `yaml:"Parameters"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("template parameters: %w", err)
	}
	out := map[string]string{}
	for k, p := range doc.Parameters {
		if p.Default != nil {
			out[k] = fmt.Sprint(p.Default)
		}
	}
	return out, nil
}

// FunctionEnv is the environment a function runs with locally: what the
// template gives it (resolved to local names; variables resolving to ""
// are left out), the Lambda runtime variables, and the local-only ones
// (endpoints, static credentials, secrets, clock). It returns warnings for
// variables that could not be resolved.
func (d Deployment) FunctionEnv(f cfn.Function, r cfn.Resolver) (map[string]string, []string) {
	env := map[string]string{}
	var warnings []string
	keys := make([]string, 0, len(f.Environment))
	for k := range f.Environment {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, err := r.Resolve(f.Environment[k])
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("%s: %s left out: %v", f.LogicalID, k, err))
			continue
		}
		if v != "" {
			env[k] = v
		}
	}
	if _, ok := env[platform.EnvPublicBaseURL]; ok {
		env[platform.EnvPublicBaseURL] = d.PublicBaseURL
	}
	for k, v := range map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        f.LogicalID,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(f.MemorySize),
		"AWS_LAMBDA_FUNCTION_TIMEOUT":     strconv.Itoa(f.Timeout),
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_LOG_FORMAT":           f.LogFormat,
		"AWS_REGION":                      d.Region,
		"AWS_DEFAULT_REGION":              d.Region,
		"AWS_ACCESS_KEY_ID":               localAccessKey,
		"AWS_SECRET_ACCESS_KEY":           localSecretKey,
		"AWS_EC2_METADATA_DISABLED":       "true",
		// Keep a developer's ~/.aws profile out of the functions.
		"AWS_CONFIG_FILE":             "/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
		"AWS_ENDPOINT_URL_DYNAMODB":   d.DynamoEndpoint,
		"AWS_ENDPOINT_URL_S3":         d.S3Endpoint,
		platform.EnvS3PathStyle:       "true",
		platform.EnvLocalIdentityKey:  d.Keys.IdentityKey,
		platform.EnvHashKey:           d.Keys.HashKey,
		platform.EnvClockOffset:       strconv.FormatInt(d.ClockOffset, 10),
		"TZ":                          "UTC",
		"PATH":                        "/usr/local/bin:/usr/bin:/bin",
	} {
		if v != "" {
			env[k] = v
		}
	}
	return env, warnings
}

func envList(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}
