package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/shared/api"
)

// The handler serves exactly the template's ReportFunction routes, each is
// in the OpenAPI contract, and only /public routes go without a token.
func TestRoutesMatchTemplateAndContract(t *testing.T) {
	tpl, err := cfn.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := api.LoadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	contract := api.OpenAPIRoutes(doc)
	var fromTemplate []string
	for _, r := range tpl.HttpRoutes() {
		if r.Function != "ReportFunction" {
			continue
		}
		fromTemplate = append(fromTemplate, r.Key())
		if public := strings.HasPrefix(r.Path, "/public/"); public == r.Auth {
			t.Errorf("%s: auth %v", r.Key(), r.Auth)
		}
		if !slices.Contains(contract, r.Key()) {
			t.Errorf("%s is not in openapi.yaml", r.Key())
		}
	}
	served := newFixture(t, NewMemory(), 1).h.RouteKeys()
	sort.Strings(served)
	sort.Strings(fromTemplate)
	if strings.Join(served, "\n") != strings.Join(fromTemplate, "\n") {
		t.Errorf("handler serves %v, template routes %v to ReportFunction", served, fromTemplate)
	}
}

// The sample event events/report-post.json is a request the handler accepts.
func TestSampleEventIsAccepted(t *testing.T) {
	b, err := os.ReadFile("../../events/report-post.json")
	if err != nil {
		t.Fatal(err)
	}
	var req events.APIGatewayV2HTTPRequest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, NewMemory(), 5)
	resp := f.do(t, req)
	if resp.StatusCode != 201 {
		t.Fatalf("sample: %d %s", resp.StatusCode, resp.Body)
	}
	c := decodeResp[Created](t, resp)
	r, err := f.store.GetReport(context.Background(), c.Receipt)
	if err != nil || !r.HasIdentity || req.RequestContext.HTTP.SourceIP == "" {
		t.Errorf("stored %+v %v", r, err)
	}
}
