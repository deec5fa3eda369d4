package bench

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// BatchClient is what Loader writes with.
type BatchClient interface {
	BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// Loader fills an empty table fast for a measurement: given to
// storage.NewDynamo, it turns each PutRecord transaction (document guard,
// record, subject profile) into plain puts of the very same items, sent by
// concurrent writers in BatchWriteItem calls of 25. The items are exactly
// what the store writes; only the transaction's conditions are dropped,
// which is sound for a fresh table and distinct documents. Close waits for
// every write.
type Loader struct {
	Client  BatchClient
	Writers int // concurrent BatchWriteItem callers (default 4)

	once  sync.Once
	ch    chan types.WriteRequest
	wg    sync.WaitGroup
	mu    sync.Mutex
	err   error
	n     int
	table string // named by the first transaction
}

func (l *Loader) start() {
	l.once.Do(func() {
		w := l.Writers
		if w <= 0 {
			w = 4
		}
		l.ch = make(chan types.WriteRequest, 25*w*4)
		for range w {
			l.wg.Add(1)
			go l.writer()
		}
	})
}

func (l *Loader) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	return l.Client.GetItem(ctx, in, o...)
}

func (l *Loader) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	return l.Client.PutItem(ctx, in, o...)
}

func (l *Loader) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	return l.Client.Query(ctx, in, o...)
}

// TransactWriteItems queues the transaction's items as puts.
func (l *Loader) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, _ ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	l.start()
	if err := l.Err(); err != nil {
		return nil, err
	}
	for _, ti := range in.TransactItems {
		var table string
		var it map[string]types.AttributeValue
		switch {
		case ti.Put != nil:
			table, it = aws.ToString(ti.Put.TableName), ti.Put.Item
		case ti.Update != nil:
			var err error
			table = aws.ToString(ti.Update.TableName)
			if it, err = updateAsItem(ti.Update); err != nil {
				return nil, err
			}
		default:
			return nil, errors.New("loader: only Put and Update transaction items are supported")
		}
		l.mu.Lock()
		l.table = table
		l.mu.Unlock()
		l.ch <- types.WriteRequest{PutRequest: &types.PutRequest{Item: it}}
	}
	return &dynamodb.TransactWriteItemsOutput{}, nil
}

// updateAsItem turns a "SET #a = if_not_exists(#a, :a), ..." update (the
// subject profile) into the item it creates on an empty table.
func updateAsItem(u *types.Update) (map[string]types.AttributeValue, error) {
	it := map[string]types.AttributeValue{}
	for k, v := range u.Key {
		it[k] = v
	}
	for ph, name := range u.ExpressionAttributeNames {
		v, ok := u.ExpressionAttributeValues[":"+strings.TrimPrefix(ph, "#")]
		if !ok {
			return nil, fmt.Errorf("loader: update of %s has no value for %s", name, ph)
		}
		it[name] = v
	}
	return it, nil
}

func (l *Loader) writer() {
	defer l.wg.Done()
	batch := make([]types.WriteRequest, 0, 25)
	keys := map[string]int{}
	flush := func() {
		if len(batch) == 0 {
			return
		}
		if err := l.write(batch); err != nil {
			l.fail(err)
		}
		batch = batch[:0]
		clear(keys)
	}
	for {
		select {
		case wr, ok := <-l.ch:
			if !ok {
				flush()
				return
			}
			k := itemKey(wr.PutRequest.Item)
			if i, dup := keys[k]; dup { // the same profile twice: keep the last
				batch[i] = wr
				continue
			}
			keys[k] = len(batch)
			batch = append(batch, wr)
			if len(batch) == 25 {
				flush()
			}
		case <-time.After(50 * time.Millisecond):
			flush()
		}
	}
}

func itemKey(it map[string]types.AttributeValue) string {
	pk, _ := it["PK"].(*types.AttributeValueMemberS)
	sk, _ := it["SK"].(*types.AttributeValueMemberS)
	if pk == nil || sk == nil {
		return ""
	}
	return pk.Value + "\x00" + sk.Value
}

func (l *Loader) write(batch []types.WriteRequest) error {
	l.mu.Lock()
	table := l.table
	l.mu.Unlock()
	reqs := append([]types.WriteRequest(nil), batch...)
	for attempt := 0; len(reqs) > 0; attempt++ {
		if attempt > 20 {
			return fmt.Errorf("loader: %d items still unprocessed after 20 attempts", len(reqs))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		out, err := l.Client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs}})
		cancel()
		if err != nil {
			return fmt.Errorf("loader: batch write: %w", err)
		}
		l.mu.Lock()
		l.n += len(reqs) - len(out.UnprocessedItems[table])
		l.mu.Unlock()
		reqs = out.UnprocessedItems[table]
		if len(reqs) > 0 {
			time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond)
		}
	}
	return nil
}

func (l *Loader) fail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.err = err
	}
}

// Err is the first write error, if any.
func (l *Loader) Err() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Close waits until every queued item is written and returns how many
// items were written.
func (l *Loader) Close() (int, error) {
	l.start()
	close(l.ch)
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n, l.err
}
