package bench

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// DynamoClient is what storage.Dynamo (storage.DynamoAPI) and
// regrade.ScanLister call.
type DynamoClient interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	Scan(ctx context.Context, in *dynamodb.ScanInput, optFns ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Metered wraps a DynamoDB client: every call asks for
// ReturnConsumedCapacity TOTAL and the units DynamoDB (Local) reports are
// summed, reads and writes apart, with the number of items read (what each
// Query or Scan scanned, each GetItem found). On-demand tables bill exactly
// these units as read and write request units.
type Metered struct {
	DynamoClient

	mu        sync.Mutex
	ReadUnits float64
	// WriteUnits include the doubled units of transactional writes.
	WriteUnits float64
	ItemsRead  int64
	Calls      map[string]int
}

// Usage is a snapshot of a Metered client's counters.
type Usage struct {
	ReadUnits  float64        `json:"read_units"`
	WriteUnits float64        `json:"write_units"`
	ItemsRead  int64          `json:"items_read"`
	Calls      map[string]int `json:"calls"`
}

// Snapshot returns the counters so far.
func (m *Metered) Snapshot() Usage {
	m.mu.Lock()
	defer m.mu.Unlock()
	calls := map[string]int{}
	for k, v := range m.Calls {
		calls[k] = v
	}
	return Usage{ReadUnits: m.ReadUnits, WriteUnits: m.WriteUnits, ItemsRead: m.ItemsRead, Calls: calls}
}

// Reset zeroes the counters.
func (m *Metered) Reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ReadUnits, m.WriteUnits, m.ItemsRead, m.Calls = 0, 0, 0, nil
}

func (m *Metered) add(op string, read bool, items int64, cc ...types.ConsumedCapacity) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Calls == nil {
		m.Calls = map[string]int{}
	}
	m.Calls[op]++
	m.ItemsRead += items
	for _, c := range cc {
		if c.CapacityUnits == nil {
			continue
		}
		if read {
			m.ReadUnits += *c.CapacityUnits
		} else {
			m.WriteUnits += *c.CapacityUnits
		}
	}
}

func one(c *types.ConsumedCapacity) []types.ConsumedCapacity {
	if c == nil {
		return nil
	}
	return []types.ConsumedCapacity{*c}
}

func (m *Metered) GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	cp := *in
	cp.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := m.DynamoClient.GetItem(ctx, &cp, optFns...)
	if err == nil {
		var n int64
		if out.Item != nil {
			n = 1
		}
		m.add("GetItem", true, n, one(out.ConsumedCapacity)...)
	}
	return out, err
}

func (m *Metered) PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	cp := *in
	cp.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := m.DynamoClient.PutItem(ctx, &cp, optFns...)
	if err == nil {
		m.add("PutItem", false, 0, one(out.ConsumedCapacity)...)
	}
	return out, err
}

func (m *Metered) Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	cp := *in
	cp.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := m.DynamoClient.Query(ctx, &cp, optFns...)
	if err == nil {
		m.add("Query", true, int64(out.ScannedCount), one(out.ConsumedCapacity)...)
	}
	return out, err
}

func (m *Metered) Scan(ctx context.Context, in *dynamodb.ScanInput, optFns ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	cp := *in
	cp.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := m.DynamoClient.Scan(ctx, &cp, optFns...)
	if err == nil {
		m.add("Scan", true, int64(out.ScannedCount), one(out.ConsumedCapacity)...)
	}
	return out, err
}

func (m *Metered) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	cp := *in
	cp.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
	out, err := m.DynamoClient.TransactWriteItems(ctx, &cp, optFns...)
	if err == nil {
		m.add("TransactWriteItems", false, 0, out.ConsumedCapacity...)
	}
	return out, err
}
