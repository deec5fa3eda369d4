package localstack

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	st "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// DynamoStream reads a table's stream through the SDK (DynamoDB Local in
// the stack).
type DynamoStream struct {
	DB      *dynamodb.Client
	Streams *dynamodbstreams.Client
	Table   string
}

func (d *DynamoStream) LatestStreamARN(ctx context.Context) (string, error) {
	out, err := d.DB.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(d.Table)})
	if err != nil {
		return "", err
	}
	if out.Table.LatestStreamArn == nil {
		return "", fmt.Errorf("table %s has no stream", d.Table)
	}
	return *out.Table.LatestStreamArn, nil
}

func (d *DynamoStream) Shards(ctx context.Context, arn string) ([]Shard, error) {
	var out []Shard
	var start *string
	for {
		resp, err := d.Streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn), ExclusiveStartShardId: start})
		if err != nil {
			return nil, err
		}
		for _, s := range resp.StreamDescription.Shards {
			out = append(out, Shard{ID: aws.ToString(s.ShardId), Parent: aws.ToString(s.ParentShardId)})
		}
		start = resp.StreamDescription.LastEvaluatedShardId
		if start == nil {
			return out, nil
		}
	}
}

func (d *DynamoStream) Iterator(ctx context.Context, arn, shardID, afterSeq string) (string, error) {
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: aws.String(shardID), ShardIteratorType: st.ShardIteratorTypeTrimHorizon}
	if afterSeq != "" {
		in.ShardIteratorType = st.ShardIteratorTypeAfterSequenceNumber
		in.SequenceNumber = aws.String(afterSeq)
	}
	out, err := d.Streams.GetShardIterator(ctx, in)
	if err != nil {
		var trimmed *st.TrimmedDataAccessException
		if errors.As(err, &trimmed) && afterSeq != "" {
			// The checkpoint fell off the stream: read what is left.
			return d.Iterator(ctx, arn, shardID, "")
		}
		return "", err
	}
	return aws.ToString(out.ShardIterator), nil
}

func (d *DynamoStream) Records(ctx context.Context, iterator string) ([]events.DynamoDBEventRecord, string, error) {
	out, err := d.Streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String(iterator)})
	if err != nil {
		var expired *st.ExpiredIteratorException
		var trimmed *st.TrimmedDataAccessException
		if errors.As(err, &expired) || errors.As(err, &trimmed) {
			return nil, "", fmt.Errorf("%w: %v", ErrIteratorExpired, err)
		}
		return nil, "", err
	}
	recs := make([]events.DynamoDBEventRecord, 0, len(out.Records))
	for _, r := range out.Records {
		recs = append(recs, ConvertStreamRecord(r))
	}
	return recs, aws.ToString(out.NextShardIterator), nil
}

// ConvertStreamRecord turns an SDK stream record into the shape Lambda
// delivers.
func ConvertStreamRecord(r st.Record) events.DynamoDBEventRecord {
	e := events.DynamoDBEventRecord{
		AWSRegion:    aws.ToString(r.AwsRegion),
		EventID:      aws.ToString(r.EventID),
		EventName:    string(r.EventName),
		EventSource:  aws.ToString(r.EventSource),
		EventVersion: aws.ToString(r.EventVersion),
	}
	if r.UserIdentity != nil {
		e.UserIdentity = &events.DynamoDBUserIdentity{Type: aws.ToString(r.UserIdentity.Type), PrincipalID: aws.ToString(r.UserIdentity.PrincipalId)}
	}
	if c := r.Dynamodb; c != nil {
		e.Change = events.DynamoDBStreamRecord{
			Keys:           convertImage(c.Keys),
			NewImage:       convertImage(c.NewImage),
			OldImage:       convertImage(c.OldImage),
			SequenceNumber: aws.ToString(c.SequenceNumber),
			SizeBytes:      aws.ToInt64(c.SizeBytes),
			StreamViewType: string(c.StreamViewType),
		}
		if c.ApproximateCreationDateTime != nil {
			e.Change.ApproximateCreationDateTime = events.SecondsEpochTime{Time: *c.ApproximateCreationDateTime}
		}
	}
	return e
}

func convertImage(m map[string]st.AttributeValue) map[string]events.DynamoDBAttributeValue {
	if m == nil {
		return nil
	}
	out := make(map[string]events.DynamoDBAttributeValue, len(m))
	for k, v := range m {
		out[k] = ConvertAttribute(v)
	}
	return out
}

// ConvertAttribute converts one streams attribute value, recursively.
func ConvertAttribute(v st.AttributeValue) events.DynamoDBAttributeValue {
	switch x := v.(type) {
	case *st.AttributeValueMemberS:
		return events.NewStringAttribute(x.Value)
	case *st.AttributeValueMemberN:
		return events.NewNumberAttribute(x.Value)
	case *st.AttributeValueMemberB:
		return events.NewBinaryAttribute(x.Value)
	case *st.AttributeValueMemberBOOL:
		return events.NewBooleanAttribute(x.Value)
	case *st.AttributeValueMemberNULL:
		return events.NewNullAttribute()
	case *st.AttributeValueMemberSS:
		return events.NewStringSetAttribute(x.Value)
	case *st.AttributeValueMemberNS:
		return events.NewNumberSetAttribute(x.Value)
	case *st.AttributeValueMemberBS:
		return events.NewBinarySetAttribute(x.Value)
	case *st.AttributeValueMemberL:
		l := make([]events.DynamoDBAttributeValue, 0, len(x.Value))
		for _, e := range x.Value {
			l = append(l, ConvertAttribute(e))
		}
		return events.NewListAttribute(l)
	case *st.AttributeValueMemberM:
		return events.NewMapAttribute(convertImage(x.Value))
	}
	return events.NewNullAttribute()
}
