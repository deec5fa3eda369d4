package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/suixian-psb/credit/shared/domain"
)

func (d *Dynamo) GetGrade(ctx context.Context, id domain.SubjectID) (domain.Grade, error) {
	it, err := d.getItem(ctx, "get grade", subjectPK(id), skGrade)
	if err != nil {
		return domain.Grade{}, err
	}
	return decodeDoc[domain.Grade](it)
}

func (d *Dynamo) PutGrade(ctx context.Context, g domain.Grade, withHistory bool) error {
	if err := checkGrade(g); err != nil {
		return err
	}
	gIt, err := gradeItem(g)
	if err != nil {
		return err
	}
	put := &types.Put{TableName: aws.String(d.table), Item: gIt}
	if g.Version == 1 {
		put.ConditionExpression = aws.String("attribute_not_exists(PK)")
	} else {
		put.ConditionExpression = aws.String("#v = :prev")
		put.ExpressionAttributeNames = map[string]string{"#v": attrVersion}
		put.ExpressionAttributeValues = item{":prev": avN(g.Version - 1)}
	}
	if !withHistory {
		_, err := d.db.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: put.TableName, Item: put.Item, ConditionExpression: put.ConditionExpression,
			ExpressionAttributeNames: put.ExpressionAttributeNames, ExpressionAttributeValues: put.ExpressionAttributeValues,
		})
		if conditionFailed(err) {
			return fmt.Errorf("grade version %d: %w", g.Version, ErrStale)
		}
		return dbErr("put grade", err)
	}
	hIt, err := historyItem(g)
	if err != nil {
		return err
	}
	_, err = d.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: put},
		{Put: &types.Put{TableName: aws.String(d.table), Item: hIt}},
	}})
	if reasons, ok := cancelReasons(err); ok && reasonCode(reasons, 0) == reasonCondition {
		return fmt.Errorf("grade version %d: %w", g.Version, ErrStale)
	}
	if reasons, ok := cancelReasons(err); ok && anyReason(reasons, reasonConflict) {
		// A concurrent writer of the same grade: whoever wins, this one's
		// version is no longer next.
		return fmt.Errorf("grade version %d: %w", g.Version, ErrStale)
	}
	return dbErr("put grade", err)
}

func (d *Dynamo) GradeHistory(ctx context.Context, id domain.SubjectID) ([]domain.Grade, error) {
	items, err := d.querySubject(ctx, "grade history", subjectPK(id), prefixHist)
	if err != nil {
		return nil, err
	}
	return decodeAll[domain.Grade](items)
}

func (d *Dynamo) ListByLevel(ctx context.Context, level domain.Level, p Page) ([]domain.Grade, string, error) {
	items, cursor, err := d.queryPage(ctx, "list by level", &dynamodb.QueryInput{
		IndexName:                 aws.String(IndexList),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrGSI2PK},
		ExpressionAttributeValues: item{":pk": avS(levelPK(level))},
	}, p, listIndexKeys)
	if err != nil {
		return nil, "", err
	}
	grades, err := decodeAll[domain.Grade](items)
	return grades, cursor, err
}

func (d *Dynamo) DueRecords(ctx context.Context, through domain.Date, p Page) ([]RecordRef, string, error) {
	return d.due(ctx, gsiExpire, through, p)
}

func (d *Dynamo) DueGrades(ctx context.Context, through domain.Date, p Page) ([]RecordRef, string, error) {
	return d.due(ctx, gsiRegrade, through, p)
}

// due lists one DueIndex partition up to through (inclusive). The index
// projects keys only: the references are read from the keys.
func (d *Dynamo) due(ctx context.Context, partition string, through domain.Date, p Page) ([]RecordRef, string, error) {
	items, cursor, err := d.queryPage(ctx, "list due "+partition, &dynamodb.QueryInput{
		IndexName:                 aws.String(IndexDue),
		KeyConditionExpression:    aws.String("#pk = :pk AND #sk < :bound"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrGSI1PK, "#sk": attrGSI1SK},
		ExpressionAttributeValues: item{":pk": avS(partition), ":bound": avS(dueBound(through))},
	}, p, dueIndexKeys)
	if err != nil {
		return nil, "", err
	}
	refs := make([]RecordRef, 0, len(items))
	for _, it := range items {
		sk := getS(it, attrGSI1SK)
		day, _, _ := strings.Cut(sk, "#")
		due, err := domain.ParseDate(day)
		if err != nil {
			return nil, "", fmt.Errorf("due index key %q: %w", sk, err)
		}
		ref := RecordRef{SubjectID: subjectOf(getS(it, attrPK)), Due: due}
		if partition == gsiExpire {
			ref.RecordID = strings.TrimPrefix(getS(it, attrSK), prefixRec)
		}
		refs = append(refs, ref)
	}
	return refs, cursor, nil
}
