package storage

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/suixian-psb/credit/shared/domain"
)

// PutTask stores a new task. A task whose id is already stored, open or
// closed, is left as it is: retries do not duplicate it and a closed task is
// not reopened.
func (d *Dynamo) PutTask(ctx context.Context, t domain.Task) error {
	t, err := prepareTask(t)
	if err != nil {
		return err
	}
	it, err := taskItem(t)
	if err != nil {
		return err
	}
	_, err = d.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(d.table), Item: it, ConditionExpression: aws.String("attribute_not_exists(PK)"),
	})
	if conditionFailed(err) {
		return nil
	}
	return dbErr("put task", err)
}

func (d *Dynamo) ListTasks(ctx context.Context, subject domain.SubjectID) ([]domain.Task, error) {
	items, err := d.querySubject(ctx, "list tasks", subjectPK(subject), prefixTask)
	if err != nil {
		return nil, err
	}
	return decodeAll[domain.Task](items)
}

func (d *Dynamo) ListOpenTasks(ctx context.Context, p Page) ([]domain.Task, string, error) {
	items, cursor, err := d.queryPage(ctx, "list open tasks", &dynamodb.QueryInput{
		IndexName:                 aws.String(IndexList),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrGSI2PK},
		ExpressionAttributeValues: item{":pk": avS(gsiOpenTask)},
	}, p, listIndexKeys)
	if err != nil {
		return nil, "", err
	}
	tasks, err := decodeAll[domain.Task](items)
	return tasks, cursor, err
}

// CloseTask closes an open task; ErrNotFound when there is none, ErrStale
// when it is already closed (or closed meanwhile).
func (d *Dynamo) CloseTask(ctx context.Context, subject domain.SubjectID, taskID, closedBy string) error {
	it, err := d.getItem(ctx, "get task "+taskID, subjectPK(subject), taskSK(taskID))
	if err != nil {
		return err
	}
	t, err := decodeDoc[domain.Task](it)
	if err != nil {
		return err
	}
	if t.Status != TaskOpen {
		return fmt.Errorf("task %s is already %s: %w", taskID, t.Status, ErrStale)
	}
	t.Status, t.ClosedBy = TaskClosed, closedBy
	newIt, err := taskItem(t) // without ListIndex keys: it leaves the open list
	if err != nil {
		return err
	}
	_, err = d.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(d.table), Item: newIt,
		ConditionExpression:       aws.String("#st = :open"),
		ExpressionAttributeNames:  map[string]string{"#st": attrStatus},
		ExpressionAttributeValues: item{":open": avS(TaskOpen)},
	})
	if conditionFailed(err) {
		return fmt.Errorf("task %s closed meanwhile: %w", taskID, ErrStale)
	}
	return dbErr("close task", err)
}
