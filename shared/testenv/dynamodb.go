package testenv

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/suixian-psb/credit/infra/cfn"
)

// EnvDynamoDBEndpoint names an already running DynamoDB Local (set by
// `make test`); when empty, the test binary starts its own.
const EnvDynamoDBEndpoint = "DYNAMODB_ENDPOINT"

// Region is what local clients say; DynamoDB Local keeps one database per
// access key and region unless started with -sharedDb, so it stays fixed.
const Region = "cn-north-1"

var (
	endpointOnce sync.Once
	endpoint     string
	endpointErr  error

	tableSeq atomic.Int64
)

// Main runs the tests of a package and stops the DynamoDB Local this binary
// started, if any. Call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	stopLocal()
	os.Exit(code)
}

// Endpoint is the URL of the DynamoDB Local the tests use, starting one the
// first time it is needed when DYNAMODB_ENDPOINT is not set.
func Endpoint(t testing.TB) string {
	t.Helper()
	endpointOnce.Do(func() {
		if e := os.Getenv(EnvDynamoDBEndpoint); e != "" {
			endpoint = e
			endpointErr = waitReady(e, 10*time.Second, nil)
			return
		}
		endpoint, endpointErr = startLocal()
	})
	if endpointErr != nil {
		t.Fatalf("testenv: DynamoDB Local: %v", endpointErr)
	}
	return endpoint
}

// NewClient is a DynamoDB client for endpoint with static local credentials.
func NewClient(endpoint string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:       Region,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
	})
}

// DynamoDB returns a client for the tests' DynamoDB Local.
func DynamoDB(t testing.TB) *dynamodb.Client {
	t.Helper()
	return NewClient(Endpoint(t))
}

var (
	templateOnce sync.Once
	template     *cfn.Template
	tableID      string
	templateErr  error
)

func loadTemplate() (*cfn.Template, string, error) {
	templateOnce.Do(func() {
		template, templateErr = cfn.LoadDefault()
		if templateErr == nil {
			tableID, templateErr = template.TableLogicalID()
		}
	})
	return template, tableID, templateErr
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// NewTable creates a fresh table, uniquely named, from template.yaml's table
// resource, and deletes it when the test ends. Tests may run in parallel:
// each has its own table.
func NewTable(t testing.TB) (*dynamodb.Client, string) {
	t.Helper()
	client := DynamoDB(t)
	tpl, id, err := loadTemplate()
	if err != nil {
		t.Fatalf("testenv: template: %v", err)
	}
	name := unsafeName.ReplaceAllString(t.Name(), "_")
	if len(name) > 60 {
		name = name[len(name)-60:]
	}
	name = fmt.Sprintf("t%d-%d-%s", os.Getpid(), tableSeq.Add(1), name)
	in, err := tpl.TableInput(id, name)
	if err != nil {
		t.Fatalf("testenv: table input: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := client.CreateTable(ctx, in); err != nil {
		t.Fatalf("testenv: create table %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
			t.Errorf("testenv: delete table %s: %v", name, err)
		}
	})
	w := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 50 * time.Millisecond
		o.MaxDelay = 500 * time.Millisecond
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 30*time.Second); err != nil {
		t.Fatalf("testenv: table %s not active: %v", name, err)
	}
	return client, name
}
