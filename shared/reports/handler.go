package reports

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
)

// Route keys, as in template.yaml and shared/api/openapi.yaml.
const (
	RoutePostReport   = "POST /public/reports"
	RouteReportStatus = "GET /public/reports/{receipt}"
	RouteListReports  = "GET /v1/reports"
	RouteReveal       = "POST /v1/reports/{receipt}/reveal"
	RouteRevealAudits = "GET /v1/reports/{receipt}/audit"
	RouteSetStatus    = "POST /v1/reports/{receipt}/status"
)

// MaxBodyBytes bounds a request body of these routes.
const MaxBodyBytes = 64 << 10

// DefaultRateLimit is how many public requests one source may make per
// minute (posts and status lookups together).
const DefaultRateLimit = 10

// Config holds the handler's dependencies.
type Config struct {
	Store       Store
	Rate        RateCounter
	Sealer      identity.Sealer // purpose identity.PurposeReporterIdentity
	Clock       domain.Clock
	CreditCodes identity.CreditCodeValidator
	// SourceKey is the secret of the keyed hash of callers' IP addresses
	// (SUBJECT_HASH_KEY).
	SourceKey []byte
	// RateLimit per source and minute; DefaultRateLimit when zero.
	RateLimit int
	Logger    *slog.Logger
	// Random feeds receipts; crypto/rand when nil.
	Random io.Reader
}

// Handler serves the report routes (ReportFunction).
type Handler struct {
	cfg    Config
	log    *slog.Logger
	routes map[string]route
}

type route struct {
	public bool
	roles  []string // for /v1 routes
	fn     func(ctx context.Context, c *call) (int, any, error)
}

// call is one request in progress.
type call struct {
	req       events.APIGatewayV2HTTPRequest
	actor     domain.Actor // zero on public routes
	requestID string
	now       time.Time
}

func New(cfg Config) (*Handler, error) {
	switch {
	case cfg.Store == nil:
		return nil, errors.New("reports: Store is required")
	case cfg.Rate == nil:
		return nil, errors.New("reports: Rate is required")
	case cfg.Sealer == nil:
		return nil, errors.New("reports: Sealer is required")
	case cfg.Clock == nil:
		return nil, errors.New("reports: Clock is required")
	case len(cfg.SourceKey) < 32:
		return nil, errors.New("reports: SourceKey of at least 32 bytes is required")
	}
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = DefaultRateLimit
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	h := &Handler{cfg: cfg, log: cfg.Logger}
	office := []string{api.RoleOffice}
	readers := []string{api.RoleOffice, api.RoleAuditor}
	h.routes = map[string]route{
		RoutePostReport:   {public: true, fn: h.postReport},
		RouteReportStatus: {public: true, fn: h.reportStatus},
		RouteListReports:  {roles: readers, fn: h.listReports},
		RouteReveal:       {roles: office, fn: h.reveal},
		RouteRevealAudits: {roles: readers, fn: h.revealAudits},
		RouteSetStatus:    {roles: office, fn: h.setStatus},
	}
	return h, nil
}

// RouteKeys lists the routes the handler serves.
func (h *Handler) RouteKeys() []string { return slices.Collect(maps.Keys(h.routes)) }

// Handle serves one API Gateway (payload 2.0) request as every platform
// route is served (api.Serve); every outcome is an HTTP response. The log
// line names the route and status, never the body, the caller's address or
// anyone's identity.
func (h *Handler) Handle(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	requestID := req.RequestContext.RequestID
	return api.Serve(ctx, h.log, req,
		func() (int, any, error) { return h.serve(ctx, req, requestID) },
		func(err error) *api.Error { return h.toError(ctx, requestID, err) }), nil
}

func (h *Handler) serve(ctx context.Context, req events.APIGatewayV2HTTPRequest, requestID string) (int, any, error) {
	r, ok := h.routes[req.RouteKey]
	if !ok {
		return 0, nil, api.Refuse(http.StatusNotFound, api.ProbNoRoute)
	}
	c := &call{req: req, requestID: requestID, now: h.cfg.Clock.Now().UTC()}
	if r.public {
		if err := h.limit(ctx, req, c.now); err != nil {
			return 0, nil, err
		}
	} else {
		actor, aerr := api.ActorFrom(req)
		if aerr != nil {
			return 0, nil, aerr
		}
		if aerr := api.Allowed(actor, r.roles); aerr != nil {
			return 0, nil, aerr
		}
		c.actor = actor
	}
	return r.fn(ctx, c)
}

// limit counts the request against its source's window: 429 with
// Retry-After once the source has used the minute's allowance.
func (h *Handler) limit(ctx context.Context, req events.APIGatewayV2HTTPRequest, now time.Time) error {
	ip := req.RequestContext.HTTP.SourceIP
	if ip == "" {
		ip = "unknown" // every caller without an address shares one allowance
	}
	start, retryAfter := window(now)
	ok, err := h.cfg.Rate.Take(ctx, sourceHash(h.cfg.SourceKey, ip), start, h.cfg.RateLimit, start.Add(RateWindow+counterLifetime))
	if err != nil {
		return fmt.Errorf("rate limit: %w", err)
	}
	if !ok {
		return &api.Error{Status: http.StatusTooManyRequests, Problems: []api.Problem{probRateLimited}, RetryAfter: retryAfter}
	}
	return nil
}

// toError maps a route's error to the answer: a missing or concurrently
// changed report in the reports' own words, everything else as every
// platform route does (api.ToError: refusals as they are, cursor 400, 503,
// a 500 logged with the request id). Our errors never carry an identity:
// the sealer's and this package's messages are constants.
func (h *Handler) toError(ctx context.Context, requestID string, err error) *api.Error {
	switch {
	case errors.Is(err, ErrNotFound):
		return api.Refuse(http.StatusNotFound, probNotFound)
	case errors.Is(err, ErrStale):
		return api.Refuse(http.StatusConflict, probStale)
	}
	return api.ToError(ctx, h.log, requestID, err)
}
