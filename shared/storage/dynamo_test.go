package storage

import (
	"context"
	"errors"
	"net"
	"reflect"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/testenv"
)

// flakyAPI answers the first `conflicts` transactions with a
// TransactionConflict cancellation, and can hide the old item of a failed
// condition, as a real DynamoDB may not return it.
type flakyAPI struct {
	DynamoAPI
	conflicts atomic.Int32
	hideItem  bool
	calls     atomic.Int32
}

func (f *flakyAPI) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	f.calls.Add(1)
	if f.conflicts.Add(-1) >= 0 {
		reasons := make([]types.CancellationReason, len(in.TransactItems))
		for i := range reasons {
			reasons[i].Code = aws.String("None")
		}
		reasons[0].Code = aws.String(reasonConflict)
		return nil, &types.TransactionCanceledException{Message: aws.String("conflict"), CancellationReasons: reasons}
	}
	out, err := f.DynamoAPI.TransactWriteItems(ctx, in, o...)
	var tce *types.TransactionCanceledException
	if f.hideItem && errors.As(err, &tce) {
		for i := range tce.CancellationReasons {
			tce.CancellationReasons[i].Item = nil
		}
	}
	return out, err
}

func noWait(context.Context, int) error { return nil }

func TestDynamoPutRecordRaces(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		conflicts   int32
		hideItem    bool
		wantCreated bool
		wantErr     error
		wantCalls   int32
	}{
		{"conflicts then success", 3, false, true, nil, 4},
		{"conflicts beyond the bound", maxConflictRetries + 5, false, false, ErrUnavailable, maxConflictRetries + 1},
		{"existing guard without old item", 0, true, false, nil, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			client, table := testenv.NewTable(t)
			rec := decision("S1", "U1", "D-1", domain.MustDate("2027-05-01"))
			var first domain.Record
			if !tc.wantCreated && tc.wantErr == nil { // the document is already there
				first = mustPut(t, NewDynamo(client, table), rec)
			}
			api := &flakyAPI{DynamoAPI: client, hideItem: tc.hideItem}
			api.conflicts.Store(tc.conflicts)
			d := NewDynamo(api, table)
			d.wait = noWait
			got, created, err := d.PutRecord(ctx, subject("S1"), rec)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("error %v, want %v", err, tc.wantErr)
			}
			if created != tc.wantCreated {
				t.Errorf("created %v, want %v", created, tc.wantCreated)
			}
			if err == nil && !tc.wantCreated && !reflect.DeepEqual(got, first) {
				t.Errorf("got %+v, want the stored record", got)
			}
			if n := api.calls.Load(); n != tc.wantCalls {
				t.Errorf("%d transactions, want %d", n, tc.wantCalls)
			}
		})
	}
}

func TestDynamoUnreachableIsUnavailable(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there any more
	client := dynamodb.New(dynamodb.Options{
		Region: testenv.Region, BaseEndpoint: aws.String("http://" + addr), RetryMaxAttempts: 1,
		Credentials: aws.AnonymousCredentials{},
	})
	d := NewDynamo(client, "t")
	ops := []struct {
		name string
		call func() error
	}{
		{"get record", func() error { _, err := d.GetRecord(ctx, "S1", "R1"); return err }},
		{"put record", func() error {
			_, _, err := d.PutRecord(ctx, subject("S1"), decision("S1", "U1", "D", domain.MustDate("2027-01-01")))
			return err
		}},
		{"put grade", func() error { return d.PutGrade(ctx, grade("S1", domain.LevelB, 1, ""), true) }},
		{"list by level", func() error { _, _, err := d.ListByLevel(ctx, domain.LevelC, Page{}); return err }},
		{"list records", func() error { _, err := d.ListRecords(ctx, "S1"); return err }},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			if err := op.call(); !errors.Is(err, ErrUnavailable) {
				t.Errorf("error %v, want ErrUnavailable", err)
			}
		})
	}
}

func TestDBErrClassification(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"throttled", &smithy.GenericAPIError{Code: "ProvisionedThroughputExceededException"}, true},
		{"throttling", &smithy.GenericAPIError{Code: "ThrottlingException"}, true},
		{"server fault", &smithy.GenericAPIError{Code: "Whatever", Fault: smithy.FaultServer}, true},
		{"deadline", context.DeadlineExceeded, true},
		{"validation", &smithy.GenericAPIError{Code: "ValidationException", Fault: smithy.FaultClient}, false},
		{"missing table", &types.ResourceNotFoundException{Message: aws.String("no table")}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := dbErr("op", tc.err)
			if got := errors.Is(err, ErrUnavailable); got != tc.want {
				t.Errorf("unavailable=%v, want %v (%v)", got, tc.want, err)
			}
			if !errors.Is(err, tc.err) {
				t.Errorf("%v does not wrap the cause", err)
			}
		})
	}
}

func TestDynamoCursorIsBoundToItsListing(t *testing.T) {
	t.Parallel()
	it := item{attrPK: avS("SUBJ#S1"), attrSK: avS("GRADE"), attrGSI2PK: avS("LEVEL#C"), attrGSI2SK: avS("S1")}
	c, err := encodeDynamoCursor(it, listIndexKeys)
	if err != nil {
		t.Fatal(err)
	}
	back, err := decodeDynamoCursor(c, listIndexKeys)
	if err != nil || !reflect.DeepEqual(back, it) {
		t.Fatalf("round trip %v %v", back, err)
	}
	for _, bad := range []string{c + "!", encodeMemCursor("S1"), "e30"} {
		if _, err := decodeDynamoCursor(bad, listIndexKeys); !errors.Is(err, ErrBadCursor) {
			t.Errorf("cursor %q: %v, want ErrBadCursor", bad, err)
		}
	}
	if _, err := decodeDynamoCursor(c, dueIndexKeys); !errors.Is(err, ErrBadCursor) {
		t.Errorf("a ListIndex cursor on DueIndex: %v, want ErrBadCursor", err)
	}
}
