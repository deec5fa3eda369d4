package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/storage"
)

// Store is the part of storage.Store the API uses.
type Store interface {
	PutRecord(ctx context.Context, subj domain.Subject, rec domain.Record) (domain.Record, bool, error)
	GetRecord(ctx context.Context, subject domain.SubjectID, recordID string) (domain.Record, error)
	FindByDocument(ctx context.Context, unit string, kind domain.RecordKind, documentNo string) (domain.Record, error)
	ListRecords(ctx context.Context, subject domain.SubjectID) ([]domain.Record, error)
	UpdateRecord(ctx context.Context, subject domain.SubjectID, recordID string, expectStatus domain.Status, mutate func(*domain.Record) error) (domain.Record, error)
	GetSubject(ctx context.Context, id domain.SubjectID) (domain.Subject, error)
	GetGrade(ctx context.Context, id domain.SubjectID) (domain.Grade, error)
	GradeHistory(ctx context.Context, id domain.SubjectID) ([]domain.Grade, error)
	ListByLevel(ctx context.Context, level domain.Level, p storage.Page) ([]domain.Grade, string, error)
	ListTasks(ctx context.Context, subject domain.SubjectID) ([]domain.Task, error)
}

// SubjectIDs derives the platform's subject id (identity.Hasher).
type SubjectIDs interface {
	SubjectIDFor(ref domain.SubjectRef) (domain.SubjectID, error)
}

// Config holds the handler's dependencies.
type Config struct {
	Store       Store
	Clock       domain.Clock
	Policy      *policy.Policy
	CreditCodes identity.CreditCodeValidator
	SubjectIDs  SubjectIDs
	Sealer      identity.Sealer // seals natural persons' identifiers (identity.SealIdentity)
	Logger      *slog.Logger
	// Supervision: the issue-8 routes' extra ports (supervision_deps.go).
	Supervision Supervision
	// Units names the units in the exports (the reminder register, the
	// inspection plan workbook); nil shows their codes.
	Units UnitNames
}

// UnitNames resolves a unit code to its Chinese name, or the code when it
// does not know it (*units.Registry does).
type UnitNames interface {
	NameZH(code string) string
}

// Handler serves the intake routes.
type Handler struct {
	cfg      Config
	log      *slog.Logger
	contract *contract
	routes   map[string]route
}

// route is one route key's roles and function. A function returns the
// status and body of a success, or an error that errors.go maps.
type route struct {
	roles []string
	write bool
	fn    func(ctx context.Context, c *call) (int, any, error)
}

// call is one request in progress.
type call struct {
	req       events.APIGatewayV2HTTPRequest
	actor     domain.Actor
	requestID string
	now       time.Time
	body      []byte
	// contractProblems are what the OpenAPI check found; the domain checks
	// add theirs (see merge) and every problem is reported at once.
	contractProblems []Problem
	validator        Validator
}

// Route keys, as in template.yaml and openapi.yaml.
const (
	RoutePostDecision     = "POST /v1/decisions"
	RoutePostViolation    = "POST /v1/commitment-violations"
	RoutePostListEntry    = "POST /v1/list-entries"
	RoutePostRemoval      = "POST /v1/list-entries/{id}/removal"
	RoutePostEvaluations  = "POST /v1/evaluations"
	RoutePostObservation  = "POST /v1/observations"
	RouteGetRecord        = "GET /v1/records/{id}"
	RouteListSubjects     = "GET /v1/subjects"
	RouteGetSubject       = "GET /v1/subjects/{id}"
	RouteGetSubjectRecord = "GET /v1/subjects/{id}/records"
)

// New checks the configuration and builds the handler.
func New(cfg Config) (*Handler, error) {
	switch {
	case cfg.Store == nil:
		return nil, errors.New("api: Store is required")
	case cfg.Clock == nil:
		return nil, errors.New("api: Clock is required")
	case cfg.Policy == nil:
		return nil, errors.New("api: Policy is required")
	case cfg.SubjectIDs == nil:
		return nil, errors.New("api: SubjectIDs is required")
	case cfg.Sealer == nil:
		return nil, errors.New("api: Sealer is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	c, err := newContract()
	if err != nil {
		return nil, err
	}
	h := &Handler{cfg: cfg, log: cfg.Logger, contract: c}
	writers := []string{RoleClerk, RoleOffice}
	office := []string{RoleOffice}
	h.routes = map[string]route{
		RoutePostDecision:     {writers, true, h.postDecision},
		RoutePostViolation:    {writers, true, h.postViolation},
		RoutePostListEntry:    {office, true, h.postListEntry},
		RoutePostRemoval:      {office, true, h.postRemoval},
		RoutePostEvaluations:  {office, true, h.postEvaluations},
		RoutePostObservation:  {writers, true, h.postObservation},
		RouteGetRecord:        {AllRoles, false, h.getRecord},
		RouteListSubjects:     {AllRoles, false, h.listSubjects},
		RouteGetSubject:       {AllRoles, false, h.getSubject},
		RouteGetSubjectRecord: {AllRoles, false, h.getSubjectRecords},
		// Supervision (issue 8): supervision_*.go.
		RouteGetCheck:           {AllRoles, false, h.getCheck},
		RoutePostPlan:           {office, true, h.postPlan},
		RouteGetPlan:            {AllRoles, false, h.getPlan},
		RouteExportPlan:         {[]string{RoleOffice, RoleAuditor}, false, h.exportPlan},
		RouteRedrawPlan:         {AllRoles, false, h.redrawPlan},
		RouteGetSubjectNotice:   {[]string{RoleOffice, RoleAuditor}, false, h.getSubjectNotice},
		RouteGetOfficeDashboard: {[]string{RoleOffice, RoleAuditor}, false, h.getDashboard},
	}
	for key, r := range h.officeRoutes() { // issue 7: office_routes.go
		h.routes[key] = r
	}
	for key := range h.routes {
		if _, ok := c.routes[key]; !ok {
			return nil, fmt.Errorf("api: route %q is not in openapi.yaml", key)
		}
	}
	return h, nil
}

// RouteKeys lists the routes the handler serves.
func (h *Handler) RouteKeys() []string { return slices.Collect(maps.Keys(h.routes)) }

// Handle serves one API Gateway (payload 2.0) request (Serve). It never
// returns an error to Lambda: every outcome is an HTTP response.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	requestID := req.RequestContext.RequestID
	return Serve(ctx, h.log, req,
		func() (int, any, error) { return h.serve(ctx, req, requestID) },
		func(err error) *Error { return ToError(ctx, h.log, requestID, err) }), nil
}

func (h *Handler) serve(ctx context.Context, req events.APIGatewayV2HTTPRequest, requestID string) (int, any, error) {
	r, ok := h.routes[req.RouteKey]
	if !ok {
		return 0, nil, Refuse(http.StatusNotFound, ProbNoRoute)
	}
	actor, aerr := ActorFrom(req)
	if aerr != nil {
		return 0, nil, aerr
	}
	if aerr := Allowed(actor, r.roles); aerr != nil {
		return 0, nil, aerr
	}
	now := h.cfg.Clock.Now().UTC()
	c := &call{
		req: req, actor: actor, requestID: requestID, now: now,
		validator: Validator{Today: domain.DateIn(now), CreditCodes: h.cfg.CreditCodes},
	}
	if r.write {
		body, berr := ReadBody(req, MaxBodyBytes)
		if berr != nil {
			return 0, nil, berr
		}
		c.body = body
	}
	c.contractProblems = h.contract.check(ctx, req.RouteKey, req.PathParameters, queryOf(req), c.body)
	if !r.write && len(c.contractProblems) > 0 {
		return 0, nil, ValidationError(c.contractProblems)
	}
	return r.fn(ctx, c)
}

// queryOf returns the query string: the raw one when API Gateway gives it,
// else the (comma-joined) parameter map.
func queryOf(req events.APIGatewayV2HTTPRequest) url.Values {
	if req.RawQueryString != "" {
		if q, err := url.ParseQuery(req.RawQueryString); err == nil {
			return q
		}
	}
	q := url.Values{}
	for k, v := range req.QueryStringParameters {
		q.Set(k, v)
	}
	return q
}

// decode fills v from the body and returns the decoder's problems.
func (c *call) decode(v any) []Problem { return DecodeStrict(c.body, v) }

// validated merges the contract's, the decoder's and the domain's problems;
// nil when there are none.
func (c *call) validated(decodeProblems, domainProblems []Problem) error {
	contract := appendNew(append([]Problem(nil), c.contractProblems...), nonIntegerNumbers(c.body))
	if len(contract) == 0 {
		contract = decodeProblems
	}
	all := merge(contract, domainProblems)
	if len(all) == 0 {
		return nil
	}
	return ValidationError(all)
}
