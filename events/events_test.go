// Package events holds one sample event per trigger of every function, for
// invoking a function by hand (and through the emulator in the local stack's
// tests). These tests keep the samples true to the template, the table's
// item layout and the API's rules, so they do not rot.
package events

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	lambdaevents "github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/infra/localstack"
	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
	"github.com/suixian-psb/credit/shared/regrade"
	"github.com/suixian-psb/credit/shared/storage"
)

// samples maps every file of this folder to the function it is for.
var samples = map[string]string{
	"intake-post-decision.json": "IntakeFunction",
	"intake-get-subject.json":   "IntakeFunction",
	"regrade-stream.json":       "RegradeFunction",
	"publish-stream.json":       "PublishFunction",
	"expire-schedule.json":      "ExpireFunction",
	"regradeall.json":           "RegradeAllFunction",
	"report-post.json":          "ReportFunction",
	"feed-stream.json":          "FeedFunction",
}

func template(t *testing.T) *cfn.Template {
	t.Helper()
	tpl, err := cfn.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// decodeStrict decodes a sample into v, refusing fields v does not know.
func decodeStrict(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func TestEveryFunctionHasSamplesAndEverySampleAFunction(t *testing.T) {
	files, err := filepath.Glob("*.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, ok := samples[f]; !ok {
			t.Errorf("%s: not listed in samples (say which function it is for)", f)
		}
	}
	covered := map[string]bool{}
	for f, fn := range samples {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("sample %s: %v", f, err)
		}
		covered[fn] = true
	}
	for _, f := range template(t).Functions() {
		if !covered[f.LogicalID] {
			t.Errorf("%s has no sample event in events/", f.LogicalID)
		}
	}
}

func TestHTTPSamplesMatchRoutesAndRules(t *testing.T) {
	routes := map[string]cfn.Route{}
	for _, r := range template(t).HttpRoutes() {
		routes[r.Key()] = r
	}
	for name, fn := range samples {
		if !strings.HasPrefix(name, "intake-") {
			continue
		}
		t.Run(name, func(t *testing.T) {
			var req lambdaevents.APIGatewayV2HTTPRequest
			decodeStrict(t, name, &req)
			route, ok := routes[req.RouteKey]
			if !ok || route.Function != fn {
				t.Fatalf("routeKey %q is not a route of %s", req.RouteKey, fn)
			}
			if req.Version != "2.0" || req.RequestContext.RouteKey != req.RouteKey {
				t.Errorf("version %q, context routeKey %q", req.Version, req.RequestContext.RouteKey)
			}
			// The raw path is the route's path with its parameters filled in.
			path := route.Path
			for k, v := range req.PathParameters {
				path = strings.Replace(path, "{"+k+"}", v, 1)
			}
			if path != req.RawPath || req.RequestContext.HTTP.Path != req.RawPath || req.RequestContext.HTTP.Method != route.Method {
				t.Errorf("path %q / %s %q does not fit route %s", req.RawPath, req.RequestContext.HTTP.Method, req.RequestContext.HTTP.Path, route.Key())
			}
			if route.Auth {
				a := req.RequestContext.Authorizer
				if a == nil || a.JWT == nil {
					t.Fatal("guarded route without JWT claims")
				}
				c := a.JWT.Claims
				switch c[api.ClaimRole] {
				case "clerk", "office", "auditor":
				default:
					t.Errorf("role claim %q", c[api.ClaimRole])
				}
				if c[api.ClaimUnit] == "" || c["sub"] == "" {
					t.Errorf("claims lack unit or sub: %v", c)
				}
			}
			if req.RequestContext.HTTP.Method == "POST" && req.RouteKey == "POST /v1/decisions" {
				var body api.DecisionRequest
				dec := json.NewDecoder(strings.NewReader(req.Body))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&body); err != nil {
					t.Fatalf("body: %v", err)
				}
				today := domain.DateIn(time.UnixMilli(req.RequestContext.TimeEpoch))
				v := api.Validator{Today: today, CreditCodes: identity.NewCreditCodeValidator()}
				if ps := v.Decision(body); len(ps) > 0 {
					t.Errorf("the sample decision breaks the API's rules: %v", ps)
				}
			}
			if id := req.PathParameters["id"]; id != "" && strings.HasPrefix(req.RouteKey, "GET /v1/subjects/") {
				if err := identity.NewCreditCodeValidator().Validate(id); err != nil {
					t.Errorf("subject id %q: %v", id, err)
				}
			}
		})
	}
}

func TestStreamSamplesPassTheirFilters(t *testing.T) {
	tpl := template(t)
	tests := []struct {
		file, function, entity string
	}{
		{"regrade-stream.json", "RegradeFunction", storage.EntityRecord},
		{"publish-stream.json", "PublishFunction", storage.EntityGrade},
		{"feed-stream.json", "FeedFunction", storage.EntityRecord},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			var ev lambdaevents.DynamoDBEvent
			decodeStrict(t, tc.file, &ev)
			if len(ev.Records) == 0 {
				t.Fatal("no records")
			}
			fn, err := tpl.Function(tc.function)
			if err != nil {
				t.Fatal(err)
			}
			var filters localstack.Filters
			for _, p := range fn.Streams[0].FilterPatterns {
				f, err := localstack.ParseFilter(p)
				if err != nil {
					t.Fatal(err)
				}
				filters = append(filters, f)
			}
			for _, r := range ev.Records {
				if ok, err := filters.Match(r); err != nil || !ok {
					t.Errorf("record %s would not reach %s (err %v)", r.EventID, tc.function, err)
				}
				if r.EventSource != "aws:dynamodb" || r.Change.StreamViewType != "NEW_AND_OLD_IMAGES" || r.EventSourceArn == "" {
					t.Errorf("record %s: source %q view %q arn %q", r.EventID, r.EventSource, r.Change.StreamViewType, r.EventSourceArn)
				}
				for _, img := range []map[string]lambdaevents.DynamoDBAttributeValue{r.Change.OldImage, r.Change.NewImage} {
					if img != nil {
						checkItem(t, tc.entity, img, r.Change.Keys)
					}
				}
			}
		})
	}
}

// checkItem holds a sample item to the table's layout (shared/storage): the
// keys, the copied-out attributes and the JSON document agree.
func checkItem(t *testing.T, entity string, img, keys map[string]lambdaevents.DynamoDBAttributeValue) {
	t.Helper()
	s := func(name string) string {
		v, ok := img[name]
		if !ok || v.DataType() != lambdaevents.DataTypeString {
			return ""
		}
		return v.String()
	}
	if s("PK") != keys["PK"].String() || s("SK") != keys["SK"].String() {
		t.Errorf("image keys %s/%s differ from the record keys", s("PK"), s("SK"))
	}
	if s("entity") != entity {
		t.Errorf("entity %q, want %q", s("entity"), entity)
	}
	subject := s("subject_id")
	if s("PK") != "SUBJ#"+subject {
		t.Errorf("PK %q for subject %q", s("PK"), subject)
	}
	if err := identity.NewCreditCodeValidator().Validate(subject); err != nil {
		t.Errorf("subject %q: %v", subject, err)
	}
	switch entity {
	case storage.EntityRecord:
		var rec domain.Record
		if err := json.Unmarshal([]byte(s("doc")), &rec); err != nil {
			t.Fatalf("record doc: %v", err)
		}
		if rec.ID != storage.RecordID(rec.Unit, rec.Kind, rec.DocumentNo) || s("SK") != "REC#"+rec.ID {
			t.Errorf("record id %q / SK %q do not follow storage.RecordID", rec.ID, s("SK"))
		}
		if s("kind") != string(rec.Kind) || s("status") != string(rec.Status) || string(rec.SubjectID) != subject {
			t.Errorf("copied attributes kind %q status %q differ from the doc", s("kind"), s("status"))
		}
		if rec.Status.Counts() && s("GSI1PK") != "EXPIRE" {
			t.Errorf("a counted record belongs in DueIndex, GSI1PK %q", s("GSI1PK"))
		}
	case storage.EntityGrade:
		var g domain.Grade
		if err := json.Unmarshal([]byte(s("doc")), &g); err != nil {
			t.Fatalf("grade doc: %v", err)
		}
		if s("SK") != "GRADE" || s("level") != string(g.Level) || s("GSI2PK") != "LEVEL#"+string(g.Level) || string(g.SubjectID) != subject {
			t.Errorf("grade item SK %q level %q GSI2PK %q disagree with the doc (level %s)", s("SK"), s("level"), s("GSI2PK"), g.Level)
		}
		if len(g.Reasons) == 0 && g.Level != domain.LevelUnrated {
			t.Errorf("a %s grade without reasons", g.Level)
		}
	}
}

// The schedule sample is exactly what the cloud schedule sends.
func TestScheduleSampleIsTheTemplateInput(t *testing.T) {
	fn, err := template(t).Function("ExpireFunction")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("expire-schedule.json")
	if err != nil {
		t.Fatal(err)
	}
	var sample, input any
	if err := json.Unmarshal(b, &sample); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(fn.Schedules[0].Input), &input); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sample, input) {
		t.Errorf("sample %v, schedule input %v", sample, input)
	}
}

func TestRegradeAllSampleStartsAWalk(t *testing.T) {
	var ev regrade.AllEvent
	decodeStrict(t, "regradeall.json", &ev)
	if ev.Cursor != "" {
		t.Errorf("the sample should start from the beginning, cursor %q", ev.Cursor)
	}
}
