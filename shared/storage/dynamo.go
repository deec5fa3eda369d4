package storage

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/suixian-psb/credit/shared/domain"
)

// DynamoAPI is the part of *dynamodb.Client the store uses.
type DynamoAPI interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, optFns ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Dynamo is the Store on the platform's single DynamoDB table (layout in
// store.go). Reads of single items are strongly consistent: the handlers
// read what they just wrote (idempotent retries, regrades after a write).
type Dynamo struct {
	db    DynamoAPI
	table string
	// wait is the pause before retrying a transaction that lost a race;
	// tests replace it so they do not sleep.
	wait func(ctx context.Context, attempt int) error
}

var _ Store = (*Dynamo)(nil)

// NewDynamo returns the store on table.
func NewDynamo(client DynamoAPI, table string) *Dynamo {
	return &Dynamo{db: client, table: table, wait: backoff}
}

// maxConflictRetries bounds how often a transaction that lost a race
// (TransactionConflict) is tried again before ErrUnavailable.
const maxConflictRetries = 8

func (d *Dynamo) PutRecord(ctx context.Context, subj domain.Subject, rec domain.Record) (domain.Record, bool, error) {
	rec, err := prepareRecord(subj, rec)
	if err != nil {
		return domain.Record{}, false, err
	}
	in, err := d.putRecordInput(subj, rec)
	if err != nil {
		return domain.Record{}, false, err
	}
	for attempt := 0; ; attempt++ {
		_, err := d.db.TransactWriteItems(ctx, in)
		if err == nil {
			return clone(rec), true, nil
		}
		reasons, cancelled := cancelReasons(err)
		switch {
		case cancelled && reasonCode(reasons, 0) == reasonCondition:
			// The document is already there: same content is a retry.
			return d.resolveExisting(ctx, rec, reasons[0].Item)
		case cancelled && reasonCode(reasons, 1) == reasonCondition:
			return domain.Record{}, false, fmt.Errorf("record %s exists under another document: %w", rec.ID, ErrConflict)
		case cancelled && anyReason(reasons, reasonConflict) && attempt < maxConflictRetries:
			// Another writer holds one of the items (a concurrent retry of
			// the same post, usually): wait a little and look again.
			if err := d.wait(ctx, attempt); err != nil {
				return domain.Record{}, false, dbErr("put record", err)
			}
			continue
		case cancelled && anyReason(reasons, reasonConflict):
			return domain.Record{}, false, fmt.Errorf("put record: %w: %w", ErrUnavailable, err)
		}
		return domain.Record{}, false, dbErr("put record", err)
	}
}

// putRecordInput writes, all or nothing: the document guard and the record
// (both only if new) and the subject profile. The profile is set only where
// its attributes are missing, so the first profile posted is kept: a later
// post that spells the name differently does not rewrite who the subject is
// (renames are a separate, deliberate change).
func (d *Dynamo) putRecordInput(subj domain.Subject, rec domain.Record) (*dynamodb.TransactWriteItemsInput, error) {
	recIt, err := recordItem(rec, 1)
	if err != nil {
		return nil, err
	}
	doc, err := withDoc(item{}, subj)
	if err != nil {
		return nil, err
	}
	notExists := aws.String("attribute_not_exists(PK)")
	return &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{
			TableName: aws.String(d.table), Item: guardItem(rec), ConditionExpression: notExists,
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		}},
		{Put: &types.Put{TableName: aws.String(d.table), Item: recIt, ConditionExpression: notExists}},
		{Update: &types.Update{
			TableName: aws.String(d.table),
			Key:       keyOf(subjectPK(subj.ID), skProfile),
			UpdateExpression: aws.String("SET #e = if_not_exists(#e, :e), #k = if_not_exists(#k, :k), " +
				"#s = if_not_exists(#s, :s), #d = if_not_exists(#d, :d)"),
			ExpressionAttributeNames: map[string]string{"#e": attrEntity, "#k": attrKind, "#s": attrSubjectID, "#d": attrDoc},
			ExpressionAttributeValues: item{
				":e": avS(EntitySubject), ":k": avS(string(subj.Type)), ":s": avS(string(subj.ID)), ":d": doc[attrDoc],
			},
		}},
	}}, nil
}

// resolveExisting answers a post whose document guard already exists: the
// stored record when the content is the same, ErrConflict otherwise.
func (d *Dynamo) resolveExisting(ctx context.Context, rec domain.Record, guard item) (domain.Record, bool, error) {
	if len(guard) == 0 {
		var err error
		if guard, err = d.getItem(ctx, "read document guard", guardPK(rec.Unit, rec.Kind, rec.DocumentNo), skGuard); err != nil {
			return domain.Record{}, false, err
		}
	}
	if getS(guard, attrContentHash) != rec.ContentHash {
		return domain.Record{}, false, ErrConflict
	}
	stored, err := d.GetRecord(ctx, domain.SubjectID(getS(guard, attrSubjectID)), getS(guard, attrRecordID))
	if err != nil {
		return domain.Record{}, false, err
	}
	return stored, false, nil
}

// getItem reads one item with a strongly consistent read; ErrNotFound when
// it is absent.
func (d *Dynamo) getItem(ctx context.Context, op, pk, sk string) (item, error) {
	out, err := d.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(d.table), Key: keyOf(pk, sk), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, dbErr(op, err)
	}
	if len(out.Item) == 0 {
		return nil, fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	return out.Item, nil
}

func (d *Dynamo) GetRecord(ctx context.Context, subject domain.SubjectID, recordID string) (domain.Record, error) {
	it, err := d.getItem(ctx, "get record "+recordID, subjectPK(subject), recordSK(recordID))
	if err != nil {
		return domain.Record{}, err
	}
	return decodeDoc[domain.Record](it)
}

func (d *Dynamo) FindByDocument(ctx context.Context, unit string, kind domain.RecordKind, documentNo string) (domain.Record, error) {
	g, err := d.getItem(ctx, "find document", guardPK(unit, kind, documentNo), skGuard)
	if err != nil {
		return domain.Record{}, err
	}
	return d.GetRecord(ctx, domain.SubjectID(getS(g, attrSubjectID)), getS(g, attrRecordID))
}

func (d *Dynamo) ListRecords(ctx context.Context, subject domain.SubjectID) ([]domain.Record, error) {
	items, err := d.querySubject(ctx, "list records", subjectPK(subject), prefixRec)
	if err != nil {
		return nil, err
	}
	return decodeAll[domain.Record](items)
}

func (d *Dynamo) UpdateRecord(ctx context.Context, subject domain.SubjectID, recordID string, expectStatus domain.Status, mutate func(*domain.Record) error) (domain.Record, error) {
	it, err := d.getItem(ctx, "get record "+recordID, subjectPK(subject), recordSK(recordID))
	if err != nil {
		return domain.Record{}, err
	}
	cur, err := decodeDoc[domain.Record](it)
	if err != nil {
		return domain.Record{}, err
	}
	rev, err := getN(it, attrRev)
	if err != nil {
		return domain.Record{}, fmt.Errorf("record %s: %w", recordID, err)
	}
	if cur.Status != expectStatus {
		return domain.Record{}, fmt.Errorf("record %s is %s, not %s: %w", recordID, cur.Status, expectStatus, ErrStale)
	}
	next := clone(cur)
	if err := mutate(&next); err != nil {
		return domain.Record{}, err
	}
	if err := checkIdentity(cur, next); err != nil {
		return domain.Record{}, err
	}
	newIt, err := recordItem(next, rev+1)
	if err != nil {
		return domain.Record{}, err
	}
	// The whole item is replaced: DueIndex keys vanish with a status that
	// no longer counts. The revision guards against a concurrent update that
	// kept the status (a lost history entry otherwise).
	_, err = d.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 aws.String(d.table),
		Item:                      newIt,
		ConditionExpression:       aws.String("#st = :expect AND #rev = :rev"),
		ExpressionAttributeNames:  map[string]string{"#st": attrStatus, "#rev": attrRev},
		ExpressionAttributeValues: item{":expect": avS(string(expectStatus)), ":rev": avN(rev)},
	})
	if conditionFailed(err) {
		return domain.Record{}, fmt.Errorf("record %s changed meanwhile: %w", recordID, ErrStale)
	}
	if err != nil {
		return domain.Record{}, dbErr("update record "+recordID, err)
	}
	return clone(next), nil
}

func (d *Dynamo) GetSubject(ctx context.Context, id domain.SubjectID) (domain.Subject, error) {
	it, err := d.getItem(ctx, "get subject", subjectPK(id), skProfile)
	if err != nil {
		return domain.Subject{}, err
	}
	return decodeDoc[domain.Subject](it)
}

func decodeAll[T any](items []item) ([]T, error) {
	out := make([]T, 0, len(items))
	for _, it := range items {
		v, err := decodeDoc[T](it)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// backoff waits 10 ms × 2^attempt (capped at 500 ms), jittered, or until
// ctx ends.
func backoff(ctx context.Context, attempt int) error {
	d := min(10*time.Millisecond<<attempt, 500*time.Millisecond)
	d = d/2 + rand.N(d/2+1)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// subjectOf reads the subject id out of a "SUBJ#<id>" partition key.
func subjectOf(pk string) domain.SubjectID { return domain.SubjectID(strings.TrimPrefix(pk, "SUBJ#")) }
