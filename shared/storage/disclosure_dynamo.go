package storage

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/render"
)

// newerVersionWins lets a write through unless the stored item comes from a
// newer grade.
const newerVersionWins = "attribute_not_exists(PK) OR #v <= :v"

func (d *Dynamo) PutDisclosure(ctx context.Context, e render.Entry, version int64) error {
	if err := checkDisclosure(e.Key, version); err != nil {
		return err
	}
	part, err := disclosurePartition(e)
	if err != nil {
		return err
	}
	id := domain.SubjectID(e.Key)
	it := keyOf(subjectPK(id), skDisclosure)
	it[attrEntity] = avS(EntityDisclosure)
	it[attrSubjectID] = avS(e.Key)
	it[attrVersion] = avN(version)
	it[attrGSI2PK] = avS(part)
	it[attrGSI2SK] = avS(e.Key)
	if it, err = withDoc(it, e); err != nil {
		return err
	}
	return d.putDisclosure(ctx, "put disclosure "+e.Key, it, version)
}

func (d *Dynamo) DeleteDisclosure(ctx context.Context, id domain.SubjectID, version int64) error {
	if err := checkDisclosure(string(id), version); err != nil {
		return err
	}
	it := keyOf(subjectPK(id), skDisclosure)
	it[attrEntity] = avS(EntityDisclosure)
	it[attrSubjectID] = avS(string(id))
	it[attrVersion] = avN(version)
	return d.putDisclosure(ctx, "withdraw disclosure "+string(id), it, version)
}

func (d *Dynamo) putDisclosure(ctx context.Context, op string, it item, version int64) error {
	_, err := d.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 aws.String(d.table),
		Item:                      it,
		ConditionExpression:       aws.String(newerVersionWins),
		ExpressionAttributeNames:  map[string]string{"#v": attrVersion},
		ExpressionAttributeValues: item{":v": avN(version)},
	})
	if conditionFailed(err) {
		return fmt.Errorf("%s at version %d: %w", op, version, ErrStale)
	}
	if err != nil {
		return dbErr(op, err)
	}
	return nil
}

func (d *Dynamo) ListDisclosed(ctx context.Context, p Page) ([]Disclosure, string, error) {
	return d.listDisclosures(ctx, gsiDisclosed, p)
}

func (d *Dynamo) ListHonoured(ctx context.Context, p Page) ([]Disclosure, string, error) {
	return d.listDisclosures(ctx, gsiHonoured, p)
}

func (d *Dynamo) listDisclosures(ctx context.Context, part string, p Page) ([]Disclosure, string, error) {
	items, cursor, err := d.queryPage(ctx, "list "+strings.ToLower(part), &dynamodb.QueryInput{
		IndexName:                 aws.String(IndexList),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrGSI2PK},
		ExpressionAttributeValues: item{":pk": avS(part)},
	}, p, listIndexKeys)
	if err != nil {
		return nil, "", err
	}
	out := make([]Disclosure, 0, len(items))
	for _, it := range items {
		e, err := decodeDoc[render.Entry](it)
		if err != nil {
			return nil, "", err
		}
		v, err := getN(it, attrVersion)
		if err != nil {
			return nil, "", fmt.Errorf("disclosure %s: %w", getS(it, attrPK), err)
		}
		out = append(out, Disclosure{Entry: e, Version: v})
	}
	return out, cursor, nil
}
