package cfn

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func loadYAML(t *testing.T, src string) *Template {
	t.Helper()
	path := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	tpl, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func mustDefault(t *testing.T) *Template {
	t.Helper()
	tpl, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

const syntheticTemplate = `
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: provided.al2023
    Handler: bootstrap
    Timeout: 30
    LoggingConfig:
      LogFormat: JSON
    Environment:
      Variables:
        TABLE_NAME: !Ref Table
        SHARED: from-globals
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Dlq:
    Type: AWS::SQS::Queue
  MinimalFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: .
      Events:
        Stream:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Table.StreamArn
            StartingPosition: LATEST
        Tick:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: rate(1 hour)
  TunedFunction:
    Type: AWS::Serverless::Function
    Metadata:
      BuildMethod: makefile
    Properties:
      CodeUri: .
      Timeout: 90
      MemorySize: 512
      Architectures: [arm64]
      Environment:
        Variables:
          SHARED: overridden
          URL: !Sub https://${Dist.DomainName}/x
      Events:
        Changes:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt Table.StreamArn
            StartingPosition: TRIM_HORIZON
            BatchSize: 7
            MaximumRetryAttempts: 2
            MaximumRecordAgeInSeconds: 600
            BisectBatchOnFunctionError: true
            FunctionResponseTypes: [ReportBatchItemFailures]
            DestinationConfig:
              OnFailure:
                Type: SQS
                Destination: !GetAtt Dlq.Arn
            FilterCriteria:
              Filters:
                - Pattern: '{"eventName": ["INSERT"]}'
                - Pattern:
                    eventName: [REMOVE]
        Daily:
          Type: ScheduleV2
          Properties:
            ScheduleExpression: cron(0 1 * * ? *)
            ScheduleExpressionTimezone: Asia/Shanghai
            Input: '{"max_items": 5}'
            RetryPolicy:
              MaximumRetryAttempts: 1
              MaximumEventAgeInSeconds: 120
            DeadLetterConfig:
              Arn: !GetAtt Dlq.Arn
        Get:
          Type: HttpApi
          Properties:
            Method: get
            Path: /things/{id}
`

func TestFunctionsFromSyntheticTemplate(t *testing.T) {
	fns := loadYAML(t, syntheticTemplate).Functions()
	if len(fns) != 2 || fns[0].LogicalID != "MinimalFunction" || fns[1].LogicalID != "TunedFunction" {
		t.Fatalf("functions not listed in logical-id order: %+v", fns)
	}
	minimal, tuned := fns[0], fns[1]

	tests := []struct {
		name string
		got  any
		want any
	}{
		{"name from logical id", tuned.Name, "tuned"},
		{"dir", tuned.Dir(), "functions/tuned"},
		{"globals runtime", minimal.Runtime, "provided.al2023"},
		{"globals handler", minimal.Handler, "bootstrap"},
		{"globals timeout", minimal.Timeout, 30},
		{"own timeout wins", tuned.Timeout, 90},
		{"lambda default memory", minimal.MemorySize, 128},
		{"own memory", tuned.MemorySize, 512},
		{"default architecture", minimal.Architectures, []string{"x86_64"}},
		{"own architecture", tuned.Architectures, []string{"arm64"}},
		{"build method", tuned.BuildMethod, "makefile"},
		{"no build method", minimal.BuildMethod, ""},
		{"globals logging", tuned.LogFormat, "JSON"},
		{"globals env kept", tuned.Environment["TABLE_NAME"], map[string]any{"Ref": "Table"}},
		{"function env wins", tuned.Environment["SHARED"], "overridden"},
		{"globals env alone", minimal.Environment["SHARED"], "from-globals"},
		{"minimal env size", len(minimal.Environment), 2},

		{"stream table", tuned.Streams[0].Table, "Table"},
		{"stream batch", tuned.Streams[0].BatchSize, 7},
		{"stream retries", tuned.Streams[0].MaximumRetryAttempts, 2},
		{"stream age", tuned.Streams[0].MaximumRecordAgeInSeconds, 600},
		{"stream bisect", tuned.Streams[0].BisectBatchOnFunctionError, true},
		{"stream partial failures", tuned.Streams[0].ReportsBatchItemFailures(), true},
		{"stream filters (JSON and YAML)", tuned.Streams[0].FilterPatterns, []string{`{"eventName": ["INSERT"]}`, `{"eventName":["REMOVE"]}`}},
		{"stream on failure", *tuned.Streams[0].OnFailure, Destination{Type: "SQS", Resource: "Dlq", ARN: map[string]any{"Fn::GetAtt": []any{"Dlq", "Arn"}}}},
		{"stream enabled by default", tuned.Streams[0].Enabled, true},
		{"AWS default batch", minimal.Streams[0].BatchSize, 100},
		{"AWS default retries", minimal.Streams[0].MaximumRetryAttempts, Unbounded},
		{"AWS default age", minimal.Streams[0].MaximumRecordAgeInSeconds, Unbounded},
		{"no partial failures", minimal.Streams[0].ReportsBatchItemFailures(), false},
		{"no destination", minimal.Streams[0].OnFailure == nil, true},
		{"no filters", len(minimal.Streams[0].FilterPatterns), 0},

		{"schedule expression", tuned.Schedules[0].ScheduleExpression, "cron(0 1 * * ? *)"},
		{"schedule zone", tuned.Schedules[0].ScheduleExpressionTimezone, "Asia/Shanghai"},
		{"schedule input", tuned.Schedules[0].Input, `{"max_items": 5}`},
		{"schedule retries", tuned.Schedules[0].MaximumRetryAttempts, 1},
		{"schedule age", tuned.Schedules[0].MaximumEventAgeInSeconds, 120},
		{"schedule dead letter", tuned.Schedules[0].DeadLetter.Resource, "Dlq"},
		{"schedule state default", tuned.Schedules[0].State, "ENABLED"},
		{"scheduler default retries", minimal.Schedules[0].MaximumRetryAttempts, 185},
		{"scheduler default age", minimal.Schedules[0].MaximumEventAgeInSeconds, 86400},

		{"http method upper-cased", tuned.HTTPAPI[0].Method, "GET"},
		{"http path", tuned.HTTPAPI[0].Path, "/things/{id}"},
		{"http payload default", tuned.HTTPAPI[0].PayloadFormatVersion, "2.0"},
		{"http implicit api", tuned.HTTPAPI[0].API, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Errorf("got %#v, want %#v", tc.got, tc.want)
			}
		})
	}
}

func TestFunctionByLogicalID(t *testing.T) {
	tpl := loadYAML(t, syntheticTemplate)
	if f, err := tpl.Function("TunedFunction"); err != nil || f.Timeout != 90 {
		t.Errorf("Function(TunedFunction) = %+v, %v", f, err)
	}
	for _, id := range []string{"Table", "NoSuchFunction"} {
		if _, err := tpl.Function(id); err == nil {
			t.Errorf("Function(%s): want an error", id)
		}
	}
}

// The contract: every function, its folder, its trigger and the
// environment variables it reads.
var contractFunctions = []struct {
	id      string
	name    string
	env     []string
	http    bool
	streams int
	sched   int
}{
	{"IntakeFunction", "intake", []string{"TABLE_NAME", "IDENTITY_KMS_KEY", "SUBJECT_HASH_KEY", "PUBLIC_BASE_URL", "DISCLOSURE_BUCKET"}, true, 0, 0},
	{"RegradeFunction", "regrade", []string{"TABLE_NAME"}, false, 1, 0},
	{"PublishFunction", "publish", []string{"TABLE_NAME", "DISCLOSURE_BUCKET", "EXCHANGE_BUCKET", "PUBLIC_BASE_URL"}, false, 1, 0},
	{"ExpireFunction", "expire", []string{"TABLE_NAME"}, false, 0, 1},
	{"RegradeAllFunction", "regradeall", []string{"TABLE_NAME"}, false, 0, 0},
}

func TestTemplateFunctionsFollowContract(t *testing.T) {
	tpl := mustDefault(t)
	byID := map[string]Function{}
	for _, f := range tpl.Functions() {
		byID[f.LogicalID] = f
	}
	for _, c := range contractFunctions {
		t.Run(c.id, func(t *testing.T) {
			f, ok := byID[c.id]
			if !ok {
				t.Fatalf("%s missing from template.yaml", c.id)
			}
			if f.Name != c.name {
				t.Errorf("folder name %q, want %q", f.Name, c.name)
			}
			if f.Runtime != "provided.al2023" || f.Handler != "bootstrap" || !reflect.DeepEqual(f.Architectures, []string{"arm64"}) {
				t.Errorf("runtime %q handler %q arch %v, want provided.al2023 bootstrap [arm64]", f.Runtime, f.Handler, f.Architectures)
			}
			if f.BuildMethod != "makefile" || f.CodeURI != "." {
				t.Errorf("BuildMethod %q CodeUri %q, want makefile and the module root", f.BuildMethod, f.CodeURI)
			}
			if f.Tracing != "Active" || f.LogFormat != "JSON" {
				t.Errorf("tracing %q log format %q, want Active and JSON", f.Tracing, f.LogFormat)
			}
			if f.MemorySize != 256 || f.Timeout < 10 || f.Timeout > 900 {
				t.Errorf("memory %d timeout %d", f.MemorySize, f.Timeout)
			}
			var env []string
			for k := range f.Environment {
				env = append(env, k)
			}
			if !sameSet(env, c.env) {
				t.Errorf("environment %v, want exactly %v", env, c.env)
			}
			if (len(f.HTTPAPI) > 0) != c.http || len(f.Streams) != c.streams || len(f.Schedules) != c.sched {
				t.Errorf("events: http %d streams %d schedules %d", len(f.HTTPAPI), len(f.Streams), len(f.Schedules))
			}
		})
	}
}

// No function may see a clock override or local-only setting in the cloud.
func TestTemplateSetsNoLocalOnlyVariables(t *testing.T) {
	for _, f := range mustDefault(t).Functions() {
		for _, k := range []string{"LOCAL_CLOCK_OFFSET_SECONDS", "LOCAL_IDENTITY_KEY", "S3_FORCE_PATH_STYLE"} {
			if _, ok := f.Environment[k]; ok {
				t.Errorf("%s sets %s, which exists only in the local stack", f.LogicalID, k)
			}
		}
	}
}

func TestStreamEventsAreBoundedAndFiltered(t *testing.T) {
	tpl := mustDefault(t)
	table, err := tpl.TableLogicalID()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range tpl.Functions() {
		for _, s := range f.Streams {
			n++
			t.Run(f.LogicalID+"/"+s.Name, func(t *testing.T) {
				if s.Table != table {
					t.Errorf("reads the stream of %q, want %q", s.Table, table)
				}
				if s.StartingPosition != "TRIM_HORIZON" {
					t.Errorf("StartingPosition %q: a new mapping must not skip records", s.StartingPosition)
				}
				if !s.ReportsBatchItemFailures() {
					t.Error("FunctionResponseTypes lacks ReportBatchItemFailures")
				}
				if !s.BisectBatchOnFunctionError {
					t.Error("BisectBatchOnFunctionError is off")
				}
				if s.MaximumRetryAttempts < 0 || s.MaximumRetryAttempts > 10 {
					t.Errorf("MaximumRetryAttempts %d: must be bounded (0..10)", s.MaximumRetryAttempts)
				}
				if s.MaximumRecordAgeInSeconds < 60 || s.MaximumRecordAgeInSeconds > 86400 {
					t.Errorf("MaximumRecordAgeInSeconds %d: must be bounded (60..86400)", s.MaximumRecordAgeInSeconds)
				}
				if s.BatchSize < 1 || s.BatchSize > 100 {
					t.Errorf("BatchSize %d", s.BatchSize)
				}
				// Type SQS is what makes SAM grant sqs:SendMessage to the role.
				if s.OnFailure == nil || s.OnFailure.Type != "SQS" || tpl.Resources[s.OnFailure.Resource].Type != "AWS::SQS::Queue" {
					t.Errorf("on-failure destination %+v: want Type SQS pointing at a queue of this template", s.OnFailure)
				}
				if len(s.FilterPatterns) == 0 {
					t.Error("no FilterCriteria: the function would see every write to the table")
				}
				for _, p := range s.FilterPatterns {
					var m map[string]any
					if err := json.Unmarshal([]byte(p), &m); err != nil {
						t.Errorf("pattern %s is not a JSON object: %v", p, err)
					}
				}
			})
		}
	}
	if n < 2 {
		t.Errorf("found %d stream events, want the regrade and publish ones", n)
	}
}

func TestStreamFiltersSelectTheirEntity(t *testing.T) {
	tpl := mustDefault(t)
	rec := func(event, entity string) map[string]any {
		img := map[string]any{"entity": map[string]any{"S": entity}, "PK": map[string]any{"S": "SUBJ#x"}}
		d := map[string]any{"Keys": map[string]any{"PK": map[string]any{"S": "SUBJ#x"}}}
		if event != "INSERT" {
			d["OldImage"] = img
		}
		if event != "REMOVE" {
			d["NewImage"] = img
		}
		return map[string]any{"eventName": event, "eventSource": "aws:dynamodb", "dynamodb": d}
	}
	tests := []struct {
		name     string
		function string
		record   map[string]any
		want     bool
	}{
		{"regrade sees a new record", "RegradeFunction", rec("INSERT", "record"), true},
		{"regrade sees a record status change", "RegradeFunction", rec("MODIFY", "record"), true},
		{"regrade ignores grades", "RegradeFunction", rec("MODIFY", "grade"), false},
		{"regrade ignores its own tasks", "RegradeFunction", rec("INSERT", "task"), false},
		{"regrade ignores profiles", "RegradeFunction", rec("INSERT", "subject"), false},
		{"publish sees a new grade", "PublishFunction", rec("INSERT", "grade"), true},
		{"publish sees a changed grade", "PublishFunction", rec("MODIFY", "grade"), true},
		{"publish sees a removed grade", "PublishFunction", rec("REMOVE", "grade"), true},
		{"publish ignores records", "PublishFunction", rec("INSERT", "record"), false},
		{"publish ignores grade history", "PublishFunction", rec("INSERT", "grade_history"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := tpl.Function(tc.function)
			if err != nil {
				t.Fatal(err)
			}
			if got := anyPatternMatches(t, f.Streams[0].FilterPatterns, tc.record); got != tc.want {
				t.Errorf("delivered = %v, want %v (patterns %v)", got, tc.want, f.Streams[0].FilterPatterns)
			}
		})
	}
}

func TestExpiryScheduleRunsInShanghai(t *testing.T) {
	tpl := mustDefault(t)
	f, err := tpl.Function("ExpireFunction")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Schedules) != 1 {
		t.Fatalf("want one schedule, got %+v", f.Schedules)
	}
	s := f.Schedules[0]
	if s.ScheduleExpression != "cron(10 0 * * ? *)" || s.ScheduleExpressionTimezone != "Asia/Shanghai" {
		t.Errorf("schedule %q in %q, want cron(10 0 * * ? *) in Asia/Shanghai", s.ScheduleExpression, s.ScheduleExpressionTimezone)
	}
	if s.State != "ENABLED" {
		t.Errorf("state %q", s.State)
	}
	if s.MaximumRetryAttempts > 10 || s.MaximumEventAgeInSeconds > 6*3600 {
		t.Errorf("retry policy %d attempts / %d s: a tick must not be retried into the next day", s.MaximumRetryAttempts, s.MaximumEventAgeInSeconds)
	}
	if s.DeadLetter == nil || tpl.Resources[s.DeadLetter.Resource].Type != "AWS::SQS::Queue" {
		t.Errorf("dead letter %+v: want a queue of this template", s.DeadLetter)
	}
	var in map[string]any
	if err := json.Unmarshal([]byte(s.Input), &in); err != nil {
		t.Errorf("Input %q is not a JSON object: %v", s.Input, err)
	}
	if _, ok := in["through"]; ok {
		t.Error("the cloud schedule must not pass a date: the function reads its clock")
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		seen[x]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

// anyPatternMatches evaluates Lambda event-filter patterns made of nested
// objects and lists of exact values — all this template uses; anything else
// fails the test so a richer pattern gets a richer check.
func anyPatternMatches(t *testing.T, patterns []string, record map[string]any) bool {
	t.Helper()
	for _, p := range patterns {
		var m map[string]any
		if err := json.Unmarshal([]byte(p), &m); err != nil {
			t.Fatalf("pattern %s: %v", p, err)
		}
		if patternMatches(t, m, record) {
			return true
		}
	}
	return false
}

func patternMatches(t *testing.T, pattern map[string]any, value map[string]any) bool {
	for k, want := range pattern {
		got, present := value[k]
		switch w := want.(type) {
		case map[string]any:
			sub, ok := got.(map[string]any)
			if !present || !ok || !patternMatches(t, w, sub) {
				return false
			}
		case []any:
			if !present {
				return false
			}
			hit := false
			for _, x := range w {
				if _, ok := x.(map[string]any); ok {
					t.Fatalf("content filter %v not supported by this check", x)
				}
				if x == got {
					hit = true
				}
			}
			if !hit {
				return false
			}
		default:
			t.Fatalf("pattern value %v: want an object or a list", want)
		}
	}
	return true
}
