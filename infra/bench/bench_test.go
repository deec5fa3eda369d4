package bench

import (
	"math"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestParseReport(t *testing.T) {
	cases := []struct {
		name string
		line string
		want Invocation
		ok   bool
	}{
		{"stack line with init", "[IntakeFunction] REPORT RequestId: 1f\tInit Duration: 4.21 ms\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 256 MB\t",
			Invocation{Function: "IntakeFunction", InitMS: 4.21, DurationMS: 12.5, BilledMS: 13, MemoryMB: 256}, true},
		{"bare emulator line", "REPORT RequestId: x\tDuration: 0.70 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\t",
			Invocation{DurationMS: 0.7, BilledMS: 1, MemoryMB: 128}, true},
		{"other output", `[RegradeFunction] {"level":"INFO","message":"regraded"}`, Invocation{}, false},
		{"END line", "[RegradeFunction] END RequestId: x", Invocation{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := ParseReport(c.line)
			if ok != c.ok || got != c.want {
				t.Fatalf("ParseReport = %+v, %v; want %+v, %v", got, ok, c.want, c.ok)
			}
		})
	}
}

func TestReportsSplitsWrites(t *testing.T) {
	r := &Reports{}
	for _, part := range []string{"[A] REPORT RequestId: 1\tDura", "tion: 2.00 ms\tBilled Duration: 2 ms\n[B] noise\n", "[B] REPORT RequestId: 2\tDuration: 1.00 ms\n"} {
		if _, err := r.Write([]byte(part)); err != nil {
			t.Fatal(err)
		}
	}
	all := r.All()
	if len(all) != 2 || all[0].Function != "A" || all[0].DurationMS != 2 || all[1].Function != "B" {
		t.Fatalf("got %+v", all)
	}
	if got := r.Since(1); len(got) != 1 || got[0].Function != "B" {
		t.Fatalf("Since(1) = %+v", got)
	}
}

func TestParseGradingBench(t *testing.T) {
	out := []byte(`goos: linux
BenchmarkGrade/records=1-2         	  912345	      1252 ns/op	    798910 subjects/s	     160 B/op	       2 allocs/op
BenchmarkGrade/records=100-2       	    3984	    299134 ns/op	      3343 subjects/s	   20480 B/op	     148 allocs/op
PASS
`)
	got, err := ParseGradingBench(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []GradingResult{{Records: 1, SubjectsPerSec: 798910, NsPerOp: 1252, AllocsPerOp: 2}, {Records: 100, SubjectsPerSec: 3343, NsPerOp: 299134, AllocsPerOp: 148}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if _, err := ParseGradingBench([]byte("FAIL\n")); err == nil {
		t.Fatal("no benchmark lines must be an error")
	}
}

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- { // unsorted on purpose
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	cases := []struct {
		p    float64
		want float64
	}{{50, 50}, {99, 99}, {100, 100}, {1, 1}}
	for _, c := range cases {
		if got := Percentile(ds, c.p); got != c.want {
			t.Errorf("p%.0f = %v, want %v", c.p, got, c.want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("empty input")
	}
}

func TestUpdateAsItem(t *testing.T) {
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	u := &types.Update{
		Key:                       map[string]types.AttributeValue{"PK": s("SUBJ#1"), "SK": s("PROFILE")},
		UpdateExpression:          aws.String("SET #e = if_not_exists(#e, :e), #d = if_not_exists(#d, :d)"),
		ExpressionAttributeNames:  map[string]string{"#e": "entity", "#d": "doc"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":e": s("subject"), ":d": s("{}")},
	}
	it, err := updateAsItem(u)
	if err != nil {
		t.Fatal(err)
	}
	if len(it) != 4 || it["entity"].(*types.AttributeValueMemberS).Value != "subject" || it["PK"].(*types.AttributeValueMemberS).Value != "SUBJ#1" {
		t.Fatalf("item %+v", it)
	}
	u.ExpressionAttributeValues = nil
	if _, err := updateAsItem(u); err == nil {
		t.Fatal("a name without its value must be an error")
	}
}

func TestMonthlyScalesWithVolume(t *testing.T) {
	rp := Replay{WRUPer1000: 15000, RRUPer1000: 11000, S3PutPer1000: 900, S3GetPer1000: 6000, APIReqPer1000: 2000, BytesPerRec: 2800}
	ex := ExpiryResult{Expired: 100, RunSeconds: 1, Usage: Usage{ReadUnits: 500, WriteUnits: 800}}
	lambda := []LambdaUse{{Function: "IntakeFunction", MemoryMB: 256, PerRecord: 2, MeanBilledMS: 30, GBSecondsPer1k: 15}}
	county := Monthly(Scales[0], rp, ex, lambda, 256)
	province := Monthly(Scales[1], rp, ex, lambda, 256)
	// Everything but the 30 daily expiry invocations is proportional to
	// the records.
	if r := province.DynamoWrite / county.DynamoWrite; math.Abs(r-50) > 0.1 {
		t.Errorf("writes scale ×%.2f, want ×50", r)
	}
	if county.Total <= 0 || province.Total <= 49*county.Total {
		t.Errorf("county $%.4f, province $%.4f", county.Total, province.Total)
	}
	// Hand check of the county's writes: 50,000/12 records × (15 + 8) WRU.
	want := 50_000.0 / 12 * (15 + 8) / 1e6 * Prices.DynamoWRUPerMillion
	if math.Abs(county.DynamoWrite-want) > 0.001 {
		t.Errorf("county writes $%.4f, want $%.4f", county.DynamoWrite, want)
	}
}
