package testenv

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3Bucket is the bucket S3 creates.
const S3Bucket = "test-bucket"

// S3 starts an in-process S3-protocol server (gofakes3, in memory) for one
// test and returns a path-style client and the name of a created, empty
// bucket. The server stops when the test ends.
func S3(t testing.TB) (*s3.Client, string) {
	t.Helper()
	srv := httptest.NewServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(srv.Close)
	client := NewS3Client(srv.URL)
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(S3Bucket)}); err != nil {
		t.Fatalf("testenv: create bucket: %v", err)
	}
	return client, S3Bucket
}

// NewS3Client is a path-style S3 client for a local S3-protocol endpoint.
// Checksums are only sent when an operation requires them: the fake does
// not read the SDK's streaming trailer checksums.
func NewS3Client(endpoint string) *s3.Client {
	return s3.New(s3.Options{
		Region:                     Region,
		BaseEndpoint:               aws.String(endpoint),
		UsePathStyle:               true,
		Credentials:                credentials.NewStaticCredentialsProvider("local", "local", ""),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	})
}
