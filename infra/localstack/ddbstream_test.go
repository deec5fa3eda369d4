package localstack

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	st "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

func TestConvertStreamRecordToLambdaJSON(t *testing.T) {
	at := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
	r := st.Record{
		EventID: aws.String("ev1"), EventName: st.OperationTypeModify, EventSource: aws.String("aws:dynamodb"), EventVersion: aws.String("1.1"), AwsRegion: aws.String("ddblocal"),
		Dynamodb: &st.StreamRecord{
			ApproximateCreationDateTime: &at,
			SequenceNumber:              aws.String("000001"),
			SizeBytes:                   aws.Int64(42),
			StreamViewType:              st.StreamViewTypeNewAndOldImages,
			Keys:                        map[string]st.AttributeValue{"PK": &st.AttributeValueMemberS{Value: "SUBJ#1"}},
			NewImage: map[string]st.AttributeValue{
				"s":    &st.AttributeValueMemberS{Value: "x"},
				"n":    &st.AttributeValueMemberN{Value: "12"},
				"b":    &st.AttributeValueMemberB{Value: []byte{1, 2}},
				"t":    &st.AttributeValueMemberBOOL{Value: true},
				"z":    &st.AttributeValueMemberNULL{Value: true},
				"ss":   &st.AttributeValueMemberSS{Value: []string{"a", "b"}},
				"ns":   &st.AttributeValueMemberNS{Value: []string{"1"}},
				"bs":   &st.AttributeValueMemberBS{Value: [][]byte{{3}}},
				"list": &st.AttributeValueMemberL{Value: []st.AttributeValue{&st.AttributeValueMemberS{Value: "y"}, &st.AttributeValueMemberM{Value: map[string]st.AttributeValue{"k": &st.AttributeValueMemberN{Value: "1"}}}}},
			},
		},
	}
	b, err := json.Marshal(ConvertStreamRecord(r))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	_ = json.Unmarshal(b, &got)
	ddb := got["dynamodb"].(map[string]any)
	img := ddb["NewImage"].(map[string]any)
	want := map[string]string{
		"s":    `{"S":"x"}`,
		"n":    `{"N":"12"}`,
		"b":    `{"B":"AQI="}`,
		"t":    `{"BOOL":true}`,
		"z":    `{"NULL":true}`,
		"ss":   `{"SS":["a","b"]}`,
		"ns":   `{"NS":["1"]}`,
		"bs":   `{"BS":["Aw=="]}`,
		"list": `{"L":[{"S":"y"},{"M":{"k":{"N":"1"}}}]}`,
	}
	for k, w := range want {
		g, _ := json.Marshal(img[k])
		if string(g) != w {
			t.Errorf("%s = %s, want %s", k, g, w)
		}
	}
	if got["eventName"] != "MODIFY" || ddb["SequenceNumber"] != "000001" || ddb["StreamViewType"] != "NEW_AND_OLD_IMAGES" || ddb["ApproximateCreationDateTime"] != float64(at.Unix()) {
		t.Fatalf("record %s", b)
	}
}
