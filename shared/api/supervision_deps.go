package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"sync"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
	"github.com/suixian-psb/credit/shared/storage"
)

// Route keys of the supervision routes (issue 8: the grade drives what
// officers do), as in template.yaml and openapi.yaml.
const (
	RouteGetCheck           = "GET /v1/checks"
	RoutePostPlan           = "POST /v1/inspection-plans"
	RouteGetPlan            = "GET /v1/inspection-plans/{id}"
	RouteExportPlan         = "GET /v1/inspection-plans/{id}/export"
	RouteRedrawPlan         = "POST /v1/inspection-plans/{id}/redraw"
	RouteGetSubjectNotice   = "GET /v1/subjects/{id}/notice"
	RouteGetOfficeDashboard = "GET /v1/dashboard"
)

// DefaultIssuer signs grade-change notices.
const DefaultIssuer = "睢县公安局"

// Supervision holds what the supervision routes need besides Config.Store.
// Every store field may be left nil when Config.Store implements it itself
// (storage.Memory and storage.Dynamo implement all of them).
type Supervision struct {
	// Plans keeps the random inspection plans.
	Plans storage.PlanStore
	// Tasks lists open reminder tasks for the dashboard.
	Tasks OpenTaskLister
	// Objections lists open objections for the dashboard; when neither this
	// nor the store provides it, the dashboard shows none.
	Objections OpenObjectionLister
	// Pages receives each new plan's public summary page; nil skips it
	// (tests and tools without a disclosure bucket).
	Pages PagePutter
	// Seeds is read for a plan's seed when the request gives none;
	// crypto/rand when nil.
	Seeds io.Reader
	// Issuer signs notices (DefaultIssuer when empty).
	Issuer string
	// PublicBaseURL is where the disclosure site is served; the summary
	// page's public address is given in the plan response when set.
	PublicBaseURL string
}

// OpenTaskLister lists open reminder tasks by due date (storage.Store).
type OpenTaskLister interface {
	ListOpenTasks(ctx context.Context, p storage.Page) ([]domain.Task, string, error)
}

// OpenObjectionLister lists open objections by verification deadline
// (storage.OfficeStore).
type OpenObjectionLister interface {
	ListOpenObjections(ctx context.Context, deadlineBefore domain.Date, p storage.Page) ([]model.Objection, string, error)
}

// PagePutter writes one public page to the disclosure bucket.
type PagePutter interface {
	PutPage(ctx context.Context, key string, body []byte, contentType string) error
}

// S3PutObjectAPI is the part of *s3.Client S3Pages uses.
type S3PutObjectAPI interface {
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// S3Pages puts pages into a bucket (the disclosure bucket in the intake
// function; its policy allows plans/* only).
type S3Pages struct {
	Client S3PutObjectAPI
	Bucket string
}

// PutPage writes body under key, briefly cacheable like the other pages.
func (p S3Pages) PutPage(ctx context.Context, key string, body []byte, contentType string) error {
	_, err := p.Client.PutObject(ctx, &s3.PutObjectInput{
		Bucket:       aws.String(p.Bucket),
		Key:          aws.String(key),
		Body:         bytes.NewReader(body),
		ContentType:  aws.String(contentType),
		CacheControl: aws.String("public, max-age=60"),
	})
	if err != nil {
		return fmt.Errorf("put page %s: %w", key, err)
	}
	return nil
}

// plans, tasks and objections return the configured port, else the store
// when it implements it.
func (h *Handler) plans() (storage.PlanStore, error) {
	if p := h.cfg.Supervision.Plans; p != nil {
		return p, nil
	}
	if p, ok := h.cfg.Store.(storage.PlanStore); ok {
		return p, nil
	}
	return nil, fmt.Errorf("api: no plan store configured")
}

func (h *Handler) openTasks() (OpenTaskLister, error) {
	if t := h.cfg.Supervision.Tasks; t != nil {
		return t, nil
	}
	if t, ok := h.cfg.Store.(OpenTaskLister); ok {
		return t, nil
	}
	return nil, fmt.Errorf("api: no open-task listing configured")
}

func (h *Handler) openObjections() OpenObjectionLister {
	if o := h.cfg.Supervision.Objections; o != nil {
		return o
	}
	o, _ := h.cfg.Store.(OpenObjectionLister)
	return o
}

func (h *Handler) issuer() string {
	if h.cfg.Supervision.Issuer != "" {
		return h.cfg.Supervision.Issuer
	}
	return DefaultIssuer
}

// rawBody is a success that is not JSON: an HTML page, plain text or a
// workbook. Handle sends it as it is (binary bodies base64-encoded, as API
// Gateway expects).
type rawBody struct {
	contentType string
	body        []byte
	binary      bool
	headers     map[string]string
}

func (r rawBody) response(status int) events.APIGatewayV2HTTPResponse {
	headers := map[string]string{
		"Content-Type":           r.contentType,
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
	}
	for k, v := range r.headers {
		headers[k] = v
	}
	resp := events.APIGatewayV2HTTPResponse{StatusCode: status, Headers: headers}
	if r.binary {
		resp.Body = base64.StdEncoding.EncodeToString(r.body)
		resp.IsBase64Encoded = true
	} else {
		resp.Body = string(r.body)
	}
	return resp
}

// htmlPage is an HTML success. The pages are self-contained (inline CSS
// and SVG, no script), which the policy header states.
func htmlPage(b []byte) rawBody {
	return rawBody{
		contentType: "text/html; charset=utf-8", body: b,
		headers: map[string]string{"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"},
	}
}

// parallel runs fn(i) for i in [0, n), at most workers at a time, and
// returns the errors by index (the callers decide which ones matter).
func parallel(n, workers int, fn func(i int) error) []error {
	errs := make([]error, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				errs[i] = fn(i)
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return errs
}
