package reports

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/suixian-psb/credit/shared/storage"
)

// DynamoAPI is the part of *dynamodb.Client the report store uses.
type DynamoAPI interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, optFns ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// Dynamo is the Store and RateCounter on the platform's table.
type Dynamo struct {
	db    DynamoAPI
	table string
}

var (
	_ Store       = (*Dynamo)(nil)
	_ RateCounter = (*Dynamo)(nil)
)

func NewDynamo(db DynamoAPI, table string) *Dynamo { return &Dynamo{db: db, table: table} }

// Attribute names (the table's key attributes are storage's).
const (
	aPK        = "PK"
	aSK        = "SK"
	aGSI2PK    = "GSI2PK"
	aGSI2SK    = "GSI2SK"
	aEntity    = "entity"
	aStatus    = "status"
	aDoc       = "doc"
	aSealed    = "sealed_identity" // binary: the sealed reporter identity, never in doc
	aCount     = "n"
	aExpiresAt = "expires_at" // epoch seconds; the table's TTL attribute
)

type item = map[string]types.AttributeValue

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func n(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}
func key(pk, sk string) item { return item{aPK: s(pk), aSK: s(sk)} }

func str(it item, name string) string {
	if v, ok := it[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// dbErr: the smallest mapping of a DynamoDB failure (conditional failures
// are handled by each operation): the caller may retry later.
func dbErr(op string, err error) error { return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err) }

func conditionFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}

func reportItem(r Report) (item, error) {
	doc, err := json.Marshal(r) // SealedIdentity is json:"-"
	if err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	it := key(reportPK(r.Receipt), skReport)
	it[aEntity] = s(EntityReport)
	it[aStatus] = s(string(r.Status))
	it[aGSI2PK] = s(listingPK(r.Status))
	it[aGSI2SK] = s(listingSK(r))
	it[aDoc] = s(string(doc))
	if len(r.SealedIdentity) > 0 {
		it[aSealed] = &types.AttributeValueMemberB{Value: r.SealedIdentity}
	}
	return it, nil
}

func decodeReport(it item) (Report, error) {
	var r Report
	if err := json.Unmarshal([]byte(str(it, aDoc)), &r); err != nil {
		return Report{}, fmt.Errorf("decode report %s: %w", str(it, aPK), err)
	}
	if b, ok := it[aSealed].(*types.AttributeValueMemberB); ok {
		r.SealedIdentity = b.Value
	}
	return r, nil
}

func (d *Dynamo) PutReport(ctx context.Context, r Report) error {
	if err := checkReport(r); err != nil {
		return err
	}
	it, err := reportItem(normalize(r))
	if err != nil {
		return err
	}
	_, err = d.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(d.table), Item: it, ConditionExpression: aws.String("attribute_not_exists(PK)"),
	})
	if conditionFailed(err) {
		return ErrExists
	}
	if err != nil {
		return dbErr("put report", err)
	}
	return nil
}

func (d *Dynamo) getReportItem(ctx context.Context, receipt string) (item, error) {
	out, err := d.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(d.table), Key: key(reportPK(receipt), skReport), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, dbErr("get report", err)
	}
	if len(out.Item) == 0 {
		return nil, fmt.Errorf("report: %w", ErrNotFound)
	}
	return out.Item, nil
}

func (d *Dynamo) GetReport(ctx context.Context, receipt string) (Report, error) {
	it, err := d.getReportItem(ctx, receipt)
	if err != nil {
		return Report{}, err
	}
	return decodeReport(it)
}

func (d *Dynamo) ListReports(ctx context.Context, status Status, cursor string, limit int) ([]Report, string, error) {
	after := ""
	if cursor != "" {
		var err error
		if after, err = decodeCursor(cursor); err != nil {
			return nil, "", err
		}
	}
	limit = clampLimit(limit)
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(d.table),
		IndexName:                 aws.String(storage.IndexList),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": aGSI2PK},
		ExpressionAttributeValues: item{":pk": s(listingPK(status))},
	}
	if after != "" { // key values may not be empty: the first page has no bound
		in.KeyConditionExpression = aws.String("#pk = :pk AND #sk > :after")
		in.ExpressionAttributeNames["#sk"] = aGSI2SK
		in.ExpressionAttributeValues[":after"] = s(after)
	}
	// Read one beyond the page, so the cursor is "" exactly when nothing
	// follows (as Memory does).
	var items []item
	for len(items) <= limit {
		in.Limit = aws.Int32(int32(limit + 1 - len(items)))
		out, err := d.db.Query(ctx, in)
		if err != nil {
			return nil, "", dbErr("list reports", err)
		}
		items = append(items, out.Items...)
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	next := ""
	if len(items) > limit {
		items = items[:limit]
		next = encodeCursor(str(items[limit-1], aGSI2SK))
	}
	out := make([]Report, 0, len(items))
	for _, it := range items {
		r, err := decodeReport(it)
		if err != nil {
			return nil, "", err
		}
		out = append(out, r)
	}
	return out, next, nil
}

func (d *Dynamo) SetStatus(ctx context.Context, receipt string, from, to Status, outcome Outcome, at time.Time) (Report, error) {
	it, err := d.getReportItem(ctx, receipt)
	if err != nil {
		return Report{}, err
	}
	r, err := decodeReport(it)
	if err != nil {
		return Report{}, err
	}
	if r.Status != from {
		return Report{}, fmt.Errorf("report is %s, not %s: %w", r.Status, from, ErrStale)
	}
	r.Status, r.Outcome, r.UpdatedAt = to, outcome, at.UTC()
	newIt, err := reportItem(r)
	if err != nil {
		return Report{}, err
	}
	_, err = d.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(d.table), Item: newIt,
		ConditionExpression:       aws.String("#st = :from"),
		ExpressionAttributeNames:  map[string]string{"#st": aStatus},
		ExpressionAttributeValues: item{":from": s(string(from))},
	})
	if conditionFailed(err) {
		return Report{}, fmt.Errorf("report changed meanwhile: %w", ErrStale)
	}
	if err != nil {
		return Report{}, dbErr("set report status", err)
	}
	return r, nil
}

func (d *Dynamo) AddReveal(ctx context.Context, rv Reveal) error {
	rv.At = rv.At.UTC()
	doc, err := json.Marshal(rv)
	if err != nil {
		return fmt.Errorf("encode reveal: %w", err)
	}
	// Two reveals in the same nanosecond get different suffixes; the
	// condition makes a collision an error, never an overwritten audit.
	suffix := make([]byte, 4)
	if _, err := rand.Read(suffix); err != nil {
		return fmt.Errorf("reveal suffix: %w", err)
	}
	it := key(reportPK(rv.Receipt), prefixReveal+sortTime(rv.At)+"#"+hex.EncodeToString(suffix))
	it[aEntity] = s(EntityReveal)
	it[aDoc] = s(string(doc))
	_, err = d.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(d.table), Item: it, ConditionExpression: aws.String("attribute_not_exists(PK)"),
	})
	if err != nil {
		return dbErr("add reveal audit", err)
	}
	return nil
}

func (d *Dynamo) ListReveals(ctx context.Context, receipt string) ([]Reveal, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(d.table),
		KeyConditionExpression:    aws.String("#pk = :pk AND begins_with(#sk, :p)"),
		ExpressionAttributeNames:  map[string]string{"#pk": aPK, "#sk": aSK},
		ExpressionAttributeValues: item{":pk": s(reportPK(receipt)), ":p": s(prefixReveal)},
		ConsistentRead:            aws.Bool(true),
	}
	out := []Reveal{}
	for {
		res, err := d.db.Query(ctx, in)
		if err != nil {
			return nil, dbErr("list reveals", err)
		}
		for _, it := range res.Items {
			var rv Reveal
			if err := json.Unmarshal([]byte(str(it, aDoc)), &rv); err != nil {
				return nil, fmt.Errorf("decode reveal %s: %w", str(it, aSK), err)
			}
			out = append(out, rv)
		}
		if len(res.LastEvaluatedKey) == 0 {
			return out, nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// Take adds one to the source's counter of the window, on condition that it
// is below limit: the check and the increment are one atomic write, so
// concurrent requests cannot overshoot.
func (d *Dynamo) Take(ctx context.Context, source string, window time.Time, limit int, expires time.Time) (bool, error) {
	_, err := d.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String(d.table),
		Key:                 key(ratePK(source), windowSK(window)),
		UpdateExpression:    aws.String("ADD #n :one SET #e = :entity, #x = :exp"),
		ConditionExpression: aws.String("attribute_not_exists(#n) OR #n < :limit"),
		ExpressionAttributeNames: map[string]string{
			"#n": aCount, "#e": aEntity, "#x": aExpiresAt,
		},
		ExpressionAttributeValues: item{
			":one": n(1), ":limit": n(int64(limit)), ":entity": s(EntityRate), ":exp": n(expires.Unix()),
		},
	})
	if conditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, dbErr("rate counter", err)
	}
	return true, nil
}
