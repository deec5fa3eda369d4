package reports

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/suixian-psb/credit/shared/testenv"
)

// The reporter's identity (and the caller's IP address) must appear in
// nothing but the one reveal response: not in another response body or
// header, a log line, a table item or an S3 object. The scenario runs on
// DynamoDB Local and scans everything raw.
func TestReporterIdentityNeverLeaks(t *testing.T) {
	db, table := testenv.NewTable(t)
	f := newFixture(t, NewDynamo(db, table), 4)
	const (
		name  = "李保密"
		phone = "13912345678"
		ip    = "192.0.2.44"
	)
	secrets := []string{name, phone, ip}
	var responses []events.APIGatewayV2HTTPResponse
	do := func(req events.APIGatewayV2HTTPRequest, want int) events.APIGatewayV2HTTPResponse {
		t.Helper()
		resp := f.do(t, req)
		if resp.StatusCode != want {
			t.Fatalf("%s: status %d, want %d: %s", req.RouteKey, resp.StatusCode, want, resp.Body)
		}
		return resp
	}

	body := validBody()
	body["reporter"] = map[string]any{"name": name, "contact": phone}
	created := do(request(RoutePostReport, nil, nil, body, "", ip), 201)
	responses = append(responses, created)
	receipt := decodeResp[Created](t, created).Receipt
	p := map[string]string{"receipt": receipt}

	responses = append(responses,
		do(request(RouteReportStatus, p, nil, nil, "", ip), 200),
		do(request(RouteListReports, nil, nil, nil, "office", ""), 200),
		do(request(RouteListReports, nil, nil, nil, "auditor", ""), 200),
	)
	list := decodeResp[ReportPage](t, responses[len(responses)-1])
	if len(list.Items) != 1 || !list.Items[0].HasIdentity {
		t.Errorf("list %+v", list)
	}

	// The one response allowed to carry the identity.
	revealed := do(request(RouteReveal, p, nil, map[string]any{"reason": "需电话联系举报人补充证据"}, "office", ""), 200)
	rv := decodeResp[Revealed](t, revealed)
	if rv.Reporter.Name != name || rv.Reporter.Contact != phone || rv.Audit.By.Role != "office" || rv.Audit.RequestID == "" {
		t.Errorf("revealed %+v", rv)
	}

	responses = append(responses,
		do(request(RouteReveal, p, nil, map[string]any{"reason": "看看"}, "auditor", ""), http.StatusForbidden),
		do(request(RouteReveal, p, nil, map[string]any{"reason": "看看"}, "clerk", ""), http.StatusForbidden),
		do(request(RouteReveal, p, nil, map[string]any{"reason": ""}, "office", ""), http.StatusBadRequest),
		do(request(RouteSetStatus, p, nil, map[string]any{"status": "under_review"}, "office", ""), 200),
	)
	audits := do(request(RouteRevealAudits, p, nil, nil, "auditor", ""), 200)
	responses = append(responses, audits)
	al := decodeResp[AuditList](t, audits)
	if len(al.Reveals) != 1 || al.Reveals[0].Reason != "需电话联系举报人补充证据" || al.Reveals[0].RequestID != rv.Audit.RequestID {
		t.Errorf("audits %+v", al)
	}

	// Rate limit: the limit is 4 per minute and the source has used 2.
	responses = append(responses,
		do(request(RoutePostReport, nil, nil, body, "", ip), 201),
		do(request(RoutePostReport, nil, nil, body, "", ip), 201),
	)
	limited := do(request(RoutePostReport, nil, nil, body, "", ip), http.StatusTooManyRequests)
	if limited.Headers["Retry-After"] != "50" || errorCode(t, limited) != "rate_limited" {
		t.Errorf("429: %v %s", limited.Headers, limited.Body)
	}
	responses = append(responses, limited)
	// A malformed request that echoes nothing either.
	bad := validBody()
	bad["reporter"] = map[string]any{"name": name, "contact": phone, "extra": phone}
	f.clock.Add(RateWindow)
	responses = append(responses, do(request(RoutePostReport, nil, nil, bad, "", ip), http.StatusBadRequest))

	for i, resp := range responses {
		var all strings.Builder
		all.WriteString(resp.Body)
		for k, v := range resp.Headers {
			all.WriteString(k + ":" + v + "\n")
		}
		for k, vs := range resp.MultiValueHeaders {
			all.WriteString(k + ":" + strings.Join(vs, ",") + "\n")
		}
		all.WriteString(strings.Join(resp.Cookies, ";"))
		assertClean(t, fmt.Sprintf("response %d", i), all.String(), secrets)
	}

	logs := f.logs.String()
	if !strings.Contains(logs, "reporter identity revealed") || strings.Count(logs, "\n") < len(responses) {
		t.Errorf("the logs were not captured: %q", logs)
	}
	assertClean(t, "logs", logs, secrets)

	// Every item of the table, raw.
	items := scanAll(t, db, table)
	if len(items) < 5 { // 3 reports, 1 reveal, rate counters
		t.Errorf("only %d items", len(items))
	}
	var seenTarget bool
	for i, it := range items {
		seenTarget = seenTarget || strings.Contains(flatten(it), "某某娱乐有限公司")
		assertClean(t, fmt.Sprintf("item %d", i), flatten(it), secrets)
	}

	if !seenTarget { // the scan does see stored text
		t.Error("the scan found no report content")
	}

	// No S3 object is written by reporting; the bucket stays empty.
	s3c, bucket := testenv.S3(t)
	objs, err := s3c.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objs.Contents {
		out, err := s3c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: o.Key})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := out.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		out.Body.Close()
		assertClean(t, "object "+aws.ToString(o.Key), b.String(), secrets)
	}
}

func assertClean(t *testing.T, where, text string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("%s contains %q", where, s)
		}
	}
}

func scanAll(t *testing.T, db *dynamodb.Client, table string) []map[string]types.AttributeValue {
	t.Helper()
	var out []map[string]types.AttributeValue
	in := &dynamodb.ScanInput{TableName: aws.String(table)}
	for {
		res, err := db.Scan(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res.Items...)
		if len(res.LastEvaluatedKey) == 0 {
			return out
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// flatten writes every name and value of an item, binary values as raw
// bytes, so a search sees everything stored.
func flatten(it map[string]types.AttributeValue) string {
	var b strings.Builder
	var walk func(v types.AttributeValue)
	walk = func(v types.AttributeValue) {
		switch x := v.(type) {
		case *types.AttributeValueMemberS:
			b.WriteString(x.Value)
		case *types.AttributeValueMemberN:
			b.WriteString(x.Value)
		case *types.AttributeValueMemberB:
			b.Write(x.Value)
		case *types.AttributeValueMemberSS:
			b.WriteString(strings.Join(x.Value, "\n"))
		case *types.AttributeValueMemberNS:
			b.WriteString(strings.Join(x.Value, "\n"))
		case *types.AttributeValueMemberBS:
			for _, v := range x.Value {
				b.Write(v)
			}
		case *types.AttributeValueMemberL:
			for _, e := range x.Value {
				walk(e)
			}
		case *types.AttributeValueMemberM:
			b.WriteString(flatten(x.Value))
		}
		b.WriteByte('\n')
	}
	for k, v := range it {
		b.WriteString(k + "=")
		walk(v)
	}
	return b.String()
}
