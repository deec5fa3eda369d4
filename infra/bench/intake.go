package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/suixian-psb/credit/infra/localstack"
)

// IntakeResult compares posting a handling decision through the HTTP front
// (authorizer, emulator, function, a three-item transaction) with one bare
// PutItem of an item of the stored record's size on the same DynamoDB Local.
type IntakeResult struct {
	Posts      int     `json:"posts"`
	Warmup     int     `json:"warmup"`
	PostP50MS  float64 `json:"post_p50_ms"`
	PostP99MS  float64 `json:"post_p99_ms"`
	ItemBytes  int     `json:"item_bytes"`
	PutP50MS   float64 `json:"bare_put_p50_ms"`
	PutP99MS   float64 `json:"bare_put_p99_ms"`
	RatioP50   float64 `json:"ratio_p50"`
	RatioP99   float64 `json:"ratio_p99"`
	Subjects   int     `json:"subjects"`
	Sequential bool    `json:"sequential"`
}

// MeasureIntake posts warmup+posts decisions one after another over
// subjects distinct subjects, then times as many bare PutItems.
func MeasureIntake(ctx context.Context, s *Stack, posts, warmup, subjects int) (IntakeResult, error) {
	res := IntakeResult{Posts: posts, Warmup: warmup, Subjects: subjects, Sequential: true}
	tok, err := s.Token(Unit, "clerk")
	if err != nil {
		return res, err
	}
	var lat []time.Duration
	var last Posted
	for i := range warmup + posts {
		body := DecisionBody(CreditCode(11, i%subjects), DocNo("城关", i), "2027-02-10", Fine(50_000))
		start := time.Now()
		st, b, err := s.Do(ctx, "POST", "/v1/decisions", tok, body)
		d := time.Since(start)
		if err != nil {
			return res, err
		}
		if st != 201 {
			return res, fmt.Errorf("POST /v1/decisions: %d %s", st, b)
		}
		if i >= warmup {
			lat = append(lat, d)
		}
		if err := json.Unmarshal(b, &last); err != nil {
			return res, err
		}
	}
	res.PostP50MS, res.PostP99MS = Percentile(lat, 50), Percentile(lat, 99)

	// The stored record item's size, read back from the stack's table.
	db := Client(s.Dynamo)
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(localstack.LocalTableName),
		Key: map[string]types.AttributeValue{
			"PK": &types.AttributeValueMemberS{Value: "SUBJ#" + last.SubjectID},
			"SK": &types.AttributeValueMemberS{Value: "REC#" + last.Record.ID},
		},
	})
	if err != nil || out.Item == nil {
		return res, fmt.Errorf("read back the record item: %v (found: %v)", err, out != nil && out.Item != nil)
	}
	res.ItemBytes = ItemSize(out.Item)

	// Bare puts of an item that size into a table of the same shape.
	if _, err := NewTable(ctx, s.Dynamo, "bench-bare-put"); err != nil {
		return res, err
	}
	pad := res.ItemBytes - len("PK") - len("SK") - len("doc") - 2*len("BARE#0000000")
	if pad < 1 {
		pad = 1
	}
	doc := strings.Repeat("x", pad)
	lat = lat[:0]
	for i := range warmup + posts {
		key := fmt.Sprintf("BARE#%07d", i)
		in := &dynamodb.PutItemInput{TableName: aws.String("bench-bare-put"), Item: map[string]types.AttributeValue{
			"PK": &types.AttributeValueMemberS{Value: key}, "SK": &types.AttributeValueMemberS{Value: key},
			"doc": &types.AttributeValueMemberS{Value: doc},
		}}
		start := time.Now()
		if _, err := db.PutItem(ctx, in); err != nil {
			return res, err
		}
		if i >= warmup {
			lat = append(lat, time.Since(start))
		}
	}
	res.PutP50MS, res.PutP99MS = Percentile(lat, 50), Percentile(lat, 99)
	if res.PutP50MS > 0 {
		res.RatioP50 = round(res.PostP50MS/res.PutP50MS, 1)
	}
	if res.PutP99MS > 0 {
		res.RatioP99 = round(res.PostP99MS/res.PutP99MS, 1)
	}
	return res, nil
}

// ItemSize is DynamoDB's item size: attribute names plus values (strings
// and binaries by length, numbers about one byte per two digits).
func ItemSize(it map[string]types.AttributeValue) int {
	n := 0
	for k, v := range it {
		n += len(k) + valueSize(v)
	}
	return n
}

func valueSize(v types.AttributeValue) int {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return len(x.Value)
	case *types.AttributeValueMemberN:
		return (len(x.Value)+1)/2 + 1
	case *types.AttributeValueMemberB:
		return len(x.Value)
	case *types.AttributeValueMemberBOOL, *types.AttributeValueMemberNULL:
		return 1
	case *types.AttributeValueMemberM:
		n := 3
		for k, e := range x.Value {
			n += len(k) + valueSize(e) + 1
		}
		return n
	case *types.AttributeValueMemberL:
		n := 3
		for _, e := range x.Value {
			n += valueSize(e) + 1
		}
		return n
	case *types.AttributeValueMemberSS:
		n := 0
		for _, e := range x.Value {
			n += len(e)
		}
		return n
	}
	return 0
}

// subjectPath is the API path of a subject.
func subjectPath(id string) string { return "/v1/subjects/" + url.PathEscape(id) }
