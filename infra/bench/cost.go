package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/policy"
	"github.com/suixian-psb/credit/shared/publish"
	"github.com/suixian-psb/credit/shared/regrade"
	"github.com/suixian-psb/credit/shared/storage"
	"github.com/suixian-psb/credit/shared/testenv"
)

// Prices are AWS list prices, us-east-1, on-demand, without free tiers,
// as published in 2025 (DynamoDB after the November 2024 on-demand price
// cut, which halved the earlier $1.25 / $0.25 per million). Change them
// here when they change.
var Prices = struct {
	Region, AsOf                       string
	DynamoWRUPerMillion                float64
	DynamoRRUPerMillion                float64
	DynamoGBMonth                      float64
	LambdaArmGBSecond                  float64
	LambdaPerMillion                   float64
	S3PutPerThousand, S3GetPerThousand float64
	HTTPAPIPerMillion                  float64
}{
	Region: "us-east-1", AsOf: "2025 list prices",
	DynamoWRUPerMillion: 0.625, DynamoRRUPerMillion: 0.125, DynamoGBMonth: 0.25,
	LambdaArmGBSecond: 0.0000133334, LambdaPerMillion: 0.20,
	S3PutPerThousand: 0.005, S3GetPerThousand: 0.0004,
	HTTPAPIPerMillion: 1.00,
}

// countingObjects counts the S3 requests the publisher makes, by pricing
// class (PUT, COPY, POST and LIST are billed as PUT-class).
type countingObjects struct {
	publish.Objects
	mu       sync.Mutex
	put, get int
}

func (c *countingObjects) count(put bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if put {
		c.put++
	} else {
		c.get++
	}
}

func (c *countingObjects) PutObject(ctx context.Context, in *s3.PutObjectInput, o ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	c.count(true)
	return c.Objects.PutObject(ctx, in, o...)
}

func (c *countingObjects) HeadObject(ctx context.Context, in *s3.HeadObjectInput, o ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	c.count(false)
	return c.Objects.HeadObject(ctx, in, o...)
}

func (c *countingObjects) DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, o ...func(*s3.Options)) (*s3.DeleteObjectOutput, error) {
	c.count(false) // DELETE is free; counted with the cheap class to stay on the safe side
	return c.Objects.DeleteObject(ctx, in, o...)
}

func (c *countingObjects) ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, o ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	c.count(true)
	return c.Objects.ListObjectsV2(ctx, in, o...)
}

// Replay is what 1,000 posted records cost in requests, replayed in this
// process with the same shared packages the functions run (the functions
// run as separate processes under the emulator, where their clients cannot
// be metered): for each record, the POST (api.Handler), the regrade the
// stream triggers (regrade.Service, one per record — batches only make it
// cheaper), the publication of a changed grade (publish.Service.Sync) and
// one GET of the subject.
type Replay struct {
	Records       int     `json:"records"`
	Subjects      int     `json:"subjects"`
	CSubjects     int     `json:"c_subjects"`
	Usage         Usage   `json:"capacity"`
	GradeChanges  int     `json:"grade_changes"`
	S3Put         int     `json:"s3_put_class"`
	S3Get         int     `json:"s3_get_class"`
	BytesPerRec   float64 `json:"table_bytes_per_record"`
	WRUPer1000    float64 `json:"wru_per_1000_records"`
	RRUPer1000    float64 `json:"rru_per_1000_records"`
	S3PutPer1000  float64 `json:"s3_put_per_1000_records"`
	S3GetPer1000  float64 `json:"s3_get_per_1000_records"`
	APIReqPer1000 float64 `json:"api_requests_per_1000_records"`
}

// MeasureReplay replays n records over subjects subjects on a fresh table
// on endpoint, with an in-process S3 server.
func MeasureReplay(ctx context.Context, endpoint string, n, subjects int) (Replay, error) {
	res := Replay{Records: n, Subjects: subjects}
	const table = "bench-cost"
	client, err := NewTable(ctx, endpoint, table)
	if err != nil {
		return res, err
	}
	m := &Metered{DynamoClient: client}
	st := storage.NewDynamo(m, table)
	clock := ClockOn("2027-03-01")
	h, err := NewHandler(st, clock, nil)
	if err != nil {
		return res, err
	}
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	defer srv.Close()
	s3c := testenv.NewS3Client(srv.URL)
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench-disclosure")}); err != nil {
		return res, err
	}
	objs := &countingObjects{Objects: s3c}
	p := policy.MustDefault()
	reg := &regrade.Service{Store: st, Policy: p, Clock: clock}
	pub := &publish.Service{Store: st, Objects: objs, Bucket: "bench-disclosure", Policy: p, Clock: clock, Logger: quietLog()}
	clerk := Claims(api.RoleClerk, Unit, "clerk1")
	// The mix: one record in ten goes to a few "heavy" subjects (4% of
	// them), whose warnings make them C and so published; the others get
	// a fine, a warning, a fine in turn, which keeps them at B.
	heavy := max(1, subjects/25)
	for i := range n {
		var code string
		var sanction map[string]any
		if i%10 == 0 || subjects <= heavy {
			code, sanction = CreditCode(55, (i/10)%heavy), Warning
		} else {
			rest := subjects - heavy
			code = CreditCode(55, heavy+i%rest)
			sanction = Fine(int64(20_000 * (i%9 + 1)))
			if (i/rest)%2 == 1 {
				sanction = Warning
			}
		}
		body := DecisionBody(code, DocNo("cost", i), fmt.Sprintf("2027-02-%02d", 1+i%27), sanction)
		resp, err := h.Handle(ctx, Request(api.RoutePostDecision, clerk, body, nil, fmt.Sprintf("cost-%d", i)))
		if err != nil || resp.StatusCode != 201 {
			return res, fmt.Errorf("replay POST %d: %d %s %v", i, resp.StatusCode, resp.Body, err)
		}
		id := domain.SubjectID(code)
		r, err := reg.Regrade(ctx, id)
		if err != nil {
			return res, err
		}
		if r.Changed {
			res.GradeChanges++
			if err := pub.Sync(ctx, []domain.SubjectID{id}); err != nil {
				return res, err
			}
		}
		resp, err = h.Handle(ctx, Request(api.RouteGetSubject, clerk, nil, map[string]string{"id": string(id)}, fmt.Sprintf("cost-get-%d", i)))
		if err != nil || resp.StatusCode != 200 {
			return res, fmt.Errorf("replay GET %d: %d %s %v", i, resp.StatusCode, resp.Body, err)
		}
	}
	res.Usage = m.Snapshot()
	cs, _, err := st.ListByLevel(ctx, domain.LevelC, storage.Page{Limit: 1000})
	if err != nil {
		return res, err
	}
	res.CSubjects = len(cs)
	res.S3Put, res.S3Get = objs.put, objs.get
	bytes, err := tableBytes(ctx, client, table)
	if err != nil {
		return res, err
	}
	res.BytesPerRec = round(float64(bytes)/float64(n), 0)
	k := 1000 / float64(n)
	res.WRUPer1000 = round(res.Usage.WriteUnits*k, 0)
	res.RRUPer1000 = round(res.Usage.ReadUnits*k, 0)
	res.S3PutPer1000 = round(float64(res.S3Put)*k, 0)
	res.S3GetPer1000 = round(float64(res.S3Get)*k, 0)
	res.APIReqPer1000 = 2000 // one POST and one GET per record
	return res, nil
}

// tableBytes sums the item sizes of the whole table (index copies not
// included: the key-only index entries are small).
func tableBytes(ctx context.Context, client *dynamodb.Client, table string) (int64, error) {
	var n int64
	in := &dynamodb.ScanInput{TableName: aws.String(table)}
	for {
		out, err := client.Scan(ctx, in)
		if err != nil {
			return n, err
		}
		for _, it := range out.Items {
			n += int64(ItemSize(it)) + 100 // DynamoDB's per-item overhead
		}
		if len(out.LastEvaluatedKey) == 0 {
			return n, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// LambdaUse is what one function costs per invocation on the emulator.
type LambdaUse struct {
	Function       string  `json:"function"`
	MemoryMB       int     `json:"memory_mb"`
	Invocations    int     `json:"invocations"`
	MeanBilledMS   float64 `json:"mean_billed_ms"`
	PerRecord      float64 `json:"invocations_per_record"`
	GBSecondsPer1k float64 `json:"gb_seconds_per_1000_records"`
}

// LambdaUsage turns the REPORT lines of the stack phases in which posted
// records were posted into per-record figures. Intake is modelled as two
// invocations per record (the POST and one GET); the stream functions as
// measured (their batches group records).
func LambdaUsage(invs []Invocation, posted int, memory map[string]int) []LambdaUse {
	type acc struct {
		n      int
		billed float64
	}
	by := map[string]*acc{}
	var order []string
	for _, inv := range invs {
		a := by[inv.Function]
		if a == nil {
			a = &acc{}
			by[inv.Function] = a
			order = append(order, inv.Function)
		}
		a.n++
		a.billed += inv.BilledMS
	}
	var out []LambdaUse
	for _, fn := range order {
		a := by[fn]
		u := LambdaUse{Function: fn, MemoryMB: memory[fn], Invocations: a.n, MeanBilledMS: round(a.billed/float64(a.n), 1)}
		switch fn {
		case "IntakeFunction":
			u.PerRecord = 2
		default:
			u.PerRecord = round(float64(a.n)/float64(posted), 3)
		}
		u.GBSecondsPer1k = round(1000*u.PerRecord*u.MeanBilledMS/1000*float64(u.MemoryMB)/1024, 3)
		out = append(out, u)
	}
	return out
}

// Scale is a deployment size.
type Scale struct {
	Name           string `json:"name"`
	Subjects       int    `json:"subjects"`
	RecordsPerYear int    `json:"records_per_year"`
}

// Scales are the two sizes the README quotes.
var Scales = []Scale{
	{Name: "county", Subjects: 20_000, RecordsPerYear: 50_000},
	{Name: "province", Subjects: 1_000_000, RecordsPerYear: 2_500_000},
}

// MonthlyCost is the bill of one month at a scale, in US dollars.
type MonthlyCost struct {
	Scale       Scale   `json:"scale"`
	RecordsMo   float64 `json:"records_per_month"`
	DynamoWrite float64 `json:"dynamodb_writes_usd"`
	DynamoRead  float64 `json:"dynamodb_reads_usd"`
	DynamoGB    float64 `json:"dynamodb_storage_gb_after_one_year"`
	DynamoStore float64 `json:"dynamodb_storage_usd"`
	Lambda      float64 `json:"lambda_usd"`
	S3          float64 `json:"s3_requests_usd"`
	API         float64 `json:"http_api_usd"`
	Total       float64 `json:"total_usd"`
}

// Monthly prices one month at sc from the measured figures: the records
// posted that month, their regrades and publications, their expiry a
// year later (as many as are posted, in a steady state) and the table as
// it stands after a year (nothing is ever deleted).
func Monthly(sc Scale, rp Replay, ex ExpiryResult, lambda []LambdaUse, expireMemMB int) MonthlyCost {
	c := MonthlyCost{Scale: sc, RecordsMo: round(float64(sc.RecordsPerYear)/12, 0)}
	k := c.RecordsMo / 1000
	perExpired := func(v float64) float64 {
		if ex.Expired == 0 {
			return 0
		}
		return v / float64(ex.Expired)
	}
	wru := rp.WRUPer1000*k + perExpired(ex.Usage.WriteUnits)*c.RecordsMo
	rru := rp.RRUPer1000*k + perExpired(ex.Usage.ReadUnits)*c.RecordsMo
	c.DynamoWrite = wru / 1e6 * Prices.DynamoWRUPerMillion
	c.DynamoRead = rru / 1e6 * Prices.DynamoRRUPerMillion
	c.DynamoGB = rp.BytesPerRec * float64(sc.RecordsPerYear) / 1e9
	c.DynamoStore = c.DynamoGB * Prices.DynamoGBMonth
	var gbs, reqs float64
	for _, u := range lambda {
		if u.Function == "ExpireFunction" || u.Function == "RegradeAllFunction" {
			continue
		}
		gbs += u.GBSecondsPer1k * k
		reqs += u.PerRecord * c.RecordsMo
	}
	// The daily expiry: 30 runs, each as long as its share of the measured
	// run time per expired record.
	if ex.Expired > 0 {
		gbs += ex.RunSeconds / float64(ex.Expired) * c.RecordsMo * float64(expireMemMB) / 1024
	}
	reqs += 30
	c.Lambda = gbs*Prices.LambdaArmGBSecond + reqs/1e6*Prices.LambdaPerMillion
	c.S3 = rp.S3PutPer1000*k/1000*Prices.S3PutPerThousand + rp.S3GetPer1000*k/1000*Prices.S3GetPerThousand
	c.API = rp.APIReqPer1000 * k / 1e6 * Prices.HTTPAPIPerMillion
	c.Total = c.DynamoWrite + c.DynamoRead + c.DynamoStore + c.Lambda + c.S3 + c.API
	for _, p := range []*float64{&c.DynamoWrite, &c.DynamoRead, &c.DynamoStore, &c.Lambda, &c.S3, &c.API, &c.Total} {
		*p = round(*p, 4)
	}
	c.DynamoGB = round(c.DynamoGB, 3)
	return c
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
