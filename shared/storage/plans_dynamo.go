package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/suixian-psb/credit/shared/supervision"
)

// planItem is a plan's table item; the plan itself is the "doc".
func planItem(id string, p supervision.Plan) (item, error) {
	it := keyOf(planPK(id), skPlan)
	it[attrEntity] = avS(EntityPlan)
	it[attrContentHash] = avS(p.Digest)
	pk, sk := planIndexKeys(id, p)
	it[attrGSI2PK] = avS(pk)
	it[attrGSI2SK] = avS(sk)
	return withDoc(it, p)
}

func (d *Dynamo) PutPlan(ctx context.Context, id string, p supervision.Plan) (bool, error) {
	if err := checkPlan(id, p); err != nil {
		return false, err
	}
	it, err := planItem(id, p)
	if err != nil {
		return false, err
	}
	_, err = d.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                           aws.String(d.table),
		Item:                                it,
		ConditionExpression:                 aws.String("attribute_not_exists(PK)"),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if err == nil {
		return true, nil
	}
	if !conditionFailed(err) {
		return false, dbErr("put plan "+id, err)
	}
	// Already there: the same plan is a retry, anything else a conflict.
	var ccf *types.ConditionalCheckFailedException
	existing := item(nil)
	if errors.As(err, &ccf) {
		existing = ccf.Item
	}
	if len(existing) == 0 {
		if existing, err = d.getItem(ctx, "get plan "+id, planPK(id), skPlan); err != nil {
			return false, err
		}
	}
	if getS(existing, attrContentHash) == p.Digest {
		return false, nil
	}
	return false, fmt.Errorf("plan %s exists with another digest: %w", id, ErrConflict)
}

func (d *Dynamo) GetPlan(ctx context.Context, id string) (supervision.Plan, error) {
	it, err := d.getItem(ctx, "get plan "+id, planPK(id), skPlan)
	if err != nil {
		return supervision.Plan{}, err
	}
	return decodeDoc[supervision.Plan](it)
}

func (d *Dynamo) ListPlans(ctx context.Context, year int, month time.Month, p Page) ([]PlanEntry, string, error) {
	items, cursor, err := d.queryPage(ctx, "list plans", &dynamodb.QueryInput{
		IndexName:                 aws.String(IndexList),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrGSI2PK},
		ExpressionAttributeValues: item{":pk": avS(planMonthPK(year, month))},
	}, p, listIndexKeys)
	if err != nil {
		return nil, "", err
	}
	out := make([]PlanEntry, 0, len(items))
	for _, it := range items {
		plan, err := decodeDoc[supervision.Plan](it)
		if err != nil {
			return nil, "", err
		}
		out = append(out, PlanEntry{ID: getS(it, attrPK)[len(prefixPlan):], Plan: plan})
	}
	return out, cursor, nil
}
