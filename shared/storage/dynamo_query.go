package storage

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// queryAll runs a query to the end, following LastEvaluatedKey, for the
// listings the port returns whole.
func (d *Dynamo) queryAll(ctx context.Context, op string, in *dynamodb.QueryInput) ([]item, error) {
	in.TableName = aws.String(d.table)
	var out []item
	for {
		res, err := d.db.Query(ctx, in)
		if err != nil {
			return nil, dbErr(op, err)
		}
		out = append(out, res.Items...)
		if len(res.LastEvaluatedKey) == 0 {
			return out, nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// querySubject lists one subject's items whose sort key starts with prefix.
func (d *Dynamo) querySubject(ctx context.Context, op, pk, prefix string) ([]item, error) {
	return d.queryAll(ctx, op, &dynamodb.QueryInput{
		KeyConditionExpression:    aws.String("#pk = :pk AND begins_with(#sk, :prefix)"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrPK, "#sk": attrSK},
		ExpressionAttributeValues: item{":pk": avS(pk), ":prefix": avS(prefix)},
		ConsistentRead:            aws.Bool(true),
	})
}

// queryPage reads one page of an index query. It reads one item beyond the
// page so that the cursor is empty exactly when nothing follows (as Memory
// does), and builds the cursor from the last returned item's keys
// (keyAttrs: the table's and the index's key attributes).
func (d *Dynamo) queryPage(ctx context.Context, op string, in *dynamodb.QueryInput, p Page, keyAttrs []string) ([]item, string, error) {
	limit := pageLimit(p)
	in.TableName = aws.String(d.table)
	if p.Cursor != "" {
		start, err := decodeDynamoCursor(p.Cursor, keyAttrs)
		if err != nil {
			return nil, "", err
		}
		in.ExclusiveStartKey = start
	}
	var items []item
	for len(items) <= limit {
		in.Limit = aws.Int32(int32(limit + 1 - len(items)))
		res, err := d.db.Query(ctx, in)
		if err != nil {
			return nil, "", dbErr(op, err)
		}
		items = append(items, res.Items...)
		if len(res.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
	if len(items) <= limit {
		return items, "", nil
	}
	items = items[:limit]
	cursor, err := encodeDynamoCursor(items[limit-1], keyAttrs)
	if err != nil {
		return nil, "", err
	}
	return items, cursor, nil
}

var (
	dueIndexKeys  = []string{attrPK, attrSK, attrGSI1PK, attrGSI1SK}
	listIndexKeys = []string{attrPK, attrSK, attrGSI2PK, attrGSI2SK}
)

// dynamoCursor is an ExclusiveStartKey (all key attributes are strings),
// base64url-encoded JSON so callers treat it as opaque.
type dynamoCursor struct {
	Key map[string]string `json:"k"`
}

func encodeDynamoCursor(it item, keyAttrs []string) (string, error) {
	c := dynamoCursor{Key: map[string]string{}}
	for _, a := range keyAttrs {
		v := getS(it, a)
		if v == "" {
			return "", fmt.Errorf("cursor: item lacks key attribute %s", a)
		}
		c.Key[a] = v
	}
	return EncodeCursor(c), nil
}

func decodeDynamoCursor(s string, keyAttrs []string) (item, error) {
	var c dynamoCursor
	if err := DecodeCursor(s, &c); err != nil {
		return nil, err
	}
	if len(c.Key) != len(keyAttrs) {
		return nil, fmt.Errorf("%w: not a cursor of this listing", ErrBadCursor)
	}
	start := item{}
	for _, a := range keyAttrs {
		v, ok := c.Key[a]
		if !ok || v == "" {
			return nil, fmt.Errorf("%w: not a cursor of this listing", ErrBadCursor)
		}
		start[a] = &types.AttributeValueMemberS{Value: v}
	}
	return start, nil
}
