package regrade

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/storage"
)

// ScanAPI is the part of *dynamodb.Client ScanLister uses.
type ScanAPI interface {
	Scan(ctx context.Context, in *dynamodb.ScanInput, optFns ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
}

// ScanLister is a SubjectLister on the table: a Scan for the subject
// profile items (entity = "subject", keys SUBJ#<id> / PROFILE, see
// storage/store.go). It is the one place that reads the whole table, and
// only RegradeAll (an operator's walk after a policy change) uses it. Until
// storage.Dynamo offers ListSubjects itself, the functions use this.
//
// A page is one Scan call evaluating p.Limit items, so it may hold fewer
// subjects than the limit (even none) with a cursor to go on; the same
// cursor and limit give the same page, which RegradeAll's cursor relies on.
type ScanLister struct {
	Client ScanAPI
	Table  string
}

func (l ScanLister) ListSubjects(ctx context.Context, p storage.Page) ([]domain.SubjectID, string, error) {
	limit := p.Limit
	if limit <= 0 {
		limit = storage.DefaultPageLimit
	}
	in := &dynamodb.ScanInput{
		TableName:                 aws.String(l.Table),
		FilterExpression:          aws.String("#e = :subject AND #sk = :profile"),
		ExpressionAttributeNames:  map[string]string{"#e": "entity", "#pk": "PK", "#sk": "SK"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":subject": &types.AttributeValueMemberS{Value: storage.EntitySubject}, ":profile": &types.AttributeValueMemberS{Value: "PROFILE"}},
		Limit:                     aws.Int32(int32(limit)),
	}
	in.ProjectionExpression = aws.String("#pk, #sk")
	if p.Cursor != "" {
		start, err := decodeScanCursor(p.Cursor)
		if err != nil {
			return nil, "", err
		}
		in.ExclusiveStartKey = start
	}
	out, err := l.Client.Scan(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("scan subjects: %w: %v", storage.ErrUnavailable, err)
	}
	ids := make([]domain.SubjectID, 0, len(out.Items))
	for _, it := range out.Items {
		pk, _ := it["PK"].(*types.AttributeValueMemberS)
		if pk == nil {
			continue
		}
		if id, ok := strings.CutPrefix(pk.Value, "SUBJ#"); ok && id != "" {
			ids = append(ids, domain.SubjectID(id))
		}
	}
	next := ""
	if len(out.LastEvaluatedKey) > 0 {
		if next, err = encodeScanCursor(out.LastEvaluatedKey); err != nil {
			return nil, "", err
		}
	}
	return ids, next, nil
}

// The scan cursor is the last evaluated key (PK and SK, both strings).
func encodeScanCursor(key map[string]types.AttributeValue) (string, error) {
	m := map[string]string{}
	for k, v := range key {
		s, ok := v.(*types.AttributeValueMemberS)
		if !ok {
			return "", fmt.Errorf("scan cursor: key attribute %s is not a string", k)
		}
		m[k] = s.Value
	}
	return storage.EncodeCursor(m), nil
}

func decodeScanCursor(s string) (map[string]types.AttributeValue, error) {
	var m map[string]string
	err := storage.DecodeCursor(s, &m)
	if err != nil || m["PK"] == "" || m["SK"] == "" || len(m) != 2 {
		return nil, fmt.Errorf("scan cursor: %w", storage.ErrBadCursor)
	}
	return map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: m["PK"]},
		"SK": &types.AttributeValueMemberS{Value: m["SK"]},
	}, nil
}

// ListerFor is the subject listing for the walk: the store's own
// ListSubjects when it has one, else a ScanLister on the table.
func ListerFor(store any, client ScanAPI, table string) SubjectLister {
	if l, ok := store.(SubjectLister); ok {
		return l
	}
	return ScanLister{Client: client, Table: table}
}
