package bench

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/infra/localstack"
)

// Percentile returns the p-th percentile (0–100, nearest rank) of ds in
// milliseconds.
func Percentile(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := int(math.Ceil(p/100*float64(len(s)))) - 1
	rank = max(0, min(rank, len(s)-1))
	return ms(s[rank])
}

func ms(d time.Duration) float64 { return math.Round(float64(d.Microseconds())/10) / 100 }

func round(v float64, digits int) float64 {
	f := math.Pow(10, float64(digits))
	return math.Round(v*f) / f
}

// NewTable creates a table shaped like the template's (keys, indexes; no
// stream) on endpoint and returns a client for it.
func NewTable(ctx context.Context, endpoint, name string) (*dynamodb.Client, error) {
	return newTable(ctx, endpoint, name, false)
}

// NewStreamTable is NewTable with the template's stream, for a poller.
func NewStreamTable(ctx context.Context, endpoint, name string) (*dynamodb.Client, error) {
	return newTable(ctx, endpoint, name, true)
}

func newTable(ctx context.Context, endpoint, name string, stream bool) (*dynamodb.Client, error) {
	tpl, err := cfn.LoadDefault()
	if err != nil {
		return nil, err
	}
	id, err := tpl.TableLogicalID()
	if err != nil {
		return nil, err
	}
	in, err := tpl.TableInput(id, name)
	if err != nil {
		return nil, err
	}
	// No stream: nothing polls these tables, and DynamoDB Local's stream
	// bookkeeping slows its writes down as a table grows (from about 1,000
	// to under 150 items/s past 40,000 items), which would measure the
	// emulator rather than the platform.
	if !stream {
		in.StreamSpecification = nil
	}
	client := Client(endpoint)
	if _, err := localstack.EnsureTable(ctx, client, in); err != nil {
		return nil, fmt.Errorf("table %s: %w", name, err)
	}
	return client, nil
}

// Client is a DynamoDB client for the stack's DynamoDB Local: with the
// stack's own credentials and region, since an in-memory DynamoDB Local
// keeps one database per access key and region.
func Client(endpoint string) *dynamodb.Client {
	db, _ := localstack.DynamoClients(endpoint, StackRegion)
	return db
}

// StackRegion is the region the stack gives its functions (its default).
const StackRegion = "us-east-1"
