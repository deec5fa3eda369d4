package cfn

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

const functionType = "AWS::Serverless::Function"

// Lambda's own defaults, used when neither the function nor Globals sets a
// value, so the local stack behaves as the cloud would.
const (
	defaultTimeout    = 3
	defaultMemorySize = 128
	// DynamoDB stream event source mappings.
	defaultStreamBatchSize = 100
	// Unlimited retries / record age: what AWS does when the template is
	// silent (the template's tests forbid it for our functions).
	Unbounded = -1
	// EventBridge Scheduler's retry defaults.
	defaultScheduleRetries = 185
	defaultScheduleMaxAge  = 86400
)

// Function is one AWS::Serverless::Function with the template's Globals
// applied, as the local stack needs it to run the function's bootstrap.
type Function struct {
	LogicalID string
	// Name is the folder under functions/ holding the function's main
	// package: the logical id without "Function", lower case
	// (RegradeAllFunction → regradeall).
	Name          string
	CodeURI       string
	Handler       string
	Runtime       string
	Architectures []string
	BuildMethod   string // Metadata.BuildMethod, "makefile" for ours
	Timeout       int    // seconds
	MemorySize    int    // MB
	Tracing       string // Active | PassThrough | ""
	LogFormat     string // LoggingConfig.LogFormat
	// Environment holds Globals' variables overlaid by the function's own.
	// Values are scalars or intrinsic maps ({"Ref": ...}); see Resolver.
	Environment map[string]any

	HTTPAPI   []HTTPAPIEvent
	Streams   []StreamEvent
	Schedules []ScheduleEvent
}

// Dir is the function's folder relative to the repository root.
func (f Function) Dir() string { return "functions/" + f.Name }

// HTTPAPIEvent is an event of Type HttpApi.
type HTTPAPIEvent struct {
	Name   string // the event's key under Events
	API    string // logical id of the HttpApi (ApiId); "" for the implicit API
	Method string // upper case, or ANY
	Path   string
	// AuthNone is set by Auth: {Authorizer: NONE}: the route is public even
	// when the API has a default authorizer.
	AuthNone bool
	// Authorizer names an authorizer chosen on the route itself ("" = the
	// API's default).
	Authorizer           string
	PayloadFormatVersion string // "2.0" unless the event says otherwise
}

// StreamEvent is an event of Type DynamoDB: an event source mapping on a
// table's stream.
type StreamEvent struct {
	Name string
	// Table is the logical id of the table whose stream is read, from
	// Stream: !GetAtt <Table>.StreamArn ("" when the ARN is not such a
	// reference).
	Table                          string
	StartingPosition               string
	BatchSize                      int
	MaximumBatchingWindowInSeconds int
	MaximumRetryAttempts           int // Unbounded when not set
	MaximumRecordAgeInSeconds      int // Unbounded when not set
	BisectBatchOnFunctionError     bool
	FunctionResponseTypes          []string
	// FilterPatterns are FilterCriteria.Filters[].Pattern, raw JSON; a
	// record is delivered when any of them matches; none means all records.
	FilterPatterns []string
	// OnFailure is DestinationConfig.OnFailure; nil when not set.
	OnFailure *Destination
	Enabled   bool
}

// ReportsBatchItemFailures tells whether the function may return
// batchItemFailures to retry only part of a batch.
func (s StreamEvent) ReportsBatchItemFailures() bool {
	for _, t := range s.FunctionResponseTypes {
		if t == "ReportBatchItemFailures" {
			return true
		}
	}
	return false
}

// Destination is where records or events go after the retries ran out.
type Destination struct {
	Type string // SQS | SNS | S3 ... as written; "" when only an ARN is given
	// Resource is the logical id the destination ARN refers to (Ref or
	// GetAtt), "" when it is a literal ARN.
	Resource string
	ARN      any // raw value
}

// ScheduleEvent is an event of Type ScheduleV2 (EventBridge Scheduler).
type ScheduleEvent struct {
	Name                       string
	ScheduleExpression         string
	ScheduleExpressionTimezone string // "" = UTC
	Input                      string // JSON delivered as the event; "" = none
	State                      string // ENABLED | DISABLED
	MaximumRetryAttempts       int
	MaximumEventAgeInSeconds   int
	DeadLetter                 *Destination
}

// Functions lists the template's functions sorted by logical id.
func (t *Template) Functions() []Function {
	globals := fnMap(t.Globals["Function"])
	var out []Function
	for _, id := range t.ResourcesOfType(functionType) {
		out = append(out, t.function(id, globals))
	}
	return out
}

// Function returns one function by logical id.
func (t *Template) Function(logicalID string) (Function, error) {
	r, ok := t.Resources[logicalID]
	if !ok || r.Type != functionType {
		return Function{}, fmt.Errorf("%s: no %s named %s", t.Path, functionType, logicalID)
	}
	return t.function(logicalID, fnMap(t.Globals["Function"])), nil
}

func (t *Template) function(id string, globals map[string]any) Function {
	r := t.Resources[id]
	p := r.Properties
	// setting returns the function's own value, else the Globals one.
	setting := func(key string) any {
		if v, ok := p[key]; ok {
			return v
		}
		return globals[key]
	}
	f := Function{
		LogicalID:     id,
		Name:          strings.ToLower(strings.TrimSuffix(id, "Function")),
		CodeURI:       fnString(setting("CodeUri")),
		Handler:       fnString(setting("Handler")),
		Runtime:       fnString(setting("Runtime")),
		Architectures: fnStrings(setting("Architectures")),
		BuildMethod:   fnString(r.Metadata["BuildMethod"]),
		Timeout:       fnInt(setting("Timeout"), defaultTimeout),
		MemorySize:    fnInt(setting("MemorySize"), defaultMemorySize),
		Tracing:       fnString(setting("Tracing")),
		Environment:   map[string]any{},
	}
	if len(f.Architectures) == 0 {
		f.Architectures = []string{"x86_64"}
	}
	// LoggingConfig and Environment.Variables are maps: SAM merges them key
	// by key, the function's keys winning.
	logging := fnMerge(fnMap(globals["LoggingConfig"]), fnMap(p["LoggingConfig"]))
	f.LogFormat = fnString(logging["LogFormat"])
	for k, v := range fnMap(fnMap(globals["Environment"])["Variables"]) {
		f.Environment[k] = v
	}
	for k, v := range fnMap(fnMap(p["Environment"])["Variables"]) {
		f.Environment[k] = v
	}

	events := fnMap(p["Events"])
	names := make([]string, 0, len(events))
	for name := range events {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ev := fnMap(events[name])
		props := fnMap(ev["Properties"])
		switch fnString(ev["Type"]) {
		case "HttpApi":
			f.HTTPAPI = append(f.HTTPAPI, httpAPIEvent(name, props))
		case "DynamoDB":
			f.Streams = append(f.Streams, streamEvent(name, props))
		case "ScheduleV2":
			f.Schedules = append(f.Schedules, scheduleEvent(name, props))
		}
	}
	return f
}

func httpAPIEvent(name string, p map[string]any) HTTPAPIEvent {
	e := HTTPAPIEvent{
		Name:                 name,
		API:                  refTarget(p["ApiId"]),
		Method:               strings.ToUpper(fnString(p["Method"])),
		Path:                 fnString(p["Path"]),
		PayloadFormatVersion: fnString(p["PayloadFormatVersion"]),
	}
	if e.PayloadFormatVersion == "" {
		e.PayloadFormatVersion = "2.0"
	}
	if e.Method == "" {
		e.Method = "ANY"
	}
	if e.Path == "" {
		e.Path = "/"
	}
	if a := fnString(fnMap(p["Auth"])["Authorizer"]); a == "NONE" {
		e.AuthNone = true
	} else {
		e.Authorizer = a
	}
	return e
}

func streamEvent(name string, p map[string]any) StreamEvent {
	s := StreamEvent{
		Name:                           name,
		Table:                          refTarget(p["Stream"]),
		StartingPosition:               fnString(p["StartingPosition"]),
		BatchSize:                      fnInt(p["BatchSize"], defaultStreamBatchSize),
		MaximumBatchingWindowInSeconds: fnInt(p["MaximumBatchingWindowInSeconds"], 0),
		MaximumRetryAttempts:           fnInt(p["MaximumRetryAttempts"], Unbounded),
		MaximumRecordAgeInSeconds:      fnInt(p["MaximumRecordAgeInSeconds"], Unbounded),
		BisectBatchOnFunctionError:     fnBool(p["BisectBatchOnFunctionError"], false),
		FunctionResponseTypes:          fnStrings(p["FunctionResponseTypes"]),
		Enabled:                        fnBool(p["Enabled"], true),
	}
	for _, f := range fnSlice(fnMap(p["FilterCriteria"])["Filters"]) {
		switch pat := fnMap(f)["Pattern"].(type) {
		case string:
			s.FilterPatterns = append(s.FilterPatterns, pat)
		case map[string]any:
			// A pattern written as YAML rather than a JSON string.
			b, err := json.Marshal(pat)
			if err == nil {
				s.FilterPatterns = append(s.FilterPatterns, string(b))
			}
		}
	}
	if of, ok := fnMap(p["DestinationConfig"])["OnFailure"].(map[string]any); ok {
		s.OnFailure = &Destination{
			Type:     fnString(of["Type"]),
			Resource: refTarget(of["Destination"]),
			ARN:      of["Destination"],
		}
	}
	return s
}

func scheduleEvent(name string, p map[string]any) ScheduleEvent {
	retry := fnMap(p["RetryPolicy"])
	s := ScheduleEvent{
		Name:                       name,
		ScheduleExpression:         fnString(p["ScheduleExpression"]),
		ScheduleExpressionTimezone: fnString(p["ScheduleExpressionTimezone"]),
		Input:                      fnString(p["Input"]),
		State:                      fnString(p["State"]),
		MaximumRetryAttempts:       fnInt(retry["MaximumRetryAttempts"], defaultScheduleRetries),
		MaximumEventAgeInSeconds:   fnInt(retry["MaximumEventAgeInSeconds"], defaultScheduleMaxAge),
	}
	if s.State == "" {
		s.State = "ENABLED"
	}
	if dl, ok := p["DeadLetterConfig"].(map[string]any); ok {
		d := &Destination{Type: fnString(dl["Type"]), ARN: dl["Arn"], Resource: refTarget(dl["Arn"])}
		if d.Type == "" && d.ARN != nil {
			d.Type = "SQS" // Scheduler dead-letter queues are SQS queues
		}
		s.DeadLetter = d
	}
	return s
}

// refTarget is the logical id a Ref or Fn::GetAtt points at.
func refTarget(v any) string {
	m := fnMap(v)
	if r, ok := m["Ref"].(string); ok {
		return r
	}
	if ga, ok := m["Fn::GetAtt"].([]any); ok && len(ga) > 0 {
		return fnString(ga[0])
	}
	return ""
}

func fnMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func fnSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func fnMerge(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

func fnString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int, int64, float64, bool:
		return fmt.Sprint(x)
	}
	return ""
}

func fnStrings(v any) []string {
	var out []string
	for _, x := range fnSlice(v) {
		out = append(out, fnString(x))
	}
	return out
}

func fnInt(v any, def int) int {
	switch x := v.(type) {
	case int:
		return x
	case int64:
		return int(x)
	case float64:
		return int(x)
	case string:
		if n, err := strconv.Atoi(x); err == nil {
			return n
		}
	}
	return def
}

func fnBool(v any, def bool) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		if b, err := strconv.ParseBool(x); err == nil {
			return b
		}
	}
	return def
}
